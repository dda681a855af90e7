"""A hand-written article, run and gold for the review / eval / table tests.

Everything here is made up by hand for the tests (no model produced it); offsets are
computed from TEXT, so every evidence item is grounded unless a test breaks one on purpose.
"""

from __future__ import annotations

import hashlib
from typing import Any

from extractor.schemas import (
    Actor,
    ArticleInfo,
    ArticleResult,
    Claim,
    Condition,
    Evidence,
    Stance,
)

TEXT = (
    "City council split on tram plan\n\n"
    "Mayor Ana Lopez said on Monday she supports the tram extension, but only if the state "
    "pays half the cost and a noise study is finished first. "
    '"We will build it," Lopez said. The transport union opposes the tram extension. '
    "Councillor Ben Okafor warned that the budget cannot absorb another project.\n"
)
SHA = hashlib.sha256(TEXT.encode("utf-8")).hexdigest()

LOPEZ = Actor(name="Ana Lopez", canonical="Ana Lopez", kind="person")
UNION = Actor(name="transport union", canonical="transport union", kind="organization")
OKAFOR = Actor(name="Ben Okafor", canonical="Ben Okafor", kind="person")


def ev(quote: str) -> Evidence:
    start = TEXT.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")


def run(
    *, id: str = "tram", date: str | None = None, text_sha: str = SHA, path: str = "tram.txt"
) -> ArticleResult:
    """Stances: Lopez (conditional support, right), the union (position wrong), Okafor
    (target not in gold). Claims: Lopez (right), Okafor's words given to Lopez (wrong)."""
    return ArticleResult(
        article=ArticleInfo(
            id=id,
            path=path,
            sha256=text_sha,
            title="City council split on tram plan",
            date=date,
            chars=len(TEXT),
        ),
        stances=[
            Stance(
                actor=LOPEZ,
                target="the tram extension",
                position="support",
                act="statement",
                conditions=[
                    Condition(
                        text="the state pays half the cost",
                        kind="precondition",
                        required_of=Actor(name="state", canonical="state", kind="government"),
                        evidence=[ev("only if the state pays half the cost")],
                    )
                ],
                evidence=[ev("Mayor Ana Lopez said on Monday she supports the tram extension")],
            ),
            Stance(
                actor=UNION,
                target="tram extension",
                position="support",
                act="statement",
                evidence=[ev("The transport union opposes the tram extension.")],
            ),
            Stance(
                actor=OKAFOR,
                target="budget",
                position="oppose",
                act="warning",
                evidence=[ev("the budget cannot absorb another project")],
            ),
        ],
        claims=[
            Claim(
                claimant=LOPEZ,
                content="We will build it.",
                cue="said",
                attribution="direct",
                evidence=[ev('"We will build it," Lopez said.')],
            ),
            Claim(
                claimant=LOPEZ,
                content="The budget cannot absorb another project.",
                cue="warned",
                attribution="indirect",
                evidence=[ev("Councillor Ben Okafor warned that the budget cannot absorb")],
            ),
        ],
        model="hand-written",
        strategy="sentences",
        prompt_version="hand",
    )


def gold() -> dict[str, Any]:
    """3 stances (2 conditions), 2 claims, as a person would annotate TEXT."""
    return {
        "article": {"id": "tram", "sha256": SHA, "path": "tram.txt"},
        "annotator": "hand-written for the tests",
        "stances": [
            {
                "actor": ["Ana Lopez", "Lopez", "Mayor Ana Lopez"],
                "target": "tram extension",
                "position": "support",
                "conditions": [
                    {"text": "the state pays half the cost", "kind": "precondition"},
                    {"text": "a noise study is finished first", "kind": "precondition"},
                ],
            },
            {"actor": "transport union", "target": "tram extension", "position": "oppose"},
            {"actor": ["Ben Okafor"], "target": "another spending project", "position": "oppose"},
        ],
        "claims": [
            {"claimant": ["Ana Lopez", "Lopez"], "content": "We will build it."},
            {
                "claimant": ["Ben Okafor", "Okafor"],
                "content": "The budget cannot absorb another project.",
            },
        ],
    }
