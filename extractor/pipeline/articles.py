"""Reading articles: .txt, .md, .html and .jsonl files, or directories of them.

Offsets in the output index the text as read here: the file decoded (UTF-8, or UTF-16
with a byte-order mark), line endings kept as they are in the file. An HTML file's text
is the article body that trafilatura extracts, so its offsets index that text.

Dates (`Article.date`, ISO 8601) come from the input, never from the article's text:
a JSONL line's "date", an HTML page's own date (its metadata and markup: trafilatura with
htmldate's text search off), else a `YYYY-MM-DD` in the file name (as in PolNeAR's
`breitbart_2016-10-25_....txt`; not for JSONL, whose lines are separate articles).
The `extract --date` option, for a single article, overrides them all.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path

from extractor.errors import ConfigError, InputError

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    text: str
    title: str | None = None
    error: InputError | None = None
    date: str | None = None  # publication date when the input says (see the module docstring)

    @functools.cached_property  # works on a frozen dataclass: it writes __dict__ directly
    def sha256(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def from_text(
    text: str,
    *,
    id: str = "article",
    path: str = "<text>",
    title: str | None = None,
    date: str | None = None,
) -> Article:
    if not text.strip():
        raise InputError(f"{path}: the article is empty (or only whitespace); nothing to extract.")
    return Article(id=id, path=path, text=text, title=title or guess_title(text), date=date)


def expand(paths: list[str]) -> list[Path]:
    """The article files named by `paths`, directories searched in sorted order."""
    files: list[Path] = []
    for given in paths:
        p = Path(given)
        if p.is_dir():
            found = sorted(
                Path(root) / name
                for root, dirs, names in os.walk(p)  # followlinks=False: no symlink loops
                for name in names
                if name.lower().endswith(SUFFIXES) and not name.startswith(".")
            )
            if not found:
                raise ConfigError(
                    f"{given}: no articles here (looked for {', '.join(SUFFIXES)} files)."
                )
            files.extend(found)
        elif p.exists():
            files.append(p)
        else:
            raise ConfigError(f"{given}: no such file or directory. Check the path.")
    return files


def load(paths: list[str]) -> Iterator[Article]:
    """Every article under `paths`; one that cannot be read comes back with `error` set."""
    for path in expand(paths):
        if path.suffix.lower() == ".jsonl":
            yield from _load_jsonl(path)
            continue
        try:
            text = decode(_read(path), str(path))
            if path.suffix.lower() in (".html", ".htm"):
                yield _from_html(text, path)
            else:
                yield from_text(text, id=path.stem, path=str(path), date=date_in_name(path.name))
        except (InputError, OSError) as exc:
            yield _failed(path.stem, str(path), exc)


def _read(path: Path) -> bytes:
    """The file's bytes; a FIFO, socket or device is refused (reading a FIFO would wait
    for a writer forever)."""
    if path.exists() and not path.is_file():
        raise InputError(
            f"{path}: not a regular file (a FIFO, socket or device). Pass article files."
        )
    return path.read_bytes()


def decode(data: bytes, where: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    if b"\0" in data[:4096]:
        raise InputError(f"{where}: binary data, not text. Pass a .txt, .md, .html or .jsonl file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"{where}: not UTF-8 text (byte {exc.start}). Convert it, e.g. iconv -t UTF-8."
        ) from exc


def guess_title(text: str) -> str | None:
    """A short first line without a full stop reads as a headline."""
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    if 0 < len(first) <= 150 and not first.endswith((".", "!", "?")) and "\n" in text.strip():
        return first
    return None


def date_in_name(name: str) -> str | None:
    """The first valid `YYYY-MM-DD` in a file name, e.g. PolNeAR's `nyt_2016-10-30_....txt`."""
    return next((d for m in _NAME_DATE.finditer(name) if (d := iso_date(m.group(1)))), None)


def iso_date(value: str) -> str | None:
    """`value` as an ISO date (YYYY-MM-DD) when it is one (2016-13-45 is not), else None."""
    try:
        return Date.fromisoformat(value.strip()).isoformat()
    except ValueError:
        return None


def _from_html(html: str, path: Path) -> Article:
    import trafilatura  # heavy: imported only for HTML input

    body = trafilatura.extract(html, include_comments=False, include_tables=False)
    if not body or not body.strip():
        raise InputError(f"{path}: no article text found in this HTML page.")
    meta = trafilatura.extract_metadata(html, extensive=False)  # no dates guessed from text
    return Article(
        id=path.stem,
        path=str(path),
        text=body,
        title=meta.title if meta else None,
        date=(meta.date if meta else None) or date_in_name(path.name),
    )


def _load_jsonl(path: Path) -> Iterator[Article]:
    try:
        lines = decode(_read(path), str(path)).splitlines()
    except (InputError, OSError) as exc:
        yield _failed(path.stem, str(path), exc)
        return
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{path}:{n}"
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(f'{where}: each line needs a JSON object with a "text" string.')
            art_id = str(rec.get("id") or f"{path.stem}-{n}")
            date = rec.get("date")
            yield from_text(
                rec["text"],
                id=art_id,
                path=where,
                title=rec.get("title"),
                date=str(date) if date else None,
            )
        except json.JSONDecodeError as exc:
            yield _failed(f"{path.stem}-{n}", where, InputError(f"{where}: not JSON ({exc.msg})."))
        except InputError as exc:
            yield _failed(f"{path.stem}-{n}", where, exc)


def _failed(id: str, path: str, exc: Exception) -> Article:
    if not isinstance(exc, InputError):
        exc = InputError(f"{path}: cannot read it ({exc.__class__.__name__}: {exc}).")
    return Article(id=id, path=path, text="", error=exc)
