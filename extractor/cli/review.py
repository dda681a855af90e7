"""`extractor review`: what changed between a run and the recorded fixtures."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from extractor.results.jsonl import load_runs
from extractor.review.diff import ArticleDiff, RecordDiff, Review, review
from extractor.review.fixtures import load_fixtures, update_fixtures

HELP = "compare a run with recorded fixtures: records added, removed, changed"
EPILOG = """Articles are paired by the sha256 of their text, records by content (actor,
target, position; claimant, content), so a reordering is not a change.
exit codes: 0 nothing changed, 1 something changed, 2 bad input.
Accept a change: extractor review RUN --against FIXTURES --update"""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("runs", nargs="+", metavar="RUN", help="JSONL written by `extract`")
    parser.add_argument(
        "--against",
        required=True,
        metavar="FIXTURES",
        help="expected output: a JSONL file or a directory of them",
    )
    parser.add_argument("--json", action="store_true", help="the review as JSON on stdout")
    parser.add_argument(
        "--update", action="store_true", help="rewrite FIXTURES from the run (accept changes)"
    )


def run(args: argparse.Namespace) -> int:
    results = load_runs(args.runs)
    if args.update:
        for path in update_fixtures(args.against, results):
            print(f"review: wrote {path}", file=sys.stderr)
        return 0
    outcome = review(results, load_fixtures(args.against).results)
    if args.json:  # the data on stdout: the JSON, else the text
        print("\n".join(format_review(outcome)), file=sys.stderr)
        print(json.dumps(outcome.as_dict(), indent=2, ensure_ascii=False))
    else:
        print("\n".join(format_review(outcome)))
    return 1 if outcome.changed else 0


def format_review(outcome: Review) -> list[str]:
    lines: list[str] = []
    for art in outcome.articles:
        lines += _article(art)
    changed = [a for a in outcome.articles if a.status != "same"]
    counts = {s: sum(a.count(s) for a in outcome.articles) for s in ("added", "removed", "changed")}
    lines.append(
        f"review: {len(changed)} of {len(outcome.articles)} articles changed; "
        f"{counts['added']} added, {counts['removed']} removed, {counts['changed']} changed"
    )
    if outcome.not_in_run:
        lines.append(f"review: fixtures not in this run: {', '.join(outcome.not_in_run)}")
    return lines


def _article(art: ArticleDiff) -> list[str]:
    head = f"{art.path} ({art.id}, {art.strategy})"
    if art.status == "same":
        return [f"= {head}: unchanged", *(f"    note: {n}" for n in art.notes)]
    lines = [
        f"{'*' if art.status == 'changed' else '+'} {head}: {art.count('added')} added, "
        f"{art.count('removed')} removed, {art.count('changed')} changed"
    ]
    lines += [f"    note: {n}" for n in art.notes]
    for change in art.changes:
        if change["field"] == "warnings":
            lines += [f"    - warning {w}" for w in change["before"]]
            lines += [f"    + warning {w}" for w in change["after"]]
        else:
            lines.append(f"    {_change(change)}")
    for rec in art.records:
        lines += _record(rec)
    return lines


def _record(rec: RecordDiff) -> list[str]:
    mark = {"added": "+", "removed": "-", "changed": "~"}[rec.status]
    lines = [f"  {mark} {rec.kind} {rec.label}"]
    record = rec.after if rec.status == "added" else rec.before
    if record is not None:
        lines.append(f"      evidence {_evidence(record['evidence'])}")
    return lines + [f"      {_change(c)}" for c in rec.changes]


def _change(change: dict[str, Any]) -> str:
    name, before, after = change["field"], change["before"], change["after"]
    if name == "condition":
        if after is None:
            return f"condition removed: {_condition(before)}"
        if before is None:
            return f"condition added: {_condition(after)}"
        return f"condition changed: {_condition(before)} -> {_condition(after)}"
    if name == "evidence":
        return f"evidence: {_evidence(before)} -> {_evidence(after)}"
    return f"{name}: {_short(before)} -> {_short(after)}"


def _condition(c: dict[str, Any]) -> str:
    who = f", of {c['required_of']['canonical']}" if c.get("required_of") else ""
    return f'"{c["text"]}" ({c["kind"]}{who}) {_evidence(c["evidence"])}'


def _evidence(items: list[dict[str, Any]]) -> str:
    return " ".join(f"[{e['start']}:{e['end']}]" for e in items) or "none"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
