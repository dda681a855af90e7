"""The throughput benchmark: `make bench` (or `.venv/bin/python benchmarks/bench.py`).

Five cases, measured side by side in one run on this machine; prints the table and
writes benchmarks/RESULTS.md. Not part of the test suite: its figures depend on the
machine and on what else runs on it. The test suite checks the behaviour instead
(tests/test_throughput.py, test_resume.py, test_long_articles.py).

    1  pipeline overhead: `extractor extract` vs a bare openai-client loop (same requests)
    2  concurrency: 0.5 s per request, concurrency 1, 8 and 32
    3  embedded model: pipeline vs llama-cpp-python in-process, tokens per second
    4  cache: the rerun of case 1 on its cache
    5  long article: 100,000 characters of PolNeAR test texts, offsets checked
    6  batch at scale: `extractor batch` prepare and collect, 100,000 articles (15-20
       minutes; not run unless asked: `--only 6`)

`--only 1,4` runs some cases (2 takes about two minutes, 3 about two more).
"""

from __future__ import annotations

import argparse
import datetime
import logging
import multiprocessing
import os
import platform
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from common import Row

HERE = Path(__file__).resolve().parent


def run(cases: set[str]) -> list[Row]:
    import embedcase
    import fakecases

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        if "5" in cases:  # in a process of its own: its max RSS is its own, and the 100,000
            # characters it grounds leave nothing behind that slows the other cases
            spawn = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
                rows += pool.submit(fakecases.long_article).result()
        if cases & {"1", "4"}:
            rows += [r for r in fakecases.overhead_and_cache(work) if r.case[0] in cases]
        if "2" in cases:
            rows += fakecases.concurrency(work)
        if "3" in cases:
            rows += embedcase.embedded()
        if "6" in cases:
            import batchcase

            rows += batchcase.batch_at_scale()[0]
    return sorted(rows, key=lambda r: r.case[0])  # by case, each in the order it ran


def table(rows: list[Row]) -> str:
    lines = ["| case | figure | target | result |", "|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r.case} | {r.figure} | {r.target} | {'pass' if r.passed else 'FAIL'} |")
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
        f"load average {load} at the end of the run"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", default="1,2,3,4,5", help="cases to run, e.g. 1,4")
    parser.add_argument("--write", default=str(HERE / "RESULTS.md"), help="results file")
    args = parser.parse_args()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    started = time.perf_counter()
    rows = run(set(args.only.split(",")))
    took = time.perf_counter() - started
    text = table(rows)
    print(text)
    for r in rows:
        print(f"{r.case}: {r.note}", file=sys.stderr)
    results = Path(args.write)
    body = results.read_text("utf-8") if results.exists() else ""
    notes = body.split("<!-- table end -->", 1)[1] if "<!-- table end -->" in body else ""
    results.write_text(
        "# Throughput benchmark results\n\n"
        f"Measured {datetime.date.today()} with `make bench` ({took:.0f} s) on "
        f"{machine()}.\n\n"
        f"<!-- table start -->\n{text}\n\n"
        + "\n".join(f"- {r.case}: {r.note}" for r in rows)
        + "\n<!-- table end -->"
        + (notes or "\n"),
        "utf-8",
    )
    print(f"wrote {results}", file=sys.stderr)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
