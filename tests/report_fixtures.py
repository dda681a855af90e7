"""Hand-made runs for the report tests (not model output): a short article written for
these tests, with a literal `<script>` in its text and records whose evidence spans are
identical, nested and crossing. Offsets are computed from the text, never typed in.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from extractor.schemas import (
    Actor,
    ArticleInfo,
    ArticleResult,
    Claim,
    Condition,
    Evidence,
    Stance,
)

HOSTILE_TEXT = (
    "Ministers <script>alert(1)</script> met in Geneva on Monday & Tuesday.\n"
    '"We support the truce if the shelling stops," Minister Ana Lind said. '
    "Lind added that talks would resume in May.\n"
    "The Opposition rejected the plan.\n"
)


def ev(text: str, quote: str, after: str = "") -> Evidence:
    """The evidence item for the first `quote` in `text` at or after `after`."""
    start = text.index(quote, text.index(after) if after else 0)
    return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")


def hostile_result(path: Path) -> ArticleResult:
    """Writes HOSTILE_TEXT to `path` and returns a hand-made result for it."""
    path.write_text(HOSTILE_TEXT, encoding="utf-8")
    t = HOSTILE_TEXT
    lind = Actor(name="Ana Lind", canonical="Ana Lind", kind="person")
    opposition = Actor(name="Opposition", canonical="The Opposition", kind="group")
    sentence = '"We support the truce if the shelling stops," Minister Ana Lind said.'
    stances = [
        Stance(
            actor=Actor(name="Ministers", canonical="Ministers", kind="group"),
            target="meeting <b>in Geneva</b>",
            position="neutral",
            act="statement",
            evidence=[ev(t, "Ministers <script>alert(1)</script> met in Geneva")],
        ),
        Stance(
            actor=lind,
            target="the truce",
            position="support",
            act="statement",
            conditions=[
                Condition(
                    text="the shelling stops",
                    kind="precondition",
                    required_of=opposition,
                    evidence=[ev(t, "if the shelling stops")],  # nested in the sentence
                )
            ],
            evidence=[ev(t, sentence)],
        ),
        Stance(  # the same sentence as evidence, as the sentence strategy produces
            actor=lind,
            target="talks in May",
            position="unclear",
            act="pledge",
            evidence=[ev(t, sentence)],
        ),
        Stance(
            actor=opposition,
            target="the plan",
            position="oppose",
            act="statement",
            evidence=[ev(t, "The Opposition rejected the plan.")],
        ),
    ]
    claims = [
        Claim(  # crosses the end of the sentence above
            claimant=Actor(name="Lind", canonical="Ana Lind", kind="person"),
            content="Talks would resume in May.",
            cue="added",
            attribution="indirect",
            evidence=[ev(t, "Lind said. Lind added that talks would resume in May.")],
        )
    ]
    return ArticleResult(
        article=ArticleInfo(
            id=path.stem,
            path=str(path),
            sha256=hashlib.sha256(t.encode("utf-8")).hexdigest(),
            title="Hand-made: <script>alert(1)</script> in the text",
            chars=len(t),
        ),
        stances=stances,
        claims=claims,
        model="hand-made",
        strategy="sentences",
        prompt_version="none",
        warnings=["dropped stance ('<img src=x onerror=alert(2)>' on 'x'): not in the article"],
    )


def evidence_count(result: ArticleResult) -> int:
    return sum(
        len(s.evidence) + sum(len(c.evidence) for c in s.conditions) for s in result.stances
    ) + sum(len(c.evidence) for c in result.claims)
