"""Case 6: `extractor batch` at scale: prepare and collect 100,000 synthetic articles.

The corpus is 100 JSONL files of 1,000 articles each (hand-written templates,
extractor/fakeanswers.py), article strategy, tools mode, model gpt-4.1-mini (rendering
only: nothing is sent). Each step runs in a process of its own: `prepare` (render every
request, write shards under the Batch API's limits, index them), then, not measured, the
fake's answers to every shard line (`quote_back`, written as `vllm run-batch` / OpenAI
result lines), then `collect --results` (read the results into the index, run every
article through extract's code path with those answers, cache them, write the records).

A thread samples the process's resident memory (VmRSS) every 50 ms; each step reports,
for every 10,000 articles, the seconds they took and the peak RSS while they ran. Flat
memory: the peak of the last block is within 15% (or 20 MiB) of the first block's.

    .venv/bin/python benchmarks/bench.py --only 6
    .venv/bin/python benchmarks/batchcase.py --articles 20000   # a quicker look
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from common import Row

PER_FILE = 1000
BLOCK = 10_000
CHARS = 1500
OPTIONS = {
    "model": "gpt-4.1-mini",
    "base_url": None,
    "mode": "tools",
    "strategy": "article",
    "prompts_dir": None,
    "reasks": 1,
    "context_sentences": 2,
    "chunk_tokens": 1500,
    "context_tokens": None,
}


def _rss() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


class _Blocks:
    """Counts articles as a step reads them; the time and peak RSS of every block."""

    def __init__(self) -> None:
        self.n = 0
        self.peak = _rss()
        self.started = self.block_start = time.perf_counter()
        self.rows: list[tuple[int, float, int]] = []  # (articles so far, seconds, peak bytes)
        self._stop = False
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._stop:
            self.peak = max(self.peak, _rss())
            time.sleep(0.05)

    def count(self, items: Any) -> Any:
        for item in items:
            yield item
            self.n += 1
            if self.n % BLOCK == 0:
                now = time.perf_counter()
                self.peak = max(self.peak, _rss())
                self.rows.append((self.n, now - self.block_start, self.peak))
                self.block_start, self.peak = now, _rss()

    def stop(self) -> float:
        self._stop = True
        return time.perf_counter() - self.started


def _counting(module: Any, blocks: _Blocks) -> None:
    """Count the articles a step's module reads (its `articles.load`)."""
    load = module.articles.load

    class Counted:
        def __getattr__(self, name: str) -> Any:
            return getattr(module.articles, name)

        @staticmethod
        def load(paths: list[str]) -> Any:
            return blocks.count(load(paths))

    module.articles = Counted()


def write_corpus(folder: Path, total: int) -> None:
    from tests.support.fakeanswers import synthetic_article

    folder.mkdir(parents=True, exist_ok=True)
    for f in range(0, total, PER_FILE):
        with (folder / f"part-{f // PER_FILE:05d}.jsonl").open("w") as fh:
            for i in range(f, min(total, f + PER_FILE)):
                text = synthetic_article(i, CHARS)
                fh.write(json.dumps({"id": f"a{i}", "text": text}) + "\n")


def step_prepare(work: str) -> dict[str, Any]:
    from extractor.batchjobs import prepare as step
    from extractor.runtime.cache import Cache

    blocks = _Blocks()
    _counting(step, blocks)
    cache = Cache(Path(work) / "answers.sqlite")
    done = step.prepare(Path(work) / "batch", [str(Path(work) / "corpus")], dict(OPTIONS), cache)
    cache.close()
    seconds = blocks.stop()
    size = sum(s.bytes for s in done.shards)
    return {
        "seconds": seconds,
        "blocks": blocks.rows,
        "requests": done.requests,
        "shards": len(done.shards),
        "bytes": size,
    }


def write_results(work: str) -> int:
    """The fake's answers to every shard line, as result lines (not measured)."""
    from extractor.batchjobs.manifest import Manifest
    from tests.support.fakeanswers import quote_back

    batch = Path(work) / "batch"
    lines = 0
    for shard in Manifest.load(batch).shards:
        out = Path(work) / "results" / Path(shard.file).name
        out.parent.mkdir(exist_ok=True)
        with (batch / shard.file).open("rb") as src, out.open("w") as dst:
            for raw in src:
                line = json.loads(raw)
                body = quote_back(line["body"]).body
                result = {
                    "id": f"req-{lines}",
                    "custom_id": line["custom_id"],
                    "response": {"status_code": 200, "request_id": "x", "body": body},
                    "error": None,
                }
                dst.write(json.dumps(result) + "\n")
                lines += 1
    return lines


def step_collect(work: str) -> dict[str, Any]:
    import logging

    from extractor.batchjobs import collect as step

    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    blocks = _Blocks()
    _counting(step, blocks)
    cache = step.BatchCache(Path(work) / "answers.sqlite")
    results = sorted((Path(work) / "results").glob("*.jsonl"))
    done = step.collect(
        Path(work) / "batch",
        str(Path(work) / "records.jsonl"),
        cache,
        client=None,
        results=results,
        reask=False,
        say=lambda s: None,
    )
    cache.close()
    seconds = blocks.stop()
    return {
        "seconds": seconds,
        "blocks": blocks.rows,
        "complete": done.complete,
        "articles": done.articles,
        "answers": done.read.answers,
    }


def _in_child(fn: Any, *args: Any) -> Any:
    spawn = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as pool:
        return pool.submit(fn, *args).result()


def _flat(blocks: list[tuple[int, float, int]]) -> bool:
    first, last = blocks[0][2], blocks[-1][2]
    return last <= max(first * 1.15, first + 20 * 2**20)


def _mib(n: int) -> str:
    return f"{n / 2**20:.0f}"


def batch_at_scale(total: int = 100_000) -> tuple[list[Row], str]:
    with tempfile.TemporaryDirectory() as tmp:
        write_corpus(Path(tmp) / "corpus", total)
        prep = _in_child(step_prepare, tmp)
        write_results(tmp)
        col = _in_child(step_collect, tmp)
    rows = []
    detail = [
        "| articles | prepare s | prepare peak RSS MiB | collect s | collect peak RSS MiB |",
        "|---|---|---|---|---|",
    ]
    for (n, ps, pm), (_, cs, cm) in zip(prep["blocks"], col["blocks"], strict=True):
        detail.append(
            f"| {n - BLOCK + 1:,}-{n:,} | {ps:.1f} | {_mib(pm)} | {cs:.1f} | {_mib(cm)} |"
        )
    for name, step, extra in (
        (
            "prepare",
            prep,
            f"{prep['requests']:,} requests in {prep['shards']} shards, "
            f"{prep['bytes'] / 1e6:.0f} MB",
        ),
        ("collect", col, f"{col['complete']:,} of {col['articles']:,} articles complete"),
    ):
        b = step["blocks"]
        per = step["seconds"] / (total / BLOCK)
        rows.append(
            Row(
                case=f"6 batch {name}",
                figure=f"{per:.1f} s per 10,000 articles ({step['seconds']:.0f} s for {total:,}); "
                f"peak RSS {_mib(b[0][2])} MiB in the first 10,000, "
                f"{_mib(b[-1][2])} MiB in the last; " + extra,
                target="flat memory",
                passed=_flat(b) and (name != "collect" or col["complete"] == total),
                note=f"{total:,} synthetic articles of ~{CHARS:,} chars in JSONL files of "
                f"{PER_FILE:,}, "
                "article strategy, tools mode, gpt-4.1-mini bodies; answers from the fake "
                "(quote_back) as result files; each step in a process of its own",
            )
        )
    return rows, "\n".join(detail)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    rows, detail = batch_at_scale(args.articles)
    for r in rows:
        print(f"{r.case}: {r.figure} ({'pass' if r.passed else 'FAIL'})")
    print(detail)
    return 0 if all(r.passed for r in rows) else 1


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    sys.exit(main())
