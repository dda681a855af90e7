"""Evidence spans of an article laid out as nested highlight elements.

Several records may share a span (the sentence strategy gives every record of a sentence
that sentence as evidence) or overlap partly. Every evidence item becomes one element;
spans that merely nest stay nested. When two spans cross, the inner one is closed at the
outer one's end and reopened right after as a continuation (`cont`), so each evidence item
has exactly one head element and its parts, read in order, spell its quote.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from extractor.schemas import ArticleResult, Evidence

RecordKind = Literal["stance", "condition", "claim"]


@dataclass(frozen=True)
class EvidenceRef:
    id: str  # unique in the report, e.g. "a0-e3"
    record: str  # the record it supports, e.g. "a0-s1", "a0-s1-c0", "a0-c2"
    kind: RecordKind
    position: str  # the stance's position; "claim" for claims
    label: str  # one line shown on hover
    evidence: Evidence


@dataclass(frozen=True)
class Token:
    kind: Literal["text", "open", "close"]
    text: str = ""
    ref: EvidenceRef | None = None
    cont: bool = False  # the rest of a span that a crossing span split


def evidence_refs(result: ArticleResult, prefix: str) -> list[EvidenceRef]:
    """Every evidence item of the article's stances, conditions and claims, in order."""
    refs: list[EvidenceRef] = []

    def add(
        record: str, kind: RecordKind, position: str, label: str, items: list[Evidence]
    ) -> None:
        for ev in items:
            refs.append(EvidenceRef(f"{prefix}-e{len(refs)}", record, kind, position, label, ev))

    for i, s in enumerate(result.stances):
        stance = f"{s.actor.canonical}: {s.position} on {s.target!r} ({s.act})"
        add(f"{prefix}-s{i}", "stance", s.position, f"stance: {stance}", s.evidence)
        for j, c in enumerate(s.conditions):
            of = f" (of {c.required_of.canonical})" if c.required_of else ""
            label = f"condition [{c.kind}]{of}: {c.text!r} on {stance}"
            add(f"{prefix}-s{i}-c{j}", "condition", s.position, label, c.evidence)
    for i, cl in enumerate(result.claims):
        label = f"claim: {cl.claimant.canonical} {cl.cue or '-'}: {cl.content!r} ({cl.attribution})"
        add(f"{prefix}-c{i}", "claim", "claim", label, cl.evidence)
    return refs


def misplaced(text: str, refs: list[EvidenceRef]) -> list[EvidenceRef]:
    """Items whose offsets do not slice their quote out of `text` (or are empty)."""
    return [
        r
        for r in refs
        if not (0 <= r.evidence.start < r.evidence.end <= len(text))
        or text[r.evidence.start : r.evidence.end] != r.evidence.quote
    ]


def layout(text: str, refs: list[EvidenceRef]) -> list[Token]:
    """`text` as text runs and open/close tokens; every ref must slice its quote out of text."""
    order = {r.id: n for n, r in enumerate(refs)}

    def outer_first(r: EvidenceRef) -> tuple[int, int]:  # longer spans outside, then by order
        return (-r.evidence.end, order[r.id])

    starts: dict[int, list[EvidenceRef]] = {}
    for r in refs:
        starts.setdefault(r.evidence.start, []).append(r)
    bounds = sorted(
        {0, len(text)} | {r.evidence.start for r in refs} | {r.evidence.end for r in refs}
    )
    tokens: list[Token] = []
    stack: list[EvidenceRef] = []
    for here, nxt in zip(bounds, [*bounds[1:], None], strict=True):
        ending = [n for n, r in enumerate(stack) if r.evidence.end == here]
        reopen: list[EvidenceRef] = []
        if ending:
            for r in reversed(stack[ending[0] :]):
                tokens.append(Token("close", ref=r))
                if r.evidence.end > here:
                    reopen.append(r)
            del stack[ending[0] :]
        opening = [(r, True) for r in reopen] + [(r, False) for r in starts.get(here, [])]
        for r, cont in sorted(opening, key=lambda item: outer_first(item[0])):
            tokens.append(Token("open", ref=r, cont=cont))
            stack.append(r)
        if nxt is not None and nxt > here:
            tokens.append(Token("text", text[here:nxt]))
    tokens.extend(Token("close", ref=r) for r in reversed(stack))
    return tokens
