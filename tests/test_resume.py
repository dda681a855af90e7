"""A run killed with SIGKILL and resumed gives the same records as one that was never
stopped, each article exactly once; a torn or failed line is dropped and redone."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from extractor.results.jsonl import resume_done
from tests.support.fakeanswers import quote_back, synthetic_article
from tests.support.fakeserver import FakeServer

N = 30


def _cli(server: FakeServer, src: Path, out: Path, *extra: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "extractor.cli.main",
        "extract",
        str(src),
        "-o",
        str(out),
        "--base-url",
        server.base_url,
        "--model",
        "m",
        "--strategy",
        "article",
        "--no-cache",  # so the resumed run asks again what the killed one had asked
        "-q",
        *extra,
    ]


def _records(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def test_killed_run_resumed_gives_the_same_records(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    for i in range(N):
        (src / f"a{i:03}.txt").write_text(synthetic_article(i, 1200), encoding="utf-8")
    whole, out = tmp_path / "whole.jsonl", tmp_path / "out.jsonl"
    with FakeServer(quote_back) as server:
        subprocess.run(_cli(server, src, whole, "--concurrency", "4"), check=True, timeout=120)

    with FakeServer(lambda req: quote_back(req, delay=0.1)) as server:
        proc = subprocess.Popen(_cli(server, src, out, "--concurrency", "4"))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and (
            not out.exists() or out.read_bytes().count(b"\n") < 8
        ):
            time.sleep(0.02)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    data = out.read_bytes()
    assert data.endswith(b"\n")  # whole lines only
    written = data.count(b"\n")
    assert 8 <= written < N  # stopped midway

    with FakeServer(quote_back) as server:
        dry = subprocess.run(
            _cli(server, src, out, "--resume", "--dry-run"),
            timeout=120,
            check=True,
            capture_output=True,
            text=True,
        )
        assert json.loads(dry.stdout)["requests"] == N - written  # what is left to do
        assert out.read_bytes() == data and server.requests == []  # a dry run touches nothing
        subprocess.run(
            _cli(server, src, out, "--concurrency", "4", "--resume"), timeout=120, check=True
        )
        assert len(server.requests) == N - written  # only the articles not yet written
    got, want = _records(out), _records(whole)
    ids = [r["article"]["id"] for r in got]
    assert sorted(ids) == sorted(set(ids)) and len(ids) == N  # each article exactly once
    key = lambda r: r["article"]["id"]  # noqa: E731
    assert sorted(got, key=key) == sorted(want, key=key)


def test_resume_drops_torn_failed_and_repeated_lines(tmp_path: Path) -> None:
    def line(id: str, error: dict[str, str] | None = None) -> str:
        return json.dumps({"article": {"id": id, "sha256": f"h{id}"}, "error": error})

    out = tmp_path / "out.jsonl"
    good, failed = line("a"), line("b", {"kind": "timeout", "message": "slow"})
    out.write_text("\n".join([good, failed, line("c"), good, "not json"]) + "\n" + line("d")[:20])
    done, dropped = resume_done(str(out))
    assert done == {("a", "ha"), ("c", "hc")}
    assert dropped == 4  # the failed line, the repeat, the garbage, the torn tail
    assert out.read_text() == f"{good}\n{line('c')}\n"
    assert resume_done(str(out)) == (done, 0)  # nothing left to drop
    assert resume_done(str(tmp_path / "new.jsonl")) == (set(), 0)
