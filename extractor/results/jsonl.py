"""The run file, written and read: JSONL, one ArticleResult per line.

Writing JSONL results so that a killed run leaves only whole lines, and resuming one.

Each result is written as one line with a single write of its bytes straight to the file
descriptor (no Python buffer that could flush half a line), so after a kill the file ends
with a whole line. A write that fails (disk full) is undone (the file is cut back to the
line before) and raised as an OutputError naming the file: the lines before stay whole,
and `--resume` continues once there is room.

Resuming (`resume_done`) reads what an earlier run wrote, keeps every complete result,
and rewrites the file without a torn last line (should one exist) and without results
that ended with an error: those articles are run again. An article counts as done when
its id and the SHA-256 of its text match a kept line.

Reading a run (`load_run`, `load_runs`): every line must be an ArticleResult; a bad one is
a ConfigError naming its number.
"""

from __future__ import annotations

import contextlib
import json
import os
from pathlib import Path
from types import TracebackType
from typing import Any, TextIO

from pydantic import ValidationError

from extractor.errors import ConfigError, OutputError, first_error
from extractor.schemas import ArticleResult

DoneKey = tuple[str, str]  # (article id, sha256 of its text)


def done_key(record: dict[str, Any]) -> DoneKey:
    return (str(record["article"]["id"]), str(record["article"]["sha256"]))


class JsonlWriter:
    """`-` is `stream` (the CLI passes its stdout: only the CLI touches the terminal);
    else the file, created with its parent directory, truncated unless `append`."""

    def __init__(self, target: str, *, append: bool = False, stream: TextIO | None = None) -> None:
        if target == "-" and stream is None:
            raise ConfigError("-o -: no stream to write to.")
        self.target = target
        self.append = append
        self._stream = stream
        self._fd: int | None = None
        self.written = 0  # lines written by this writer

    def __enter__(self) -> JsonlWriter:
        if self.target == "-":
            return self
        path = Path(self.target)
        flags = os.O_WRONLY | os.O_CREAT | (os.O_APPEND if self.append else os.O_TRUNC)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(path, flags, 0o644)
        except OSError as exc:
            raise ConfigError(f"-o {self.target}: cannot write ({exc.strerror}).") from exc
        return self

    def write(self, result: ArticleResult) -> None:
        line = result.model_dump_json() + "\n"
        if self._fd is None:
            assert self._stream is not None
            self._stream.write(line)  # a closed pipe or full disk: the CLI's main says so
            self._stream.flush()
            self.written += 1
            return
        data = line.encode("utf-8")
        start = os.lseek(self._fd, 0, os.SEEK_END)
        try:
            while data:  # a regular file takes it in one write; loop in case it does not
                data = data[os.write(self._fd, data) :]
        except OSError as exc:
            with contextlib.suppress(OSError):  # a device such as /dev/full has no size
                os.ftruncate(self._fd, start)
            raise OutputError(
                f"-o {self.target}: cannot write ({exc.strerror}); the {self.written} lines "
                "written before are whole. Free space (or choose another -o), then run the "
                "same command with --resume."
            ) from exc
        self.written += 1

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def resume_done(target: str, *, rewrite: bool = True) -> tuple[set[DoneKey], int]:
    """The articles already complete in `target`, and how many lines were dropped (torn,
    unreadable, failed or repeated). With `rewrite`, the file is rewritten without them."""
    if target == "-":
        raise ConfigError("--resume needs -o FILE: there is nothing to resume on stdout.")
    path = Path(target)
    if not path.exists():
        return set(), 0
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"--resume {target}: cannot read it ({exc.strerror}).") from exc
    lines = data.split(b"\n")
    tail = lines.pop()  # after the last newline: empty, or a line torn by a kill
    kept: list[bytes] = []
    done: set[DoneKey] = set()
    dropped = 1 if tail.strip() else 0
    for line in lines:
        try:
            record = json.loads(line)
            key = done_key(record)
        except (ValueError, KeyError, TypeError):
            dropped += bool(line.strip())
            continue
        if record.get("error") or key in done:
            dropped += 1
            continue
        done.add(key)
        kept.append(line + b"\n")
    if dropped and rewrite:
        tmp = path.with_name(path.name + ".resume-tmp")
        tmp.write_bytes(b"".join(kept))
        os.replace(tmp, path)  # atomic: a kill now leaves the old file or the new one
    return done, dropped


_WHAT = "Pass the JSONL that `extractor extract -o FILE` writes."


def load_run(path: str | Path) -> list[ArticleResult]:
    """Every ArticleResult in the run file; a bad line is a ConfigError naming its number."""
    p = Path(path)
    if not p.is_file():
        problem = "a directory, not a run file" if p.is_dir() else "no such file"
        raise ConfigError(f"{path}: {problem}. {_WHAT}")
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}). {_WHAT}") from exc
    results: list[ArticleResult] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            results.append(ArticleResult.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigError(
                f"{path}:{n}: not an ArticleResult line ({first_error(exc)}). {_WHAT}"
            ) from exc
    if not results:
        raise ConfigError(f"{path}: no records in this file. {_WHAT}")
    return results


def load_runs(paths: list[str]) -> list[ArticleResult]:
    return [result for path in paths for result in load_run(path)]
