"""`extractor report`: a run as an HTML page people can read, or as CSV."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from extractor.cli.output import output
from extractor.errors import ConfigError
from extractor.reports.csv_report import write_csv
from extractor.reports.html_report import render_html
from extractor.results.jsonl import load_runs

HELP = "a run as a self-contained HTML page (--html) or CSV (--csv)"
EPILOG = """The HTML page re-reads each article from the path recorded in the run (or from
--text-dir) and highlights the evidence only when the text still has the recorded sha256.

examples:
  extractor report out/seed.jsonl --html report.html
  extractor report out/seed.jsonl --csv - > seed.csv"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN", help="JSONL written by extract")
    parser.add_argument("--html", metavar="FILE", help="write the HTML report here (- : stdout)")
    parser.add_argument(
        "--csv", metavar="FILE", help="write one row per stance or claim (- : stdout)"
    )
    parser.add_argument(
        "--text-dir",
        metavar="DIR",
        help="also look for the articles here (by file name or article id)",
    )
    parser.add_argument("--title", help="the page title (default: extractor report)")


def run(args: argparse.Namespace) -> int:
    if not args.html and not args.csv:
        raise ConfigError("nothing to write: pass --html FILE and/or --csv FILE (- for stdout).")
    if args.html == "-" and args.csv == "-":
        raise ConfigError("--html and --csv cannot both go to stdout; name a file for one.")
    if args.text_dir and not Path(args.text_dir).is_dir():
        raise ConfigError(f"--text-dir {args.text_dir}: not a directory. Check the path.")
    results = load_runs(args.runs)
    if args.csv:
        with output(args.csv, "--csv") as out:
            n = write_csv(results, out)
        if args.csv != "-":
            print(f"extractor: wrote {args.csv} ({n} rows)", file=sys.stderr)
    if args.html:
        report = render_html(results, text_dir=args.text_dir, title=args.title)
        for problem in report.problems:
            print(f"extractor: {problem}", file=sys.stderr)
        with output(args.html, "--html") as out:
            out.write(report.html)
        if args.html != "-":
            print(
                f"extractor: wrote {args.html} ({len(results)} articles, "
                f"{report.highlighted} of {report.evidence} evidence spans highlighted)",
                file=sys.stderr,
            )
    return 0
