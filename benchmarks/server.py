"""The benchmark's OpenAI-compatible server: tests.support.fakeserver.FakeServer in a process
of its own (as a real server is), answering every request with records quoting the
request's own chunk, each distinct answer built once, so answering costs almost nothing.
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.connection import Connection
from multiprocessing.sharedctypes import Synchronized
from typing import Any

from tests.support.fakeanswers import asked, quote_back
from tests.support.fakeserver import FakeServer, Reply


class Instant:
    """Answers at once (or after `delay` seconds); counts requests in `count`."""

    def __init__(self, delay: float = 0.0, count: Synchronized[int] | None = None) -> None:
        self.delay = delay
        self.count = count
        self.memo: dict[tuple[str, bool], Any] = {}

    def __call__(self, request: dict[str, Any]) -> Reply:
        if self.count is not None:
            with self.count.get_lock():
                self.count.value += 1
        key = (asked(request)[1], bool(request.get("tools")))
        if key not in self.memo:
            self.memo[key] = quote_back(request).body
        return Reply(body=self.memo[key], delay=self.delay)


def _serve(delay: float, count: Synchronized[int], pipe: Connection) -> None:
    with FakeServer(Instant(delay, count)) as server:
        pipe.send(server.base_url)
        pipe.recv()  # until the parent says stop (or goes away)


class ServerProcess:
    """`with ServerProcess(delay) as s:` then `s.base_url`, `s.requests`."""

    def __init__(self, delay: float = 0.0) -> None:
        ctx = mp.get_context("fork")
        self._count: Synchronized[int] = ctx.Value("i", 0)  # type: ignore[assignment]
        self._pipe, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(delay, self._count, child), daemon=True)
        self.base_url = ""

    @property
    def requests(self) -> int:
        return int(self._count.value)

    def __enter__(self) -> ServerProcess:
        self._proc.start()
        self.base_url = self._pipe.recv()
        return self

    def __exit__(self, *exc: object) -> None:
        self._pipe.send("stop")
        self._proc.join(timeout=10)
        if self._proc.is_alive():
            self._proc.kill()
