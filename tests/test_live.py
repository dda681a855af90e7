"""Live: start the real embedded server (SmolLM2-135M via llama-cpp-python) and extract
the seed article. Slow (about 1.5 minutes on 2 cores); needs the `local` extra.

The live run sends the same requests as the recorded cassette (the default agenda
strategy, json_grammar, temperature 0), so it is compared with the recorded run's expected
records (tests/fixtures/review/000_792bd40e83e483ac.agenda.jsonl). Temperature 0 is greedy
decoding, but llama.cpp's sums are not bit-for-bit stable across builds, thread counts
and its prompt cache, and one different token early in an answer can change a record.
Tolerance, per record key (canonical actor, normalized target, position): at least half
of the union of both runs' keys are in both (Jaccard >= 0.5), and the request counts
differ by at most a quarter (re-asks follow the answers).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEEDS_EMBEDDED_MODEL, ROOT, SEED

from extractor.grounding.merge import normalize_target
from extractor.review.fixtures import load_fixtures
from extractor.schemas import ArticleResult

pytestmark = [pytest.mark.live, NEEDS_EMBEDDED_MODEL]


EXPECTED = ROOT / "tests" / "fixtures" / "review"
JACCARD = 0.5
REQUESTS_TOLERANCE = 0.25


def _recorded(live: ArticleResult) -> ArticleResult:
    (found,) = [
        f
        for f in load_fixtures(EXPECTED).results
        if f.article.sha256 == live.article.sha256
        and (f.strategy, f.model) == (live.strategy, live.model)
    ]
    return found


def _keys(result: ArticleResult) -> set[tuple[str, str, str]]:
    stances = {
        (s.actor.canonical.casefold(), normalize_target(s.target), s.position)
        for s in result.stances
    }
    claims = {
        (c.claimant.canonical.casefold(), normalize_target(c.content), "claim")
        for c in result.claims
    }
    return stances | claims


def _servers() -> set[str]:
    """Embedded servers started from this environment's python (other projects' and
    other checkouts' servers on a shared machine come and go on their own)."""
    pattern = f"^{re.escape(sys.executable)} -m llama_cpp.server"
    ps = subprocess.run(["pgrep", "-f", pattern], capture_output=True, text=True)
    return set(ps.stdout.split())


def test_cli_extracts_seed_with_embedded_model(tmp_path: Path) -> None:
    before = _servers()
    out = tmp_path / "seed.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "extractor.cli.main", "extract", str(SEED), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    text = SEED.read_text(encoding="utf-8")
    assert record["error"] is None
    assert record["model"] == "smollm2-135m-instruct" and record["strategy"] == "agenda"
    # one question per sentence with a cue and an actor whose claim the parse has not read
    assert record["usage"]["requests"] >= 3
    evidence = [e for s in record["stances"] for e in s["evidence"]]
    evidence += [e for s in record["stances"] for c in s["conditions"] for e in c["evidence"]]
    evidence += [e for c in record["claims"] for e in c["evidence"]]
    for ev in evidence:
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    for s in record["stances"]:
        assert s["actor"]["name"] in text
    assert len(evidence) >= 1  # at least one grounded record
    live = ArticleResult.model_validate(record)
    recorded = _recorded(live)
    same, either = _keys(live) & _keys(recorded), _keys(live) | _keys(recorded)
    assert len(same) >= JACCARD * len(either), (sorted(_keys(live)), sorted(_keys(recorded)))
    requests, expected = live.usage.requests, recorded.usage.requests
    assert abs(requests - expected) <= REQUESTS_TOLERANCE * expected
    assert "ok, 0 failed" in proc.stderr  # the summary
    assert _servers() <= before, "the embedded server outlived the CLI"
