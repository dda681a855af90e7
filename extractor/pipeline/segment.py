"""Sentence spans and chunks, as character offsets into the article.

A rule-based splitter is enough for news prose: line breaks end a sentence (headlines and
captions have no full stop), `.`, `!` and `?` end one unless they close a known
abbreviation or sit inside an open quotation.

Long articles are cut into chunks of whole sentences by a token budget (`token_chunks`).
Tokens are estimated, not counted: UTF-8 bytes / 4, which is about 4 characters per token
for English (real tokenizers give 4 to 4.5) and errs on the safe side for Cyrillic
(2 bytes per character) and CJK (3 bytes, about 1 token per character).
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


def approx_tokens(text: str) -> int:
    """The estimated number of tokens a model sees for `text` (UTF-8 bytes / 4)."""
    return (len(text.encode("utf-8")) + 3) // 4


def token_chunks(text: str, max_tokens: int, overlap_tokens: int = 0) -> list[Span]:
    """Runs of whole sentences of at most `max_tokens` (estimated), covering the text. Each
    chunk repeats the last sentence of the one before it, and more of its last sentences
    while they fit in `overlap_tokens`, so a stance told across a boundary is seen whole.
    A sentence longer than the budget is cut at whitespace."""
    sents = split_long(text, sentences(text), max_tokens)
    # bytes up to each sentence start / end, so a run's size is a subtraction
    starts, ends, total, pos = [], [], 0, 0
    for a, b in sents:
        total += len(text[pos:a].encode("utf-8"))
        starts.append(total)
        total += len(text[a:b].encode("utf-8"))
        ends.append(total)
        pos = b

    def tokens(i: int, j: int) -> int:  # sentences i..j inclusive
        return (ends[j] - starts[i] + 3) // 4

    out: list[Span] = []
    i = 0
    while i < len(sents):
        j = i + 1
        while j < len(sents) and tokens(i, j) <= max_tokens:
            j += 1
        out.append((sents[i][0], sents[j - 1][1]))
        if j >= len(sents):
            break
        k = j - 1 if j - 1 > i else j  # one sentence of overlap, unless that would stall
        while k - 1 > i and tokens(k - 1, j - 1) <= overlap_tokens:
            k -= 1
        i = k
    return out


def split_long(text: str, spans: list[Span], max_tokens: int) -> list[Span]:
    """`spans` with any span over `max_tokens` cut into pieces at whitespace."""
    out: list[Span] = []
    for a, b in spans:
        while approx_tokens(text[a:b]) > max_tokens:
            end = a + max_tokens * 4  # characters; fewer when they take several bytes
            while end > a + 1 and approx_tokens(text[a:end]) > max_tokens:
                end = a + (end - a) * 3 // 4
            space = text.rfind(" ", a + (end - a) // 2, end)
            cut = space if space > a else end
            _add(out, text, a, cut)
            a = cut
            while a < b and text[a].isspace():
                a += 1
        _add(out, text, a, b)
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
