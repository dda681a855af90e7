"""Merge records that say the same thing (from overlapping chunks or neighbouring
sentences): same canonical actor, similar target, same position."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from extractor.schemas import Claim, Condition, Evidence, Stance

TARGET_SIMILARITY = 80.0  # rapidfuzz token_set_ratio on normalized targets
CONTENT_SIMILARITY = 90.0


def normalize_target(target: str) -> str:
    words = re.sub(r"[^\w\s-]", " ", target.casefold()).split()
    return " ".join(w for w in words if w not in {"the", "a", "an", "to", "of"})


def merge_stances(stances: list[Stance]) -> list[Stance]:
    merged: list[Stance] = []
    for s in stances:
        same = next((m for m in merged if _same_stance(m, s)), None)
        if same is None:
            merged.append(s.model_copy())  # shallow: merging reassigns lists
            continue
        same.evidence = union_evidence(same.evidence, s.evidence)
        same.conditions = union_conditions(same.conditions, s.conditions)
        if s.confidence > same.confidence:  # what found it best speaks for the merged record
            same.read_by, same.confidence = s.read_by, s.confidence
    return sorted(merged, key=lambda s: s.evidence[0].start)


def merge_claims(claims: list[Claim]) -> list[Claim]:
    merged: list[Claim] = []
    for c in claims:
        same = next((m for m in merged if _same_claim(m, c)), None)
        if same is None:
            merged.append(c.model_copy())
        else:
            same.evidence = union_evidence(same.evidence, c.evidence)
    return sorted(merged, key=lambda c: c.evidence[0].start)


def _same_stance(a: Stance, b: Stance) -> bool:
    return (
        a.actor.canonical == b.actor.canonical
        and a.position == b.position
        and fuzz.token_set_ratio(normalize_target(a.target), normalize_target(b.target))
        >= TARGET_SIMILARITY
    )


def _same_claim(a: Claim, b: Claim) -> bool:
    if a.claimant.canonical != b.claimant.canonical:
        return False
    spans = {(e.start, e.end) for e in a.evidence}
    return any((e.start, e.end) in spans for e in b.evidence) or (
        fuzz.token_set_ratio(a.content.casefold(), b.content.casefold()) >= CONTENT_SIMILARITY
    )


def union_evidence(a: list[Evidence], b: list[Evidence]) -> list[Evidence]:
    seen = {(e.start, e.end) for e in a}
    return sorted([*a, *(e for e in b if (e.start, e.end) not in seen)], key=lambda e: e.start)


def union_conditions(a: list[Condition], b: list[Condition]) -> list[Condition]:
    out = list(a)
    for c in b:
        spans = {(e.start, e.end) for e in c.evidence}
        if not any(
            spans & {(e.start, e.end) for e in o.evidence}
            or fuzz.token_set_ratio(o.text.casefold(), c.text.casefold()) >= CONTENT_SIMILARITY
            for o in out
        ):
            out.append(c)
    return out
