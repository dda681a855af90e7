"""One question to the model, asked through the cache: a cached answer costs no request,
a fresh one is stored. The model client is connected only on the first cache miss, so a
fully cached rerun never starts the embedded server. Whole articles' records are cached
here too (`result_for`, `store_result`); see extractor.runtime.cache for what each key holds."""

from __future__ import annotations

import asyncio
import functools
import hashlib
import json
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.backends.client import LLM
from extractor.pipeline.articles import Article
from extractor.runtime.cache import Cache, code_version, request_key
from extractor.schemas import Usage
from extractor.strategies.plan import Question, Records


class Asker:
    def __init__(
        self, connect: Callable[[], LLM], cache: Cache | None, identity: dict[str, Any]
    ) -> None:
        self._connect = connect
        self._llm: LLM | None = None
        self.cache = cache
        self.identity = identity

    def ask(self, q: Question, usage: Usage | None = None) -> BaseModel:
        """The answer to `q`, from the cache or the model (its requests counted in
        `usage`)."""
        key = self.key(q)
        cached = self._lookup(key, q)
        if cached is not None:
            return cached
        self._llm = self._llm or self._connect()
        draft = self._llm.ask(q.messages, q.response_model, q.context, q.max_tokens, usage=usage)
        self._store(key, draft)
        return draft

    async def aask(
        self, q: Question, usage: Usage | None = None, limit: asyncio.Semaphore | None = None
    ) -> BaseModel:
        """`ask` on the event loop; `limit` bounds the HTTP requests in flight (a cache hit
        takes no slot, and a slot is free again while an answer is validated)."""
        key = self.key(q)
        cached = self._lookup(key, q)
        if cached is not None:
            return cached
        if self._llm is None:  # connecting may start the embedded server: not on the loop
            self._llm = await asyncio.to_thread(self._connect)
        draft = await self._llm.aask(
            q.messages, q.response_model, q.context, q.max_tokens, usage=usage, limit=limit
        )
        self._store(key, draft)
        return draft

    def result_for(self, article: Article, shape: dict[str, Any]) -> tuple[str, Records | None]:
        """The key of this article's records in the cache, and the records if stored.
        `shape`: the options that decide which questions the article gives."""
        if self.cache is None or article.error:
            return "", None
        key = request_key(
            self.identity,
            {"article": article.sha256, "title": article.title, "code": code_version(), **shape},
        )
        stored = self.cache.get_result(key)
        try:
            return key, None if stored is None else Records.model_validate_json(stored)
        except ValidationError:
            return key, None

    def store_result(self, key: str, records: Records) -> None:
        if self.cache is not None and key:
            self.cache.put_result(key, records.model_dump_json())

    def key(self, q: Question) -> str:
        if self.cache is None:
            return ""
        return request_key(
            self.identity,
            {
                "messages": q.messages,
                "schema": _schema_hash(q.response_model),
                "max_tokens": q.max_tokens,
                "text": _sha(q.context.get("text", "")),
                "window": q.context.get("window"),
                "strict": q.context.get("strict", False),
            },
        )

    def _lookup(self, key: str, q: Question) -> BaseModel | None:
        if self.cache is None:
            return None
        answer = self.cache.get(key)
        if answer is None:
            return None
        try:
            return q.response_model.model_validate_json(answer)
        except ValidationError:  # stored by an incompatible version: ask again
            return None

    def _store(self, key: str, draft: BaseModel) -> None:
        if self.cache is not None:
            self.cache.put(key, draft.model_dump_json())


@functools.lru_cache(maxsize=512)  # bounded: the agenda strategy makes a schema per article
def _schema_hash(model: type[BaseModel]) -> str:
    blob = json.dumps(model.model_json_schema(), sort_keys=True)
    return f"{model.__name__}:{_sha(blob)[:16]}"


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
