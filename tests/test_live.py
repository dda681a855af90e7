"""Live: start the real embedded server (SmolLM2-135M via llama-cpp-python) and extract
the seed article. Slow (about 1.5 minutes on 2 cores); needs the `local` extra."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEEDS_EMBEDDED_MODEL, SEED

pytestmark = [pytest.mark.live, NEEDS_EMBEDDED_MODEL]


def _servers() -> set[str]:
    ps = subprocess.run(["pgrep", "-f", "llama_cpp.server"], capture_output=True, text=True)
    return set(ps.stdout.split())


def test_cli_extracts_seed_with_embedded_model(tmp_path: Path) -> None:
    before = _servers()
    out = tmp_path / "seed.jsonl"
    proc = subprocess.run(
        [sys.executable, "-m", "extractor.cli", "extract", str(SEED), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    (line,) = out.read_text(encoding="utf-8").splitlines()
    record = json.loads(line)
    text = SEED.read_text(encoding="utf-8")
    assert record["error"] is None
    assert record["model"] == "smollm2-135m-instruct" and record["strategy"] == "sentences"
    assert record["usage"]["requests"] >= len([ln for ln in text.splitlines() if ln.strip()])
    evidence = [e for s in record["stances"] for e in s["evidence"]]
    evidence += [e for s in record["stances"] for c in s["conditions"] for e in c["evidence"]]
    evidence += [e for c in record["claims"] for e in c["evidence"]]
    for ev in evidence:
        assert text[ev["start"] : ev["end"]] == ev["quote"]
    for s in record["stances"]:
        assert s["actor"]["name"] in text
    assert "ok, 0 failed" in proc.stderr  # the summary
    assert _servers() <= before, "the embedded server outlived the CLI"
