"""Sentence spans and chunks, as character offsets into the article.

A rule-based splitter is enough for news prose: line breaks end a sentence (headlines and
captions have no full stop), `.`, `!` and `?` end one unless they close a known
abbreviation or sit inside an open quotation.
"""

from __future__ import annotations

import re

Span = tuple[int, int]

_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sen rep gov gen lt col sgt st jr sr inc ltd co corp vs etc jan
    feb mar apr jun jul aug sep sept oct nov dec u.s u.k u.n e.u no
    """.split()
)
_END = re.compile(r"[.!?]+[\"”’)\]]*(?=\s)")
_OPEN_QUOTES = {"“": 1, "”": -1}


def sentences(text: str) -> list[Span]:
    """Spans of the sentences in `text`, without surrounding whitespace."""
    spans: list[Span] = []
    for line in re.finditer(r"[^\n]+", text):
        start = line.start()
        for m in _END.finditer(line.group()):
            end = line.start() + m.end()
            if _is_abbreviation(text, line.start() + m.start()) or _inside_quote(text, start, end):
                continue
            _add(spans, text, start, end)
            start = end
        _add(spans, text, start, line.end())
    return spans


def chunks(text: str, max_chars: int, overlap: int = 1) -> list[Span]:
    """Runs of whole sentences of at most `max_chars` (a longer sentence stands alone),
    each repeating the last `overlap` sentences of the one before it."""
    sents = sentences(text)
    out: list[Span] = []
    i = 0
    while i < len(sents):
        j = i + 1
        while j < len(sents) and sents[j][1] - sents[i][0] <= max_chars:
            j += 1
        out.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        i = max(j - overlap, i + 1)
    return out


def _add(spans: list[Span], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped and any(ch.isalnum() for ch in stripped):
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


def _is_abbreviation(text: str, dot: int) -> bool:
    if text[dot] != ".":
        return False
    word = re.search(r"([\w.]+)$", text[max(0, dot - 12) : dot])
    if not word:
        return False
    token = word.group(1).casefold()
    return token in _ABBREVIATIONS or (len(token) == 1 and token.isalpha())


def _inside_quote(text: str, start: int, end: int) -> bool:
    """True when the sentence so far opened a quotation it has not closed yet."""
    piece = text[start:end]
    straight = piece.count('"')
    curly = sum(_OPEN_QUOTES.get(ch, 0) for ch in piece)
    return straight % 2 == 1 or curly > 0
