"""One parse of an article, read for its stances and its claims."""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from extractor.reading.claims import read_claims, stance_claims
from extractor.reading.lexicon import load_lexicon
from extractor.reading.parse import parse
from extractor.reading.records import as_record
from extractor.reading.stances import read_stances
from extractor.schemas import Claim, Stance


@dataclass(frozen=True)
class Read:
    stances: list[Stance]
    claims: list[Claim]
    doc: Doc  # the parse, for a strategy that asks about its sentences


def read_article(text: str, pipeline: str | None = None, language: str = "en") -> Read:
    """The article's stances and claims as its parse reads them, in text order."""
    doc = parse(text, pipeline)
    lexicon = load_lexicon(language)
    read = read_stances(doc, lexicon)
    claims = read_claims(doc, lexicon)
    claims = sorted(
        [*claims, *stance_claims(read, claims, text)], key=lambda c: c.evidence[0].start
    )
    return Read([as_record(r, text) for r in read], claims, doc)
