"""Stances read from the parse, as grounded records.

Every offset comes from the parse's own tokens, so each Evidence is exact by
construction: the stance's evidence is its sentence, a condition's its clause. The actor is
named as the article writes it and canonicalised like every other record's
(`extractor.grounding.actors.canonical_name`).
"""

from __future__ import annotations

from spacy.tokens import Span

from extractor.grounding.actors import canonical_name
from extractor.reading.actors import Holder
from extractor.reading.lexicon import load_lexicon
from extractor.reading.parse import parse
from extractor.reading.stances import ReadStance, read_stances
from extractor.schemas import CONFIDENCE, Actor, Condition, Evidence, Stance


def parsed_stances(text: str, pipeline: str | None = None, language: str = "en") -> list[Stance]:
    """The article's stances as the parse reads them, in text order."""
    doc = parse(text, pipeline)
    return [as_record(r, text) for r in read_stances(doc, load_lexicon(language))]


def as_record(read: ReadStance, text: str) -> Stance:
    conditions = [
        Condition(
            text=c.span.text,
            kind=c.kind,
            required_of=actor_of(c.required_of, text) if c.required_of else None,
            evidence=[evidence_of(c.span)],
        )
        for c in read.conditions
    ]
    return Stance(
        actor=actor_of(read.actor, text),
        target=read.target.text,
        position=read.position,
        act=read.act,
        conditions=conditions,
        evidence=[evidence_of(read.sentence)],
        read_by="parse",
        confidence=CONFIDENCE[_level(read)],
    )


def _level(read: ReadStance) -> str:
    """The confidence level of what read the stance (see `CONFIDENCE`)."""
    for level, flag in (("hedged", read.hedged), ("rated", read.rated), ("deontic", read.deontic)):
        if flag:
            return level
    return "parse"


def actor_of(holder: Holder, text: str) -> Actor:
    """The actor as the article names it, canonicalised like every record's."""
    name = holder.span.text
    return Actor(name=name, canonical=canonical_name(name, text), kind=holder.kind)


def evidence_of(span: Span) -> Evidence:
    """`span` as exact evidence, without its edge whitespace."""
    text = span.text
    stripped = text.strip()
    start = span.start_char + (len(text) - len(text.lstrip()))
    return Evidence(quote=stripped, start=start, end=start + len(stripped), match="exact")
