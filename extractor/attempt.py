"""One article's run: its usage counted, its failure recorded (unless it dooms the run),
and its output line."""

from __future__ import annotations

from types import TracebackType

from extractor.articles import Article
from extractor.asker import Records
from extractor.errors import ExtractorError, Refused
from extractor.ground import Grounded
from extractor.llm import current_usage
from extractor.schemas import ArticleInfo, ArticleResult, ErrorInfo, Usage
from extractor.strategies import Strategy


class Attempt:
    """`with Attempt() as a: a.found = ...`. Every request made inside counts in `a.usage`
    (also from tasks started inside: they share it through a context variable). An
    ExtractorError ends the block and is kept in `a.failure`; a fatal one (bad key, no
    such model: every article would fail) propagates."""

    def __init__(self) -> None:
        self.usage = Usage()
        self.found = Grounded([], [], [])
        self.failure: ExtractorError | None = None

    def __enter__(self) -> Attempt:
        self._token = current_usage.set(self.usage)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        current_usage.reset(self._token)
        if not isinstance(exc, ExtractorError) or (isinstance(exc, Refused) and exc.fatal):
            return False
        self.failure = exc
        return True


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
