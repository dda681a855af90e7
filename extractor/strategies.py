"""The three ways of asking: the whole article (or chunk) at once, one sentence at a time,
or the article's agenda first and then each sentence against it.

`article` suits capable models. A long article is cut into chunks of whole sentences by a
token budget, overlapping so a stance told across a boundary is seen whole; the records
of all chunks are grounded against the whole article (offsets are always the article's)
and merged by the caller. `sentences` suits small local ones: each call is a small
question about one sentence, with the few sentences before it as context so "he" or a
bare quote can be attributed; its evidence is the sentence asked about.

`agenda` suits small local models that choose well from a short list: one call lists the
proposals and actors of the article (or chunk), then each sentence with an attribution or
position cue is asked which listed actor takes which position on which listed proposal
(see extractor.agenda). Every request of an article starts with the same system prompt
and the same article text, so a llama.cpp server reuses its prompt cache across them.

`questions()` renders every request of an article up front (for `agenda`, the second
phase as it would look with an empty agenda: enough for estimates); `answer_all()` asks them one
after another, `aanswer_all()` concurrently (bounded by the caller's semaphore). Both
ground the answers in question order, so the result does not depend on timing.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Coroutine
from typing import Any, Literal, TypeVar

from pydantic import BaseModel

from extractor.agenda import (
    Agenda,
    AgendaDraft,
    ground_agenda,
    ground_statements,
    resolve_conflicts,
    statement_model,
    word_targets,
    worth_asking,
)
from extractor.asker import Asker, Question
from extractor.drafts import ArticleDraft, SentenceDraft
from extractor.errors import ConfigError, InvalidOutput
from extractor.ground import Grounded, ground_article, ground_sentence
from extractor.merge import merge_stances
from extractor.prompts import Prompts
from extractor.segment import Span, approx_tokens, sentences, split_long, token_chunks

Strategy = Literal["article", "sentences", "agenda"]
Progress = Callable[[int, int], None]
T = TypeVar("T")

ARTICLE_MAX_TOKENS = 2048
SENTENCE_MAX_TOKENS = 400
AGENDA_MAX_TOKENS = 400
STATEMENT_MAX_TOKENS = 300


def questions(
    strategy: Strategy,
    prompts: Prompts,
    text: str,
    title: str | None,
    *,
    chunk_tokens: int,
    overlap_tokens: int,
    context_sentences: int,
) -> list[Question]:
    if strategy == "agenda":
        qs = agenda_questions(prompts, text, title, chunk_tokens, overlap_tokens)
        empty = Agenda((), ("",))  # sized like the real second phase
        spans = _sentences(text, chunk_tokens)
        return qs + [
            q
            for i, a in enumerate(qs)
            for q in statement_questions(
                prompts,
                text,
                title,
                empty,
                a.window,
                _after(qs, i),
                spans,
                context_sentences,
            )
        ]
    if strategy == "article":
        spans = _chunks(text, chunk_tokens, overlap_tokens)
        return [
            Question(
                messages=prompts.messages(article=text[start:end], title=title),
                response_model=ArticleDraft,
                context={"text": text, "window": (start, end)},
                max_tokens=ARTICLE_MAX_TOKENS,
                span=(start, end),
                window=(start, end),
            )
            for start, end in spans
        ]
    spans = _sentences(text, chunk_tokens)
    out = []
    for i, (start, end) in enumerate(spans):
        before = spans[max(0, i - context_sentences) : i]
        window = (before[0][0] if before else start, end)
        out.append(
            Question(
                messages=prompts.messages(
                    sentence=text[start:end], context=text[window[0] : start].strip(), title=title
                ),
                response_model=SentenceDraft,
                context={"text": text, "window": window, "strict": True},
                max_tokens=SENTENCE_MAX_TOKENS,
                span=(start, end),
                window=window,
                lenient=True,
            )
        )
    return out


def _chunks(text: str, chunk_tokens: int, overlap_tokens: int) -> list[Span]:
    if approx_tokens(text) <= chunk_tokens:
        return [(0, len(text))]
    return token_chunks(text, chunk_tokens, overlap_tokens)


def _sentences(text: str, chunk_tokens: int) -> list[Span]:
    """The article's sentences, one longer than a chunk cut at spaces."""
    return split_long(text, sentences(text), chunk_tokens)


def _after(qs: list[Question], i: int) -> int:
    """Where chunk i's own sentences begin: after those of the chunk before it."""
    return qs[i - 1].window[1] if i else 0


def agenda_questions(
    prompts: Prompts, text: str, title: str | None, chunk_tokens: int, overlap_tokens: int
) -> list[Question]:
    """The first phase of `agenda`: one question per chunk, what is debated and by whom."""
    return [
        Question(
            messages=prompts.messages(article=text[start:end], title=title, sentence=""),
            response_model=AgendaDraft,
            context={"text": text, "window": (start, end)},
            max_tokens=AGENDA_MAX_TOKENS,
            span=(start, end),
            window=(start, end),
            lenient=True,
        )
        for start, end in _chunks(text, chunk_tokens, overlap_tokens)
    ]


def statement_questions(
    prompts: Prompts,
    text: str,
    title: str | None,
    agenda: Agenda,
    chunk: Span,
    first: int,
    sentence_spans: list[Span],
    context_sentences: int,
) -> list[Question]:
    """The second phase of `agenda` for one chunk: a question per sentence that starts at
    or after `first` (so overlapping chunks ask each sentence once) and carries a cue.
    `sentence_spans`: the article's sentences, cut once per article (`_sentences`).
    Empty when the agenda names no actor: every answer would then be an invention."""
    if not agenda.actors:
        return []
    model = statement_model(agenda)
    spans = [s for s in sentence_spans if chunk[0] <= s[0] < chunk[1]]
    out = []
    for i, (start, end) in enumerate(spans):
        if start < first or not worth_asking(text[start:end]):
            continue
        before = spans[max(0, i - context_sentences) : i]
        window = (before[0][0] if before else start, end)
        around = (spans[i - 1][0] if i else start, spans[i + 1][1] if i + 1 < len(spans) else end)
        out.append(
            Question(
                messages=prompts.messages(
                    article=text[chunk[0] : chunk[1]],
                    title=title,
                    sentence=text[start:end],
                    proposals=agenda.proposals,
                    actors=agenda.actors,
                ),
                response_model=model,
                context={"text": text, "window": window, "strict": True},
                max_tokens=STATEMENT_MAX_TOKENS,
                span=(start, end),
                window=window,
                lenient=True,
                ground=functools.partial(
                    ground_statements,
                    sentence=(start, end),
                    window=window,
                    around=around,
                    actors=agenda.actors,
                ),
            )
        )
    return out


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
    """One position per actor and agenda item (see extractor.agenda.resolve_conflicts),
    then each target in its sentences' own words (`word_targets`)."""
    stances, warnings = resolve_conflicts(merge_stances(found.stances))
    stances = word_targets(stances, text)
    return Grounded(stances, found.claims, [*found.warnings, *warnings])


def chunk_budget(
    prompts: Prompts, strategy: Strategy, context_tokens: int, wanted: int, context_sentences: int
) -> int:
    """`wanted` tokens per chunk (or per overlong sentence), or fewer so that the prompt,
    the chunk and the answer fit in the model's context window."""
    blank = prompts.messages(article="", sentence="", context="", title=None)
    overhead = sum(approx_tokens(m["content"]) for m in blank) + 600  # + schema, margin
    if strategy == "article":
        room = context_tokens - overhead - ARTICLE_MAX_TOKENS
    elif strategy == "agenda":  # + the agenda's lists and one sentence (up to 300 tokens)
        room = context_tokens - overhead - max(AGENDA_MAX_TOKENS, STATEMENT_MAX_TOKENS + 500)
    else:  # the sentence comes with up to `context_sentences` more as context
        room = (context_tokens - overhead - SENTENCE_MAX_TOKENS) // (1 + context_sentences)
    if room < 100:
        raise ConfigError(
            f"The model's context ({context_tokens} tokens) leaves no room for the article "
            "after the prompt and the answer: raise --context-tokens."
        )
    return max(1, min(wanted, room))


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
        return q.ground(draft, text)
    if isinstance(draft, ArticleDraft):
        return ground_article(draft, text, q.window)
    assert isinstance(draft, SentenceDraft)
    return ground_sentence(draft, text, q.span, q.window)


def _extend(into: Grounded, more: Grounded) -> None:
    into.stances.extend(more.stances)
    into.claims.extend(more.claims)
    into.warnings.extend(more.warnings)
