"""`extractor eval`: precision, recall and F1 of a run against gold, or against PolNeAR."""

from __future__ import annotations

import argparse
import json
import sys

from rich.console import Console
from rich.table import Table

from extractor.errors import ConfigError
from extractor.evaluation.evaluate import ArticleScore, Evaluation, Score, evaluate
from extractor.evaluation.gold import load_gold
from extractor.evaluation.polnear import PolnearEvaluation, evaluate_polnear
from extractor.results.jsonl import load_runs
from extractor.results.texts import find_text
from extractor.schemas import ArticleResult

HELP = "score a run against gold annotations or PolNeAR attributions"
EPILOG = """examples:
  extractor eval out/seed.jsonl --gold tests/fixtures/seed.gold.jsonl
  extractor eval --polnear ../shared/benchmarks/polnear-test run.jsonl --json
Runs are matched to gold (or PolNeAR texts) by the sha256 of the article text.
Matching rules: extractor/evaluate.py and extractor/polnear.py."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN", help="JSONL written by `extract`")
    parser.add_argument(
        "--gold",
        action="append",
        default=[],
        metavar="PATH",
        help="gold JSONL file or directory of them (repeatable)",
    )
    parser.add_argument(
        "--polnear",
        metavar="DIR",
        help="score claims against PolNeAR (DIR with text/, attributions/)",
    )
    parser.add_argument(
        "--annotator", help="PolNeAR annotator id to prefer (default: first in sorted order)"
    )
    parser.add_argument(
        "--texts",
        action="append",
        default=[],
        metavar="DIR",
        help="where to look for article texts for the grounding check, besides the paths "
        "in the run and the gold (repeatable)",
    )
    parser.add_argument("--json", action="store_true", help="the scores as JSON on stdout")


def run(args: argparse.Namespace) -> int:
    if not args.gold and not args.polnear:
        raise ConfigError("say what to score against: --gold FILE (repeatable) or --polnear DIR.")
    results = load_runs(args.runs)
    out: dict[str, object] = {}
    # the data on stdout: the tables, or with --json the JSON (and the tables on stderr)
    stream = sys.stderr if args.json else sys.stdout
    console = Console(file=stream, highlight=False, width=None if stream.isatty() else 160)
    if args.gold:
        gold = [g for path in args.gold for g in load_gold(path)]
        evaluation = evaluate(results, gold, lambda r, g: _text(r, g.article.path, args.texts))
        console.print(_gold_table(evaluation))
        _skipped(console, "run articles without gold", evaluation.runs_without_gold)
        _skipped(console, "gold articles not in the runs", evaluation.gold_without_run)
        out["gold"] = evaluation.as_dict()
    if args.polnear:
        polnear = evaluate_polnear(results, args.polnear, args.annotator)
        console.print(_polnear_table(polnear))
        _skipped(console, "run articles that are not PolNeAR texts", polnear.runs_without_text)
        out["polnear"] = polnear.as_dict()
    if args.json:
        print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


def _text(result: ArticleResult, gold_path: str | None, dirs: list[str]) -> str | None:
    names = [p.rsplit("/", 1)[-1] for p in (result.article.path, gold_path) if p]
    extra = [f"{d}/{name}" for d in dirs for name in names]
    return find_text(result.article.sha256, [result.article.path, gold_path, *extra])


def _prf(s: Score) -> str:
    """P / R / F1 (matched/extracted/gold); n/a where the denominator is 0."""
    p = f"{s.precision:.2f}" if s.predicted else "n/a"
    r = f"{s.recall:.2f}" if s.gold else "n/a"
    return f"{p} / {r} / {s.f1:.2f} ({s.matched}/{s.predicted}/{s.gold})"


def _gold_table(ev: Evaluation) -> Table:
    table = Table(title="vs gold: P / R / F1 (matched/extracted/gold)", title_justify="left")
    for col in (
        "article",
        "strategy",
        "stances",
        "conditions",
        "of matched",
        "claims",
        "grounding",
    ):
        table.add_column(col)
    rows: list[ArticleScore] = [*ev.articles, ev.total]
    for i, a in enumerate(rows):
        rate = a.grounding.rate
        ground = "text not found" if rate is None else f"{rate:.2f} ({a.grounding.evidence})"
        table.add_row(
            a.id,
            a.strategy,
            _prf(a.stances),
            _prf(a.conditions),
            _prf(a.matched_conditions),
            _prf(a.claims),
            ground,
            end_section=i == len(rows) - 2,
        )
    return table


def _polnear_table(ev: PolnearEvaluation) -> Table:
    table = Table(
        title="claims vs PolNeAR attributions: P / R / F1 (matched/claims/attributions)",
        title_justify="left",
    )
    cols = ("article", "annotator", "source + content", "source by name", "content only")
    for col in (*cols, "no source"):
        table.add_column(col)
    for a in ev.articles:
        table.add_row(
            a.name,
            a.annotator,
            _prf(a.attributions),
            _prf(a.by_name),
            _prf(a.content_only),
            str(a.no_source),
        )
    table.add_section()
    table.add_row(
        "total",
        "",
        _prf(ev.total("attributions")),
        _prf(ev.total("by_name")),
        _prf(ev.total("content_only")),
        str(sum(a.no_source for a in ev.articles)),
    )
    return table


def _skipped(console: Console, what: str, ids: list[str]) -> None:
    if ids:
        console.print(f"eval: {what} (not scored): {', '.join(ids)}")
