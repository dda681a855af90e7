"""`extractor table`: who is where on what, across all articles of one or more runs."""

from __future__ import annotations

import argparse
import csv
import json
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extractor.reports.table import Entry, StanceTable, build_table
from extractor.results.jsonl import load_runs

HELP = "actor x target matrix of positions across the articles of runs"
EPILOG = """Actors are merged by canonical name, targets grouped by normalized text.
A cell lists each article's position, with the article's date when known; "*" marks a
conditional position (the stance has conditions). A rich table on stdout by default;
--csv (one row per actor) or --json (one cell per actor and target) instead."""

COLUMN_WIDTH = 18  # below this a target column is unreadable: list by target instead
_STYLE = {"support": "green", "oppose": "red", "neutral": "yellow", "unclear": "dim"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN", help="JSONL written by `extract`")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--csv", action="store_true", help="the matrix as CSV on stdout")
    fmt.add_argument("--json", action="store_true", help="the matrix as JSON on stdout")


def run(args: argparse.Namespace) -> int:
    results = load_runs(args.runs)
    table = build_table(results)
    if args.json:
        print(json.dumps(table.as_dict(), indent=2, ensure_ascii=False))
    elif args.csv:
        write_csv(table)
    else:
        console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
        if not table.actors:
            console.print(f"table: no stances in {len(results)} articles.")
        elif len(table.targets) <= max(1, (console.width - 24) // COLUMN_WIDTH):
            console.print(rich_table(table, len(results)))
        else:
            console.print(by_target(table, len(results)))
            console.print(
                f"({len(table.targets)} targets are too many columns for this terminal: "
                "listed by target; --csv gives the matrix)"
            )
        if table.actors:
            console.print("* conditional position: the stance has conditions")
    return 0


def write_csv(table: StanceTable) -> None:
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["actor", *(t.label for t in table.targets)])
    for actor in table.actors:
        out.writerow(
            [
                actor,
                *("; ".join(_plain(e) for e in table.cell(actor, t.label)) for t in table.targets),
            ]
        )


def rich_table(table: StanceTable, articles: int) -> Table:
    out = Table(
        title=f"positions across {articles} articles", title_justify="left", show_lines=True
    )
    out.add_column("actor", style="bold")
    for t in table.targets:
        out.add_column(escape(t.label))
    for actor in table.actors:
        cells = ["\n".join(_styled(e) for e in table.cell(actor, t.label)) for t in table.targets]
        out.add_row(escape(actor), *cells)
    return out


def by_target(table: StanceTable, articles: int) -> Table:
    """The same cells, one row per target and actor: readable however many targets."""
    out = Table(title=f"positions across {articles} articles", title_justify="left")
    for name in ("target", "actor", "positions"):
        out.add_column(name, ratio=1 if name == "actor" else 2)
    for t in table.targets:
        actors = [a for a in table.actors if table.cell(a, t.label)]
        for i, actor in enumerate(actors):
            entries = table.cell(actor, t.label)
            out.add_row(
                escape(t.label) if i == 0 else "",
                escape(actor),
                "\n".join(_styled(e) for e in entries),
                end_section=i == len(actors) - 1,
            )
    return out


def _plain(entry: Entry) -> str:
    return f"{entry.label()} [{entry.article}]"


def _styled(entry: Entry) -> str:
    return f"[{_STYLE[entry.position]}]{escape(entry.label())}[/] [dim]{escape(entry.article)}[/]"
