"""Finding an article's text again, for checks that need it (grounding, PolNeAR spans).

A run keeps the article's path as given and the SHA-256 of its text, not the text. The
text is read again the way `extractor extract` read it and accepted only when its SHA-256
is the one recorded, so offsets index the same string.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

from extractor import articles
from extractor.errors import ConfigError


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
