"""`extractor extract`: articles in, JSONL records out."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from extractor import strategies
from extractor.backends.client import DEFAULT_OPENAI_MODEL, MODES
from extractor.backends.embedded import available_cores
from extractor.cli import inputs
from extractor.cli.progress import RunProgress, describe
from extractor.cli.signals import Interrupted
from extractor.cli.summary import print_summary
from extractor.pipeline.articles import Article
from extractor.results.jsonl import JsonlWriter, resume_done
from extractor.runtime.cache import default_path
from extractor.schemas import ArticleResult

if TYPE_CHECKING:
    from extractor.api import Extractor

HELP = "articles in, JSONL records out"
EPILOG = """inputs: files, directories, URLs (web pages, RSS/Atom feeds), - (standard input),
--urls FILE. Feeds, PDF and DOCX need extras: pip install 'extractor[inputs]' (or
[feeds], [pdf], [docx]). Files of a directory that are not articles are skipped and listed.

model choice: --base-url URL (any OpenAI-compatible server: Ollama, vLLM, llama.cpp,
LM Studio) > OpenAI (--model or OPENAI_API_KEY) > the embedded SmolLM2-135M model
(offline, for an end-to-end run; its answers are poor).

output: one line per article, in input order at any --concurrency, each written whole as
soon as the articles before it are done. Answers are cached (default cache:
$XDG_CACHE_HOME/extractor/answers.sqlite), so a rerun asks the model nothing it asked
before. --resume continues a stopped run: articles already complete in -o FILE are
skipped, articles that failed are run again."""

DETAIL_UP_TO = 20  # per-article summaries for runs this small; totals only above


def add_arguments(ex: argparse.ArgumentParser) -> None:
    inputs.add_arguments(ex)
    ex.add_argument("-o", "--output", default="-", help="JSONL file to write (default: stdout)")
    ex.add_argument("-m", "--model", help=f"model name (OpenAI default: {DEFAULT_OPENAI_MODEL})")
    ex.add_argument("--base-url", help="OpenAI-compatible server, e.g. http://localhost:11434/v1")
    ex.add_argument(
        "--mode",
        choices=sorted(MODES),
        help="how answers are constrained (default: tools for OpenAI, json for "
        "--base-url, json_grammar for the embedded model)",
    )
    ex.add_argument("--strategy", choices=strategies.names(), help=strategies.describe())
    ex.add_argument(
        "--pipeline",
        help="spaCy pipeline a strategy that reads the parse (agenda) uses: an installed package "
        "or a path (default: $EXTRACTOR_PIPELINE, else English en_core_web_sm)",
    )
    ex.add_argument(
        "--min-confidence",
        type=float,
        metavar="X",
        help="leave out stances below this confidence (0-1; parse and model agreeing 0.9, "
        "parse 0.7, hedged parse 0.4, model only 0.3; default 0.5 for agenda, else 0)",
    )
    ex.add_argument("--gguf", help="run this local GGUF model on the embedded server instead")
    add_threads_argument(ex)
    ex.add_argument("--prompts", help="directory of prompt templates overriding the built-in ones")
    ex.add_argument(
        "--reasks", type=int, default=1, help="re-asks when an answer fails validation (default: 1)"
    )
    ex.add_argument(
        "--timeout",
        type=float,
        default=None,
        help="seconds per request (default: 120; 600 for the embedded model on the CPU)",
    )
    ex.add_argument(
        "--context-sentences",
        type=int,
        default=2,
        help="sentences of context before each sentence (default: 2)",
    )
    ex.add_argument(
        "--chunk-tokens",
        type=int,
        default=1500,
        help="longer articles are split into overlapping chunks of about this many tokens "
        "(estimated as UTF-8 bytes / 4; fewer when the model's context is small; default 1500)",
    )
    ex.add_argument(
        "--context-tokens",
        type=int,
        help="the model's context window (default: 8192 for the embedded model, known for "
        "OpenAI models, else 8192)",
    )
    ex.add_argument(
        "--concurrency",
        type=int,
        help="requests (and articles) in flight at once (default: 1). A paid API or a "
        "server with several slots: try 8. The embedded model answers one at a time",
    )
    cache = ex.add_mutually_exclusive_group()
    cache.add_argument(
        "--cache", metavar="PATH", help=f"SQLite cache of answers (default: {default_path()})"
    )
    cache.add_argument("--no-cache", action="store_true", help="ask the model every time")
    ex.add_argument(
        "--resume",
        action="store_true",
        help="skip articles already complete in -o FILE and append the rest",
    )
    ex.add_argument(
        "--dry-run",
        action="store_true",
        help="count requests, tokens and cost, send nothing; the estimate goes to stdout as JSON",
    )
    ex.add_argument(
        "--estimate-over",
        type=int,
        default=50,
        metavar="N",
        help="before a run over more than N articles, show the estimate (default: 50)",
    )
    ex.add_argument("--prices", type=Path, help="price table to use instead of the built-in one")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress or summary on stderr")


def add_threads_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threads",
        type=int,
        help=f"threads of the embedded model (default: {available_cores()}, every core this "
        "process may use); lower it on a machine you share",
    )


class _Run:
    """What a run has got to, for the message when it is interrupted."""

    progress: RunProgress | None = None


def run(args: argparse.Namespace) -> int:
    state = _Run()
    try:
        return _run(args, state)
    except KeyboardInterrupt as exc:
        raise Interrupted(_resume_hint(args, state.progress)) from exc


def _resume_hint(args: argparse.Namespace, progress: RunProgress | None) -> str:
    done = f"{progress.done} of {progress.total} articles done" if progress else "stopped early"
    if args.dry_run:
        return f"{done}; nothing was sent."
    if args.output == "-":
        return (
            f"{done}; the lines written are whole. To resume a run, write it to a file "
            "(-o FILE), then rerun the same command with --resume."
        )
    return (
        f"{done}; the lines in {args.output} are whole. Run the same command with --resume "
        "to do the rest."
    )


def _run(args: argparse.Namespace, state: _Run) -> int:
    from extractor.api import Extractor, Options  # keeps `--help` and `schema` light

    # A dry run sends nothing, so OpenAI needs no key: one is passed for this Extractor
    # alone, never put into the environment (where a later Extractor would pick it up).
    openai_dry_run = args.dry_run and args.model and not (args.base_url or args.gguf)
    dry_key = "unused" if openai_dry_run and not os.environ.get("OPENAI_API_KEY") else None
    items = inputs.read(args)
    options = Options(
        api_key=dry_key,
        model=args.model,
        base_url=args.base_url,
        mode=args.mode,
        strategy=args.strategy,
        gguf=args.gguf,
        prompts_dir=args.prompts,
        reasks=args.reasks,
        timeout=args.timeout,
        context_sentences=args.context_sentences,
        chunk_tokens=args.chunk_tokens,
        context_tokens=args.context_tokens,
        cache=None if args.no_cache else (args.cache or default_path()),
        concurrency=args.concurrency,
        threads=args.threads,
        pipeline=args.pipeline,
        min_confidence=args.min_confidence,
    )
    with Extractor(options=options) as extractor:
        # a dry run only looks at what an earlier run wrote; a real one tidies it up first
        done, dropped = (
            resume_done(args.output, rewrite=not args.dry_run) if args.resume else (set(), 0)
        )
        todo = [a for a in items if (a.id, a.sha256) not in done]
        if args.dry_run:
            estimate = extractor.estimate(todo, args.prices)
            print(json.dumps(estimate.as_dict()))
            if not args.quiet:
                print(describe(estimate), file=sys.stderr)
            return 0
        if not args.quiet and args.resume:
            print(
                f"extractor: --resume: {len(items) - len(todo)} articles already in "
                f"{args.output}, {len(todo)} to go ({dropped} unfinished lines dropped)",
                file=sys.stderr,
            )
        if not args.quiet and len(todo) > args.estimate_over:
            print(describe(extractor.estimate(todo, args.prices)), file=sys.stderr)
        progress = state.progress = RunProgress(len(todo), sys.stderr, show=not args.quiet)
        detailed: list[ArticleResult] = []  # for the per-article summary of a small run
        with JsonlWriter(args.output, append=args.resume, stream=sys.stdout) as out, progress:

            def emit(result: ArticleResult) -> None:
                out.write(result)
                progress.add(result)
                if len(todo) <= DETAIL_UP_TO:
                    detailed.append(result)

            if extractor.concurrency == 1:
                for article in todo:
                    emit(extractor.run(article))
            else:
                asyncio.run(_run_async(extractor, todo, emit))
        if not args.quiet:
            if detailed:
                print_summary(detailed, sys.stderr)
            summary = progress.summary(
                extractor.model,
                extractor.cache,
                len(items) - len(todo),
                args.prices,
            )
            print(summary, file=sys.stderr)
    return 1 if progress.failed else 0


async def _run_async(
    extractor: Extractor, todo: list[Article], emit: Callable[[ArticleResult], None]
) -> None:
    stopped = False  # by Ctrl-C: the embedded server is killed, not waited for
    try:
        async for result in extractor.arun_many(todo):
            emit(result)
    except (asyncio.CancelledError, KeyboardInterrupt):
        stopped = True
        raise
    finally:
        await extractor.aclose(at_once=stopped)
