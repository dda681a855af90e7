"""`extractor timeline`: each actor's positions on each target in date order, shifts flagged."""

from __future__ import annotations

import argparse
import sys

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extractor.cli.output import output
from extractor.errors import ConfigError
from extractor.results.jsonl import load_runs
from extractor.timeline import Point, Row, Timeline, build_timeline, load_mapping
from extractor.timeline.csvfile import write_csv
from extractor.timeline.page import render_html

HELP = "positions over time across dated articles, with shifts flagged"
EPILOG = """Each row is one canonical actor on one target; its positions come in date order
(article.date: a "date" in JSONL input, an HTML page's date, YYYY-MM-DD in the file name,
or `extract --date`), undated ones apart. Wordings of a target are joined across articles
when rapidfuzz token_set_ratio >= 80 (generic nouns such as "deal" aside); a mapping file
forces or forbids joins:

  [[join]]
  label = "ceasefire"
  wordings = ["30-day ceasefire", "the US-proposed truce", "the ceasefire deal"]
  [[apart]]
  wordings = ["ceasefire", "permanent ceasefire"]

Flags: position changed, condition added or dropped, a conditional position became
unconditional, and two articles of one date that disagree ("same day").
The text view goes to stdout; --html FILE or --csv FILE (- : stdout) instead.

examples:
  extractor timeline out/*.jsonl --actor Putin
  extractor timeline out/*.jsonl --target ceasefire --html timeline.html"""

_STYLE = {"support": "green", "oppose": "red", "neutral": "yellow", "unclear": "dim"}
QUOTE_CHARS = 160  # the text view shortens quotes; CSV and HTML keep them whole


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN", help="JSONL written by `extract`")
    parser.add_argument("--actor", metavar="NAME", help="only actors whose name contains NAME")
    parser.add_argument(
        "--target", metavar="WORDS", help="only targets whose wording contains all these words"
    )
    parser.add_argument("--mapping", metavar="FILE", help="TOML file forcing or forbidding joins")
    fmt = parser.add_mutually_exclusive_group()
    fmt.add_argument("--html", metavar="FILE", help="write the HTML page here (- : stdout)")
    fmt.add_argument("--csv", metavar="FILE", help="one line per position (- : stdout)")
    parser.add_argument("--title", help="the page title (default: stance timeline)")


def run(args: argparse.Namespace) -> int:
    mapping = load_mapping(args.mapping) if args.mapping else None
    results = load_runs(args.runs)
    timeline = build_timeline(results, mapping=mapping, actor=args.actor, target=args.target)
    if args.csv:
        with output(args.csv, "--csv") as out:
            n = write_csv(timeline, out)
        if args.csv != "-":
            print(f"extractor: wrote {args.csv} ({n} positions)", file=sys.stderr)
    elif args.html:
        with output(args.html, "--html") as out:
            out.write(render_html(timeline, title=args.title))
        if args.html != "-":
            print(
                f"extractor: wrote {args.html} ({len(timeline.rows)} rows, "
                f"{len(timeline.shifts)} flags)",
                file=sys.stderr,
            )
    else:
        if args.title:
            raise ConfigError("--title names the HTML page: pass --html FILE with it.")
        print_text(timeline, Console(highlight=False, width=None if sys.stdout.isatty() else 120))
    return 0


def print_text(timeline: Timeline, console: Console) -> None:
    if not timeline.rows:
        console.print(f"timeline: no stances in {timeline.articles} articles (after filters).")
        return
    for row in timeline.rows:
        console.print(_row_table(row))
    flags = timeline.shifts
    console.print(
        f"{len(timeline.rows)} rows, {len(flags)} flags, {timeline.articles} articles "
        f"({timeline.undated_articles} with stances but no date, {timeline.failed} failed)"
    )
    joined = [g for g in timeline.groups if len(g.wordings) > 1]
    if joined:
        console.print("targets joined:")
        for g in joined:
            parts = ", ".join(f"{escape(repr(w))} ({escape(how)})" for w, how in g.joins())
            console.print(f"  {escape(g.label)}: {parts}")


def _row_table(row: Row) -> Table:
    title = f"{escape(row.actor)} on {escape(repr(row.target.label))}"
    if row.shifts:
        title += f"  [bold red]⚑ {len(row.shifts)}[/]"
    out = Table(title=title, title_justify="left", show_header=False, expand=True)
    out.add_column("date", no_wrap=True)
    out.add_column("position", no_wrap=True)
    out.add_column("evidence", ratio=1)
    for p in [*row.points, *row.undated]:
        out.add_row(p.date or "undated", _position(p), _evidence(p))
        for s in row.shifts:
            if s.after == p:
                out.add_row(
                    "",
                    f"[bold red]⚑ {escape(s.kind)}[/]",
                    f"[red]{escape(s.detail)}[/] (vs {escape(s.before.date or '')} "
                    f"[dim]{escape(s.before.article)}[/])",
                )
    return out


def _position(p: Point) -> str:
    mark = "*" if p.conditional else ""
    return f"[{_STYLE[p.position]}]{p.position}{mark}[/] {p.act}"


def _evidence(p: Point) -> str:
    quote = p.quotes[0] if p.quotes else ""
    if len(quote) > QUOTE_CHARS:
        quote = quote[: QUOTE_CHARS - 1] + "…"
    lines = [f"“{escape(quote)}” [dim]{escape(p.article)}[/]"]
    lines += [f"  if {escape(c)}" for c in p.conditions]
    if len(p.quotes) > 1:
        lines.append(f"[dim](+{len(p.quotes) - 1} more quotes)[/]")
    return "\n".join(lines)
