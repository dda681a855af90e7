"""A point of the timeline: one article's position of an actor on a joined target."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Condition:
    text: str
    kind: str
    quote: str  # the first evidence quote


@dataclass(frozen=True)
class Point:
    actor: str  # canonical name
    names: tuple[str, ...]  # as the article writes the actor
    wording: str  # the target as this article words it (the first stance's)
    position: str
    act: str
    conditions: tuple[str, ...]
    condition_details: tuple[Condition, ...]
    quotes: tuple[str, ...]
    article: str  # article id
    title: str | None
    date: str | None  # YYYY-MM-DD, or None
    path: str

    @property
    def conditional(self) -> bool:
        return bool(self.conditions)
