"""The seed article through the whole pipeline, replaying HTTP recorded from the real
embedded server (SmolLM2-135M on llama-cpp-python's server).

Re-record (starts the embedded server; needs the `local` extra): `make record`.
Against OpenAI instead: `EXTRACTOR_RECORD_OPENAI=1 OPENAI_API_KEY=... make record`, which
writes the `*_openai` cassettes. A prompt or schema change alters the request bodies,
so replay fails until the cassettes are re-recorded: the change is visible in review.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator

import pytest
from conftest import ROOT

from extractor import Extractor
from extractor.articles import from_text
from extractor.embedded import MODEL_ALIAS, EmbeddedServer
from extractor.schemas import ArticleResult
from extractor.scoring import load_gold, score

CASSETTES = ROOT / "cassettes" / "test_cassettes"
REPLAY_URL = "http://127.0.0.1:9/v1"  # nothing listens here: every answer comes from the cassette
ARTIFACTS = ROOT / "test-artifacts"


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
        base_url=base_url, model=MODEL_ALIAS, mode="json_grammar", strategy=strategy
    ) as ex:  # type: ignore[arg-type]
        return ex.run(from_text(text, id="000_792bd40e83e483ac"))


def _check_grounded(result: ArticleResult, text: str) -> None:
    for stance in result.stances:
        assert stance.actor.name in text
        for ev in stance.evidence + [e for c in stance.conditions for e in c.evidence]:
            assert text[ev.start : ev.end] == ev.quote
    for claim in result.claims:
        assert claim.claimant.name in text
        for ev in claim.evidence:
            assert text[ev.start : ev.end] == ev.quote


def _report(name: str, result: ArticleResult, text: str) -> dict[str, object]:
    gold = load_gold(ROOT / "tests" / "fixtures" / "seed.gold.jsonl")[0]
    scores = score(result, gold, text)
    report = {k: v.as_dict() if hasattr(v, "as_dict") else v for k, v in scores.items()}
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.score.json").write_text(json.dumps(report, indent=2))
    print(f"\n{name} vs hand-written gold: {json.dumps(report)}")
    return report


@pytest.mark.vcr
def test_seed_sentences(embedded_url: str, seed_text: str) -> None:
    result = _run(embedded_url, "sentences", seed_text)
    assert result.error is None
    assert result.model == MODEL_ALIAS and result.strategy == "sentences"
    # One request per sentence plus one per re-ask; a cassette holds each of them.
    assert result.usage.requests >= 20
    _check_grounded(result, seed_text)
    report = _report("seed_sentences", result, seed_text)
    # Whatever the model invents, what reaches the output is grounded.
    assert report["grounding"] in (1.0, None)
    # The 135M model is weak: these figures are reported, not required to be high.
    assert 0.0 <= report["stances"]["recall"] <= 1.0


@pytest.mark.vcr
def test_seed_article(embedded_url: str, seed_text: str) -> None:
    result = _run(embedded_url, "article", seed_text)
    assert result.error is None
    assert result.strategy == "article"
    _check_grounded(result, seed_text)
    report = _report("seed_article", result, seed_text)
    assert report["grounding"] in (1.0, None)
    # The small model copies the few-shot example; grounding must drop what it copied.
    assert not any("Ortiz" in s.actor.name for s in result.stances)


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
