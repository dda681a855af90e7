"""The terminal side of a long `extract` run: a progress bar on stderr while it runs, and
the run's totals (articles, requests, cache, tokens, estimated cost) at the end.

Each failed article gets one line, `PATH: message`; the articles recorded without being
run (the embedded server died, or the server could not be reached several times in a
row) get one line for them all, when the first of them comes."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TextIO

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from extractor.errors import NOT_RUN
from extractor.runtime import costs
from extractor.runtime.cache import Cache
from extractor.runtime.costs import Estimate
from extractor.schemas import ArticleResult, Usage


class RunProgress:
    """Counts results as they are written; draws a bar when stderr is a terminal."""

    def __init__(self, total: int, stream: TextIO, *, show: bool) -> None:
        self.console = Console(file=stream, highlight=False, width=None if show else 120)
        self.total = total
        self.done = self.failed = 0
        self.crashed = 0  # articles failed with model_crashed: the embedded server died
        self.not_run = 0  # articles recorded without a request: the server was gone
        self.usage = Usage()
        self.started = time.monotonic()
        self._bar: Progress | None = None
        self._task: TaskID | None = None
        if show and self.console.is_terminal:
            self._bar = Progress(
                TextColumn("extract"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[failed]} failed"),
                TextColumn("{task.fields[tokens]:,} tokens"),
                TimeElapsedColumn(),
                TextColumn("{task.fields[rate]:.2f} articles/s"),
                console=self.console,
                transient=True,
            )

    def __enter__(self) -> RunProgress:
        self.started = time.monotonic()
        if self._bar is not None:
            self._bar.start()
            self._task = self._bar.add_task("extract", total=self.total, failed=0, tokens=0, rate=0)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def add(self, result: ArticleResult) -> None:
        self.done += 1
        self.failed += result.error is not None
        self.usage.add(result.usage)
        error = result.error
        crashed = error is not None and error.kind == "model_crashed"
        self.crashed += crashed
        not_run = error is not None and error.message.startswith(NOT_RUN)
        self.not_run += not_run
        if error and not_run and error.kind != "model_crashed" and self.not_run == 1:
            left = self.total - self.done + 1
            self.console.print(
                f"extractor: stopping: the {left} articles left are recorded as not run "
                f"({error.kind}): {escape(error.message[len(NOT_RUN) :])}",
                soft_wrap=True,
            )
        elif error and not not_run and not (crashed and self.crashed > 1):  # told once
            path = result.article.path
            said = error.message  # an input error may name its file already
            line = said if said.startswith(f"{path}:") else f"{path}: {said}"
            self.console.print(f"extractor: {escape(line)}", soft_wrap=True)
        if self._bar is not None and self._task is not None:
            u = self.usage
            self._bar.update(
                self._task,
                completed=self.done,
                failed=self.failed,
                tokens=u.prompt_tokens + u.completion_tokens,
                rate=self.done / max(self.elapsed, 1e-9),
            )

    def summary(
        self,
        model: str,
        cache: Cache | None,
        skipped: int,
        prices: Path | None,
        *,
        unsupported: int = 0,
    ) -> str:
        u, secs = self.usage, self.elapsed
        rate = self.done / max(secs, 1e-9)
        lines = [
            f"run: {self.done} articles in {secs:.1f} s ({rate:.2f} articles/s): "
            f"{self.done - self.failed} ok, {self.failed} failed, {skipped} skipped"
            + (" (already done: --resume)" if skipped else "")
            + (f", {unsupported} files not read (not an article type)" if unsupported else "")
            + (
                f"; {self.crashed} of them model_crashed: the embedded model server died "
                "(see above); once fixed, --resume runs them"
                if self.crashed
                else ""
            )
            + (
                f"; {self.not_run} not run: the server could not be reached (see above); "
                "once it answers, --resume runs them"
                if self.not_run and not self.crashed
                else ""
            )
        ]
        asked = f"{u.requests} requests"
        if cache is not None:
            asked += (
                f" (from the cache: {cache.result_hits} whole articles, {cache.hits} more "
                f"answers; {cache.path})"
            )
        spent = costs.cost(u, model, prices)
        if spent is None:
            money = "cost unknown"
        else:
            money = "no cost (priced at 0)" if spent == 0 else f"${spent:.4f} at list price"
        lines.append(
            f"run: {asked}; {u.prompt_tokens:,} prompt + {u.completion_tokens:,} completion "
            f"tokens; {money} ({model})"
        )
        return "\n".join(lines)


def describe(est: Estimate) -> str:
    """One paragraph for stderr: what a run would send and cost."""
    span = est.cost_range
    money = (
        f"${span[0]:.4f} to ${span[1]:.4f} at list price"
        if span is not None
        else f"cost unknown: no price for {est.model!r} (add it to prices.json or --prices)"
    )
    return (
        f"estimate: {est.articles} articles, {est.requests} requests "
        f"({est.cached} answered by the cache); about {est.prompt_tokens:,} prompt tokens "
        f"and at most {est.max_completion_tokens:,} completion tokens; {money} ({est.model})"
    )
