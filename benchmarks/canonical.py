"""What canonical targets change: `.venv/bin/python benchmarks/canonical.py [GOLD_DIR ...]`.

Not a test. For each gold set (default: every `tests/fixtures/gold*` directory and the
seed's gold), the parse's stances (`benchmarks/quality.py`'s `parse` system: no model)
are scored twice with `extractor.evaluation.evaluate`: once with `canonical_target`
cleared (the sentence's own words only, as before it existed) and once as the records
carry it. Prints a Markdown table: stances extracted, how many have a canonical target
other than their own words, and stance matches and P / R for each scoring.
"""

from __future__ import annotations

import sys
from pathlib import Path

from quality import ROOT, gold_articles, run_parse

from extractor.evaluation.evaluate import evaluate
from extractor.schemas import ArticleResult


def without_canonical(result: ArticleResult) -> ArticleResult:
    stances = [s.model_copy(update={"canonical_target": None}) for s in result.stances]
    return result.model_copy(update={"stances": stances})


def main() -> int:
    sets = [Path(a).resolve() for a in sys.argv[1:]] or [
        ROOT / "tests/fixtures/seed.gold.jsonl",
        *sorted(p for p in (ROOT / "tests/fixtures").glob("gold*") if p.is_dir()),
    ]
    missing = [p for p in sets if not p.exists()]
    if missing:
        print(f"canonical: {missing[0]} not found; give gold files or directories", file=sys.stderr)
        return 1
    print(
        "| gold | articles | stances | canonical differs | own words m (P / R) "
        "| with canonical m (P / R) |"
    )
    print("|---|---|---|---|---|---|")
    for path in sets:
        pairs = gold_articles(None, None, [path])
        if not pairs:
            continue
        run = run_parse([a for a, _ in pairs])
        golds = [g for _, g in pairs]
        differs = sum(
            1
            for r in run.results
            for s in r.stances
            if s.canonical_target and s.canonical_target != s.target
        )
        cells = []
        for results in ([without_canonical(r) for r in run.results], run.results):
            total = evaluate(results, golds).total.stances
            p = f"{total.precision:.2f}" if total.predicted else "n/a"
            cells.append(f"{total.matched} ({p} / {total.recall:.2f})")
        extracted = sum(len(r.stances) for r in run.results)
        gold = sum(len(g.stances) for g in golds)
        name = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
        print(
            f"| {name} | {len(pairs)} | {extracted} of {gold} gold | {differs} "
            f"| {cells[0]} | {cells[1]} |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
