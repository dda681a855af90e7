"""`extractor extract`: articles in, JSONL records out."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from extractor import articles
from extractor.errors import ConfigError
from extractor.llm import DEFAULT_OPENAI_MODEL, MODES
from extractor.schemas import ArticleResult
from extractor.summary import print_summary

HELP = "articles in, JSONL records out"
EPILOG = """model choice: --base-url URL (any OpenAI-compatible server: Ollama, vLLM, llama.cpp,
LM Studio) > OpenAI (--model or OPENAI_API_KEY) > the embedded SmolLM2-135M model
(offline, for an end-to-end run; its answers are poor)."""


def add_arguments(ex: argparse.ArgumentParser) -> None:
    ex.add_argument(
        "paths",
        nargs="+",
        metavar="PATH",
        help="article files (.txt .md .html .jsonl) or directories of them",
    )
    ex.add_argument("-o", "--output", default="-", help="JSONL file to write (default: stdout)")
    ex.add_argument("--model", help=f"model name (OpenAI default: {DEFAULT_OPENAI_MODEL})")
    ex.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1")
    ex.add_argument(
        "--mode",
        choices=sorted(MODES),
        help="how answers are constrained (default: tools for OpenAI, json for "
        "--base-url, json_grammar for the embedded model)",
    )
    ex.add_argument(
        "--strategy",
        choices=["article", "sentences"],
        help="one call per article/chunk, or per sentence (default: sentences for "
        "the embedded model, article otherwise)",
    )
    ex.add_argument("--gguf", help="run this local GGUF model on the embedded server instead")
    ex.add_argument("--prompts", help="directory of prompt templates overriding the built-in ones")
    ex.add_argument(
        "--reasks", type=int, default=1, help="re-asks when an answer fails validation (default: 1)"
    )
    ex.add_argument(
        "--timeout", type=float, default=120.0, help="seconds per request (default: 120)"
    )
    ex.add_argument(
        "--context-sentences",
        type=int,
        default=2,
        help="sentences of context before each sentence (default: 2)",
    )
    ex.add_argument(
        "--max-chunk-chars",
        type=int,
        default=6000,
        help="longer articles are split into chunks of this size (default: 6000)",
    )
    ex.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")


def run(args: argparse.Namespace) -> int:
    from extractor.api import Extractor  # keeps `--help` and `schema` light

    items = list(articles.load(args.paths))
    results: list[ArticleResult] = []
    with (
        _open_output(args.output) as out,
        Extractor(
            model=args.model,
            base_url=args.base_url,
            mode=args.mode,
            strategy=args.strategy,
            gguf=args.gguf,
            prompts_dir=args.prompts,
            reasks=args.reasks,
            timeout=args.timeout,
            max_chunk_chars=args.max_chunk_chars,
            context_sentences=args.context_sentences,
        ) as extractor,
    ):
        for article in items:
            result = extractor.run(article)
            out.write(result.model_dump_json() + "\n")  # one write per line: no torn lines
            out.flush()
            results.append(result)
            if result.error:
                print(f"extractor: {article.path}: {result.error.message}", file=sys.stderr)
    if not args.quiet:
        print_summary(results, sys.stderr)
    return 1 if any(r.error for r in results) else 0


class _open_output:
    """stdout for "-", else the file, created with its parent directory."""

    def __init__(self, target: str) -> None:
        self.target = target
        self.handle: TextIO | None = None

    def __enter__(self) -> TextIO:
        if self.target == "-":
            return sys.stdout
        path = Path(self.target)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self.handle = path.open("w", encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"-o {self.target}: cannot write ({exc.strerror}).") from exc
        return self.handle

    def __exit__(self, *exc: object) -> None:
        if self.handle:
            self.handle.close()
