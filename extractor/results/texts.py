"""Finding an article's text again: run lines hold offsets and a SHA-256, not the text.

`find_text` (evaluation: grounding, PolNeAR spans) returns the text with the recorded
SHA-256 among candidate paths, or None. `TextFinder` (reports) also says why not:

The text is re-read from `article.path` (for JSONL input, `file.jsonl:LINE`) exactly as
`extract` read it, and must have the recorded sha256; otherwise the offsets may point
anywhere, so the report shows the article without highlights and says why. A page read
by URL is re-read from the page cache (`pages`), never fetched again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from extractor.errors import ConfigError
from extractor.inputs.web import Fetcher, is_url
from extractor.pipeline import articles
from extractor.schemas import ArticleInfo

_JSONL_LINE = re.compile(r"^(?P<file>.+\.jsonl):(?P<line>\d+)$", re.IGNORECASE)

Status = Literal["ok", "missing", "changed"]


@dataclass(frozen=True)
class ArticleText:
    status: Status
    text: str | None  # the text when found: verified when ok, as it is now when changed
    problem: str | None = None  # one line for the user when not ok


@dataclass
class TextFinder:
    """Looks for each article's file (its recorded path, or by name in `text_dir`)."""

    text_dir: Path | None = None
    pages: Path | None = None  # the page cache `extract` filled, for articles read by URL
    _cache: dict[Path, list[articles.Article]] = field(default_factory=dict)

    def find(self, info: ArticleInfo) -> ArticleText:
        changed: str | None = None
        texts = (
            [self._read_url(info.path)]
            if is_url(info.path)
            else (self._read(candidate, line) for candidate, line in self._candidates(info))
        )
        for text in texts:
            if text is None:
                continue
            if articles.Article(id=info.id, path=info.path, text=text).sha256 == info.sha256:
                return ArticleText("ok", text)
            changed = changed or text
        where = f" or in {self.text_dir}" if self.text_dir else ""
        if changed is not None:
            return ArticleText(
                "changed",
                changed,
                f"{info.path}: the article changed since the run (sha256 differs); "
                "shown without highlights. Re-run extract on it, or pass --text-dir with "
                "the original.",
            )
        hint = "" if self.text_dir else " Pass --text-dir DIR where the articles are."
        return ArticleText(
            "missing",
            None,
            f"{info.path}: article not found{where}; its records are listed without "
            f"highlights.{hint}",
        )

    def _candidates(self, info: ArticleInfo) -> list[tuple[Path, int | None]]:
        m = _JSONL_LINE.match(info.path)
        given = Path(m["file"]) if m else Path(info.path)
        line = int(m["line"]) if m else None
        found = [(given, line)]
        if self.text_dir is not None:
            found[:0] = [(self.text_dir / given, line), (self.text_dir / given.name, line)]
            found += [
                (p, None)
                for p in sorted(self.text_dir.glob(f"{_glob_escape(info.id)}.*"))
                if p.suffix.lower() in articles.SUFFIXES and p.suffix.lower() != ".jsonl"
            ]
        return found

    def _read_url(self, url: str) -> str | None:
        if self.pages is None or not self.pages.is_file():
            return None
        with Fetcher(cache=self.pages, offline=True) as pages:
            found = list(articles.load([url], fetcher=pages, on_skip=lambda *_: None))
        return next((a.text for a in found if a.error is None and a.path == url), None)

    def _read(self, path: Path, line: int | None) -> str | None:
        if not path.is_file():
            return None
        if path not in self._cache:  # a JSONL file is read once for all its articles
            try:
                self._cache[path] = list(articles.load([str(path)]))
            except ConfigError:
                self._cache[path] = []
        for article in self._cache[path]:
            if article.error is None and (line is None or _line_of(article.path) == line):
                return article.text
        return None


def _line_of(path: str) -> int | None:
    m = _JSONL_LINE.match(path)
    return int(m["line"]) if m else None


def _glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


def find_text(sha256: str, candidates: Iterable[str | Path | None]) -> str | None:
    """The text with this SHA-256 among the candidate article paths, or None."""
    for candidate in candidates:
        if not candidate:
            continue
        path = Path(re.sub(r":\d+$", "", str(candidate)))  # JSONL articles are "file:line"
        if not path.is_file():
            continue
        try:
            for article in articles.load([str(path)]):
                if article.error is None and article.sha256 == sha256:
                    return article.text
        except ConfigError:
            continue
    return None
