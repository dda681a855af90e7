"""Benchmark case 3: the embedded model through the pipeline vs llama-cpp-python called
directly in this process, with the same prompt, schema and settings.

The pipeline: `Extractor()` with the embedded model (llama-cpp-python's server on a
loopback port, over HTTP, instructor, validation, grounding), article strategy, no
re-ask (so both sides make exactly one model call). Direct: `Llama.create_chat_completion`
with the messages the pipeline renders for the same article, the same JSON schema as a
grammar, temperature 0, max_tokens 2048 and the server's sampling defaults (repeat
penalty 1.1), so both decode the same tokens (the figure shows both token counts).
Each side first answers a short warm-up article (so both have the shared prompt prefix
in their KV cache), then the seed article is timed. Figure: completion tokens per second
of wall time, prompt processing included. Both sides use the same thread count for
generation and prompt processing: the embedded server's default, every core this process
may use (`available_cores()`), and the server's OpenMP waiting (`openmp_waiting`: a short
spin unless OMP_WAIT_POLICY or GOMP_SPINCOUNT is set), as the server is started.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from extractor.backends.embedded import (
    CONTEXT_TOKENS,
    available_cores,
    bundled_gguf,
    openmp_waiting,
)

# OpenMP reads these when libgomp loads, and the pipeline's run loads llama_cpp (and so
# libgomp) in this process before the direct side starts: set here, at import, or the
# two sides wait differently between operations (2.2x apart at 2 threads on a quiet
# machine; that was the 0.51x and 0.61x of 2026-11-27)
os.environ.update(openmp_waiting(dict(os.environ)))

from common import Row

from extractor import Extractor
from extractor.grounding.drafts import ArticleDraft
from extractor.pipeline.articles import from_text
from extractor.strategies.article import ARTICLE_MAX_TOKENS

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_792bd40e83e483ac.txt"
WARM = (
    "Mayor Ana Ruiz said on Monday the city would fund the river park plan only if the "
    'state pays half. "We cannot do it alone," Ruiz told reporters.\n'
)


def embedded() -> list[Row]:
    seed = from_text(SEED.read_text("utf-8"), id="seed")
    warm = from_text(WARM, id="warm")

    threads = available_cores()
    with Extractor(strategy="article", reasks=0, threads=threads, cache=None) as ex:
        ex.run(warm)  # starts the server, fills the prompt prefix
        t = time.perf_counter()
        result = ex.run(seed)
        pipe_secs = time.perf_counter() - t
        messages = ex.questions(seed)[0].messages
        warm_messages = ex.questions(warm)[0].messages
    pipe_tokens = result.usage.completion_tokens
    if result.usage.requests != 1:
        raise RuntimeError(f"expected one request, the pipeline sent {result.usage.requests}")

    from llama_cpp import Llama

    llm = Llama(
        model_path=str(bundled_gguf()),
        n_ctx=CONTEXT_TOKENS,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    settings = {
        "response_format": {"type": "json_object", "schema": ArticleDraft.model_json_schema()},
        "temperature": 0,
        "max_tokens": ARTICLE_MAX_TOKENS,
        "repeat_penalty": 1.1,  # the server's default for a request that names none
    }
    llm.create_chat_completion(messages=warm_messages, **settings)  # type: ignore[arg-type]
    t = time.perf_counter()
    answer = llm.create_chat_completion(messages=messages, **settings)  # type: ignore[arg-type]
    direct_secs = time.perf_counter() - t
    direct_tokens = answer["usage"]["completion_tokens"]  # type: ignore[index]

    pipe_rate, direct_rate = pipe_tokens / pipe_secs, direct_tokens / direct_secs
    ratio = pipe_rate / direct_rate
    return [
        Row(
            "3 embedded model",
            f"pipeline {pipe_rate:.1f} tok/s ({pipe_tokens} tokens, {pipe_secs:.1f} s) vs direct "
            f"{direct_rate:.1f} tok/s ({direct_tokens} tokens, {direct_secs:.1f} s) "
            f"= {ratio:.2f}x",
            ">= 0.9x",
            ratio >= 0.9,
            f"SmolLM2-135M, seed article, article strategy, one call each, {threads} threads",
        )
    ]
