"""One article's run: its usage counted, its failure recorded (unless it dooms the run),
and the article's output line (`article_result`)."""

from __future__ import annotations

from types import TracebackType

from extractor.errors import ExtractorError, Refused
from extractor.pipeline.articles import Article
from extractor.schemas import ArticleInfo, ArticleResult, ErrorInfo, Usage
from extractor.strategies.plan import Records, no_records


class Attempt:
    """`with Attempt() as a: a.records = ...`, passing `a.usage` to every request made
    inside. An ExtractorError ends the block and is kept in `a.failure`; a fatal one (bad
    key, no such model: every article would fail) propagates."""

    def __init__(self) -> None:
        self.usage = Usage()
        self.records = no_records()
        self.failure: ExtractorError | None = None

    def __enter__(self) -> Attempt:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
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
    strategy: str,
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
