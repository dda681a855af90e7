"""Whether a name, quote or target the model gave is in the article: the checks the drafts
run while they validate (so instructor re-asks) and that grounding runs again on the last
answer. Locating the strings themselves is `extractor.grounding.locate`.
"""

from __future__ import annotations

import functools
import os.path
import re

from extractor.grounding.actors import TITLE_WORDS, canonical_name
from extractor.grounding.locate import Span, find_name, find_quote

Window = tuple[int, int] | None


def problems(
    text: str,
    *,
    names: list[str],
    quotes: list[str],
    window: Window,
    targets: tuple[str, ...] = (),
    strict: bool = False,
) -> list[str]:
    """Why these names, quotes and targets are not grounded; empty when they all are."""
    found = [
        f"target {t!r} is not about anything in the text: name the proposal in the text's words"
        for t in targets
        if not target_in_text(text, t)
    ]
    found += [
        f"actor {n!r} is not named in the text: use a name the text uses, or omit the record"
        for n in names
        if name_span(text, n, window, strict) is None
    ]
    found += [
        f"quote {q!r} is not in the article: copy the article's words exactly"
        for q in quotes
        if find_quote(text, q, window=window) is None
    ]
    return found


_STOP = frozenset(
    """
    the and for with from that this its their into over
    """.split()
)


@functools.lru_cache(maxsize=1024)  # asked when validating and again when grounding
def target_in_text(text: str, target: str) -> bool:
    """At least half of the target's content words occur in the text (as word starts, so
    "sanctions" finds "sanction"); guards against targets the model made up."""
    words = [w for w in re.findall(r"[^\W\d_]{3,}", target.casefold()) if w not in _STOP]
    if not words:
        return False
    seen = sum(bool(re.search(rf"\b{re.escape(w[:6])}", text, re.IGNORECASE)) for w in words)
    return seen * 2 >= len(words)


_WORD = re.compile(r"[^\W\d_][\w'-]*")


def target_problem(text: str, target: str, actors: tuple[str, ...] = ()) -> str | None:
    """Why `target` is no proposal of this text, or None. Dropped: words the text does not
    have ("politikulitevrozniakiego": fragments a small model glues together), and a
    target that is one of the actors ("Marco Rubio support 'US Secretary of State Marco
    Rubio'"), a pronoun ("him"), a passage too long to name a proposal, and a phrase cut
    at a joining word ("and negotiate", "a no-fly zone and")."""
    if " ".join(target.split()).casefold() in PRONOUNS:
        return f"target {target!r} is a pronoun, not the name of a proposal"
    if all(w.casefold().rstrip(".") in _TITLES for w in target.split()):
        return f"target {target!r} is a title, not the name of a proposal"
    if not target_in_text(text, target):
        return f"target {target!r} is not in the article"
    fragments = [w for w in _WORD.findall(target) if len(w) > 3 and not _word_in(w, text)]
    if fragments:
        return f"target {target!r}: {', '.join(map(repr, fragments))} is not a word of the text"
    if is_an_actor(text, target, actors):
        return f"target {target!r} is an actor, not a proposal"
    words = target.split()
    if len(words) > MAX_TARGET_WORDS:
        return f"target {target!r} is a passage ({len(words)} words), not the name of a proposal"
    if _CUT.search(target):
        return f"target {target!r} is a cut phrase (it begins or ends with a joining word)"
    return None


def is_an_actor(text: str, phrase: str, actors: tuple[str, ...]) -> bool:
    """Is the phrase one of the actors, by canonical name ("Rubio", "Marco Rubio")?"""
    who = canonical_name(phrase, text).casefold()
    return any(a and who == canonical_name(a, text).casefold() for a in actors)


MAX_TARGET_WORDS = 14
_TITLES = {t.rstrip(".") for t in TITLE_WORDS}
_JOINING = r"(?:and|or|but|nor|of|to|for|with|by|from|in|on|at|as|than|that|which|who)"
_CUT = re.compile(rf"^\s*{_JOINING}\b|\b(?:{_JOINING}|the|a|an)\s*[,;:]?\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _word_in(word: str, text: str) -> bool:
    """`word` is a word of the text, or shares most of its beginning with one ("restoring"
    and "restore"; not "regroupmente" and "regroup")."""
    w = word.casefold()
    for m in re.finditer(rf"\b{re.escape(w[:4])}[\w'-]*", text, re.IGNORECASE):
        other = m.group().casefold()
        common = len(os.path.commonprefix([w, other]))  # noqa: RUF071 - strings, on purpose
        if common >= 0.6 * max(len(w), len(other)):
            return True
    return False


PRONOUNS = frozenset(
    """
    i we you he she it they him her them his its their who this that
    """.split()
)
MAX_NAME_WORDS = 8


def name_span(text: str, name: str | None, window: Window, strict: bool) -> Span | None:
    """Where the article names this actor; with `strict`, only inside the window.
    A pronoun or a whole clause is not a name, even when the article contains it."""
    words = (name or "").split()
    if name is None or len(words) > MAX_NAME_WORDS or " ".join(words).casefold() in PRONOUNS:
        return None
    if not words:
        return None
    if not strict or window is None:
        return find_name(text, name, window=window)
    span = find_name(text[window[0] : window[1]], name)
    return span and Span(span.start + window[0], span.end + window[0], span.match, span.score)
