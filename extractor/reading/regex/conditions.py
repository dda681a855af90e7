"""Conditions read off the words of the text: conditional clauses and lists of terms.

A small model often sees that a position is conditional and still returns no condition,
or a fragment ("March 11 under specific conditions"). The common ways news text states a
condition are regular enough to find without asking:

- a conditional clause: "if ...", "unless ...", "only if ...", "provided (that) ...",
  "as long as ...", "on condition that ...", and the inverted "should Moscow reject ..."
  (at a sentence's start, or before a name); it ends at a comma, a dash, "then", "but",
  or where the main clause begins without a comma ("if he wins he would ...");
- a list of terms: "Its terms include A, B and C", "the demands are A and B" (each item
  one condition).

Every condition found here is a span of the article (`Evidence` with computed offsets),
cut at the clause's end (a comma, semicolon, dash or the sentence's end), and its
`required_of` is the actor named inside the clause, when exactly one is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.schemas import Actor, Condition, ConditionKind, Evidence

_CLAUSE = re.compile(
    r"\b(?:(?i:only if|if|unless|provided(?: that)?|as long as|so long as|on (?:the )?"
    r"condition (?:that|of))|Should|should(?= (?:the )?[A-Z]))\s+",
)
_CLAUSE_END = re.compile(
    r"\s*(?:[,;:()\"“”?!]|\s[-–—]\s|\.(?:\s|$)|\s(?:then|but|and then)\b"
    # "if he wins he would ...": the main clause begins without a comma
    r"|\s(?:he|she|it|they|we|I|you)\s+(?:would|will|could|should|might|may|can|won[’']t|"
    r"wouldn[’']t)\b)"
)
_TERMS = re.compile(
    r"\b(?:terms|conditions|demands|requirements|preconditions)\s+(?:include|included|"
    r"includes|are|were|would be)\s+",
    re.IGNORECASE,
)
_NOT_A_CONDITION = re.compile(r"^(?:so|not|any|ever|necessary|possible|anything)\b", re.IGNORECASE)
MIN_WORDS = 2
MAX_WORDS = 25

# A callable that names the actor a span mentions ("Russia" in "Russia rejects the
# deal"), or None: supplied by the caller, who knows the article's actors.
ActorIn = Callable[[int, int], Actor | None]


def conditional_clauses(text: str, span: tuple[int, int], actor_in: ActorIn) -> list[Condition]:
    """The conditional clauses of the sentence at `span` ("... if Russia rejects the deal")."""
    out: list[Condition] = []
    start, end = span
    for m in _CLAUSE.finditer(text, start, end):
        stop = _CLAUSE_END.search(text, m.end(), end)
        cut = stop.start() if stop else end
        condition = _condition(text, m.end(), cut, "precondition", actor_in)
        if condition is not None:
            out.append(condition)
    return out


def listed_terms(text: str, span: tuple[int, int], actor_in: ActorIn) -> list[Condition]:
    """The items of a list of terms in the sentence at `span` ("Its terms include a halt
    to the shelling, an exchange of prisoners and the return of ..."): one condition per
    item. Items are cut at commas and semicolons, and at an "and" before an article."""
    m = _TERMS.search(text, *span)
    if m is None:
        return []
    body_end = span[1]
    while body_end > m.end() and text[body_end - 1] in '.!?"” \n':
        body_end -= 1
    out: list[Condition] = []
    cuts = [
        m.end(),
        *(x for sep in _SEPARATOR.finditer(text, m.end(), body_end) for x in sep.span()),
    ]
    cuts.append(body_end)
    for a, b in zip(cuts[::2], cuts[1::2], strict=True):
        tail = re.search(r"\s+(?:which|who|that|while)\b", text[a:b])
        c = _condition(text, a, a + tail.start() if tail else b, "demand", actor_in)
        if c is not None:
            out.append(c)
    return out


_SEPARATOR = re.compile(r",\s*(?:(?:and|or)\s+)?|;\s*|\s+(?:and|or)\s+(?=(?:an?|the|its|their)\s)")


def _condition(
    text: str, start: int, end: int, kind: ConditionKind, actor_in: ActorIn
) -> Condition | None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1] in " \n\t.,;:":
        end -= 1
    quote = text[start:end]
    words = quote.split()
    if not MIN_WORDS <= len(words) <= MAX_WORDS or _NOT_A_CONDITION.match(quote):
        return None
    ev = Evidence(quote=quote, start=start, end=end, match="exact")
    return Condition(text=quote, kind=kind, required_of=actor_in(start, end), evidence=[ev])


__all__ = ["ActorIn", "conditional_clauses", "listed_terms"]
