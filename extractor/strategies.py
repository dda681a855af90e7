"""The two ways of asking: the whole article (or chunk) at once, or one sentence at a time.

`article` suits capable models. A long article is cut into chunks of whole sentences by a
token budget, overlapping so a stance told across a boundary is seen whole; the records
of all chunks are grounded against the whole article (offsets are always the article's)
and merged by the caller. `sentences` suits small local ones: each call is a small
question about one sentence, with the few sentences before it as context so "he" or a
bare quote can be attributed; its evidence is the sentence asked about.

`questions()` renders every request of an article up front; `answer_all()` asks them one
after another, `aanswer_all()` concurrently (bounded by the caller's semaphore). Both
ground the answers in question order, so the result does not depend on timing.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Literal

from pydantic import BaseModel

from extractor.asker import Asker, Question
from extractor.drafts import ArticleDraft, SentenceDraft
from extractor.errors import ConfigError, InvalidOutput
from extractor.ground import Grounded, ground_article, ground_sentence
from extractor.prompts import Prompts
from extractor.segment import approx_tokens, sentences, split_long, token_chunks

Strategy = Literal["article", "sentences"]
Progress = Callable[[int, int], None]

ARTICLE_MAX_TOKENS = 2048
SENTENCE_MAX_TOKENS = 400


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
    if strategy == "article":
        spans = (
            [(0, len(text))]
            if approx_tokens(text) <= chunk_tokens
            else token_chunks(text, chunk_tokens, overlap_tokens)
        )
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
    spans = split_long(text, sentences(text), chunk_tokens)
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


def chunk_budget(
    prompts: Prompts, strategy: Strategy, context_tokens: int, wanted: int, context_sentences: int
) -> int:
    """`wanted` tokens per chunk (or per overlong sentence), or fewer so that the prompt,
    the chunk and the answer fit in the model's context window."""
    blank = prompts.messages(article="", sentence="", context="", title=None)
    overhead = sum(approx_tokens(m["content"]) for m in blank) + 600  # + schema, margin
    if strategy == "article":
        room = context_tokens - overhead - ARTICLE_MAX_TOKENS
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

    if len(qs) == 1:  # the common case: no task to spawn
        await one(0, qs[0])
    else:
        tasks = [asyncio.create_task(one(i, q)) for i, q in enumerate(qs)]
        try:
            await asyncio.gather(*tasks)
        except BaseException:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise
    out = Grounded([], [], [])
    for part in parts:
        _extend(out, part)
    return out


def _ground(q: Question, draft: BaseModel, text: str) -> Grounded:
    if isinstance(draft, ArticleDraft):
        return ground_article(draft, text, q.window)
    assert isinstance(draft, SentenceDraft)
    return ground_sentence(draft, text, q.span, q.window)


def _extend(into: Grounded, more: Grounded) -> None:
    into.stances.extend(more.stances)
    into.claims.extend(more.claims)
    into.warnings.extend(more.warnings)
