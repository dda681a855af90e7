"""The `article` strategy: the whole article (or each chunk of a long one) in one request,
for capable models.

A long article is cut into chunks of whole sentences by a token budget, overlapping so a
stance told across a boundary is seen whole. One round: every chunk's question at once.
The records of all chunks are grounded against the whole article (offsets are always the
article's, extractor.grounding.records) and merged. An unusable answer fails the article.
"""

from __future__ import annotations

from extractor.grounding.drafts import ArticleDraft
from extractor.grounding.records import Grounded, ground_article
from extractor.pipeline.prompts import Templates
from extractor.strategies.plan import (
    Question,
    Settings,
    Steps,
    Strategy,
    answer_of,
    chunks,
    extend,
    finished,
)

ARTICLE_MAX_TOKENS = 2048


class ArticleStrategy(Strategy):
    name = "article"
    templates = Templates("article.system.j2", "article.user.j2", "examples/article.json")
    summary = "the whole article (or each chunk) in one request: for capable models"

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        return context_tokens - overhead - ARTICLE_MAX_TOKENS

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        qs = [
            Question(
                messages=settings.prompts.messages(article=text[start:end], title=title),
                response_model=ArticleDraft,
                context={"text": text, "window": (start, end)},
                max_tokens=ARTICLE_MAX_TOKENS,
                span=(start, end),
                window=(start, end),
            )
            for start, end in chunks(text, settings.chunk_tokens, settings.overlap_tokens)
        ]
        replies = yield qs
        found = Grounded([], [], [])
        for q, reply in zip(qs, replies, strict=True):
            draft = answer_of(q, reply, found)
            if draft is not None:
                assert isinstance(draft, ArticleDraft)
                extend(found, ground_article(draft, text, q.window))
        return finished(settings, text, found)
