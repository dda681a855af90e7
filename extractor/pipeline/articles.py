"""Reading articles: .txt, .md, .html, .jsonl, .pdf, .docx, .rss and .atom files,
directories of them, web pages and feeds by URL, and standard input ("-").

Offsets in the output index the text as read here: a text file decoded (UTF-8, or UTF-16
with a byte-order mark), line endings kept as they are in the file. An HTML page's text
(a file or a URL) is the article body that trafilatura extracts; a PDF's or a Word
file's is the text its library extracts (`extractor.inputs.documents`); each article's
`source` says which ("text", "html", "pdf", "docx", or "feed" for a feed entry's own
content), and its offsets index that text. A page fetched by URL keeps the URL as its
`path` and the time it was fetched (`fetched`); how pages are fetched, limited and
cached: `extractor.inputs.web`. A feed (a URL or an .rss/.atom file) is one article per
entry: the entry's link fetched, or its full content when the feed carries it.

Dates (`Article.date`, ISO 8601) come from the input, never guessed from the article's
body: a JSONL line's "date", a feed entry's date, an HTML page's own date (its metadata
and markup: trafilatura with htmldate's text search off), else a `YYYY-MM-DD` in the
file name (as in PolNeAR's `breitbart_2016-10-25_....txt`; not for JSONL, whose lines
are separate articles), else a dateline in a plain text's top lines ("Published 3 May
2024", "WASHINGTON, Oct. 25, 2016 -": `extractor.inputs.dates`). The `extract --date`
option overrides them all. A plain text's title is its first line (up to 150
characters, when more lines follow and it is not the dateline).

A file in a directory that is not an article (another suffix), needs an extra that is
not installed, or is a PDF without a text layer is skipped, and `on_skip` is told why
(default: a warning). A file or URL named on its own whose extra is missing stops the
run with a `ConfigError` saying which `pip install 'extractor[...]'` to run.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import os
import re
import sys
import warnings
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date as Date
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import ConfigError, InputError
from extractor.inputs import dates, documents, extras
from extractor.inputs.documents import Document
from extractor.inputs.documents import decode as decode

if TYPE_CHECKING:
    from extractor.inputs.remote import Item
    from extractor.inputs.web import Fetcher

SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl", ".pdf", ".docx", ".rss", ".atom")
NEEDS = {".pdf": "pdf", ".docx": "docx", ".rss": "feeds", ".atom": "feeds"}  # suffix: extra
STDIN = "-"
_NAME_DATE = re.compile(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)")

OnSkip = Callable[[str, str], None]  # (path, why) of an input that was skipped


@dataclass(frozen=True)
class Article:
    id: str
    path: str
    text: str
    title: str | None = None
    error: InputError | None = None
    date: str | None = None  # publication date when the input says (see the module docstring)
    source: str = "text"  # what the text was extracted from: text, html, pdf, docx, feed
    fetched: str | None = None  # when fetched by URL: ISO 8601 UTC time

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
    """An article of plain text; its title and date, when not given, from its top lines."""
    if not text.strip():
        raise InputError(f"{path}: the article is empty (or only whitespace); nothing to extract.")
    line = dates.dateline(text)
    if title is None and (line is None or line[0] > 0):
        title = guess_title(text)
    if date is None and line is not None:
        date = line[1]
    return Article(id=id, path=path, text=text, title=title, date=date)


def expand(paths: list[str], on_skip: OnSkip | None = None) -> list[Path | str]:
    """The article files named by `paths`, directories searched in sorted order; URLs
    and "-" (standard input) as they are. Files of a directory that are not articles,
    or whose extra is missing, go to `on_skip`."""
    skip = on_skip or _warn
    found: list[Path | str] = []
    for given in paths:
        p = Path(given)
        if given == STDIN or _is_url(given):
            found.append(given)
        elif p.is_dir():
            files, skipped = _walk(p)
            if not files:
                why = "; ".join(sorted({reason for _, reason in skipped}))
                raise ConfigError(
                    f"{given}: no articles here (looked for {', '.join(SUFFIXES)} files)"
                    + (f"; skipped {len(skipped)}: {why}" if skipped else ".")
                )
            for path, reason in skipped:
                skip(str(path), reason)
            found.extend(files)
        elif p.exists():
            if (extra := NEEDS.get(p.suffix.lower())) and extras.missing(extra):
                extras.require(extra, given)  # raises, naming the pip install
            found.append(p)
        else:
            raise ConfigError(f"{given}: no such file or directory. Check the path.")
    return found


def _walk(directory: Path) -> tuple[list[Path], list[tuple[Path, str]]]:
    files: list[Path] = []
    skipped: list[tuple[Path, str]] = []
    for root, dirs, names in os.walk(directory):  # followlinks=False: no symlink loops
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in names:
            if name.startswith("."):
                continue
            path = Path(root) / name
            suffix = path.suffix.lower()
            if suffix not in SUFFIXES:
                skipped.append((path, f"not an article file ({suffix or 'no suffix'})"))
            elif (extra := NEEDS.get(suffix)) and extras.missing(extra):
                skipped.append((path, f"{suffix} needs {extras.install_hint(extra)}"))
            else:
                files.append(path)
    return sorted(files), sorted(skipped)


def load(
    paths: list[str],
    *,
    fetcher: Fetcher | None = None,
    stdin_jsonl: bool = False,
    on_skip: OnSkip | None = None,
) -> Iterator[Article]:
    """Every article under `paths`; one that cannot be read comes back with `error` set.

    URLs are fetched with `fetcher` (default: a `Fetcher()` without a cache, closed at
    the end); "-" reads standard input: one article, or JSONL lines with `stdin_jsonl`.
    """
    skip = on_skip or _warn
    own: Fetcher | None = None
    try:
        for item in expand(paths, skip):
            if isinstance(item, str) and item == STDIN:
                yield from _load_stdin(stdin_jsonl)
            elif isinstance(item, str):
                from extractor.inputs import remote

                fetcher = fetcher or (own := _fetcher())
                yield from _from_items(remote.from_url(item, fetcher), skip)
            else:
                if fetcher is None and item.suffix.lower() in (".rss", ".atom", ".xml"):
                    fetcher = own = _fetcher()  # a feed file's links are fetched
                yield from _load_file(item, fetcher, skip)
    finally:
        if own is not None:
            own.close()


def _fetcher() -> Fetcher:
    from extractor.inputs.web import Fetcher

    return Fetcher()


def _from_items(items: Iterator[Item], skip: OnSkip) -> Iterator[Article]:
    for item in items:
        if isinstance(item.problem, documents.NoTextLayer):
            skip(item.path, str(item.problem).removeprefix(f"{item.path}: "))
        elif item.problem is not None or item.doc is None:
            yield failed(item.id, item.path, item.problem or InputError(f"{item.path}: no text."))
        else:
            try:
                yield from_document(item.doc, id=item.id, path=item.path)
            except InputError as exc:
                yield failed(item.id, item.path, exc)


def from_document(doc: Document, *, id: str, path: str, name: str = "") -> Article:
    """The article of a document read from a file or the web; a plain text's title and
    dateline from its top lines, a missing date from a YYYY-MM-DD in `name`."""
    named = date_in_name(name) if name else None
    if doc.source == "text":
        art = from_text(doc.text, id=id, path=path, title=doc.title, date=doc.date or named)
        return dataclasses.replace(art, fetched=doc.fetched)
    if not doc.text.strip():
        raise InputError(f"{path}: the article is empty (or only whitespace); nothing to extract.")
    return Article(
        id=id,
        path=path,
        text=doc.text,
        title=doc.title or (guess_title(doc.text) if doc.source in ("pdf", "docx") else None),
        date=doc.date or named,
        source=doc.source,
        fetched=doc.fetched,
    )


def _load_file(path: Path, fetcher: Fetcher | None, skip: OnSkip) -> Iterator[Article]:
    suffix = path.suffix.lower()
    if suffix == ".jsonl":
        yield from _load_jsonl(path)
        return
    try:
        data = _read(path)
        if suffix in (".rss", ".atom") or (suffix == ".xml" and _is_feed(data)):
            from extractor.inputs import remote

            assert fetcher is not None  # load() made one for a feed file
            yield from _from_items(remote.from_feed(data, str(path), fetcher, fetched=None), skip)
            return
        if suffix == ".pdf":
            doc = documents.pdf_text(data, str(path))
        elif suffix == ".docx":
            doc = documents.docx_text(data, str(path))
        elif suffix in (".html", ".htm"):
            doc = documents.html_text(decode(data, str(path)), str(path))
        else:
            doc = Document(decode(data, str(path)))
        yield from_document(doc, id=path.stem, path=str(path), name=path.name)
    except documents.NoTextLayer as exc:
        skip(str(path), str(exc).removeprefix(f"{path}: "))
    except (InputError, OSError) as exc:
        yield failed(path.stem, str(path), exc)


def _load_stdin(jsonl: bool) -> Iterator[Article]:
    try:
        text = decode(sys.stdin.buffer.read(), "standard input")
    except InputError as exc:
        yield failed("stdin", STDIN, exc)
        return
    if jsonl:
        yield from _jsonl_lines(text.splitlines(), "stdin", "stdin")
        return
    try:
        yield from_text(text, id="stdin", path=STDIN)
    except InputError as exc:
        yield failed("stdin", STDIN, exc)


def _is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


def _is_feed(data: bytes) -> bool:
    from extractor.inputs.feeds import looks_like_feed

    return looks_like_feed(data, "")


def _warn(path: str, why: str) -> None:
    warnings.warn(f"skipped {path}: {why}", stacklevel=3)


def _read(path: Path) -> bytes:
    """The file's bytes; a FIFO, socket or device is refused (reading a FIFO would wait
    for a writer forever)."""
    if path.exists() and not path.is_file():
        raise InputError(
            f"{path}: not a regular file (a FIFO, socket or device). Pass article files."
        )
    return path.read_bytes()


def guess_title(text: str) -> str | None:
    """The first line, when it is short (a headline may end in "." or "?") and more follow."""
    first = text.strip().split("\n", 1)[0].strip().lstrip("#").strip()
    if 0 < len(first) <= 150 and "\n" in text.strip():
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


def _load_jsonl(path: Path) -> Iterator[Article]:
    try:
        lines = decode(_read(path), str(path)).splitlines()
    except (InputError, OSError) as exc:
        yield failed(path.stem, str(path), exc)
        return
    yield from _jsonl_lines(lines, str(path), path.stem)


def _jsonl_lines(lines: list[str], where_file: str, stem: str) -> Iterator[Article]:
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        where = f"{where_file}:{n}"
        try:
            rec = json.loads(line)
            if not isinstance(rec, dict) or not isinstance(rec.get("text"), str):
                raise InputError(f'{where}: each line needs a JSON object with a "text" string.')
            art_id = str(rec.get("id") or f"{stem}-{n}")
            date = rec.get("date")
            yield from_text(
                rec["text"],
                id=art_id,
                path=where,
                title=rec.get("title"),
                date=str(date) if date else None,
            )
        except json.JSONDecodeError as exc:
            yield failed(f"{stem}-{n}", where, InputError(f"{where}: not JSON ({exc.msg})."))
        except InputError as exc:
            yield failed(f"{stem}-{n}", where, exc)


def failed(id: str, path: str, exc: Exception) -> Article:
    """An article that could not be read: no text, `error` set (an InputError)."""
    if not isinstance(exc, InputError):
        exc = InputError(f"{path}: cannot read it ({exc.__class__.__name__}: {exc}).")
    return Article(id=id, path=path, text="", error=exc)
