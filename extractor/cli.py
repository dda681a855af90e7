"""Command line: `extractor extract` and `extractor schema`.

Data goes to stdout (or -o), progress, summaries and warnings to stderr. Exit codes:
0 every article extracted; 1 some article failed (each recorded with its `error`);
2 nothing could run (bad option, missing file, no model); 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
from pathlib import Path
from typing import TextIO

from extractor import articles
from extractor.errors import ConfigError, ExtractorError
from extractor.llm import DEFAULT_OPENAI_MODEL, MODES
from extractor.schemafiles import write_schemas
from extractor.schemas import ArticleResult
from extractor.summary import print_summary

EPILOG = """model choice: --base-url URL (any OpenAI-compatible server: Ollama, vLLM, llama.cpp,
LM Studio) > OpenAI (--model or OPENAI_API_KEY) > the embedded SmolLM2-135M model
(offline, for an end-to-end run; its answers are poor)."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Grounded stance, condition and claim records from news articles.",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("extract", help="articles in, JSONL records out", epilog=EPILOG)
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

    sc = sub.add_parser("schema", help="print or write the JSON Schema of the records")
    sc.add_argument("--write", metavar="DIR", help="write the schema files into DIR")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    # instructor logs every failed attempt; the records' warnings already say what was dropped
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    signal.signal(signal.SIGTERM, _terminate)  # run cleanups (the embedded server) on SIGTERM
    try:
        if args.command == "schema":
            return _schema(args)
        return _extract(args)
    except ExtractorError as exc:
        print(f"extractor: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("extractor: interrupted; records written so far are complete lines.", file=sys.stderr)
        return 130


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _schema(args: argparse.Namespace) -> int:
    if args.write:
        for path in write_schemas(Path(args.write)):
            print(path, file=sys.stderr)
    else:
        print(json.dumps(ArticleResult.model_json_schema(), indent=2))
    return 0


def _extract(args: argparse.Namespace) -> int:
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


if __name__ == "__main__":
    sys.exit(main())
