"""The two ways of asking: the whole article (or chunk) at once, or one sentence at a time.

`article` suits capable models. `sentences` suits small local ones: each call is a small
question about one sentence, with the few sentences before it as context so "he" or a
bare quote can be attributed; its evidence is the sentence asked about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from extractor.drafts import ArticleDraft, SentenceDraft
from extractor.errors import InvalidOutput
from extractor.ground import Grounded, ground_article, ground_sentence
from extractor.llm import LLM
from extractor.prompts import Prompts
from extractor.segment import chunks, sentences

Strategy = Literal["article", "sentences"]
Progress = Callable[[int, int], None]

ARTICLE_MAX_TOKENS = 2048
SENTENCE_MAX_TOKENS = 400


def by_article(
    llm: LLM,
    prompts: Prompts,
    text: str,
    title: str | None,
    max_chunk_chars: int,
    progress: Progress | None = None,
) -> Grounded:
    spans = [(0, len(text))] if len(text) <= max_chunk_chars else chunks(text, max_chunk_chars)
    out = Grounded([], [], [])
    for n, (start, end) in enumerate(spans, 1):
        messages = prompts.messages(article=text[start:end], title=title)
        draft = llm.ask(
            messages, ArticleDraft, {"text": text, "window": (start, end)}, ARTICLE_MAX_TOKENS
        )
        _extend(out, ground_article(draft, text, (start, end)))
        if progress:
            progress(n, len(spans))
    return out


def by_sentence(
    llm: LLM,
    prompts: Prompts,
    text: str,
    title: str | None,
    context_sentences: int,
    progress: Progress | None = None,
) -> Grounded:
    spans = sentences(text)
    out = Grounded([], [], [])
    for i, (start, end) in enumerate(spans):
        before = spans[max(0, i - context_sentences) : i]
        window = (before[0][0] if before else start, end)
        messages = prompts.messages(
            sentence=text[start:end], context=text[window[0] : start].strip(), title=title
        )
        try:
            draft = llm.ask(
                messages,
                SentenceDraft,
                {"text": text, "window": window, "strict": True},
                SENTENCE_MAX_TOKENS,
            )
        except InvalidOutput as exc:  # one unusable answer costs one sentence, not the article
            out.warnings.append(f"sentence at {start}: {exc}")
            continue
        _extend(out, ground_sentence(draft, text, (start, end), window))
        if progress:
            progress(i + 1, len(spans))
    return out


def _extend(into: Grounded, more: Grounded) -> None:
    into.stances.extend(more.stances)
    into.claims.extend(more.claims)
    into.warnings.extend(more.warnings)
