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
(see extractor.grounding.agenda). Every request of an article starts with the same system prompt
and the same article text, so a llama.cpp server reuses its prompt cache across them.

This module renders the questions: `questions()` every request of an article up front
(for `agenda`, the second phase as it would look with an empty agenda: enough for
estimates). Asking them, grounding and merging the answers, in that order, is
extractor.pipeline.run.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from extractor.errors import ConfigError
from extractor.grounding.agenda import (
    Agenda,
    AgendaDraft,
    ground_statements,
    statement_model,
    worth_asking,
)
from extractor.grounding.drafts import ArticleDraft, SentenceDraft
from extractor.pipeline.prompts import Prompts
from extractor.pipeline.segment import Span, approx_tokens, sentences, split_long, token_chunks
from extractor.schemas import Claim, Stance

Strategy = Literal["article", "sentences", "agenda"]
Progress = Callable[[int, int], None]

ARTICLE_MAX_TOKENS = 2048
SENTENCE_MAX_TOKENS = 400
AGENDA_MAX_TOKENS = 400
STATEMENT_MAX_TOKENS = 300


@dataclass(frozen=True)
class Question:
    """One request: the rendered messages and what the answer is checked against."""

    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    context: dict[str, Any]  # validation context: the article text, window, strictness
    max_tokens: int
    span: Span  # the chunk or sentence asked about
    window: Span  # where its evidence and actors may come from
    lenient: bool = False  # an unusable answer costs this question only, not the article
    # turns the answer into records, `ground(answer, text)`; None: by the draft's type
    ground: Callable[..., Any] | None = field(default=None, compare=False)


class Records(BaseModel):
    """An article's merged records, as the results cache keeps them."""

    stances: list[Stance]
    claims: list[Claim]
    warnings: list[str]


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
                    proposals=agenda.proposals,
                ),
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
