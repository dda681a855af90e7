"""The seed article through the whole pipeline, replaying HTTP recorded from the real
embedded server (SmolLM2-135M on llama-cpp-python's server).

What a replay must give:
- exactly the records the recording yields: the run is reviewed (`extractor review`:
  stances, claims, error and warnings) against the committed expected file
  `tests/fixtures/review/000_792bd40e83e483ac.<strategy>.jsonl`;
- at least FLOORS: what the recording of 2026-11-27 holds. A run that outputs nothing
  fails, and so does a re-recording that yields less until the floor is lowered here,
  in review;
- every record grounded: quotes slice out of the text at their offsets, actors are named.

Re-record (starts the embedded server; needs the `local` extra): `make record`, which then
runs `make fixtures` to regenerate the expected files from the new cassettes (read the
diff). Against OpenAI instead: `EXTRACTOR_RECORD_OPENAI=1 OPENAI_API_KEY=... make record`,
which writes the `*_openai` cassettes. A prompt or schema change alters the request
bodies, so replay fails until the cassettes are re-recorded: the change is visible in
review.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

import cassette_format
import pytest
from conftest import ROOT, SEED

from extractor import Extractor
from extractor.api import EMBEDDED_TIMEOUT
from extractor.backends.embedded import MODEL_ALIAS, EmbeddedServer
from extractor.cli.review import format_review
from extractor.evaluation.evaluate import evidence_items, score_article
from extractor.evaluation.gold import load_gold
from extractor.pipeline.articles import from_text
from extractor.review.diff import review
from extractor.review.fixtures import load_fixtures
from extractor.schemas import ArticleResult

CASSETTES = ROOT / "cassettes" / "test_cassettes"
EXPECTED = ROOT / "tests" / "fixtures" / "review"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens here: every answer comes from the cassette
ARTIFACTS = ROOT / "test-artifacts"

# What the recordings hold (make record, 2026-11-27, second recording that day): grounded
# records, their evidence items, and proposals the model made that grounding dropped
# (warnings). Agenda since its stances are read from the parse (2026-12-03): no word list
# judges the model's positions any more, so fewer of them are dropped with a warning.
FLOORS: dict[str, dict[str, int]] = {
    "sentences": {"records": 2, "evidence": 2, "warnings": 14},
    "article": {"records": 0, "evidence": 0, "warnings": 1},
    # agenda's warnings: 9 until the sentences whose claim the parse reads went unasked, 7
    # until the model chose among each sentence's own actors and phrases (nothing left to
    # invent; 2026-12-07: none left to drop)
    "agenda": {"records": 4, "evidence": 4, "warnings": 0},
}


@pytest.fixture
def embedded_url(record_mode: str) -> Iterator[str]:
    """The real embedded server when recording, a dead address when replaying."""
    if record_mode == "none":
        yield REPLAY_URL
        return
    with EmbeddedServer() as server:
        yield server.base_url


def _run(base_url: str, strategy: str, text: str) -> ArticleResult:
    with Extractor(
        base_url=base_url,
        model=MODEL_ALIAS,
        mode="json_grammar",
        strategy=strategy,  # type: ignore[arg-type]
        timeout=EMBEDDED_TIMEOUT,  # recording: the model on a busy CPU can take minutes
    ) as ex:
        return ex.run(from_text(text, id=SEED.stem, path=f"seeds/{SEED.name}"))


def _check_grounded(result: ArticleResult, text: str) -> None:
    for stance in result.stances:
        assert stance.actor.name in text
    for claim in result.claims:
        assert claim.claimant.name in text
    for ev in evidence_items(result):
        assert text[ev.start : ev.end] == ev.quote


def _report(name: str, result: ArticleResult, text: str) -> dict[str, object]:
    gold = load_gold(ROOT / "tests" / "fixtures" / "seed.gold.jsonl")[0]
    s = score_article(result, gold, text)
    scores = {
        "stances": s.stances,
        "conditions": s.conditions,
        "claims": s.claims,
        "grounding": s.grounding.rate,
    }
    report = {k: v.as_dict() if hasattr(v, "as_dict") else v for k, v in scores.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.score.json").write_text(json.dumps(report, indent=2))
    print(f"\n{name} vs hand-written gold: {json.dumps(report)}")
    return report


def _check_replay(result: ArticleResult, strategy: str) -> None:
    """The records of the expected file, and at least the floors."""
    outcome = review([result], load_fixtures(EXPECTED).results)
    assert outcome.articles[0].status == "same", "\n".join(
        [*format_review(outcome), "after a re-record: make fixtures (and read the diff)"]
    )
    floor = FLOORS[strategy]
    assert len(result.stances) + len(result.claims) >= floor["records"]
    assert len(evidence_items(result)) >= floor["evidence"]
    assert len(result.warnings) >= floor["warnings"]


def _answers(cassette: str) -> list[str]:
    """The model's answers (message contents) recorded in a cassette."""
    data = cassette_format.deserialize((CASSETTES / cassette).read_text("utf-8"))
    out = []
    for interaction in data["interactions"]:
        body = json.loads(interaction["response"]["body"]["string"])
        out += [c["message"]["content"] or "" for c in body.get("choices", [])]
    return out


@pytest.mark.vcr
def test_seed_sentences(embedded_url: str, seed_text: str, record_mode: str) -> None:
    result = _run(embedded_url, "sentences", seed_text)
    assert result.error is None
    assert result.model == MODEL_ALIAS and result.strategy == "sentences"
    # One request per sentence plus one per re-ask; a cassette holds each of them.
    assert result.usage.requests >= 20
    _check_grounded(result, seed_text)
    report = _report("seed_sentences", result, seed_text)
    if record_mode == "none":  # a new recording is checked by `make fixtures`
        _check_replay(result, "sentences")
        assert report["grounding"] == 1.0
    # The scores (test-artifacts/seed_sentences.score.json) are reported, not required:
    # the 135M model matches no gold stance under the target rule of extractor/evaluate.py.


@pytest.mark.vcr
def test_seed_agenda(embedded_url: str, seed_text: str, record_mode: str) -> None:
    result = _run(embedded_url, "agenda", seed_text)
    assert result.error is None
    assert result.model == MODEL_ALIAS and result.strategy == "agenda"
    # one request per sentence with a cue and an actor whose claim the parse has not read
    # (re-asks add more): 3 of the seed's
    assert result.usage.requests >= 3
    _check_grounded(result, seed_text)
    report = _report("seed_agenda", result, seed_text)
    if record_mode == "none":
        _check_replay(result, "agenda")
        assert report["grounding"] == 1.0
        # issue 11's bar for the default model on the seed: stance precision >= 0.5
        stances = report["stances"]
        assert isinstance(stances, dict) and stances["precision"] >= 0.5
    # SmolLM2 copies the prompt's example agenda (grounding drops it) and its stances alone
    # fall below the default confidence; the stances that remain are those the parse reads
    # ("the US pledged to restore ...", extractor.reading), confirmed by the model's where
    # both agree. Nonsense records fail here:
    for stance in result.stances:
        assert stance.target.casefold() not in {stance.actor.name.casefold()}
    # the story of the article: Putin's yes with a condition; no stance of the United
    # States read from the headline's "US-backed"
    headline = seed_text.index("\n")
    assert any(
        s.actor.canonical == "Vladimir Putin" and s.position == "support" and s.conditions
        for s in result.stances
    )
    assert not any(e.start < headline for s in result.stances for e in s.evidence)


@pytest.mark.vcr
def test_seed_article(embedded_url: str, seed_text: str, record_mode: str) -> None:
    result = _run(embedded_url, "article", seed_text)
    assert result.error is None
    assert result.strategy == "article"
    _check_grounded(result, seed_text)
    _report("seed_article", result, seed_text)
    if record_mode != "none":
        return
    _check_replay(result, "article")
    # The article recording holds no grounded record: the small model proposed claims
    # by "statement", quoting text the seed does not hold. Each proposal of its last
    # answer is accounted for: in the output, or named in a warning, and nothing it
    # invented is in the output.
    last = json.loads(_answers("test_seed_article.yaml")[-1])
    proposed = [*last.get("stances", []), *last.get("claims", [])]
    assert len(proposed) >= FLOORS["article"]["warnings"]
    output = {s.actor.name for s in result.stances} | {c.claimant.name for c in result.claims}
    for record in proposed:
        who = record.get("actor") or record.get("claimant")
        assert who in output or any(f"'{who}'" in w for w in result.warnings), who
    assert "statement" not in output and not result.stances and not result.claims


@pytest.mark.skipif(
    not (CASSETTES / "test_seed_openai.yaml").exists()
    and not os.environ.get("EXTRACTOR_RECORD_OPENAI"),
    reason="no OpenAI cassette recorded (EXTRACTOR_RECORD_OPENAI=1 OPENAI_API_KEY=... make record)",
)
@pytest.mark.vcr
def test_seed_openai(seed_text: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if not os.environ.get("OPENAI_API_KEY"):
        monkeypatch.setenv("OPENAI_API_KEY", "sk-replay-only")
    with Extractor(model="gpt-4.1-mini") as ex:
        result = ex.run(from_text(seed_text, id="000_792bd40e83e483ac"))
    assert result.error is None
    _check_grounded(result, seed_text)
    _report("seed_openai", result, seed_text)


def test_floors_are_what_the_expected_files_hold() -> None:
    """The floors may not be set above the committed expected records, and the sentence
    recording must hold records (so a pipeline returning none fails here)."""
    fixtures: dict[str, Any] = {
        f.strategy: f
        for f in load_fixtures(EXPECTED).results
        if f.model == MODEL_ALIAS and f.article.id == SEED.stem
    }
    for strategy, floor in FLOORS.items():
        expected = fixtures[strategy]
        assert len(expected.stances) + len(expected.claims) >= floor["records"]
        assert len(evidence_items(expected)) >= floor["evidence"]
        assert len(expected.warnings) >= floor["warnings"]
    assert FLOORS["sentences"]["records"] >= 1
