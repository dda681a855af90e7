"""Ground model-supplied quotes and actor names in the article text.

Offsets are always computed here, never taken from the model. For every
returned span, ``text[span.start:span.end]`` is the article's own text
(offsets are ``str`` indices, i.e. characters).

The fuzzy rule for quotes: a span of the text that starts and ends on word edges, is
within 30% of the quote's length, and has ``fuzz.ratio`` >= the threshold (90) against
the normalized quote. Every such span is found: the pre-check that locates candidates
(``partial_ratio_alignment``, same-length windows) uses a cutoff low enough never to
reject a region holding one (see ``_precheck_cutoff``), and the refining step searches
as far either side as such a span can reach. Among exact or normalized occurrences, one
that starts and ends on word edges is preferred ("heart problem" is not taken from inside
"heart problems" when the text also has it whole).
"""

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from rapidfuzz import fuzz

MatchKind = Literal["exact", "normalized", "fuzzy"]

_QUOTES = "\"'`“”„‟‘’‚‛«»‹›"
_EDGE_RE = re.compile(rf"^[\s{_QUOTES}]+|[\s{_QUOTES}]+$")
_TOKEN_RE = re.compile(r"\s+|\S+")
_CHAR_MAP = str.maketrans(
    {
        **{c: '"' for c in "“”„‟«»″"},
        **{c: "'" for c in "‘’‚‛‹›′ʼ"},
        **{c: "-" for c in "‐‑‒–—―−"},
        "…": "...",
    }
)
_MIN_FUZZY_LEN = 12
_FUZZY_LEN_TOLERANCE = 0.3
_TITLES = frozenset({
    "president", "vice", "secretary", "minister", "prime", "envoy", "chancellor", "premier",
    "king", "queen", "prince", "mr", "mrs", "ms", "dr", "sir", "gen", "general", "sen",
    "senator", "rep", "spokesman", "spokeswoman", "spokesperson", "ambassador", "governor",
    "mayor", "chief", "leader", "deputy", "director",
})  # fmt: skip
_STOP_WORDS = _TITLES | {"the", "of", "a", "an", "and", "for", "state", "special", "foreign", "us"}


@dataclass(frozen=True)
class Span:
    """A grounded character span ``[start, end)`` of the article text."""

    start: int
    end: int
    match: MatchKind
    score: float  # 100.0 for exact/normalized; fuzz.ratio of quote vs. span for fuzzy


def _normalize(text: str) -> tuple[str, tuple[int, ...]]:
    """Return the normalized view of ``text`` and each char's original index."""
    out: list[str] = []
    index: list[int] = []
    for m in _TOKEN_RE.finditer(text):
        seg, pos = m.group(), m.start()
        if seg[0].isspace():
            out.append(" ")
            index.append(pos)
            continue
        norm = seg.translate(_CHAR_MAP).casefold()
        if len(norm) == len(seg):
            out.append(norm)
            index.extend(range(pos, pos + len(seg)))
            continue
        for i, ch in enumerate(seg, pos):  # rare: a char expands (…, ß)
            n = ch.translate(_CHAR_MAP).casefold()
            out.append(n)
            index.extend([i] * len(n))
    return "".join(out), tuple(index)


_text_view = lru_cache(maxsize=32)(_normalize)  # articles are grounded many times


def _in_word(ch: str) -> bool:
    """Alphanumeric, and not CJK (unspaced scripts: each char is its own word)."""
    cp = ord(ch)
    cjk = 0x2E80 <= cp <= 0x9FFF or 0xF900 <= cp <= 0xFAFF or cp >= 0x20000
    return ch.isalnum() and not cjk


def _on_edges(s: str, i: int, j: int) -> bool:
    """``s[i:j]`` neither starts nor ends inside a word."""
    starts = not (0 < i < len(s) and _in_word(s[i - 1]) and _in_word(s[i]))
    ends = not (0 < j < len(s) and _in_word(s[j - 1]) and _in_word(s[j]))
    return starts and ends


_EDGE_TRIES = 64  # occurrences looked at for one on word edges before taking the first


def _find_whole(s: str, needle: str, a: int, b: int) -> int:
    """First occurrence of ``needle`` in ``s[a:b]`` on word edges, else the first one."""
    first = i = s.find(needle, a, b)
    for _ in range(_EDGE_TRIES):
        if i < 0 or _on_edges(s, i, i + len(needle)):
            return i if i >= 0 else first
        i = s.find(needle, i + 1, b)
    return first


def _fuzzy_margin(threshold: float) -> float:
    """Largest share of ``len(quote)`` by which an accepted span's length or place can
    differ from the quote's: ratio >= T means indel distance d <= (1 - T/100)(n + m), and
    m <= n(1 + tolerance), so |m - n| <= d <= (1 - T/100)(2 + tolerance) n."""
    return (1 - threshold / 100) * (2 + _FUZZY_LEN_TOLERANCE)


def _precheck_cutoff(threshold: float) -> float:
    """A ``partial_ratio`` cutoff that no region holding an accepted span falls below.

    For an accepted span s (length m) and quote q (length n), the length-n window that
    starts (or ends) where s does differs from s by |m - n| <= d characters at one end, so
    its indel distance to q is at most 2d, and partial_ratio >= 100 (1 - 2d / 2n) =
    100 - 100 * margin. (The same-length check alone stopped "patient heart problems today"
    against "Patient has heart problems today.", ratio 93.3, at 85.7.)
    """
    return max(0.0, 100.0 * (1 - _fuzzy_margin(threshold)))


def _refine(
    norm: str, nq: str, start: int, end: int, threshold: float
) -> tuple[float, int, int] | None:
    """Best ``(fuzz.ratio, start, end)`` near ``norm[start:end]`` on word edges.

    Only spans within the length tolerance of ``nq`` are scored, and only edges as far
    either side as an accepted span can lie from the pre-check's window (``_fuzzy_margin``
    of the quote's length, plus a word), so this stays cheap on long articles.
    """
    n = len(nq)
    slack = max(8, int(n * _fuzzy_margin(threshold)) + 16)

    def edges(a: int, b: int) -> list[int]:
        near = range(max(0, a), min(len(norm), b) + 1)
        return [
            i
            for i in near
            if not (0 < i < len(norm) and _in_word(norm[i - 1]) and _in_word(norm[i]))
        ]

    starts = [i for i in edges(start - slack, start + slack) if i < len(norm) and norm[i] != " "]
    ends = [j for j in edges(end - slack, end + slack) if j > 0 and norm[j - 1] != " "]
    scored = (
        (fuzz.ratio(nq, norm[i:j]), i, j)
        for i in starts
        for j in ends
        if abs(j - i - n) <= n * _FUZZY_LEN_TOLERANCE
    )
    return max(scored, key=lambda t: t[0], default=None)


def _window(text: str, window: tuple[int, int] | None) -> tuple[int, int] | None:
    if window is None:
        return None
    a, b = max(0, window[0]), min(len(text), window[1])
    return (a, b) if a < b else None


# Each quote and name is looked up twice, when the draft is validated (so that instructor
# can re-ask) and again when its record is built: the second lookup is remembered. Entries
# hold their article, so the caches stay small (a few articles' worth).
_REMEMBERED = 1024


def find_quote(
    text: str,
    quote: str,
    *,
    window: tuple[int, int] | None = None,
    fuzzy_threshold: float = 90.0,
) -> Span | None:
    """Locate ``quote`` in ``text``: exact, then normalized, then fuzzy match.

    An occurrence inside ``window`` (article offsets) is preferred; otherwise
    the first occurrence in the whole text wins. Fuzzy matching needs 12+
    normalized chars; the span is snapped to word edges and scored by
    ``fuzz.ratio`` of the normalized quote against it.
    """
    return _find_quote(text, quote, _hashable(window), fuzzy_threshold)


def _hashable(window: tuple[int, int] | None) -> tuple[int, int] | None:
    return None if window is None else (window[0], window[1])  # a list is not hashable


@lru_cache(maxsize=_REMEMBERED)
def _find_quote(
    text: str, quote: str, window: tuple[int, int] | None, fuzzy_threshold: float
) -> Span | None:
    q = _EDGE_RE.sub("", quote)
    if not q:
        return None
    win = _window(text, window)
    ranges = [win, (0, len(text))] if win else [(0, len(text))]

    for a, b in ranges:
        if (i := _find_whole(text, q, a, b)) >= 0:
            return Span(i, i + len(q), "exact", 100.0)

    norm, index = _text_view(text)
    nq = _normalize(q)[0].strip()
    if not nq or not index:
        return None
    nranges = [(bisect_left(index, a), bisect_left(index, b)) for a, b in ranges]
    for a, b in nranges:
        if (j := _find_whole(norm, nq, a, b)) >= 0:
            return Span(index[j], index[j + len(nq) - 1] + 1, "normalized", 100.0)

    if len(nq) < _MIN_FUZZY_LEN:
        return None
    for a, b in nranges:
        if b - a < len(nq) * (1 - _FUZZY_LEN_TOLERANCE):
            continue
        cutoff = _precheck_cutoff(fuzzy_threshold)
        res = fuzz.partial_ratio_alignment(nq, norm[a:b], score_cutoff=cutoff)
        if res is None or res.score < cutoff:
            continue
        best = _refine(norm, nq, a + res.dest_start, a + res.dest_end, fuzzy_threshold)
        if best is not None and best[0] >= fuzzy_threshold:
            score, i, j = best
            return Span(index[i], index[j - 1] + 1, "fuzzy", score)
    return None


def _token_pattern(token: str, acronym: bool) -> str:
    """Regex for one name token: flexible apostrophes/dashes, word boundaries.

    Acronyms match case-sensitively, with or without dots ("US" ~ "U.S.").
    """
    if acronym:
        letters = [c for c in token if c != "."]
        body = f"(?-i:{''.join(letters)}|{''.join(c + '[.]' for c in letters)})"
    else:
        body = "".join(
            "['’ʼ]" if c in "'’ʼ" else "[-‐‑–—]" if c in "-‐‑–—" else re.escape(c) for c in token
        )
    lead = r"(?<!\w)" if _in_word(token[0]) else ""
    trail = r"(?!\w)" if acronym or _in_word(token[-1]) else ""
    return lead + body + trail


def _is_acronym(token: str) -> bool:
    letters = token.replace(".", "")
    return 2 <= len(letters) <= 5 and letters.isalpha() and letters.isupper()


def _is_distinctive(token: str) -> bool:
    if _is_acronym(token):
        return True
    return len(token) >= 3 and token.casefold().rstrip(".") not in _STOP_WORDS


def _search(
    pattern: re.Pattern[str], text: str, win: tuple[int, int] | None
) -> re.Match[str] | None:
    """The match inside the window if there is one, else the first in the whole text."""
    if win is not None and (m := pattern.search(text, win[0], win[1])):
        return m
    return pattern.search(text)


def find_name(text: str, name: str, *, window: tuple[int, int] | None = None) -> Span | None:
    """Locate an actor ``name`` as whole words, else via a distinctive token.

    A full-name match is "exact" (verbatim) or "normalized" (case/whitespace/
    apostrophes differ). A token-only match (e.g. "Putin" for "Vladimir Putin")
    is "fuzzy", scored by the share of the name's characters it covers.
    """
    return _find_name(text, name, _hashable(window))


@lru_cache(maxsize=_REMEMBERED)
def _find_name(text: str, name: str, window: tuple[int, int] | None) -> Span | None:
    tokens = [t.strip(",;:!?()[]" + _QUOTES) for t in name.split()]
    tokens = [re.sub(r"['’ʼ]s?$", "", t) if len(t) > 2 else t for t in tokens]
    tokens = [t for t in tokens if t]
    if not tokens:
        return None
    win = _window(text, window)
    full = r"\s+".join(_token_pattern(t, _is_acronym(t)) for t in tokens)
    if m := _search(re.compile(full, re.IGNORECASE), text, win):
        kind: MatchKind = "exact" if m.group() == " ".join(tokens) else "normalized"
        return Span(m.start(), m.end(), kind, 100.0)

    # Words up to the last title ("US Secretary of State ...") only describe.
    titles = [i for i, t in enumerate(tokens) if t.casefold().rstrip(".") in _TITLES]
    rest = tokens[titles[-1] + 1 :] if titles else tokens
    distinctive = [t for t in rest if _is_distinctive(t)]
    distinctive = distinctive or [t for t in tokens if _is_distinctive(t)]
    # Capitalized words first, then the last one first (surname before first name).
    for tok in sorted(reversed(distinctive), key=lambda t: not t[:1].isupper()):
        pattern = re.compile(_token_pattern(tok, _is_acronym(tok)), re.IGNORECASE)
        if m := _search(pattern, text, win):
            score = round(100.0 * len(tok) / len(" ".join(tokens)), 1)
            return Span(m.start(), m.end(), "fuzzy", score)
    return None
