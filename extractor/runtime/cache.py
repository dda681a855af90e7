"""A cache of model answers in one SQLite file, so a rerun never pays twice for an answer.

Two tables. `answers`: the model's validated answer (the draft JSON) for one exact
request, keyed by a hash of everything that shapes it: model, where it is served, mode,
strategy, prompt version, schema version, re-asks, max_tokens, the rendered messages (so
the chunk or sentence and its context), the response schema, and the article and window
the answer was validated against. This is what saves requests, also for an article
whose run was cut short or whose chunking changed. `results`: an article's finished
records (stances, claims, warnings), keyed by the same identity, the article's text and
title, the chunking options and `code_version()`, a hash of the code that turns answers
into records; so a rerun skips the local work too, and a change to that code (grounding,
merging) makes it ground the cached answers again instead of reusing stale records.

Errors are never cached. The file uses WAL journaling and a busy timeout, so several
processes can read and write it at once. `extractor extract` uses `default_path()` unless
`--cache PATH` or `--no-cache`; so does the library unless given another cache or
`cache=None`.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import json
import os
import sqlite3
import threading
import time
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError, on_command_line, option

ENV = "EXTRACTOR_CACHE"  # a path that overrides the default location
# the packages and modules whose code turns a model's answers into an article's records:
# every module of a package counts, so a module added to one is never left out, and so
# does the data a package reads (the reading's lexicons)
RECORD_CODE = ("grounding", "pipeline", "reading", "schemas", "strategies")


def default_path() -> Path:
    """$EXTRACTOR_CACHE, else $XDG_CACHE_HOME/extractor/answers.sqlite, else
    ~/.cache/extractor/answers.sqlite."""
    if os.environ.get(ENV):
        return Path(os.environ[ENV])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "extractor" / "answers.sqlite"


@functools.cache
def code_version() -> str:
    digest = hashlib.sha256()
    for path in record_code_files():
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def record_code_files() -> list[Path]:
    """The source files `code_version()` hashes (RECORD_CODE), in a stable order."""
    files: list[Path] = []
    for name in RECORD_CODE:
        spec = importlib.util.find_spec(f"extractor.{name}")
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        if spec.submodule_search_locations:  # a package: all its modules and data
            files += sorted(origin.parent.glob("*.py")) + sorted(origin.parent.glob("data/*"))
        else:
            files.append(origin)
    return files


def request_key(identity: dict[str, Any], request: dict[str, Any]) -> str:
    """A stable hash of the backend identity and one request."""
    blob = json.dumps({"identity": identity, "request": request}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


class Cache:
    """Answers by request key. Thread-safe; one connection per Cache object."""

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.hits = 0  # answers
        self.misses = 0
        self.result_hits = 0  # whole articles
        self._lock = threading.Lock()
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS answers "
                "(key TEXT PRIMARY KEY, answer TEXT NOT NULL, created REAL NOT NULL)"
            )
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS results "
                "(key TEXT PRIMARY KEY, result TEXT NOT NULL, created REAL NOT NULL)"
            )
        except (OSError, sqlite3.Error) as exc:
            other = (
                "Pass another --cache PATH, or --no-cache."
                if on_command_line()
                else "Pass another cache=PATH, or cache=None."
            )
            raise ConfigError(
                f"{option('cache')} {self.path}: cannot open it as a cache ({exc}). {other}"
            ) from exc

    def get(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT answer FROM answers WHERE key = ?", (key,)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return str(row[0])

    def peek(self, key: str) -> bool:
        """Whether an answer is stored, without counting a hit or miss (for estimates)."""
        with self._lock:
            return (
                self._db.execute("SELECT 1 FROM answers WHERE key = ?", (key,)).fetchone()
                is not None
            )

    def put(self, key: str, answer: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO answers (key, answer, created) VALUES (?, ?, ?)",
                (key, answer, time.time()),
            )

    def get_result(self, key: str) -> str | None:
        with self._lock:
            row = self._db.execute("SELECT result FROM results WHERE key = ?", (key,)).fetchone()
        self.result_hits += row is not None
        return None if row is None else str(row[0])

    def put_result(self, key: str, result: str) -> None:
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO results (key, result, created) VALUES (?, ?, ?)",
                (key, result, time.time()),
            )

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM answers").fetchone()[0])

    def close(self) -> None:
        with self._lock:
            self._db.close()
