"""`extractor doctor`: one line per check of the model the options select, on stdout.

Exit 0 when every check passed, which includes a one-token answer from the selected model;
1 when one failed (its line says what to do). Takes the model options of `extract`. The
optional input kinds are listed last, installed or not (never a failure).
"""

from __future__ import annotations

import argparse
import sys

from extractor import strategies
from extractor.backends.client import MODES
from extractor.cli.extract import add_threads_argument
from extractor.inputs import extras

HELP = "check the model the options select: installed, built for this CPU, answering"
EPILOG = """checks: which model the options select and where it is served; for the embedded
model: installed, its GGUF path and size, the llama-cpp-python version, the CMAKE_ARGS it
was built with, the CPU features compiled in (and any this CPU lacks), the thread count,
the server's start; then a completion of one token and how long it took. Last, which
optional inputs (feeds, PDF, DOCX) are installed, and the pip install for those that are not.

Same model options as `extract`. Exit 0 only when the selected model answers."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-m", "--model", help="model name, as for `extract`")
    parser.add_argument("--base-url", help="OpenAI-compatible server, as for `extract`")
    parser.add_argument("--mode", choices=sorted(MODES), help="as for `extract`")
    parser.add_argument("--gguf", help="check this local GGUF model on the embedded server")
    parser.add_argument("--timeout", type=float, help="seconds for the one-token answer")
    parser.add_argument("--context-tokens", type=int, help="as for `extract`")
    parser.add_argument("--strategy", choices=strategies.names(), help="as for `extract`")
    add_threads_argument(parser)


def run(args: argparse.Namespace) -> int:
    from extractor.cli.checks import diagnose  # imports the pipeline: keeps `--help` light
    from extractor.options import Options

    failed = 0
    settings = getattr(args, "config_file", None)
    if settings is not None:  # options the command line left out came from there
        print(f"info  settings: {settings}", flush=True)
    options = Options(
        model=args.model,
        base_url=args.base_url,
        mode=args.mode,
        gguf=args.gguf,
        timeout=args.timeout,
        context_tokens=args.context_tokens,
        threads=args.threads,
        strategy=args.strategy,
    )
    for check in diagnose(options):
        failed += check.status == "fail"
        label = "FAIL" if check.status == "fail" else check.status
        print(f"{label:<5} {check.name}: {check.detail}", flush=True)
    for installed, name, detail in extras.report():  # optional inputs: never a failure
        print(f"{'ok' if installed else 'info':<5} {name} input: {detail}", flush=True)
    if failed:
        print(f"extractor doctor: {failed} check failed: see the FAIL line.", file=sys.stderr)
        return 1
    return 0
