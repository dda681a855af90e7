"""Compare a run with stored expected output (fixtures): which records were added,
removed or changed, article by article.

Articles are paired by `article.sha256` (when several fixtures have it, the one with the
same strategy, then the same model, wins), falling back to `article.id`. Records are
paired by content, never by list position, so a reordering is not a change:

- stances by (actor canonical, normalized target, position); what is left over is paired
  by (actor canonical, normalized target), which shows a flipped position as a change;
- claims by (claimant canonical, normalized content); left over, by claimant and the
  offsets of the first evidence item, which shows a reworded content as a change.

A pair is "changed" when any other field differs: actor name or kind, target wording,
act, conditions (paired by normalized text), cue, attribution, evidence offsets or quotes.
Article level: `error`, and `warnings` compared as a multiset (their order does not
matter, their text and count do: they say what was dropped and why, part of the output's
contract). `usage` is not compared: a cached rerun of the same run has usage 0.
`model`, `strategy` and `prompt_version` differences are notes, not changes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Literal

from extractor.grounding.merge import normalize_target
from extractor.schemas import ArticleResult, Claim, Condition, Stance

Record = Stance | Claim


@dataclass
class RecordDiff:
    kind: Literal["stance", "claim"]
    status: Literal["added", "removed", "changed"]
    label: str  # "actor | target | position" or "claimant | content"
    changes: list[dict[str, Any]] = field(default_factory=list)  # {field, before, after}
    before: dict[str, Any] | None = None
    after: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"kind": self.kind, "status": self.status, "label": self.label}
        if self.status == "changed":
            out["changes"] = self.changes
        else:
            out["record"] = self.after if self.status == "added" else self.before
        return out


@dataclass
class ArticleDiff:
    id: str
    path: str
    sha256: str
    strategy: str
    status: Literal["same", "changed", "new"]
    records: list[RecordDiff] = field(default_factory=list)
    changes: list[dict[str, Any]] = field(default_factory=list)  # article level: error
    notes: list[str] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(r.status == status for r in self.records)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "path": self.path,
            "sha256": self.sha256,
            "strategy": self.strategy,
            "status": self.status,
            "added": self.count("added"),
            "removed": self.count("removed"),
            "changed": self.count("changed"),
            "records": [r.as_dict() for r in self.records],
            "article_changes": self.changes,
            "notes": self.notes,
        }


@dataclass
class Review:
    articles: list[ArticleDiff]
    not_in_run: list[str]  # fixture articles the run does not cover (not a change)

    @property
    def changed(self) -> bool:
        return any(a.status != "same" for a in self.articles)

    def as_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "articles": [a.as_dict() for a in self.articles],
            "not_in_run": self.not_in_run,
        }


def pair_articles(
    run: Iterable[ArticleResult], fixtures: list[ArticleResult]
) -> list[tuple[ArticleResult, int | None]]:
    """Each run article with the index of its fixture (None when it has none)."""
    free = set(range(len(fixtures)))
    pairs: list[tuple[ArticleResult, int | None]] = []
    for result in run:
        art = result.article
        hit = _best(result, fixtures, [i for i in free if fixtures[i].article.sha256 == art.sha256])
        if hit is None:
            hit = _best(result, fixtures, [i for i in free if fixtures[i].article.id == art.id])
        if hit is not None:
            free.discard(hit)
        pairs.append((result, hit))
    return pairs


def review(run: Iterable[ArticleResult], fixtures: list[ArticleResult]) -> Review:
    pairs = pair_articles(run, fixtures)
    used = {i for _, i in pairs if i is not None}
    diffs = [compare(result, fixtures[i]) if i is not None else _new(result) for result, i in pairs]
    missing = [f"{f.article.id} ({f.strategy})" for i, f in enumerate(fixtures) if i not in used]
    return Review(diffs, missing)


def compare(result: ArticleResult, expected: ArticleResult) -> ArticleDiff:
    art = result.article
    diff = ArticleDiff(art.id, art.path, art.sha256, result.strategy, "same")
    diff.records = _diff_records(
        "stance", expected.stances, result.stances, _stance_key, _stance_loose
    ) + _diff_records("claim", expected.claims, result.claims, _claim_key, _claim_loose)
    before = expected.error.model_dump() if expected.error else None
    after = result.error.model_dump() if result.error else None
    if before != after:
        diff.changes.append({"field": "error", "before": before, "after": after})
    gone = Counter(expected.warnings) - Counter(result.warnings)
    came = Counter(result.warnings) - Counter(expected.warnings)
    if gone or came:
        diff.changes.append(
            {
                "field": "warnings",
                "before": sorted(gone.elements()),
                "after": sorted(came.elements()),
            }
        )
    for name in ("model", "strategy", "prompt_version"):
        old, new = getattr(expected, name), getattr(result, name)
        if old != new:
            diff.notes.append(f"{name}: {old} -> {new}")
    if diff.records or diff.changes:
        diff.status = "changed"
    return diff


def _new(result: ArticleResult) -> ArticleDiff:
    art = result.article
    diff = ArticleDiff(art.id, art.path, art.sha256, result.strategy, "new")
    diff.records = _diff_records("stance", [], result.stances, _stance_key, _stance_loose)
    diff.records += _diff_records("claim", [], result.claims, _claim_key, _claim_loose)
    diff.notes.append("no fixture for this article")
    return diff


def _best(
    result: ArticleResult, fixtures: list[ArticleResult], candidates: list[int]
) -> int | None:
    """Same strategy first, then same model, then file order."""

    def rank(i: int) -> tuple[bool, bool, int]:
        return (fixtures[i].strategy != result.strategy, fixtures[i].model != result.model, i)

    return min(candidates, key=rank, default=None)


def _diff_records(
    kind: Literal["stance", "claim"],
    old: list[Any],
    new: list[Any],
    key: Callable[[Any], tuple[Any, ...]],
    loose: Callable[[Any], tuple[Any, ...]],
) -> list[RecordDiff]:
    pairs, old_left, new_left = _pair(old, new, key)
    loose_pairs, old_left, new_left = _pair(old_left, new_left, loose)
    out = []
    for before, after in pairs + loose_pairs:
        changes = _field_changes(before, after)
        if changes:
            out.append(RecordDiff(kind, "changed", _label(after), changes))
    out += [RecordDiff(kind, "removed", _label(r), before=_dump(r)) for r in old_left]
    out += [RecordDiff(kind, "added", _label(r), after=_dump(r)) for r in new_left]
    return out


def _pair(
    old: list[Any], new: list[Any], key: Callable[[Any], tuple[Any, ...]]
) -> tuple[list[tuple[Any, Any]], list[Any], list[Any]]:
    """Pairs with equal keys (in list order within a key), and what is left on each side."""
    left_new = list(new)
    pairs, left_old = [], []
    for record in old:
        hit = next((n for n in left_new if key(n) == key(record)), None)
        if hit is None:
            left_old.append(record)
        else:
            left_new.remove(hit)
            pairs.append((record, hit))
    return pairs, left_old, left_new


def _stance_key(s: Stance) -> tuple[Any, ...]:
    return (s.actor.canonical.casefold(), normalize_target(s.target), s.position)


def _stance_loose(s: Stance) -> tuple[Any, ...]:
    return (s.actor.canonical.casefold(), normalize_target(s.target))


def _claim_key(c: Claim) -> tuple[Any, ...]:
    return (c.claimant.canonical.casefold(), normalize_target(c.content))


def _claim_loose(c: Claim) -> tuple[Any, ...]:
    return (c.claimant.canonical.casefold(), c.evidence[0].start, c.evidence[0].end)


def _field_changes(before: Record, after: Record) -> list[dict[str, Any]]:
    old, new = _dump(before), _dump(after)
    changes = []
    for name in old:
        if name == "conditions":
            changes += _condition_changes(before.conditions, after.conditions)  # type: ignore[union-attr]
        elif name in ("actor", "claimant"):
            for part in ("name", "kind", "canonical"):
                if old[name][part] != new[name][part]:
                    changes.append(_change(f"{name}.{part}", old[name][part], new[name][part]))
        elif old[name] != new[name]:
            changes.append(_change(name, old[name], new[name]))
    return changes


def _condition_changes(old: list[Condition], new: list[Condition]) -> list[dict[str, Any]]:
    def key(c: Condition) -> tuple[Any, ...]:
        return (normalize_target(c.text),)

    pairs, removed, added = _pair(old, new, key)
    changes = [_change("condition", b.model_dump(), a.model_dump()) for b, a in pairs if a != b]
    changes += [_change("condition", c.model_dump(), None) for c in removed]
    return changes + [_change("condition", None, c.model_dump()) for c in added]


def _change(name: str, before: Any, after: Any) -> dict[str, Any]:
    return {"field": name, "before": before, "after": after}


def _dump(record: Record) -> dict[str, Any]:
    return record.model_dump(mode="json")


def _label(record: Record) -> str:
    if isinstance(record, Stance):
        return f"{record.actor.canonical} | {record.target} | {record.position}"
    content = record.content if len(record.content) <= 60 else record.content[:57] + "..."
    return f"{record.claimant.canonical} | {content}"
