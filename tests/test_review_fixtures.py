"""The review fixtures (tests/fixtures/review/): what the pipeline makes of fixed answers.

Three runs of the seed article, each compared with its fixture by `extractor review`
(records, `error` and `warnings`; not `usage`):

- `sentences` and `article`: the cassettes recorded from the embedded SmolLM2-135M,
  replayed (no model, no network). The sentence run holds grounded stances; the article
  run holds none (the 135M model's article answers are all dropped), so its fixture pins
  the warnings: what was dropped and why.
- `article` against the loopback fake server's `quote_back` answers (model "quote-back"):
  the article strategy with records in it (stances and claims quoting the seed), so a
  record the pipeline loses or changes shows.

Each run is written to test-artifacts/review/seed.<name>.jsonl. A difference fails with the
diff. After re-recording the cassettes, or a pipeline change you accept, one command
regenerates every fixture (then read `git diff tests/fixtures/review`):

    make fixtures
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from conftest import ROOT, SEED

from extractor import Extractor
from extractor.backends.embedded import MODEL_ALIAS
from extractor.cli.review import format_review
from extractor.pipeline.articles import from_text
from extractor.review.diff import review
from extractor.review.fixtures import load_fixtures
from extractor.schemas import ArticleResult
from tests.support.fakeanswers import quote_back
from tests.support.fakeserver import FakeServer

FIXTURES = ROOT / "tests" / "fixtures" / "review"
RUNS = ROOT / "test-artifacts" / "review"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens here: answers come from the cassette


@pytest.fixture(scope="module")
def vcr_cassette_dir() -> str:
    return str(ROOT / "cassettes" / "test_cassettes")


@pytest.fixture
def default_cassette_name(strategy: str) -> str:
    return f"test_seed_{strategy}"


def _run(base_url: str, model: str, mode: str, strategy: str, text: str) -> ArticleResult:
    with Extractor(
        base_url=base_url,
        model=model,
        mode=mode,
        strategy=strategy,  # type: ignore[arg-type]
    ) as ex:
        return ex.run(from_text(text, id=SEED.stem, path=f"seeds/{SEED.name}"))


def _check(result: ArticleResult, name: str) -> ArticleResult:
    """Write the run, review it against the fixtures; return the fixture it paired with."""
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / f"seed.{name}.jsonl").write_text(result.model_dump_json() + "\n", "utf-8")
    fixtures = load_fixtures(FIXTURES).results
    outcome = review([result], fixtures)
    assert outcome.articles[0].status != "new", f"no fixture for the {name} run: make fixtures"
    assert not outcome.changed, "\n".join(
        [*format_review(outcome), "accept with: make fixtures (see this module's docstring)"]
    )
    (paired,) = [
        f
        for f in fixtures
        if f.article.sha256 == result.article.sha256
        and (f.strategy, f.model) == (result.strategy, result.model)
    ]
    return paired


@pytest.fixture
def replayed(strategy: str, seed_text: str) -> Iterator[ArticleResult]:
    yield _run(REPLAY_URL, MODEL_ALIAS, "json_grammar", strategy, seed_text)


@pytest.mark.vcr(record_mode="none")  # replay only, whatever --record-mode says
@pytest.mark.parametrize("strategy", ["sentences"])
def test_replayed_sentences_match_their_fixture(replayed: ArticleResult) -> None:
    fixture = _check(replayed, "sentences")
    assert len(fixture.stances) >= 1  # a fixture with records: a lost record shows
    assert fixture.warnings  # and what was dropped


@pytest.mark.vcr(record_mode="none")
@pytest.mark.parametrize("strategy", ["article"])
def test_replayed_article_matches_its_fixture(replayed: ArticleResult) -> None:
    fixture = _check(replayed, "article")
    assert fixture.warnings  # SmolLM2's article answers: what was dropped, and why


@pytest.mark.vcr(record_mode="none")
@pytest.mark.parametrize("strategy", ["agenda"])
def test_replayed_agenda_matches_its_fixture(replayed: ArticleResult) -> None:
    fixture = _check(replayed, "agenda")
    assert fixture.claims and fixture.stances  # a fixture with records: a lost record shows


def test_quote_back_article_run_matches_its_fixture(seed_text: str) -> None:
    with FakeServer(quote_back) as server:
        result = _run(server.base_url, "quote-back", "json", "article", seed_text)
    assert result.error is None
    fixture = _check(result, "article-quote-back")
    # the fake's second stance names its own actor as target: dropped, and in the warnings
    assert len(fixture.stances) >= 1 and len(fixture.claims) >= 3
    assert any("is an actor, not a proposal" in w for w in fixture.warnings)
