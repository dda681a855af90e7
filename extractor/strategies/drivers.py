"""The drivers: each runs any strategy's plan (extractor.strategies.plan), asking its
questions one way.

- `run`: one after another, through `ask(question)`.
- `arun`: on the event loop, each round's questions at once through `aask(question)`
  (the caller's `aask` bounds the requests in flight).
- `batch`: answers looked up in `answered(question)` (the batch path: answers the batch
  results put in the cache); at the first round with an unanswered question it stops
  and returns that round's unanswered questions, which the next batch must ask.
- `estimate`: nothing is asked; every question the plan would hand out, counted with
  the plan sizing its later rounds as if typical answers had come.

Each gives the plan the replies in question order, so the records never depend on timing.
A lenient question's unusable answer (InvalidOutput) is handed to the plan, which records
a warning; any other question's fails the article at once (in `arun`, the rest of the
round is cancelled: no request goes on for an article that has already failed).
`progress(answered, asked)` after each answered question, counting every round so far.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic import BaseModel

from extractor.errors import InvalidOutput
from extractor.strategies.plan import UNASKED, Answer, Progress, Question, Records, Reply, Steps

T = TypeVar("T")
Ask = Callable[[Question], BaseModel]
AsyncAsk = Callable[[Question], Awaitable[BaseModel]]
Answered = Callable[[Question], BaseModel | None]


@dataclass(frozen=True)
class Pending:
    """What `batch` could not answer: the plan's round (1 is the first) and the questions
    of it that no answer is known for yet."""

    round: int
    questions: list[Question]


class _Count:
    def __init__(self, progress: Progress | None) -> None:
        self.progress = progress
        self.asked = 0
        self.answered = 0

    def round(self, qs: list[Question]) -> list[Question]:
        self.asked += len(qs)
        return qs

    def one(self) -> None:
        self.answered += 1
        if self.progress is not None:
            self.progress(self.answered, self.asked)


def run(steps: Steps, ask: Ask, progress: Progress | None = None) -> Records:
    """The plan's records, each question asked in turn."""
    count = _Count(progress)
    try:
        qs = next(steps)
        while True:
            qs = steps.send([_answer(ask, q, count) for q in count.round(qs)])
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


async def arun(steps: Steps, aask: AsyncAsk, progress: Progress | None = None) -> Records:
    """The plan's records, each round's questions asked at once."""
    count = _Count(progress)
    try:
        qs = next(steps)
        while True:
            asked = [_aanswer(aask, q, count) for q in count.round(qs)]
            answers: list[Answer] = await all_or_none(asked)
            qs = steps.send(answers)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def batch(steps: Steps, answered: Answered) -> Records | Pending:
    """The plan's records when every answer is known, else the first round's missing."""
    n = 1
    try:
        qs = next(steps)
        while True:
            replies = [answered(q) for q in qs]
            missing = [q for q, a in zip(qs, replies, strict=True) if a is None]
            if missing:
                steps.close()
                return Pending(n, missing)
            qs = steps.send(list(replies))  # type: ignore[arg-type]
            n += 1
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]


def estimate(steps: Steps) -> list[Question]:
    """Every question the plan hands out, nothing asked."""
    every: list[Question] = []
    try:
        qs = next(steps)
        while True:
            every += qs
            unasked: list[Reply] = [UNASKED] * len(qs)
            qs = steps.send(unasked)
    except StopIteration:
        return every


def _answer(ask: Ask, q: Question, count: _Count) -> Answer:
    try:
        draft = ask(q)
    except InvalidOutput as exc:
        if not q.lenient:
            raise
        return exc
    count.one()
    return draft


async def _aanswer(aask: AsyncAsk, q: Question, count: _Count) -> Answer:
    try:
        draft = await aask(q)
    except InvalidOutput as exc:
        if not q.lenient:
            raise
        return exc
    count.one()
    return draft


async def all_or_none(coros: list[Coroutine[Any, Any, T]]) -> list[T]:
    """Run `coros` concurrently; the first error cancels the others and is raised."""
    if len(coros) == 1:  # the common case: no task to spawn
        return [await coros[0]]
    tasks = [asyncio.create_task(c) for c in coros]
    try:
        return list(await asyncio.gather(*tasks))
    except BaseException:
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        raise
