"""Ctrl-C and SIGTERM: say at once that the program is stopping, let cleanups run (the
embedded server, the output file), and end at once on a second signal.

`Interrupted` is a KeyboardInterrupt that carries what the command had done and how to
go on (`extract` says how to resume); `main` prints it as the last line.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from types import FrameType

EXIT_INTERRUPTED = 130


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, with what the command had done and how to go on."""


class Stopping:
    """The SIGINT / SIGTERM handler: the first says at once that the program is stopping
    (cleanups still run); a second one ends the process at once."""

    def __init__(self) -> None:
        self.signals = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.signals += 1
        if self.signals > 1:
            say("extractor: stopped at once; the lines written so far are whole.")
            os._exit(EXIT_INTERRUPTED)
        what = "Ctrl-C" if signum == signal.SIGINT else signal.Signals(signum).name
        say(f"extractor: stopping ({what}; once more to quit at once) ...")
        raise KeyboardInterrupt


def say(line: str) -> None:
    """A line on stderr; nothing when stderr itself is closed (`2>&1 | head`)."""
    with contextlib.suppress(OSError, ValueError):
        print(line, file=sys.stderr, flush=True)
