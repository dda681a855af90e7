"""Where the parse loses each gold stance: `.venv/bin/python benchmarks/trace.py GOLD_DIR`.

Not a test and not a score (`extractor eval` and benchmarks/quality.py score). For a gold
folder whose `*.evidence.json` gives each stance's evidence quotes (gold-blind2 and
later), reads every article with the parse alone (no model) and puts each gold stance in
one class:

- `found`: a read stance matches it (`evaluate.stance_matches`);
- `no reading`: the parse read no stance in the sentences holding its evidence;
- `actor`, `target`, `position`: a stance was read there, and the first thing wrong with
  the closest one is named (the actor is not one of the gold's aliases; the target does
  not match; the position differs);
- `no evidence`: the gold gives no evidence to place it.

Running it on a set reads that set's output: the set is development text from then on
(benchmarks/QUALITY.md says which set is which). `--show` prints each stance's line.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

from extractor.evaluation.evaluate import actor_matches, stance_matches, target_matches
from extractor.evaluation.gold import GoldStance, load_gold
from extractor.schemas import Stance
from extractor.strategies.parsed import Reading, with_parse

ROOT = Path(__file__).resolve().parent.parent


def _sentences(text: str, quotes: list[str]) -> list[tuple[int, int]]:
    """Spans around each evidence quote, widened to the quote's sentence boundaries."""
    spans = []
    for q in quotes:
        at = text.find(q)
        if at < 0:
            continue
        start = max(text.rfind(". ", 0, at), text.rfind("\n", 0, at)) + 1
        end = min(
            e
            for e in (text.find(". ", at + len(q)), text.find("\n", at + len(q)), len(text))
            if e >= 0
        )
        spans.append((start, end + 1))
    return spans


def _inside(stance: Stance, spans: list[tuple[int, int]]) -> bool:
    return any(a <= e.start < b for e in stance.evidence for a, b in spans)


def classify(gold: GoldStance, read: list[Stance], spans: list[tuple[int, int]]) -> tuple[str, str]:
    if any(stance_matches(s, gold) for s in read):
        return "found", ""
    if not spans:
        return "no evidence", ""
    near = [s for s in read if _inside(s, spans)]
    if not near:
        return "no reading", ""

    def wrong(s: Stance) -> tuple[int, str]:
        if not actor_matches(s.actor, gold.actor):  # name or canonical name
            return 3, "actor"
        if not (
            target_matches(s.target, gold.target)
            or target_matches(s.canonical_target or "", gold.target)
        ):
            return 2, "target"
        return 1, "position"

    best = min(near, key=lambda s: wrong(s)[0])
    return wrong(best)[1], f"{best.actor.name} | {best.position} | {best.target}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("gold", help="a gold folder with *.evidence.json")
    parser.add_argument("--show", action="store_true", help="print every gold stance's class")
    args = parser.parse_args()
    folder = Path(args.gold)
    evidence: dict[str, list[dict[str, object]]] = {}
    for f in folder.glob("*.evidence.json"):
        evidence.update(json.loads(f.read_text(encoding="utf-8")))
    counts: Counter[str] = Counter()
    extracted = 0
    for article in load_gold(folder):
        path = (ROOT / (article.article.path or "")).resolve()
        text = path.read_text(encoding="utf-8")
        read, _ = with_parse(Reading(parse=True), text, [], [])
        extracted += len(read)
        items = evidence.get(article.article.id or "", [])
        if args.show:
            print(f"## {article.article.id}: {len(read)} read")
            for s in read:
                print(
                    f"   read: {s.actor.name} | {s.position} | {s.target}"
                    f" [{s.evidence[0].quote[:70]}]"
                )
        for i, gold in enumerate(article.stances):
            given = items[i]["evidence"] if i < len(items) else []
            quotes = [str(q) for q in given]  # type: ignore[union-attr]
            kind, why = classify(gold, read, _sentences(text, quotes))
            counts[kind] += 1
            if args.show:
                print(f"  {kind:11} {gold.actor[0]} | {gold.position} | {gold.target}  <- {why}")
    total = sum(counts.values())
    print(f"{folder}: {total} gold stances, {extracted} read")
    for kind, n in counts.most_common():
        print(f"  {kind:12} {n}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
