"""The order of the stages for one article, top to bottom: render the questions
(extractor.pipeline.questions), ask them (the injected `Asker`: the runtime's cache in
front of a model client, or any object with `ask` / `aask`), ground each answer
(extractor.grounding), merge the records, and build the article's output line.

`answer_all()` asks the questions one after another, `aanswer_all()` concurrently (bounded
by the caller's semaphore). Both ground the answers in question order, so the result does
not depend on timing. `agenda` asks each chunk's agenda first, then the chunk's sentences
against it. Nothing here knows the model client, the cache or the terminal.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from extractor.errors import ExtractorError, InvalidOutput
from extractor.grounding.agenda import (
    Agenda,
    AgendaDraft,
    ground_agenda,
    resolve_conflicts,
    word_targets,
)
from extractor.grounding.drafts import ArticleDraft, SentenceDraft
from extractor.grounding.merge import merge_claims, merge_stances
from extractor.grounding.records import Grounded, ground_article, ground_sentence
from extractor.pipeline.articles import Article
from extractor.pipeline.parsed import Reading, with_parse
from extractor.pipeline.prompts import Prompts
from extractor.pipeline.questions import (
    Progress,
    Question,
    Records,
    Strategy,
    _after,
    _sentences,
    agenda_questions,
    questions,
    statement_questions,
)
from extractor.schemas import ArticleInfo, ArticleResult, ErrorInfo, Usage

T = TypeVar("T")


class Asker(Protocol):
    """Answers one question with a validated draft (raising InvalidOutput when the model's
    answer is unusable); `aask` on the event loop, `limit` bounding requests in flight."""

    def ask(self, q: Question) -> BaseModel: ...

    async def aask(self, q: Question, limit: asyncio.Semaphore | None = None) -> BaseModel: ...


@dataclass(frozen=True)
class Plan:
    """How an article is asked about: the strategy, its prompts and the chunking; and how
    its parse is read (`reading`)."""

    strategy: Strategy
    prompts: Prompts
    chunk_tokens: int
    overlap_tokens: int
    context_sentences: int
    reading: Reading = field(default_factory=Reading)

    def questions(self, text: str, title: str | None) -> list[Question]:
        return questions(
            self.strategy,
            self.prompts,
            text,
            title,
            chunk_tokens=self.chunk_tokens,
            overlap_tokens=self.overlap_tokens,
            context_sentences=self.context_sentences,
        )

    def _phases(self) -> dict[str, int]:
        return {
            "chunk_tokens": self.chunk_tokens,
            "overlap_tokens": self.overlap_tokens,
            "context_sentences": self.context_sentences,
        }


def extract_records(
    asker: Asker, plan: Plan, article: Article, progress: Progress | None = None
) -> Records:
    """One article through every stage; an ExtractorError of a stage propagates."""
    text, title = _readable(article)
    if plan.strategy == "agenda":
        found = answer_agenda(asker, plan.prompts, text, title, **plan._phases(), progress=progress)
    else:
        found = answer_all(asker, plan.questions(text, title), text, progress)
    return with_parse(plan.reading, text, merged(found))


async def aextract_records(
    asker: Asker,
    plan: Plan,
    article: Article,
    limit: asyncio.Semaphore | None,
    progress: Progress | None = None,
) -> Records:
    """`extract_records` on the event loop: the article's requests go out concurrently."""
    text, title = _readable(article)
    if plan.strategy == "agenda":
        found = await aanswer_agenda(
            asker, plan.prompts, text, title, limit, **plan._phases(), progress=progress
        )
    else:
        qs = plan.questions(text, title)
        found = await aanswer_all(asker, qs, text, limit, progress)
    return with_parse(plan.reading, text, merged(found))


def known_questions(
    plan: Plan, text: str, title: str | None, answered: Callable[[Question], BaseModel | None]
) -> list[Question]:
    """Every question of an article that can be rendered now, for a batch: all of them for
    `article` and `sentences`; for `agenda`, a chunk's sentences once `answered` (a cache
    lookup) gives the chunk's agenda, else the agenda question itself."""
    if plan.strategy != "agenda":
        return plan.questions(text, title)
    qs = agenda_questions(plan.prompts, text, title, plan.chunk_tokens, plan.overlap_tokens)
    spans = _sentences(text, plan.chunk_tokens)
    out: list[Question] = []
    for i, q in enumerate(qs):
        draft = answered(q)
        if draft is None:
            out.append(q)
            continue
        agenda = _agenda(draft, q, text, Grounded([], [], []))
        out += statement_questions(
            plan.prompts,
            text,
            title,
            agenda,
            q.window,
            _after(qs, i),
            spans,
            plan.context_sentences,
        )
    return out


def _readable(article: Article) -> tuple[str, str | None]:
    if article.error:
        raise article.error
    return article.text, article.title


def merged(found: Grounded) -> Records:
    """Merge the records of all chunks or sentences."""
    return Records(
        stances=merge_stances(found.stances),
        claims=merge_claims(found.claims),
        warnings=found.warnings,
    )


def answer_agenda(
    asker: Asker,
    prompts: Prompts,
    text: str,
    title: str | None,
    *,
    chunk_tokens: int,
    overlap_tokens: int,
    context_sentences: int,
    progress: Progress | None = None,
) -> Grounded:
    out = Grounded([], [], [])
    qs = agenda_questions(prompts, text, title, chunk_tokens, overlap_tokens)
    spans = _sentences(text, chunk_tokens)
    for i, q in enumerate(qs):
        try:
            draft: BaseModel | InvalidOutput = asker.ask(q)
        except InvalidOutput as exc:
            draft = exc
        agenda = _agenda(draft, q, text, out)
        sqs = statement_questions(
            prompts, text, title, agenda, q.window, _after(qs, i), spans, context_sentences
        )
        _extend(out, answer_all(asker, sqs, text, progress))
    return _settled(out, text)


async def aanswer_agenda(
    asker: Asker,
    prompts: Prompts,
    text: str,
    title: str | None,
    limit: asyncio.Semaphore | None,
    *,
    chunk_tokens: int,
    overlap_tokens: int,
    context_sentences: int,
    progress: Progress | None = None,
) -> Grounded:
    """`answer_agenda` on the event loop: chunks at once, each chunk's sentences at once."""
    qs = agenda_questions(prompts, text, title, chunk_tokens, overlap_tokens)
    spans = _sentences(text, chunk_tokens)

    async def chunk(i: int, q: Question) -> Grounded:
        part = Grounded([], [], [])
        try:
            draft: BaseModel | InvalidOutput = await asker.aask(q, limit)
        except InvalidOutput as exc:
            draft = exc
        agenda = _agenda(draft, q, text, part)
        sqs = statement_questions(
            prompts, text, title, agenda, q.window, _after(qs, i), spans, context_sentences
        )
        _extend(part, await aanswer_all(asker, sqs, text, limit, progress))
        return part

    out = Grounded([], [], [])
    for part in await _all_or_none([chunk(i, q) for i, q in enumerate(qs)]):
        _extend(out, part)
    return _settled(out, text)


def _agenda(draft: BaseModel | InvalidOutput, q: Question, text: str, out: Grounded) -> Agenda:
    """The grounded agenda of a chunk. An unusable answer, or one that names no actor of
    the text, leaves the chunk's sentences unasked; the warnings say so."""
    if isinstance(draft, InvalidOutput):
        out.warnings.append(f"agenda of the chunk at {q.span[0]}: {draft}")
        return Agenda((), ())
    assert isinstance(draft, AgendaDraft)
    agenda, warnings = ground_agenda(draft, text, q.window)
    out.warnings.extend(warnings)
    if not agenda.actors:
        out.warnings.append(
            f"the agenda of the chunk at {q.span[0]} names no actor of the text: "
            "its sentences were not asked"
        )
    return agenda


def _settled(found: Grounded, text: str) -> Grounded:
    """One position per actor and agenda item (see extractor.grounding.agenda.resolve_conflicts),
    then each target in its sentences' own words (`word_targets`)."""
    stances, warnings = resolve_conflicts(merge_stances(found.stances))
    stances = word_targets(stances, text)
    return Grounded(stances, found.claims, [*found.warnings, *warnings])


def answer_all(
    asker: Asker, qs: list[Question], text: str, progress: Progress | None = None
) -> Grounded:
    out = Grounded([], [], [])
    for n, q in enumerate(qs, 1):
        try:
            draft = asker.ask(q)
        except InvalidOutput as exc:
            if not q.lenient:
                raise
            out.warnings.append(f"sentence at {q.span[0]}: {exc}")
            continue
        _extend(out, _ground(q, draft, text))
        if progress:
            progress(n, len(qs))
    return out


async def aanswer_all(
    asker: Asker,
    qs: list[Question],
    text: str,
    limit: asyncio.Semaphore | None,
    progress: Progress | None = None,
) -> Grounded:
    """All questions at once (the semaphore bounds the requests in flight); the first
    error that fails the article cancels the rest."""
    parts: list[Grounded] = [Grounded([], [], []) for _ in qs]
    done = 0

    async def one(i: int, q: Question) -> None:
        nonlocal done
        try:
            parts[i] = _ground(q, await asker.aask(q, limit), text)
        except InvalidOutput as exc:
            if not q.lenient:
                raise
            parts[i].warnings.append(f"sentence at {q.span[0]}: {exc}")
            return
        done += 1
        if progress:
            progress(done, len(qs))

    await _all_or_none([one(i, q) for i, q in enumerate(qs)])
    out = Grounded([], [], [])
    for part in parts:
        _extend(out, part)
    return out


async def _all_or_none(coros: list[Coroutine[Any, Any, T]]) -> list[T]:
    """Run `coros` concurrently; the first error cancels the others (no request goes on
    for an article that has already failed) and is raised."""
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


def _ground(q: Question, draft: BaseModel, text: str) -> Grounded:
    if q.ground is not None:
        found: Grounded = q.ground(draft, text)
        return found
    if isinstance(draft, ArticleDraft):
        return ground_article(draft, text, q.window)
    assert isinstance(draft, SentenceDraft)
    return ground_sentence(draft, text, q.span, q.window)


def _extend(into: Grounded, more: Grounded) -> None:
    into.stances.extend(more.stances)
    into.claims.extend(more.claims)
    into.warnings.extend(more.warnings)


def article_result(
    article: Article,
    records: Records,
    usage: Usage,
    failure: ExtractorError | None,
    model: str,
    strategy: Strategy,
    prompt_version: str,
) -> ArticleResult:
    """The output line of one article."""
    return ArticleResult(
        article=ArticleInfo(
            id=article.id,
            path=article.path,
            sha256=article.sha256,
            title=article.title,
            date=article.date,
            chars=len(article.text),
            source=article.source,
            fetched=article.fetched,
        ),
        stances=records.stances,
        claims=records.claims,
        model=model,
        strategy=strategy,
        prompt_version=prompt_version,
        usage=usage,
        warnings=records.warnings,
        error=failure and ErrorInfo(kind=failure.kind, message=str(failure)),
    )
