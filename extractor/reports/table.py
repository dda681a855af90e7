"""Across articles: an actor x target matrix of positions.

Actors are merged by canonical name. Targets are grouped by their normalized text
(`merge.normalize_target`): a target joins the first group whose first member has a
rapidfuzz token_set_ratio of at least TARGET_SIMILARITY with it (the same threshold that
merges stances within an article); a group is labelled by its most frequent wording.
A cell lists one entry per article that gives the actor a position on the target; an
entry is conditional when its stance has conditions. Rows and columns are ordered by how
many entries they hold, then by name.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from extractor.grounding.merge import TARGET_SIMILARITY, normalize_target
from extractor.schemas import ArticleResult


@dataclass(frozen=True)
class Entry:
    position: str
    conditional: bool
    article: str  # article id
    title: str | None
    date: str | None
    conditions: tuple[str, ...] = ()

    def label(self) -> str:
        mark = "*" if self.conditional else ""
        return f"{self.position}{mark} ({self.date})" if self.date else f"{self.position}{mark}"

    def as_dict(self) -> dict[str, Any]:
        return {
            "position": self.position,
            "conditional": self.conditional,
            "conditions": list(self.conditions),
            "article": self.article,
            "title": self.title,
            "date": self.date,
        }


@dataclass
class TargetGroup:
    label: str
    key: str  # normalized text of the first member
    wordings: Counter[str] = field(default_factory=Counter)


@dataclass
class StanceTable:
    actors: list[str]
    targets: list[TargetGroup]
    cells: dict[tuple[str, str], list[Entry]]  # (actor, target label) -> entries

    def cell(self, actor: str, target: str) -> list[Entry]:
        return self.cells.get((actor, target), [])

    def as_dict(self) -> dict[str, Any]:
        return {
            "actors": self.actors,
            "targets": [{"label": t.label, "wordings": sorted(t.wordings)} for t in self.targets],
            "cells": [
                {"actor": a, "target": t, "entries": [e.as_dict() for e in entries]}
                for (a, t), entries in self.cells.items()
            ],
        }


def build_table(results: Iterable[ArticleResult]) -> StanceTable:
    groups: list[TargetGroup] = []
    raw: list[tuple[str, TargetGroup, Entry]] = []
    for result in results:
        art = result.article
        for s in result.stances:
            group = _group_for(s.target, groups)
            group.wordings[s.target] += 1
            conditions = tuple(c.text for c in s.conditions)
            entry = Entry(s.position, bool(conditions), art.id, art.title, art.date, conditions)
            raw.append((s.actor.canonical, group, entry))
    for g in groups:
        g.label = min(g.wordings, key=lambda w: (-g.wordings[w], len(w), w))
    cells: dict[tuple[str, str], list[Entry]] = {}
    for actor, group, entry in raw:
        entries = cells.setdefault((actor, group.label), [])
        if entry not in entries:
            entries.append(entry)
    for entries in cells.values():
        entries.sort(key=lambda e: (e.date or "", e.article))
    actor_counts = Counter(a for (a, _), entries in cells.items() for _ in entries)
    target_counts = Counter(t for (_, t), entries in cells.items() for _ in entries)
    actors = sorted(actor_counts, key=lambda a: (-actor_counts[a], a.casefold()))
    groups.sort(key=lambda g: (-target_counts[g.label], g.label.casefold()))
    return StanceTable(actors, groups, dict(sorted(cells.items())))


def _group_for(target: str, groups: list[TargetGroup]) -> TargetGroup:
    key = normalize_target(target)
    for g in groups:
        if fuzz.token_set_ratio(key, g.key) >= TARGET_SIMILARITY:
            return g
    groups.append(TargetGroup(label=target, key=key))
    return groups[-1]
