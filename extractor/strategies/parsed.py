"""The parse's part of an article's records: stances and claims read from its dependency
parse (extractor.reading), joined with the model's (extractor.grounding.confidence), and
the stances below the confidence threshold left out.

`Reading` says whether the parse is read (the `agenda` strategy: the small local model's
vote on a position is close to noise, the parse's is not), with which spaCy pipeline, and
the threshold. Its `key` is part of the results cache's key: another pipeline or threshold
is another result.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from extractor.grounding.confidence import at_least, combine, combine_claims
from extractor.grounding.merge import merge_claims, merge_stances
from extractor.grounding.targets import canonical_targets
from extractor.schemas import Claim, Stance

if TYPE_CHECKING:
    from extractor.reading.article import Read

# The default threshold where the parse is read: model-only stances (CONFIDENCE["model"])
# are left out, parse-read ones and those both found are kept.
DEFAULT_MIN_CONFIDENCE = 0.5


@dataclass(frozen=True)
class Reading:
    parse: bool = False
    pipeline: str | None = None
    min_confidence: float = 0.0
    language: str = "en"

    def key(self) -> str:
        """What the results cache must tell apart (the reading's code and lexicons are in
        the cache's code version already)."""
        if not self.parse:
            return f"none>={self.min_confidence}"
        return f"{self.pipeline or 'default'}:{self.language}>={self.min_confidence}"


def read_parse(reading: Reading, text: str) -> Read | None:
    """The article's parse read for stances and claims, when the reading says so."""
    if not reading.parse:
        return None
    from extractor.reading.article import read_article  # spaCy loads only when read

    return read_article(text, reading.pipeline, reading.language)


def with_parse(
    reading: Reading,
    text: str,
    stances: list[Stance],
    claims: list[Claim],
    read: Read | None = None,
) -> tuple[list[Stance], list[Claim]]:
    """The model's `stances` and `claims` with the parse's joined in (when it is read;
    `read`: already read), the stances thresholded, each with its canonical target."""
    read = read or read_parse(reading, text)
    if read is not None:
        stances = combine(merge_stances(read.stances), stances)
        claims = merge_claims(combine_claims(read.claims, claims))
    return canonical_targets(at_least(stances, reading.min_confidence), text), claims
