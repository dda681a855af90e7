"""The timeline on a recorded fixture: five dated hand-written items
(tests/fixtures/timeline/articles) through the whole pipeline, replaying HTTP recorded
from a real model, then `extractor timeline` on the records (text and CSV here; the HTML
page in Chromium in test_timeline_browser.py).

What a replay must give: exactly the records of tests/fixtures/timeline/expected.jsonl
(written by the recording), every article dated from its file name, every quote found
in the text at its offsets, and at least FLOORS (what the recording holds).

Recorded from the quality probe (Qwen2.5-Coder-1.5B-Instruct, ../shared/tools/probe-model;
the model is evaluation only and never committed, its answers are in the cassette):

    EXTRACTOR_PROBE_GGUF=/path/qwen2.5-coder-1.5b.gguf \\
      .venv/bin/python -m pytest tests/test_timeline_fixture.py --record-mode=rewrite

Not SmolLM2-135M, the embedded default: with the agenda strategy its stances are only
those the parse reads (5 on the seed, tests/test_cassettes.py), and a
timeline needs the model's stances to show shifts.
"""

from __future__ import annotations

import csv
import io
import os
from pathlib import Path

import pytest
from conftest import ROOT
from timeline_fixture import ARTICLES, EXPECTED, REPLAY_URL, extract

from extractor.backends.embedded import EmbeddedServer
from extractor.cli.main import main
from extractor.results.jsonl import load_run
from extractor.schemas import ArticleResult
from extractor.timeline import build_timeline

# What the replay of the recording of 2026-11-27 gives since the stances are read from the
# parse (2026-12-03; the model's stances alone fall below the default confidence).
FLOORS = {"stances": 8, "rows": 4, "dated points": 8, "flags": 3}


def _recorded(record_mode: str) -> list[ArticleResult]:
    if record_mode == "none":
        return extract(REPLAY_URL)
    gguf = os.environ.get("EXTRACTOR_PROBE_GGUF")
    if not gguf:
        pytest.fail("recording needs EXTRACTOR_PROBE_GGUF=/path/to/the/probe.gguf")
    with EmbeddedServer(Path(gguf)) as server:
        results = extract(server.base_url)
    EXPECTED.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    return results


@pytest.mark.vcr
def test_timeline_fixture(record_mode: str, tmp_path: Path) -> None:
    results = _recorded(record_mode)
    assert [r.error for r in results] == [None] * 5
    assert [r.article.date for r in results] == [
        "2026-03-16",
        "2026-03-16",
        "2026-03-02",
        "2026-03-09",
        "2026-03-23",
    ]  # sorted by file name; each date from its name
    assert [r.model_dump() for r in results] == [e.model_dump() for e in load_run(EXPECTED)]
    for r in results:
        text = (ROOT / r.article.path).read_text(encoding="utf-8")
        for s in r.stances:
            assert s.actor.name in text
            for e in [*s.evidence, *(e for c in s.conditions for e in c.evidence)]:
                assert text[e.start : e.end] == e.quote
    timeline = build_timeline(results)
    assert sum(len(r.stances) for r in results) >= FLOORS["stances"]
    assert len(timeline.rows) >= FLOORS["rows"]
    assert sum(len(row.points) for row in timeline.rows) >= FLOORS["dated points"]
    assert len(timeline.shifts) >= FLOORS["flags"]
    assert all(row.undated == [] for row in timeline.rows)


def test_timeline_command_on_the_fixture(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Text and CSV from the records the recording yields (expected.jsonl)."""
    timeline = build_timeline(load_run(EXPECTED))
    assert main(["timeline", str(EXPECTED)]) == 0
    out = capsys.readouterr().out
    for row in timeline.rows:
        assert f"{row.actor} on {row.target.label!r}" in out
    assert f"{len(timeline.rows)} rows, {len(timeline.shifts)} flags, 5 articles" in out
    assert main(["timeline", str(EXPECTED), "--csv", "-"]) == 0
    lines = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(lines) == sum(len(r.points) + len(r.undated) for r in timeline.rows)
    assert [x["date"] for x in lines if x["date"]] and all(
        x["article"] in {p.stem for p in ARTICLES.iterdir()} for x in lines
    )
