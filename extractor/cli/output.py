"""Where a command's data goes: stdout for "-", else a file written whole or not at all.

`output(target, option)` yields a text stream. A file is written to a temporary file
beside it and renamed over it at the end, so a full disk or a kill never leaves half a
report (the old one, if any, stays); a device or FIFO (/dev/stdout, /dev/full) is written
directly. A file that cannot be written is an OutputError naming the option and the file.
Failures writing stdout itself (a closed pipe, a full disk) are `main`'s to report.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from extractor.errors import OutputError


def cannot_write(option: str, target: str, exc: OSError) -> OutputError:
    what = exc.strerror or exc.__class__.__name__
    return OutputError(f"{option} {target}: cannot write ({what}). Check the path and free space.")


@contextlib.contextmanager
def output(target: str, option: str) -> Iterator[TextIO]:
    """stdout for "-", else the file (UTF-8, parent directory created)."""
    if target == "-":
        yield sys.stdout
        return
    path = Path(target)
    if path.exists() and not path.is_file():  # a device or FIFO: no rename over it
        try:
            handle = path.open("w", encoding="utf-8", newline="")
        except OSError as exc:
            raise cannot_write(option, target, exc) from exc
        try:
            with handle:
                yield handle
        except OSError as exc:
            raise cannot_write(option, target, exc) from exc
        return
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise cannot_write(option, target, exc) from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            yield handle
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        raise cannot_write(option, target, exc) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
