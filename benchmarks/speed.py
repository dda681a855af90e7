"""llama-cpp-python's own speed on this machine: prompt processing and generation, in
tokens per second, at given thread counts (`.venv/bin/python benchmarks/speed.py`).

The model is loaded in this process (`Llama`, as the embedded server loads it) with
`n_threads` = `n_threads_batch` = the thread count. The prompt is the seed article's
text; after it, `--tokens` tokens are generated one at a time (greedy, end of text
ignored, so every run decodes the same number). The figures are llama.cpp's own counters
(`llama_perf_context`): prompt tokens / prompt eval time, generated tokens / eval time.
Each thread count is measured `--repeat` times; the best run is shown (the machine is
shared, so the best is the least disturbed), with the range.

`--gguf PATH` measures another model (default: the embedded SmolLM2-135M). Run it with
another venv's python to compare builds (portable vs native).
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "seeds" / "000_792bd40e83e483ac.txt"


@dataclass
class Speed:
    threads: int
    prompt_tokens: int
    prompt_tok_s: float
    generated_tokens: int
    generation_tok_s: float


def measure(gguf: Path, threads: int, tokens: int) -> Speed:
    import llama_cpp
    from llama_cpp import Llama

    llm = Llama(
        model_path=str(gguf),
        n_ctx=4096,
        n_threads=threads,
        n_threads_batch=threads,
        verbose=False,
    )
    prompt = llm.tokenize(SEED.read_text("utf-8").encode("utf-8"))
    llm.reset()
    llama_cpp.llama_perf_context_reset(llm.ctx)
    llm.eval(prompt)
    for _ in range(tokens):
        llm.eval([llm.sample(temp=0.0)])
    perf = llama_cpp.llama_perf_context(llm.ctx)
    llm.close()
    return Speed(
        threads=threads,
        prompt_tokens=perf.n_p_eval,
        prompt_tok_s=perf.n_p_eval / (perf.t_p_eval_ms / 1000),
        generated_tokens=perf.n_eval,
        generation_tok_s=perf.n_eval / (perf.t_eval_ms / 1000),
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--gguf", type=Path, help="model (default: the embedded SmolLM2-135M)")
    parser.add_argument("--threads", default="1,2", help="thread counts, e.g. 1,2")
    parser.add_argument("--tokens", type=int, default=128, help="tokens to generate")
    parser.add_argument("--repeat", type=int, default=3, help="runs per thread count")
    args = parser.parse_args()
    if args.gguf is None:
        from extractor.backends.embedded import bundled_gguf

        args.gguf = bundled_gguf()
    import llama_cpp

    print(f"{args.gguf.name}, llama-cpp-python {llama_cpp.__version__}", file=sys.stderr)
    for threads in (int(t) for t in args.threads.split(",")):
        runs = [measure(args.gguf, threads, args.tokens) for _ in range(args.repeat)]
        best = max(runs, key=lambda s: s.generation_tok_s)
        pp = sorted(s.prompt_tok_s for s in runs)
        tg = sorted(s.generation_tok_s for s in runs)
        print(
            f"{threads} threads: prompt {max(pp):.1f} tok/s ({pp[0]:.1f}-{pp[-1]:.1f}, "
            f"{best.prompt_tokens} tokens), generation {max(tg):.1f} tok/s "
            f"({tg[0]:.1f}-{tg[-1]:.1f}, {best.generated_tokens} tokens)",
            file=sys.stderr,
        )
        print(json.dumps({"gguf": args.gguf.name, "runs": [asdict(s) for s in runs]}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
