"""The timeline's rows: each canonical actor on each joined target, positions in date order.

A point is one article's position of an actor on a target: the stances of one article
with the same actor, joined target and position become one point (their conditions and
evidence quotes together). An article's date is `article.date` when it starts with an ISO
date (YYYY-MM-DD); other articles are undated, kept in the row but apart from the axis.
Failed articles add nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from extractor.pipeline.articles import iso_date
from extractor.schemas import ArticleResult, Stance
from extractor.timeline.points import Condition, Point
from extractor.timeline.shifts import Shift, find_shifts
from extractor.timeline.targets import Mapping, TargetGroup, join_key, join_targets


@dataclass
class Row:
    actor: str
    target: TargetGroup
    points: list[Point]  # dated, in date order
    undated: list[Point]
    shifts: list[Shift] = field(default_factory=list)

    def flagged(self, point: Point) -> list[Shift]:
        return [s for s in self.shifts if point in (s.before, s.after)]


@dataclass
class Timeline:
    rows: list[Row]
    groups: list[TargetGroup]  # every joined target (before filtering rows)
    dates: list[str]  # the distinct dates of the rows' points, in order
    articles: int
    undated_articles: int  # articles with stances but no date
    failed: int

    @property
    def shifts(self) -> list[Shift]:
        return [s for r in self.rows for s in r.shifts]


def build_timeline(
    results: Iterable[ArticleResult],
    *,
    mapping: Mapping | None = None,
    actor: str | None = None,
    target: str | None = None,
) -> Timeline:
    """Rows for every actor and joined target; `actor` keeps the rows whose canonical
    name contains it, `target` those whose wordings contain all of its words (case aside).
    Targets are joined over all stances, so a filter never changes a join."""
    results = list(results)
    stances = [(i, s) for i, r in enumerate(results) if r.error is None for s in r.stances]
    groups = join_targets([(s.target, s.canonical_target) for _, s in stances], mapping)
    group_of = {key: n for n, g in enumerate(groups) for key in g.members}
    # (actor, group) -> (result, position) -> stances; results by index, as two runs may
    # hold articles with the same id
    cells: dict[tuple[str, int], dict[tuple[int, str], list[Stance]]] = {}
    for i, s in stances:
        cell = cells.setdefault(
            (s.actor.canonical, group_of[join_key(s.target, s.canonical_target, mapping)]), {}
        )
        cell.setdefault((i, s.position), []).append(s)
    rows = []
    for (name, n), cell in cells.items():
        group = groups[n]
        points = [_point(results[i], same) for (i, _), same in cell.items()]
        dated = sorted((p for p in points if p.date), key=lambda p: (p.date or "", p.article))
        row = Row(name, group, dated, [p for p in points if not p.date])
        row.shifts = find_shifts(dated)
        rows.append(row)
    rows = [r for r in rows if _wanted(r, actor, target)]
    size = {
        a: sum(len(r.points) + len(r.undated) for r in rows if r.actor == a)
        for a in {r.actor for r in rows}
    }
    rows.sort(
        key=lambda r: (
            -size[r.actor],
            r.actor.casefold(),
            -len(r.points),
            r.target.label.casefold(),
        )
    )
    dated_ids = {r.article.id for r in results if _date(r)}
    return Timeline(
        rows=rows,
        groups=groups,
        dates=sorted({p.date for r in rows for p in r.points if p.date}),
        articles=len(results),
        undated_articles=sum(1 for r in results if r.stances and r.article.id not in dated_ids),
        failed=sum(1 for r in results if r.error is not None),
    )


def _date(result: ArticleResult) -> str | None:
    given = result.article.date
    return iso_date(given[:10]) if given else None


def _point(result: ArticleResult, stances: list[Stance]) -> Point:
    first = stances[0]
    conditions: dict[str, Condition] = {}
    for s in stances:
        for c in s.conditions:
            quote = c.evidence[0].quote if c.evidence else ""
            conditions.setdefault(c.text.casefold(), Condition(c.text, c.kind, quote))
    quotes = dict.fromkeys(e.quote for s in stances for e in s.evidence)
    art = result.article
    return Point(
        actor=first.actor.canonical,
        names=tuple(dict.fromkeys(s.actor.name for s in stances)),
        wording=first.target,
        position=first.position,
        act=first.act,
        conditions=tuple(c.text for c in conditions.values()),
        condition_details=tuple(conditions.values()),
        quotes=tuple(quotes),
        article=art.id,
        title=art.title,
        date=_date(result),
        path=art.path,
    )


def _wanted(row: Row, actor: str | None, target: str | None) -> bool:
    if actor and actor.casefold() not in row.actor.casefold():
        return False
    if target:
        words = target.casefold().split()
        texts = [w.casefold() for w in [row.target.label, *row.target.wordings]]
        return any(all(word in t for word in words) for t in texts)
    return True
