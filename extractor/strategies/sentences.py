"""The `sentences` strategy: one small question per sentence, for small local models.

Each sentence is asked about with the few sentences before it as context, so "he" or a
bare quote can be attributed; its evidence is the sentence asked about. One round: every
sentence at once. An unusable answer costs its sentence only (a warning says so).
"""

from __future__ import annotations

from extractor.grounding.drafts import SentenceDraft
from extractor.grounding.records import Grounded, ground_sentence
from extractor.pipeline.prompts import Templates
from extractor.strategies.plan import (
    Question,
    Settings,
    Steps,
    Strategy,
    answer_of,
    extend,
    finished,
    sentence_spans,
)

SENTENCE_MAX_TOKENS = 400


class SentencesStrategy(Strategy):
    name = "sentences"
    templates = Templates("sentence.system.j2", "sentence.user.j2", "examples/sentence.json")
    summary = "one request per sentence, with the sentences before it as context"

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        # the sentence comes with up to `context_sentences` more as context
        return (context_tokens - overhead - SENTENCE_MAX_TOKENS) // (1 + context_sentences)

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        spans = sentence_spans(text, settings.chunk_tokens)
        qs = []
        for i, (start, end) in enumerate(spans):
            before = spans[max(0, i - settings.context_sentences) : i]
            window = (before[0][0] if before else start, end)
            qs.append(
                Question(
                    messages=settings.prompts.messages(
                        sentence=text[start:end],
                        context=text[window[0] : start].strip(),
                        title=title,
                    ),
                    response_model=SentenceDraft,
                    context={"text": text, "window": window, "strict": True},
                    max_tokens=SENTENCE_MAX_TOKENS,
                    span=(start, end),
                    window=window,
                    lenient=True,
                )
            )
        replies = yield qs
        found = Grounded([], [], [])
        for q, reply in zip(qs, replies, strict=True):
            draft = answer_of(q, reply, found)
            if draft is not None:
                assert isinstance(draft, SentenceDraft)
                extend(found, ground_sentence(draft, text, q.span, q.window))
        return finished(settings, text, found)
