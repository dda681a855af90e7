"""What the parse read and what the model answered, joined into one list of stances.

A parse-read stance that the model also gave (same canonical actor, same position, a
shared evidence sentence or a similar target) becomes one record read by both: the parse's
target and offsets, the union of evidence and conditions, confidence "parse+model". The
rest keep what found them. `at_least` keeps the stances at or above a confidence.

Claims join by sentence: where the parse read who says what in a sentence, its claims
stand for that sentence and the model's claims of it go; the model's claims of other
sentences stay (`combine_claims`).
"""

from __future__ import annotations

from rapidfuzz import fuzz

from extractor.grounding.merge import (
    TARGET_SIMILARITY,
    normalize_target,
    union_conditions,
    union_evidence,
)
from extractor.schemas import CONFIDENCE, Claim, Stance


def combine(parsed: list[Stance], answered: list[Stance]) -> list[Stance]:
    """Parse-read and model-answered stances of one article, joined (see the module)."""
    out = [s.model_copy() for s in parsed]
    for m in answered:
        same = next((p for p in out if p.read_by != "model" and _agree(p, m)), None)
        if same is None:
            out.append(m.model_copy(update={"read_by": "model", "confidence": CONFIDENCE["model"]}))
            continue
        same.evidence = union_evidence(same.evidence, m.evidence)
        same.conditions = union_conditions(same.conditions, m.conditions)
        same.read_by = "parse+model"
        same.confidence = CONFIDENCE["parse+model"]
    return sorted(out, key=lambda s: s.evidence[0].start)


def combine_claims(parsed: list[Claim], answered: list[Claim]) -> list[Claim]:
    """Parse-read and model-answered claims of one article, joined (see the module)."""
    read = [(e.start, e.end) for c in parsed for e in c.evidence]

    def overlaps_read(m: Claim) -> bool:
        return any(e.start < end and start < e.end for e in m.evidence for start, end in read)

    kept = [m for m in answered if not overlaps_read(m)]
    return sorted([*parsed, *kept], key=lambda c: c.evidence[0].start)


def at_least(stances: list[Stance], threshold: float) -> list[Stance]:
    """The stances whose confidence reaches `threshold`."""
    return [s for s in stances if s.confidence >= threshold]


def _agree(p: Stance, m: Stance) -> bool:
    if p.actor.canonical != m.actor.canonical or p.position != m.position:
        return False
    sentences = {(e.start, e.end) for e in p.evidence}
    inside = any(any(s <= e.start and e.end <= t for s, t in sentences) for e in m.evidence)
    similar = (
        fuzz.token_set_ratio(normalize_target(p.target), normalize_target(m.target))
        >= TARGET_SIMILARITY
    )
    return inside or similar
