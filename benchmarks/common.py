"""One row of the results table."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Row:
    case: str
    figure: str
    target: str
    passed: bool
    note: str = ""
