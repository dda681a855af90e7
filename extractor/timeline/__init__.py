"""The stance timeline: who took which position on what, and when, across dated articles.

Reads runs (`ArticleResult`s) and nothing below it imports it. `targets` joins the
wordings of a proposal across articles (fuzzy rule plus the user's mapping file), `rows`
lays each actor's positions (`points`) on each joined target in date order, `shifts` flags where a
position or its conditions changed, `page` renders the HTML page and `csvfile` the CSV.
"""

from extractor.timeline.points import Point
from extractor.timeline.rows import Row, Timeline, build_timeline
from extractor.timeline.shifts import Shift, find_shifts
from extractor.timeline.targets import Mapping, TargetGroup, join_targets, load_mapping

__all__ = [
    "Mapping",
    "Point",
    "Row",
    "Shift",
    "TargetGroup",
    "Timeline",
    "build_timeline",
    "find_shifts",
    "join_targets",
    "load_mapping",
]
