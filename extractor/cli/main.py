"""Command line entry point: `extractor COMMAND ...` (also `python -m extractor`).

Data goes to stdout (or -o), progress, summaries and warnings to stderr. Exit codes:
0 success; 1 some article failed (each recorded with its `error`); 2 nothing could run
(bad option, missing file, no model, output that cannot be written); 130 interrupted;
141 stdout was closed early (`| head`), quietly, as for a process ended by SIGPIPE.
Each subcommand lives in `extractor/cli/`.

Every failure a user can cause is one line on stderr: an ExtractorError's message, an
unknown option or command with the closest known one ("did you mean"), a closed pipe
(nothing), a full disk on stdout. Ctrl-C (or SIGTERM) says at once that the program is
stopping; a second one ends it at once. The settings file (`extractor/cli/config.py`)
gives defaults that the command line overrides.
"""

from __future__ import annotations

import argparse
import errno
import importlib
import importlib.metadata
import logging
import os
import re
import signal
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import NoReturn

from extractor.backends.redact import RedactingFilter, redact
from extractor.cli import COMMANDS
from extractor.cli.config import apply_config
from extractor.cli.signals import EXIT_INTERRUPTED, Interrupted, Stopping, say
from extractor.cli.typos import closest
from extractor.errors import ExtractorError, command_line

EXIT_PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for `yes | head`
_WRITE_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO, errno.EROFS}


class Parser(argparse.ArgumentParser):
    """argparse that names the closest known command, choice or option on a typo."""

    def error(self, message: str) -> NoReturn:
        bad = re.search(r"invalid choice: '([^']*)' \(choose from (.*)\)", message)
        if bad:
            close = closest(bad.group(1), re.findall(r"'([^']*)'", bad[2]))
            if close:
                message += f"; did you mean {close!r}?"
        super().error(message)

    def reject_unknown(self, extras: list[str], also: Parser | None = None) -> NoReturn:
        """An error for arguments this (sub)parser (or `also`, the top level) does not
        know, with a suggestion."""
        actions = [*self._actions, *(also._actions if also else [])]
        known = [s for action in actions for s in action.option_strings]
        for extra in extras:
            if extra.startswith("-"):
                name = extra.split("=", 1)[0]
                close = closest(name, known)
                hint = f"; did you mean {close}?" if close else f" (see {self.prog} --help)"
                self.error(f"unrecognized option {name}{hint}")
        self.error(f"unrecognized arguments: {' '.join(extras)}")


def _version() -> str:
    try:
        return importlib.metadata.version("extractor")
    except importlib.metadata.PackageNotFoundError:
        return "unknown (not installed)"


def _command(name: str) -> ModuleType:
    return importlib.import_module(f"extractor.cli.{name}")


def build_parser() -> Parser:
    parser = Parser(
        prog="extractor",
        description="Grounded stance, condition and claim records from news articles.",
    )
    parser.add_argument("--version", action="version", version=f"extractor {_version()}")
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


def parse(argv: Sequence[str] | None) -> tuple[argparse.Namespace, dict[str, list[str]]]:
    """The arguments, and the choices each option of the command takes (to check the
    settings file's values against). An unknown option is named with the closest one the
    command (or step: `batch prepare`) knows."""
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    command = parser
    while True:  # down to the innermost (sub)command given
        step = next(
            (a for a in command._actions if isinstance(a, argparse._SubParsersAction)), None
        )
        if step is None or getattr(args, step.dest, None) is None:
            break
        inner = step.choices[getattr(args, step.dest)]
        assert isinstance(inner, Parser)  # add_parser makes the parser's own class
        command = inner
    if extras:
        command.reject_unknown(extras, also=parser)
    choices = {a.dest: list(a.choices) for a in command._actions if a.choices and a.option_strings}
    return args, choices


def main(argv: list[str] | None = None) -> int:
    args, choices = parse(argv)
    _setup_logging(args.debug)
    stopping = Stopping()
    signal.signal(signal.SIGTERM, stopping)  # run cleanups (the embedded server) on SIGTERM
    previous = signal.signal(signal.SIGINT, stopping)
    try:
        with command_line():
            apply_config(args, choices)
            code = int(_command(args.command).run(args))
            sys.stdout.flush()
            return code
    except ExtractorError as exc:
        if args.debug:
            logging.getLogger("extractor").debug("failure", exc_info=True)
        say(f"extractor: {redact(str(exc))}")
        return exc.exit_code
    except KeyboardInterrupt as exc:
        said = str(exc) if isinstance(exc, Interrupted) else ""
        say(f"extractor: interrupted; {said or 'the lines written so far are whole.'}")
        return EXIT_INTERRUPTED
    except BrokenPipeError:  # `| head` has read enough: stop quietly
        _silence_stdout()
        return EXIT_PIPE_CLOSED
    except OSError as exc:
        if args.debug:
            logging.getLogger("extractor").debug("failure", exc_info=True)
        if exc.errno in _WRITE_ERRORS and exc.filename is None:
            _silence_stdout()
            say(f"extractor: cannot write to standard output ({exc.strerror}).")
        else:
            where = f"{exc.filename}: " if exc.filename else ""
            say(f"extractor: {where}{exc.strerror or exc}. (--debug shows where.)")
        return 2
    finally:
        signal.signal(signal.SIGINT, previous)


def _silence_stdout() -> None:
    """stdout points at /dev/null from now on, so the interpreter's last flush of what
    is still buffered neither fails nor prints "Exception ignored"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


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


if __name__ == "__main__":
    sys.exit(main())
