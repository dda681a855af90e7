"""Score a run against hand-written gold records, with rules a reader can predict.

Gold format (JSONL, one article per line): `article` (`id`, `sha256`), `stances` (each with
`actor`: a list of names and aliases, `target`, `position`, `conditions`: list of
`{text, kind, required_of}`), `claims` (`claimant`: aliases, `content`, `cue`,
`attribution`). Matching: an actor matches when its name or canonical name equals one of
the aliases (case-insensitive); a target when rapidfuzz's token_set_ratio of the
normalized texts is at least TARGET_THRESHOLD; positions exactly. Conditions are matched
only inside matched stances; claims by claimant and content similarity. Each gold record
matches at most one extracted record (greedy, in order).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from extractor.merge import normalize_target
from extractor.schemas import Actor, ArticleResult

TARGET_THRESHOLD = 60.0
CONDITION_THRESHOLD = 60.0
CLAIM_THRESHOLD = 50.0


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict[str, float | int]:
        return {
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


def load_gold(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def actor_matches(actor: Actor, aliases: list[str]) -> bool:
    names = {a.casefold() for a in aliases}
    return actor.name.casefold() in names or actor.canonical.casefold() in names


def score(result: ArticleResult, gold: dict[str, Any], text: str) -> dict[str, Any]:
    stances, conditions, claims = Score(), Score(), Score()
    stances.predicted, stances.gold = len(result.stances), len(gold["stances"])
    conditions.predicted = sum(len(s.conditions) for s in result.stances)
    conditions.gold = sum(len(g["conditions"]) for g in gold["stances"])
    free = list(result.stances)
    for g in gold["stances"]:
        hit = next(
            (
                s
                for s in free
                if actor_matches(s.actor, g["actor"])
                and s.position == g["position"]
                and _similar(
                    normalize_target(s.target), normalize_target(g["target"]), TARGET_THRESHOLD
                )
            ),
            None,
        )
        if hit is None:
            continue
        free.remove(hit)
        stances.matched += 1
        left = list(hit.conditions)
        for gc in g["conditions"]:
            c = next(
                (
                    c
                    for c in left
                    if _similar(c.text, gc["text"], CONDITION_THRESHOLD)
                    or any(_similar(e.quote, gc["text"], CONDITION_THRESHOLD) for e in c.evidence)
                ),
                None,
            )
            if c is not None:
                left.remove(c)
                conditions.matched += 1
    claims.predicted, claims.gold = len(result.claims), len(gold["claims"])
    free_claims = list(result.claims)
    for g in gold["claims"]:
        hit = next(
            (
                c
                for c in free_claims
                if actor_matches(c.claimant, g["claimant"])
                and _similar(c.content, g["content"], CLAIM_THRESHOLD)
            ),
            None,
        )
        if hit is not None:
            free_claims.remove(hit)
            claims.matched += 1
    return {
        "stances": stances,
        "conditions": conditions,
        "claims": claims,
        "grounding": grounding_rate(result, text),
    }


def grounding_rate(result: ArticleResult, text: str) -> float:
    """Share of evidence items whose offsets slice exactly their quote out of `text`."""
    items = [e for s in result.stances for e in s.evidence]
    items += [e for s in result.stances for c in s.conditions for e in c.evidence]
    items += [e for c in result.claims for e in c.evidence]
    if not items:
        return 1.0
    return sum(text[e.start : e.end] == e.quote for e in items) / len(items)


def _similar(a: str, b: str, threshold: float) -> bool:
    return fuzz.token_set_ratio(a.casefold(), b.casefold()) >= threshold
