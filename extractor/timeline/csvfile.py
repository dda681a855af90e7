"""The timeline as CSV: one line per point (an article's position of an actor on a
target), rows in the timeline's order, points in date order, undated last.

`target` is the joined label, `wording` the article's own; `shifts` lists the flags this
point ends ("position: support -> oppose since 2016-10-20 (article-id)"), `;`-separated.
"""

from __future__ import annotations

import csv
from typing import TextIO

from extractor.timeline.points import Point
from extractor.timeline.rows import Row, Timeline

COLUMNS = [
    "actor",
    "target",
    "wording",
    "date",
    "position",
    "conditional",
    "conditions",
    "act",
    "quote",
    "article",
    "title",
    "shifts",
]


def write_csv(timeline: Timeline, out: TextIO) -> int:
    """Writes the CSV; returns the number of lines after the header."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    n = 0
    for row in timeline.rows:
        for point in [*row.points, *row.undated]:
            writer.writerow(_line(row, point))
            n += 1
    return n


def _line(row: Row, p: Point) -> list[str]:
    ends = [s for s in row.shifts if s.after == p]
    return [
        row.actor,
        row.target.label,
        p.wording,
        p.date or "",
        p.position,
        "yes" if p.conditional else "no",
        "; ".join(p.conditions),
        p.act,
        " … ".join(p.quotes),
        p.article,
        p.title or "",
        "; ".join(f"{s.kind}: {s.detail} since {s.before.date} ({s.before.article})" for s in ends),
    ]
