"""RSS and Atom feeds (feedparser, the `feeds` extra): a feed is a list of articles.

`entries(data, where)` gives each entry's link, title, date (its published date, else
its updated date, as feedparser reads them: ISO YYYY-MM-DD) and its full content when
the feed carries it (Atom `<content>`, RSS `<content:encoded>`; a summary is not the
article). `looks_like_feed` tells a feed from a web page by its media type or, for a
generic XML type or a file, by its root element.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date as Date
from typing import Any

from extractor.errors import InputError
from extractor.inputs.extras import require

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml")
XML_TYPES = ("application/xml", "text/xml", "")
_ROOT = re.compile(rb"<(?:rss|feed|rdf:RDF)[\s>]")


@dataclass(frozen=True)
class Entry:
    link: str | None
    title: str | None
    date: str | None
    content: str | None  # HTML or text of the whole article, when the feed carries it
    content_is_html: bool = True


def looks_like_feed(data: bytes, content_type: str) -> bool:
    if content_type in FEED_TYPES:
        return True
    if content_type not in XML_TYPES:
        return False
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n")
    return bool(_ROOT.search(head)) and b"<html" not in head.lower()


def entries(data: bytes, where: str) -> list[Entry]:
    feedparser = require("feeds", where)
    parsed = feedparser.parse(data)
    if not parsed.entries:
        if parsed.get("bozo"):
            problem = parsed.get("bozo_exception")
            raise InputError(f"{where}: not a readable RSS or Atom feed ({problem}).")
        raise InputError(f"{where}: the feed has no entries; nothing to extract.")
    return [_entry(e) for e in parsed.entries]


def _entry(e: Any) -> Entry:
    content = next((c for c in e.get("content") or [] if (c.get("value") or "").strip()), None)
    when = e.get("published_parsed") or e.get("updated_parsed")
    return Entry(
        link=e.get("link") or None,
        title=(e.get("title") or "").strip() or None,
        date=Date(*when[:3]).isoformat() if when else None,
        content=content["value"] if content else None,
        content_is_html="html" in (content.get("type") or "html") if content else True,
    )
