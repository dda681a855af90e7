"""What a URL or a feed holds, as `Item`s: a page by URL, and a feed's entries
(`extractor.pipeline.articles` turns each into an `Article`).

A fetched page is read by its media type: HTML (trafilatura, as an HTML file), an RSS
or Atom feed (one item per entry), PDF or DOCX (as such files), plain text; another type
is a `fetch_failed` item saying so. Each item keeps the URL as its `path` (a feed entry:
its link), the time the page was fetched, and an `id` made of the URL's host and path
plus a short hash of the whole URL (stable across runs). A feed entry's title and date
are the feed's; its text is its full content when the feed carries it (`source`
"feed"), else its link fetched.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import urlsplit

from extractor.errors import InputError
from extractor.inputs import documents, feeds
from extractor.inputs.documents import Document
from extractor.inputs.web import Fetcher, FetchError, Page

HTML_TYPES = ("text/html", "application/xhtml+xml")
TEXT_TYPES = ("text/plain", "text/markdown")
PDF_TYPE = "application/pdf"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class Item:
    """One article read from the web: its document, or the InputError that stopped it
    (a `documents.NoTextLayer` is a skip, not an article)."""

    id: str
    path: str
    doc: Document | None = None
    problem: InputError | None = None


def url_id(url: str) -> str:
    """`example.org-news-story-1a2b3c4d`: readable, and unique per URL."""
    parts = urlsplit(url)
    slug = re.sub(r"[^A-Za-z0-9]+", "-", f"{parts.netloc}{parts.path}").strip("-")[:80]
    return f"{slug}-{hashlib.sha256(url.encode('utf-8')).hexdigest()[:8]}"


def from_url(url: str, fetcher: Fetcher) -> Iterator[Item]:
    try:
        page = fetcher.get(url)
        if feeds.looks_like_feed(page.body, page.content_type):
            yield from from_feed(page.body, url, fetcher, fetched=page.fetched)
            return
        yield Item(url_id(url), url, doc=read_page(page, url))
    except InputError as exc:
        yield Item(url_id(url), url, problem=exc)


def from_feed(data: bytes, where: str, fetcher: Fetcher, *, fetched: str | None) -> Iterator[Item]:
    """One item per entry of the feed in `data` (read from `where`)."""
    try:
        entries = feeds.entries(data, where)
    except InputError as exc:
        yield Item(url_id(where), where, problem=exc)
        return
    for n, entry in enumerate(entries, 1):
        path = entry.link or f"{where}#{n}"
        try:
            doc = _content(entry, path)
            if doc is not None:
                doc = dataclasses.replace(doc, fetched=fetched)
            elif entry.link is None:
                raise InputError(f"{path}: the feed entry has neither content nor a link.")
            else:
                doc = read_page(fetcher.get(entry.link), path)
            doc = dataclasses.replace(
                doc, title=entry.title or doc.title, date=entry.date or doc.date
            )
            yield Item(url_id(path), path, doc=doc)
        except InputError as exc:
            yield Item(url_id(path), path, problem=exc)


def _content(entry: feeds.Entry, path: str) -> Document | None:
    """A feed entry's own full content, or None when it has none (or only a fragment in
    which trafilatura finds no article: then its link is fetched)."""
    if not entry.content or not entry.content.strip():
        return None
    if not entry.content_is_html:
        return Document(entry.content, source="feed")
    page = f"<html><body><article>{entry.content}</article></body></html>"
    try:
        doc = documents.html_text(page, path)
    except InputError:
        return None
    return Document(doc.text, source="feed")


def read_page(page: Page, path: str) -> Document:
    kind = page.content_type
    if kind in HTML_TYPES or (not kind and page.body.lstrip()[:1] == b"<"):
        doc = documents.html_text(page.body, path, url=page.final_url)
    elif kind == PDF_TYPE:
        doc = documents.pdf_text(page.body, path)
    elif kind == DOCX_TYPE:
        doc = documents.docx_text(page.body, path)
    elif kind in TEXT_TYPES or not kind:
        doc = Document(documents.decode(page.body, path))
    else:
        raise FetchError(
            f"{path}: the server sent {kind}, not an article (HTML, a feed, PDF, DOCX or "
            "plain text)."
        )
    return dataclasses.replace(doc, fetched=page.fetched)
