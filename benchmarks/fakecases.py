"""Benchmark cases 1, 2, 4 and 5: the pipeline against a loopback fake server.

The server (server.py) runs in its own process and answers each request with records
quoting the request's own chunk; the pipeline runs through the real CLI entry point
(`extractor.cli.main.main`) in this process.
"""

from __future__ import annotations

import asyncio
import math
import resource
import statistics
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import instructor
import openai
from common import Row
from server import Instant, ServerProcess

from extractor import Extractor
from extractor.cli.main import main
from extractor.grounding.drafts import ArticleDraft
from extractor.grounding.records import ground_article
from extractor.pipeline.articles import from_text
from tests.support.fakeanswers import article_answer, asked, synthetic_article
from tests.support.fakeserver import FakeServer, Reply, completion

MODEL = ["--model", "gpt-4.1-mini", "--mode", "tools", "--strategy", "article"]
EDGE = "\"'`“”„‟‘’‚‛«»‹› \t\n"
POLNEAR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "polnear-test" / "text"


def _corpus(folder: Path, n: int, chars: int) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(n):
        (folder / f"s{i:03}.txt").write_text(synthetic_article(i, chars), encoding="utf-8")
    return folder


def _timed_cli(server: FakeServer | ServerProcess, src: Path, out: Path, *extra: str) -> float:
    t = time.perf_counter()
    args = ["extract", str(src), "-o", str(out), "-q", "--base-url", server.base_url, *MODEL]
    code = main([*args, *extra])
    if code != 0:
        raise RuntimeError(f"extract exited {code}")
    return time.perf_counter() - t


async def _bare(base_url: str, bodies: list[dict[str, Any]], concurrency: int) -> float:
    """The same requests through the openai client alone, `concurrency` at a time."""
    client = openai.AsyncOpenAI(base_url=base_url, api_key="x", max_retries=0)

    async def send(body: dict[str, Any]) -> None:
        await client.chat.completions.create(**body)

    took = await _timed_gather(send, bodies, concurrency)
    await client.close()
    return took


async def _instructor_alone(base_url: str, bodies: list[dict[str, Any]], concurrency: int) -> float:
    """The same requests through instructor over the openai client, each answer parsed and
    validated as the draft schema, but nothing rendered, grounded, cached or written: what
    the pipeline's required client layer costs by itself."""
    client = openai.AsyncOpenAI(base_url=base_url, api_key="x", max_retries=0)
    patched = instructor.from_openai(client, mode=instructor.Mode.TOOLS)
    model = instructor.openai_schema(ArticleDraft)

    async def send(body: dict[str, Any]) -> None:
        await patched.chat.completions.create(
            model=body["model"],
            messages=body["messages"],
            response_model=model,
            max_retries=1,
            max_tokens=body["max_tokens"],
            temperature=body["temperature"],
        )

    took = await _timed_gather(send, bodies, concurrency)
    await client.close()
    return took


async def _timed_gather(
    send: Callable[[dict[str, Any]], Awaitable[None]],
    bodies: list[dict[str, Any]],
    concurrency: int,
) -> float:
    """Seconds to `send` every body, `concurrency` at a time."""
    slots = asyncio.Semaphore(concurrency)

    async def one(body: dict[str, Any]) -> None:
        async with slots:
            await send(body)

    t = time.perf_counter()
    await asyncio.gather(*(one(b) for b in bodies))
    return time.perf_counter() - t


def _recorded(src: Path, work: Path, concurrency: int) -> list[dict[str, Any]]:
    """The request bodies the pipeline sends for the articles in `src`."""
    with FakeServer(Instant()) as recorder:
        conc = ["--concurrency", str(concurrency)]
        _timed_cli(recorder, src, work / "rec.jsonl", *conc, "--no-cache")
        return [dict(b) for b in recorder.requests]


def overhead_and_cache(
    work: Path, n: int = 200, concurrency: int = 8, rounds: int = 5
) -> list[Row]:
    """Case 1 (pipeline vs bare client) and case 4 (the cached rerun of case 1)."""
    src = _corpus(work / "c1", n, 4000)
    conc = ["--concurrency", str(concurrency)]
    bodies = _recorded(src, work, concurrency)  # what the pipeline sends, for the bare loop
    with ServerProcess() as server:
        _timed_cli(server, src, work / "warm.jsonl", *conc, "--no-cache")  # warm-up
        asyncio.run(_bare(server.base_url, bodies, concurrency))
        asyncio.run(_instructor_alone(server.base_url, bodies, concurrency))
        bare, alone, pipe, bare_cpu, pipe_cpu, uncached = [], [], [], [], [], []
        for round_ in range(rounds):  # alternate, take medians: the machine is shared
            cpu = time.process_time()
            bare.append(asyncio.run(_bare(server.base_url, bodies, concurrency)))
            bare_cpu.append(time.process_time() - cpu)
            alone.append(asyncio.run(_instructor_alone(server.base_url, bodies, concurrency)))
            out = work / f"u{round_}.jsonl"
            uncached.append(_timed_cli(server, src, out, *conc, "--no-cache"))
            cache = ["--cache", str(work / f"cache{round_}.sqlite")]  # a fresh, empty one
            cpu = time.process_time()
            pipe.append(_timed_cli(server, src, work / f"p{round_}.jsonl", *conc, *cache))
            pipe_cpu.append(time.process_time() - cpu)
        before = server.requests  # each round's run again, on the cache it filled
        again = [
            _timed_cli(
                server, src, work / "again.jsonl", *conc, "--cache", str(work / f"cache{r}.sqlite")
            )
            for r in range(rounds)
        ]
        sent_again = server.requests - before
    a, b, i = statistics.median(bare), statistics.median(pipe), statistics.median(alone)
    grounding = _grounding_ms(src)
    ratio = b / a
    cached = statistics.median(again)
    speedup = b / cached
    return [
        Row(
            "1 pipeline overhead",
            f"{b:.2f} s vs bare client {a:.2f} s = {ratio:.2f}x (instructor alone {i:.2f} s "
            f"= {i / a:.2f}x; client CPU {statistics.median(pipe_cpu):.2f} s vs "
            f"{statistics.median(bare_cpu):.2f} s; without the cache "
            f"{statistics.median(uncached):.2f} s)",
            "<= 1.5x",
            ratio <= 1.5,
            f"{n} articles x ~4,000 chars, concurrency {concurrency}, medians of {rounds} "
            "alternating rounds; pipeline = `extractor extract` with an empty cache",
        ),
        Row(
            "1 grounding",
            f"{grounding:.2f} ms/article",
            "< 5 ms",
            grounding < 5,
            "validating the answer against the article + grounding its records",
        ),
        Row(
            "4 cached rerun",
            f"{sent_again} requests, {cached:.3f} s vs {b:.2f} s = {speedup:.0f}x faster",
            "0 requests, >= 20x",
            sent_again == 0 and speedup >= 20,
            f"each of the {rounds} rounds of case 1 run again on its cache; medians",
        ),
    ]


def _grounding_ms(src: Path) -> float:
    """Validation against the article (the draft's grounding checks) plus grounding, per
    article, on the answers the fake server gives."""
    texts = [p.read_text("utf-8") for p in sorted(src.glob("*.txt"))]
    drafts = [article_answer(t) for t in texts]
    t = time.perf_counter()
    for text, answer in zip(texts, drafts, strict=True):
        window = (0, len(text))
        draft = ArticleDraft.model_validate(answer, context={"text": text, "window": window})
        ground_article(draft, text, window)
    return (time.perf_counter() - t) * 1000 / len(texts)


def concurrency(work: Path, n: int = 200, latency: float = 0.5) -> list[Row]:
    """Case 2: wall time at concurrency 1, 8, 32 against the ideal n x latency / c. With
    every request taking `latency`, no schedule beats ceil(n / c) x latency (some slot
    serves ceil(n / c) requests): that floor is what pass/fail is judged against."""
    src = _corpus(work / "c2", n, 4000)
    bodies = _recorded(src, work, 32)
    rows = []
    with ServerProcess(delay=latency) as server:
        _timed_cli(server, src, work / "warm2.jsonl", "--concurrency", "32", "--no-cache")
        for c in (1, 8, 32):
            took = _timed_cli(
                server, src, work / f"conc{c}.jsonl", "--concurrency", str(c), "--no-cache"
            )
            # the bare client on the same server, for reference (at c = 1 it takes 100 s)
            bare = asyncio.run(_bare(server.base_url, bodies, c)) if c > 1 else None
            ideal, floor = n * latency / c, math.ceil(n / c) * latency
            notes = [f"floor {floor:.2f} s: {took / floor:.3f}x"] if floor != ideal else []
            if bare is not None:
                notes.append(f"bare client {bare:.2f} s = {bare / ideal:.3f}x")
            rows.append(
                Row(
                    f"2 concurrency {c}",
                    f"{took:.2f} s vs ideal {ideal:.2f} s = {took / ideal:.3f}x"
                    + (f" ({'; '.join(notes)})" if notes else ""),
                    "<= 1.15x",
                    took / floor <= 1.15,
                    f"{n} articles, one request each, {latency} s per request",
                )
            )
    return rows


def long_article(chars: int = 100_000, concurrency: int = 8) -> list[Row]:
    """Case 5: one article of `chars` characters assembled from the PolNeAR test texts."""
    parts, size = [], 0
    for path in sorted(POLNEAR.glob("*.txt")):
        parts.append(path.read_text("utf-8"))
        size += len(parts[-1]) + 2
        if size >= chars:
            break
    text = "\n\n".join(parts)[:chars]
    quoted: list[tuple[str, str]] = []  # (chunk, quote)

    def respond(request: dict[str, Any]) -> Reply:
        chunk = asked(request)[1]
        answer = article_answer(chunk, limit=20)
        quoted.extend((chunk, c["quote"]) for c in answer["claims"])
        return Reply(body=completion(request, answer))

    async def go(ex: Extractor) -> Any:
        async with ex:
            return await ex.arun(from_text(text, id="long"))

    tracemalloc.start()
    t = time.perf_counter()
    with FakeServer(respond) as server:
        ex = Extractor(
            base_url=server.base_url,
            model="m",
            strategy="article",
            concurrency=concurrency,
            cache=None,  # measured: never answered from a cache
        )
        result = asyncio.run(go(ex))
        requests = len(server.requests)
    took = time.perf_counter() - t
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    evidence = [e for r in [*result.stances, *result.claims] for e in r.evidence]
    evidence += [e for s in result.stances for c in s.conditions for e in c.evidence]
    not_text = sum(text[e.start : e.end] != e.quote for e in evidence)
    # where each quote really is: its chunk's place in the article + its place in the chunk
    expected = set()
    for chunk, quote in quoted:
        bare = quote.strip(EDGE)  # grounding leaves quotation marks at the edges out
        at = text.index(chunk) + chunk.index(bare)
        expected.add((at, at + len(bare)))
    found = {(e.start, e.end) for c in result.claims for e in c.evidence}
    wrong, lost = len(found - expected) + not_text, len(expected - found)
    ok = result.error is None and wrong == 0 and lost == 0 and len(evidence) > 0
    return [
        Row(
            "5 long article",
            f"{len(found)} quotes: {wrong} at a wrong offset, {lost} lost; {requests} chunks "
            f"in {took:.2f} s; peak {peak:.0f} MiB traced, {rss:.0f} MiB max RSS",
            "every offset correct",
            ok,
            f"{len(text):,} chars from {len(parts)} PolNeAR test texts, fake server",
        )
    ]
