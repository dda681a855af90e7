"""The CSV report: one row per stance or claim, conditions joined, offsets kept.

`evidence_start`/`evidence_end`/`evidence_quote` are the record's first evidence item;
`evidence_spans` lists all of them as `start-end` separated by spaces. Conditions are
joined with " | ", each as `text [kind; of Actor]`, their spans in `condition_spans`.
A stance's `target_canonical` is the article's one name for its target (its own words in
runs made before canonical targets); a claim leaves it empty.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import TextIO

from extractor.schemas import Actor, ArticleResult, Condition, Evidence

COLUMNS = [
    "article_id",
    "article_path",
    "record",
    "index",
    "actor",
    "actor_canonical",
    "actor_kind",
    "target_or_content",
    "target_canonical",
    "position",
    "act",
    "cue",
    "attribution",
    "conditions",
    "condition_count",
    "condition_spans",
    "evidence_start",
    "evidence_end",
    "evidence_quote",
    "evidence_match",
    "evidence_spans",
    "model",
    "strategy",
]


def rows(results: list[ArticleResult]) -> Iterator[dict[str, str | int]]:
    for r in results:
        for i, s in enumerate(r.stances):
            yield _row(r, "stance", i, s.actor, s.target, s.evidence, s.conditions) | {
                "target_canonical": s.canonical_target or s.target,
                "position": s.position,
                "act": s.act,
            }
        for i, c in enumerate(r.claims):
            yield _row(r, "claim", i, c.claimant, c.content, c.evidence, []) | {
                "cue": c.cue or "",
                "attribution": c.attribution,
            }


def _row(
    r: ArticleResult,
    record: str,
    index: int,
    who: Actor,
    target_or_content: str,
    evidence: list[Evidence],
    conditions: list[Condition],
) -> dict[str, str | int]:
    """The columns a stance and a claim share; each adds its own (empty here)."""
    return {
        "article_id": r.article.id,
        "article_path": r.article.path,
        "record": record,
        "index": index,
        "actor": who.name,
        "actor_canonical": who.canonical,
        "actor_kind": who.kind,
        "target_or_content": target_or_content,
        "target_canonical": "",
        "position": "",
        "act": "",
        "cue": "",
        "attribution": "",
        "conditions": " | ".join(_condition(c) for c in conditions),
        "condition_count": len(conditions),
        "condition_spans": _spans([e for c in conditions for e in c.evidence]),
        **_evidence(evidence),
        "model": r.model,
        "strategy": r.strategy,
    }


def write_csv(results: list[ArticleResult], stream: TextIO) -> int:
    """Write the header and one row per stance or claim; returns the number of rows."""
    writer = csv.DictWriter(stream, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    n = 0
    for row in rows(results):
        writer.writerow(row)
        n += 1
    return n


def _condition(c: Condition) -> str:
    of = f"; of {c.required_of.canonical}" if c.required_of else ""
    return f"{c.text} [{c.kind}{of}]"


def _spans(items: list[Evidence]) -> str:
    return " ".join(f"{e.start}-{e.end}" for e in items)


def _evidence(items: list[Evidence]) -> dict[str, str | int]:
    first = items[0] if items else None
    return {
        "evidence_start": first.start if first else "",
        "evidence_end": first.end if first else "",
        "evidence_quote": first.quote if first else "",
        "evidence_match": first.match if first else "",
        "evidence_spans": _spans(items),
    }
