"""What reading the parse costs: `.venv/bin/python benchmarks/reading_cost.py [TEXTS...]`.

Not a test. In a fresh process: the time to load the spaCy pipeline, then for each text
(default: the seed and the PolNeAR articles of every gold file under tests/fixtures) the
time to parse it and read its stances (`extractor.strategies.parsed.with_parse` with no
model records), the median over 3 rounds, as seconds per 3,000 characters; and the
process's peak RSS after loading and after reading. Prints a Markdown table.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = 3


def texts(args: list[str]) -> list[Path]:
    if args:
        return [Path(a) for a in args]
    out = [ROOT / "seeds/000_792bd40e83e483ac.txt"]
    for gold in sorted((ROOT / "tests/fixtures").glob("gold*/*.jsonl")):
        for line in gold.read_text(encoding="utf-8").splitlines():
            path = ROOT / json.loads(line)["article"]["path"]
            if path.is_file() and path not in out:
                out.append(path)
    return out


def rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> int:
    before = rss_mib()
    started = time.perf_counter()
    from extractor.reading.parse import load
    from extractor.strategies.parsed import Reading, with_parse

    load()
    loaded = time.perf_counter() - started
    after_load = rss_mib()
    reading = Reading(parse=True)
    per_3000: list[float] = []
    chars = stances = 0
    for path in texts(sys.argv[1:]):
        text = path.read_text(encoding="utf-8")
        times = []
        for _ in range(ROUNDS):
            t0 = time.perf_counter()
            found, _ = with_parse(reading, text, [], [])
            times.append(time.perf_counter() - t0)
        per_3000.append(statistics.median(times) / len(text) * 3000)
        chars += len(text)
        stances += len(found)
    print("| figure | value |")
    print("|---|---|")
    print(f"| import + load the pipeline | {loaded:.2f} s |")
    print(
        f"| parse + read, median per article | {statistics.median(per_3000):.3f} s / 3,000 chars |"
    )
    print(f"| parse + read, slowest article | {max(per_3000):.3f} s / 3,000 chars |")
    print(f"| texts | {len(per_3000)} ({chars:,} chars, {stances} stances read) |")
    peaks = f"{before:.0f} MiB at start, {after_load:.0f} after loading, {rss_mib():.0f} after"
    print(f"| peak RSS | {peaks} reading |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
