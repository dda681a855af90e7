"""A recognisable fake key never appears in anything the program writes: the JSONL,
stdout, stderr (also with --debug), error messages, or files it creates, the SQLite
answer cache included (HOME, XDG dirs, TMPDIR and the cache all point into tmp_path, and
every file there is scanned byte for byte)."""

from __future__ import annotations

import ast
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import park_answer

from extractor.backends.redact import redact
from tests.support.fakeserver import FakeServer, Reply, completion

KEY = "sk-test-EXTRACTORFAKEKEY-0123456789abcdef"
FRAGMENTS = [KEY, "EXTRACTORFAKEKEY", "0123456789abcdef"]
GOOD = park_answer("backs the river park plan")


def respond(request: dict[str, Any]) -> Reply:
    user = request["messages"][1]["content"]
    if "week 2" in user:  # a server that echoes the key in its error, as OpenAI's 401 does
        return Reply(status=400, body={"error": {"message": f"Invalid key provided: {KEY}"}})
    if "week 3" in user:
        return Reply(status=500, body={"error": {"message": f"upstream said Bearer {KEY}"}})
    return Reply(body=completion(request, GOOD))


def _scan(*texts: str) -> None:
    for text in texts:
        for fragment in FRAGMENTS:
            assert fragment not in text


def test_key_never_written(tmp_path: Path) -> None:
    corpus = tmp_path / "in"
    corpus.mkdir()
    for week in (1, 2, 3):
        (corpus / f"a{week}.txt").write_text(
            f"Mayor Ana Ruiz said the city backs the river park plan.\nVote in week {week}.\n"
        )
    out = tmp_path / "out" / "run.jsonl"
    cache = tmp_path / "cache" / "answers.sqlite"
    # Everywhere the program may write goes under tmp_path: its cache, HOME, XDG dirs, TMPDIR.
    homes = {"HOME": "home", "XDG_CACHE_HOME": "xdg-cache", "XDG_DATA_HOME": "xdg-data"}
    env = {
        **os.environ,
        "OPENAI_API_KEY": KEY,
        "EXTRACTOR_CACHE": str(cache),
        "TMPDIR": str(tmp_path / "tmp"),
        **{name: str(tmp_path / sub) for name, sub in homes.items()},
    }
    for sub in [*homes.values(), "tmp"]:
        (tmp_path / sub).mkdir()
    with FakeServer(respond) as server:
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "extractor.cli.main",
                "--debug",
                "extract",
                str(corpus),
                "--base-url",
                server.base_url,
                "--model",
                "m",
                "--mode",
                "tools",
                "--strategy",
                "article",
                "--timeout",
                "5",
                "-o",
                str(out),
            ],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
            cwd=tmp_path,
        )
    # The key was really in use: the server received it.
    assert any(h.get("authorization") == f"Bearer {KEY}" for h in server.headers)
    assert proc.returncode == 1, proc.stderr[-2000:]
    assert "DEBUG" in proc.stderr  # --debug did log
    records = [json.loads(line) for line in out.read_text().splitlines()]
    kinds = sorted((r["error"] or {}).get("kind", "ok") for r in records)
    assert kinds == ["ok", "refused", "server_error"]
    # The cache was written (answers and records of the good article) and is scanned
    # byte for byte, with its WAL, like every other file the run wrote.
    with sqlite3.connect(cache) as db:
        tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        rows = sum(db.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in tables)
    assert rows >= 1
    written = [p for p in tmp_path.rglob("*") if p.is_file() and p.parent != corpus]
    assert cache in written and out in written
    for path in written:
        data = path.read_bytes()
        for fragment in FRAGMENTS:
            assert fragment.encode() not in data, f"{fragment!r} in {path}"
    _scan(proc.stdout, proc.stderr)
    assert "***" in proc.stderr  # the echoed key was redacted, not merely absent


def _messages() -> list[str]:
    """Every string the package's code holds: each literal, and each f-string with its
    placeholders filled by a plain word (the messages it can print, and more)."""
    found: list[str] = []
    for path in sorted((Path(__file__).parent.parent / "extractor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                found.append(
                    "".join(
                        str(v.value) if isinstance(v, ast.Constant) else "value"
                        for v in node.values
                    )
                )
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.append(node.value)
    return found


def test_redactor_leaves_every_message_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first message a keyless user sees ("needs OPENAI_API_KEY: set it") and every
    other text the package holds come through `redact` unchanged; keys still do not."""
    monkeypatch.setenv("OPENAI_API_KEY", KEY)
    messages = _messages()
    assert len(messages) > 500
    assert any("OPENAI_API_KEY: set it" in m for m in messages)
    changed = [m for m in messages if redact(m) != m]
    assert changed == []
    for leak in (
        KEY,
        f"Bearer {KEY[3:]}",
        "api_key='abcd1234efgh'",
        "Authorization: Bearer 0123abcdXYZ",
    ):
        assert "***" in redact(leak)
        assert not any(part in redact(leak) for part in ("abcd1234efgh", "0123abcd", KEY[3:]))
