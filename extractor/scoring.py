"""Scoring one run article against gold: kept for callers of the first version.

The format lives in extractor/gold.py, the matching rules and metrics in
extractor/evaluate.py (`evaluate` scores whole runs; `extractor eval` prints them).
"""

from __future__ import annotations

from typing import Any

from extractor.evaluate import (
    CLAIM_THRESHOLD,
    CONDITION_THRESHOLD,
    TARGET_THRESHOLD,
    Score,
    actor_matches,
    score_article,
)
from extractor.gold import GoldArticle, load_gold
from extractor.schemas import ArticleResult

__all__ = [
    "CLAIM_THRESHOLD",
    "CONDITION_THRESHOLD",
    "TARGET_THRESHOLD",
    "Score",
    "actor_matches",
    "load_gold",
    "score",
]


def score(result: ArticleResult, gold: GoldArticle, text: str | None) -> dict[str, Any]:
    """{"stances", "conditions", "claims": Score, "grounding": rate or None}."""
    s = score_article(result, gold, text)
    return {
        "stances": s.stances,
        "conditions": s.conditions,
        "claims": s.claims,
        "grounding": s.grounding.rate,
    }
