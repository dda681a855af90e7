"""`extractor batch`: the OpenAI Batch API or `vllm run-batch` instead of live requests.

prepare -> submit -> status -> collect, each resumable; see extractor.batchjobs.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from extractor import strategies
from extractor.backends.client import DEFAULT_OPENAI_MODEL, MODES
from extractor.errors import ConfigError, ExtractorError
from extractor.runtime.cache import default_path

HELP = (
    "run articles through the OpenAI Batch API or vllm run-batch: prepare, submit, status, collect"
)
EPILOG = """a complete run (each step can be stopped and run again):
  extractor batch prepare corpus/ --model gpt-4.1-mini --dir run1   # shards + manifest
  extractor batch submit --dir run1                                 # upload, create batches
  extractor batch status --dir run1    # exit 0 done, 1 ended early, 3 running, 4 not submitted
  extractor batch collect --dir run1 -o records.jsonl               # same records as extract
  extractor batch prepare --dir run1   # next round: what collect found unanswered

with vLLM on a GPU box instead of submit/status (prepare with --mode json_schema):
  vllm run-batch -i run1/shards/r1-0001.jsonl -o r1-0001.out.jsonl --model MODEL
  extractor batch collect --dir run1 --results r1-0001.out.jsonl -o records.jsonl

options of each step: `extractor batch STEP --help`. prepare: --dir --model --base-url
--mode --strategy --prompts --reasks --context-sentences --chunk-tokens --context-tokens
--max-requests --max-bytes --dry-run --prices --cache --no-cache; submit, status, cancel:
--dir --api-base (status: --json); collect: --dir --api-base -o --results --reask --cache."""

SHOW_PROBLEMS = 5  # listed on stderr; all of them in problems.jsonl
STATE_STYLE = {"completed": "green", "failed": "red", "expired": "yellow", "cancelled": "yellow"}


def add_arguments(parser: argparse.ArgumentParser) -> None:
    sub = parser.add_subparsers(dest="batch_command", required=True, metavar="STEP")
    prep = sub.add_parser("prepare", help="render every request into batch files + manifest")
    prep.add_argument("paths", nargs="*", metavar="PATH", help="articles (first round only)")
    _dir(prep)
    prep.add_argument("-m", "--model", help=f"model name (OpenAI: e.g. {DEFAULT_OPENAI_MODEL})")
    prep.add_argument(
        "--base-url",
        help="the OpenAI-compatible server the model is known at (cache identity, and where "
        "collect --reask sends); default OpenAI",
    )
    prep.add_argument(
        "--mode",
        choices=sorted(MODES),
        help="as for extract (default tools for OpenAI, json with --base-url); json_schema "
        "for vllm run-batch",
    )
    prep.add_argument("--strategy", choices=strategies.names(), help=strategies.describe())
    prep.add_argument("--prompts", help="directory of prompt templates, as for extract")
    prep.add_argument("--reasks", type=int, help="as for extract (default 1)")
    prep.add_argument("--context-sentences", type=int, help="as for extract (default 2)")
    prep.add_argument("--chunk-tokens", type=int, help="as for extract (default 1500)")
    prep.add_argument("--context-tokens", type=int, help="as for extract")
    prep.add_argument("--max-requests", type=int, default=50_000, help="per shard (max 50,000)")
    prep.add_argument("--max-bytes", type=int, default=200_000_000, help="per shard (max 200 MB)")
    prep.add_argument("--dry-run", action="store_true", help="count and estimate, write nothing")
    prep.add_argument("--prices", type=Path, help="price table instead of the built-in one")
    _cache(prep)
    for name, text in (
        ("submit", "upload each shard and create its batch (skips those already created)"),
        ("status", "each batch's state; exit 0 done, 1 ended early, 3 running, 4 not submitted"),
        ("cancel", "cancel every batch still running"),
    ):
        step = sub.add_parser(name, help=text)
        _dir(step)
        _api(step)
        if name == "status":
            step.add_argument("--json", action="store_true", help="the shards as JSON on stdout")
    col = sub.add_parser("collect", help="download results, write one record per article")
    _dir(col)
    _api(col)
    col.add_argument("-o", "--output", default="-", help="JSONL file to write (default: stdout)")
    col.add_argument(
        "--results",
        nargs="+",
        type=Path,
        default=[],
        metavar="FILE",
        help="vllm run-batch output files to read instead of downloading from the API",
    )
    col.add_argument(
        "--reask",
        action="store_true",
        help="send the requests no batch answered (failed, re-asks) now, synchronously",
    )
    _cache(col, allow_none=False)
    for p in (prep, col):
        p.add_argument("-q", "--quiet", action="store_true", help="nothing on stderr but errors")


def _dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--dir", type=Path, default=Path("batch"), help="batch directory (default: batch)"
    )


def _api(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--api-base",
        help="Batch API base URL (default: the manifest's --base-url, else OpenAI)",
    )


def _cache(p: argparse.ArgumentParser, allow_none: bool = True) -> None:
    group = p.add_mutually_exclusive_group()
    group.add_argument(
        "--cache",
        metavar="PATH",
        help=f"answer cache (default: the one prepare used, else {default_path()})",
    )
    if allow_none:
        group.add_argument("--no-cache", action="store_true", help="write every request")


def run(args: argparse.Namespace) -> int:
    import openai

    step = args.batch_command
    try:
        if step == "prepare":
            return _prepare(args)
        if step == "collect":
            return _collect(args)
        return {"submit": _submit, "status": _status, "cancel": _cancel}[step](args)
    except openai.APIError as exc:
        raise ExtractorError(
            f"batch {step}: the Batch API failed ({' '.join(str(exc).split())[:200]}); run "
            f"`extractor batch {step} --dir {args.dir}` again: it resumes where it stopped."
        ) from exc


def _say(args: argparse.Namespace) -> Any:
    quiet = getattr(args, "quiet", False)
    return lambda text: None if quiet else print(f"extractor: {text}", file=sys.stderr)


def _prepare(args: argparse.Namespace) -> int:
    from extractor.batchjobs.prepare import prepare
    from extractor.cli.progress import describe
    from extractor.runtime.cache import Cache

    options = None
    if args.model:
        options = {
            "model": args.model,
            "base_url": args.base_url,
            "mode": args.mode,
            "strategy": args.strategy,
            "prompts_dir": args.prompts,
            "reasks": 1 if args.reasks is None else args.reasks,
            "context_sentences": 2 if args.context_sentences is None else args.context_sentences,
            "chunk_tokens": args.chunk_tokens or 1500,
            "context_tokens": args.context_tokens,
        }
    elif args.paths:
        raise ConfigError("prepare needs --model: the model the batch runs.")
    if not 1 <= args.max_requests <= 50_000 or not 1 <= args.max_bytes <= 200_000_000:
        raise ConfigError("--max-requests is 1 to 50,000 and --max-bytes 1 to 200,000,000.")
    earlier = _earlier_cache(args.dir) if not args.paths else None
    cache = None if args.no_cache else Cache(args.cache or earlier or default_path())
    try:
        done = prepare(
            args.dir,
            args.paths or None,
            options,
            cache,
            max_requests=args.max_requests,
            max_bytes=args.max_bytes,
            dry_run=args.dry_run,
            prices=args.prices,
        )
    finally:
        if cache is not None:
            cache.close()
    assert done.estimate is not None
    say = _say(args)
    if args.dry_run:
        print(
            json.dumps(
                {
                    "round": done.round,
                    "shards": len(done.shards),
                    **done.estimate.as_dict(),
                    "answered": done.answered,
                    "prices": "batch",
                }
            )
        )
        say(describe(done.estimate).replace("at list price", "at batch price"))
        return 0
    say(
        f"round {done.round}: {done.articles} articles, {done.requests} requests in "
        f"{len(done.shards)} shards under {args.dir}/shards ({done.cached} answered by the "
        f"cache, {done.answered} by earlier rounds, {done.unreadable} articles unreadable)"
    )
    if done.requests:
        say(describe(done.estimate).replace("at list price", "at batch price"))
    return 0


def _earlier_cache(directory: Path) -> str | None:
    """The cache an earlier round used, for the next one."""
    from extractor.batchjobs.manifest import MANIFEST, Manifest

    return Manifest.load(directory).cache if (directory / MANIFEST).exists() else None


def _client(args: argparse.Namespace, manifest: Any) -> Any:
    import openai

    base = args.api_base or manifest.options.get("base_url")
    key = os.environ.get("OPENAI_API_KEY")
    if not base and not key:
        raise ConfigError(
            "The OpenAI Batch API needs OPENAI_API_KEY: set it (or pass --api-base for "
            "another server with a batch API)."
        )
    return openai.OpenAI(base_url=base, api_key=key or "not-needed", timeout=120.0)


def _manifest(args: argparse.Namespace) -> Any:
    from extractor.batchjobs.manifest import Manifest

    return Manifest.load(args.dir)


def _submit(args: argparse.Namespace) -> int:
    from extractor.batchjobs.submit import submit

    manifest = _manifest(args)
    if not any(s.requests for s in manifest.shards):
        _say(args)(
            f"nothing to submit: every request is answered; run `extractor batch collect "
            f"--dir {args.dir}`"
        )
        return 0
    created = submit(args.dir, manifest, _client(args, manifest), _say(args))
    left = [s for s in manifest.shards if not s.batch_id and s.status != "superseded"]
    _say(args)(f"{created} batches created; {len(left)} shards left to submit")
    return 0


def _status(args: argparse.Namespace) -> int:
    from extractor.batchjobs.status import exit_code, refresh

    manifest = _manifest(args)
    refresh(args.dir, manifest, _client(args, manifest))
    if args.json:
        print(json.dumps([asdict(s) for s in manifest.shards]))
    else:
        console = Console(file=sys.stdout)  # the table is the data: stdout
        if not console.is_terminal:  # a log or a pipe: whole ids, no wrapping
            console = Console(file=sys.stdout, width=200)
        console.print(_table(manifest))
    return exit_code(manifest)


def _table(manifest: Any) -> Table:
    table = Table(title="batches")
    for column in ("shard", "round", "requests", "batch", "state", "done", "failed", "errors"):
        table.add_column(column)
    for s in manifest.shards:
        state = s.status or "not submitted"
        style = STATE_STYLE.get(state, "")
        table.add_row(
            escape(s.file),
            str(s.round),
            f"{s.requests:,}",
            escape(s.batch_id or "-"),
            f"[{style}]{state}[/]" if style else state,
            str(s.counts.get("completed", "-")),
            str(s.counts.get("failed", "-")),
            escape("; ".join(s.errors)[:120]),
        )
    return table


def _cancel(args: argparse.Namespace) -> int:
    from extractor.batchjobs.manifest import FINISHED

    manifest = _manifest(args)
    client = _client(args, manifest)
    for s in manifest.shards:
        if s.batch_id and s.status not in FINISHED:
            s.status = client.batches.cancel(s.batch_id).status
            manifest.save(args.dir)
            _say(args)(f"{s.batch_id} ({s.file}): {s.status}")
    return 0


def _collect(args: argparse.Namespace) -> int:
    from extractor.batchjobs.collect import PROBLEMS, BatchCache, collect

    manifest = _manifest(args)
    # nothing was sent (every answer cached, or a strategy that asks nothing): no API
    nothing_sent = not any(s.requests for s in manifest.shards)
    client = None if args.results or nothing_sent else _client(args, manifest)
    if client is not None:
        from extractor.batchjobs.status import refresh

        refresh(args.dir, manifest, client)
    cache = BatchCache(args.cache or manifest.cache or default_path())
    say = _say(args)
    try:
        done = collect(
            args.dir,
            args.output,
            cache,
            client=client,
            results=args.results,
            reask=args.reask,
            say=say,
            stream=sys.stdout,
        )
    finally:
        cache.close()
    r = done.read
    say(
        f"read {r.lines} result lines: {r.answers} answers, {r.failed} failed, "
        f"{r.duplicates} duplicated, {r.foreign} not of this batch, {r.unreadable} unreadable"
    )
    say(
        f"{done.articles} articles: {done.complete} complete, {done.not_answered} waiting for "
        f"another round, {done.failed} failed; {done.problems} requests listed in "
        f"{args.dir / PROBLEMS}" + (f"; {done.sent} sent now (--reask)" if args.reask else "")
    )
    if not args.quiet and done.problems:
        with (args.dir / PROBLEMS).open() as listed:
            for _, line in zip(range(SHOW_PROBLEMS), listed, strict=False):
                p = json.loads(line)
                say(f"  {p['problem']}: {p['article']} {p['custom_id']} {p['detail']}"[:200])
        if done.problems > SHOW_PROBLEMS:
            say(f"  ... and {done.problems - SHOW_PROBLEMS} more in {args.dir / PROBLEMS}")
    return 0 if done.complete == done.articles else 1
