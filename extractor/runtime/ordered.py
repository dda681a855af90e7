"""Many articles at once on one event loop, results in input order.

Up to `concurrency` articles run at the same time. Results come out in input order: one
that finishes early waits in a reorder buffer until those before it are done, so the
output of a run does not depend on timing (and is the same at any concurrency). The
buffer is bounded: no article starts more than `lookahead` places ahead of the oldest
unfinished one. With `ordered=False` results come out as each article completes.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncGenerator, Awaitable, Callable, Iterable
from typing import TypeVar

A = TypeVar("A")
R = TypeVar("R")


async def run_concurrently(
    run_one: Callable[[A], Awaitable[R]],
    items: Iterable[A],
    concurrency: int,
    *,
    ordered: bool = True,
    lookahead: int | None = None,
) -> AsyncGenerator[R, None]:
    """Yield `await run_one(item)` for every item. An exception from `run_one` cancels the
    articles still running and propagates; so does stopping the iteration early."""
    window = lookahead or max(8 * concurrency, 16)
    source = iter(enumerate(items))
    running: dict[asyncio.Task[R], int] = {}
    finished: dict[int, R] = {}
    next_out = next_in = 0
    exhausted = False
    try:
        while True:
            while (
                not exhausted
                and len(running) < concurrency
                and (not ordered or next_in - next_out < window)
            ):
                item = next(source, None)
                if item is None:
                    exhausted = True
                    break
                next_in = item[0] + 1
                running[asyncio.ensure_future(run_one(item[1]))] = item[0]
            if not running:
                break
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                finished[running.pop(task)] = task.result()
            if not ordered:
                for i in sorted(finished):
                    yield finished.pop(i)
                continue
            while next_out in finished:
                yield finished.pop(next_out)
                next_out += 1
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.gather(*running, return_exceptions=True)
