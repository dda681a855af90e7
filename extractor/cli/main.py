"""Command line entry point: `extractor COMMAND ...`.

Data goes to stdout (or -o), progress, summaries and warnings to stderr. Exit codes:
0 success; 1 some article failed (each recorded with its `error`); 2 nothing could run
(bad option, missing file, no model); 130 interrupted. Each subcommand lives in
`extractor/cli/`.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import signal
import sys
from types import ModuleType

from extractor.backends.redact import RedactingFilter, redact
from extractor.cli import COMMANDS
from extractor.errors import ExtractorError


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"extractor.cli.{name}")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="extractor",
        description="Grounded stance, condition and claim records from news articles.",
    )
    parser.add_argument(
        "--debug",
        action="store_true",
        help="log requests, retries and tracebacks to stderr (API keys redacted)",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        module = _command(name)
        module.add_arguments(
            sub.add_parser(
                name,
                help=module.HELP,
                epilog=getattr(module, "EPILOG", None),
                formatter_class=argparse.RawDescriptionHelpFormatter,
            )
        )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    _setup_logging(args.debug)
    signal.signal(signal.SIGTERM, _terminate)  # run cleanups (the embedded server) on SIGTERM
    try:
        return int(_command(args.command).run(args))
    except ExtractorError as exc:
        if args.debug:
            logging.getLogger("extractor").debug("failure", exc_info=True)
        print(f"extractor: {redact(str(exc))}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("extractor: interrupted; records written so far are complete lines.", file=sys.stderr)
        return 130


def _setup_logging(debug: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.addFilter(RedactingFilter())
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.DEBUG if debug else logging.WARNING)
    if not debug:
        # instructor logs every failed attempt; the records' warnings already say what
        # was dropped, and the article's error what failed.
        logging.getLogger("instructor").setLevel(logging.CRITICAL)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
