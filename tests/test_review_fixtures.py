"""The review fixtures (tests/fixtures/review/) are the seed run replayed from the cassettes.

Each test replays one recorded cassette (no model, no network), writes the run to
test-artifacts/review/seed.<strategy>.jsonl and reviews it against the fixtures: any
difference in what the pipeline makes of the same model answers fails with the diff.
After re-recording the cassettes (`make record`) or a pipeline change you accept:

    .venv/bin/python -m pytest tests/test_review_fixtures.py    # writes the runs
    .venv/bin/extractor review test-artifacts/review/*.jsonl \
        --against tests/fixtures/review --update
"""

from __future__ import annotations

import pytest
from conftest import ROOT, SEED

from extractor import Extractor
from extractor.articles import from_text
from extractor.commands.review import format_review
from extractor.embedded import MODEL_ALIAS
from extractor.fixtures import load_fixtures
from extractor.review import review

FIXTURES = ROOT / "tests" / "fixtures" / "review"
RUNS = ROOT / "test-artifacts" / "review"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens here: answers come from the cassette


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(ROOT / "cassettes" / "test_cassettes")


@pytest.fixture
def default_cassette_name(strategy: str) -> str:
    return f"test_seed_{strategy}"


@pytest.mark.parametrize("strategy", ["sentences", "article"])
@pytest.mark.vcr(record_mode="none")  # replay only, whatever --record-mode says
def test_replayed_seed_matches_review_fixtures(strategy: str, seed_text: str) -> None:
    with Extractor(
        base_url=REPLAY_URL,
        model=MODEL_ALIAS,
        mode="json_grammar",
        strategy=strategy,  # type: ignore[arg-type]
    ) as ex:
        result = ex.run(from_text(seed_text, id=SEED.stem, path=f"seeds/{SEED.name}"))
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / f"seed.{strategy}.jsonl").write_text(result.model_dump_json() + "\n", "utf-8")
    outcome = review([result], load_fixtures(FIXTURES).results)
    assert outcome.articles[0].status != "new", f"no fixture for the {strategy} run"
    assert not outcome.changed, "\n".join(
        [*format_review(outcome), "accept with: (see this module's docstring)"]
    )
