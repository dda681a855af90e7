"""Flags on one row (an actor on a joined target): where a position or its conditions changed.

The points of a row are compared date by date. Each point of a date is compared with one
point of the row's previous date: the one with the same position when there is one (a
restatement is not a shift), else the first. A comparison flags:

- "position": the position changed (support -> oppose, unclear -> support, ...);
- with the same position, "unconditional": the earlier point had conditions, this one has
  none (a conditional yes became a plain yes); "condition added" / "condition dropped":
  a condition of one has no counterpart in the other: no condition there whose key has
  a rapidfuzz token_set_ratio of CONDITION_SIMILARITY or more with its key. A key is the
  condition's words without function words, each cut to its first four letters (a crude
  stemmer): "the minimum flow is guaranteed" matches "Kestria guarantees a minimum flow
  for farmers downstream" (all of "flow guar mini" is in the other);
- "same day": two articles of one date give the actor different positions (two outlets
  reporting differently, or a reversal within the day).

Undated points are never compared: without a date there is no before and after.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import groupby
from typing import Literal

from rapidfuzz import fuzz

from extractor.timeline.points import Point

ShiftKind = Literal["position", "unconditional", "condition added", "condition dropped", "same day"]
CONDITION_SIMILARITY = 80.0
STEM = 4  # letters kept of each word of a condition
FUNCTION_WORDS = frozenset(
    """a an the of to for and or nor is are was were be been being must will would should
    shall can could may might has have had if only unless once when then that this these
    those it its on in at by with as from into about not no""".split()
)


@dataclass(frozen=True)
class Shift:
    kind: ShiftKind
    before: Point
    after: Point
    detail: str  # "support -> oppose", "added: the shelling stops", ...


def find_shifts(points: list[Point]) -> list[Shift]:
    """The flags of one row; `points` may come in any order, undated ones are skipped."""
    dated = sorted((p for p in points if p.date), key=lambda p: (p.date, p.article))
    shifts: list[Shift] = []
    previous: list[Point] = []
    for _, day_points in groupby(dated, key=lambda p: p.date):
        today = list(day_points)
        shifts += _same_day(today)
        if previous:
            for point in today:
                before = next((p for p in previous if p.position == point.position), previous[0])
                shifts += compare(before, point)
        previous = today
    return _unique(shifts)


def compare(before: Point, after: Point) -> list[Shift]:
    """What changed from `before` to `after` (empty: a restatement)."""
    if before.position != after.position:
        return [Shift("position", before, after, f"{before.position} -> {after.position}")]
    if before.conditions and not after.conditions:
        return [Shift("unconditional", before, after, f"{after.position}, now without conditions")]
    added = _missing(after.conditions, before.conditions)
    dropped = _missing(before.conditions, after.conditions)
    out = []
    if added:
        out.append(Shift("condition added", before, after, "added: " + "; ".join(added)))
    if dropped:
        out.append(Shift("condition dropped", before, after, "dropped: " + "; ".join(dropped)))
    return out


def _same_day(today: list[Point]) -> list[Shift]:
    out = []
    for i, a in enumerate(today):
        for b in today[i + 1 :]:
            if a.article != b.article and a.position != b.position:
                out.append(Shift("same day", a, b, f"{a.position} and {b.position} on {a.date}"))
    return out


def condition_key(text: str) -> str:
    """The words that say what a condition asks, stemmed; see the module docstring."""
    words = re.findall(r"\w+", text.casefold())
    kept = {w[:STEM] for w in words if w not in FUNCTION_WORDS}
    return " ".join(sorted(kept)) or text.casefold()


def _missing(conditions: tuple[str, ...], others: tuple[str, ...]) -> list[str]:
    """The conditions with no counterpart among `others`."""
    keys = [condition_key(o) for o in others]
    return [
        c
        for c in conditions
        if not any(fuzz.token_set_ratio(condition_key(c), k) >= CONDITION_SIMILARITY for k in keys)
    ]


def _unique(shifts: list[Shift]) -> list[Shift]:
    """One flag per kind, change and pair of articles (several stances of one article on
    the same target would otherwise repeat it)."""
    seen: set[tuple[str, str, str, str]] = set()
    out = []
    for s in shifts:
        key = (s.kind, s.detail, s.before.article, s.after.article)
        if key not in seen:
            seen.add(key)
            out.append(s)
    return out
