"""Every option of an `Extractor`, in one frozen object: which model, how it is asked,
how articles run. Built in one place (`Options(...)`, or `with_fields` from keywords, as
`Extractor(model=...)` and `extract(text, model=...)` take them) and passed whole: the
command line, `doctor` and the batch manifest build one, the library reads it.
"""

from __future__ import annotations

import dataclasses
import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypedDict

from extractor.errors import ConfigError, option

CHUNK_TOKENS = 1500  # a chunk longer than this asks a model for too many records at once
STOP_AFTER_UNREACHABLE = 3  # articles in a row that could not reach the server


@dataclass(frozen=True)
class Options:
    """Which model (see extractor.backends.choose): `model`, `base_url`, `mode`, `gguf`,
    `api_key` (used instead of OPENAI_API_KEY; the environment is never changed),
    `timeout` (seconds per request), `context_tokens` (the model's context window: known
    for the embedded model and OpenAI models, else 8192), `threads` (the embedded server's
    threads; default: every core this process may use).

    How it is asked: `strategy` (extractor.strategies; default `agenda` for the embedded
    model, else `article`), `prompts_dir` (templates overriding the built-in ones file by
    file), `reasks` (re-asks of an answer that fails validation), `context_sentences`,
    `chunk_tokens` (chunks of long articles are at most this, fewer when the context is
    smaller), `pipeline` (the spaCy pipeline a strategy that reads the parse uses: an
    installed package or a path; default $EXTRACTOR_PIPELINE, else English
    `en_core_web_sm`), `min_confidence` (stances below it are left out; default 0.5 where
    the parse is read, which leaves out what the model alone found, else 0).

    How articles run: `cache` (a `Cache`, the path of its SQLite file, True for the
    command line's default cache, None or False to ask the model every time),
    `concurrency` (requests in flight at once in `arun` / `arun_many`, and articles in
    flight in `arun_many`; default 1), `stop_after_unreachable` (after this many articles
    in a row could not reach the server, the rest fail at once; None: never).
    """

    model: str | None = None
    base_url: str | None = None
    mode: str | None = None
    gguf: str | Path | None = None
    api_key: str | None = field(default=None, repr=False)
    timeout: float | None = None
    context_tokens: int | None = None
    threads: int | None = None
    strategy: str | None = None
    prompts_dir: str | Path | None = None
    reasks: int = 1
    context_sentences: int = 2
    chunk_tokens: int = CHUNK_TOKENS
    pipeline: str | None = None
    min_confidence: float | None = None
    cache: Any = True  # Cache | str | Path | bool | None (the Cache lives above this module)
    concurrency: int | None = None
    stop_after_unreachable: int | None = STOP_AFTER_UNREACHABLE

    def __post_init__(self) -> None:
        if self.min_confidence is not None and not 0 <= self.min_confidence <= 1:
            raise ConfigError(f"--min-confidence {self.min_confidence}: use a number from 0 to 1.")
        for name in ("concurrency", "threads"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{option(name)} {value}: use 1 or more.")

    def with_fields(self, **fields: Any) -> Options:
        """These options with `fields` changed; a misspelt name is one line naming the
        nearest."""
        known = [f.name for f in dataclasses.fields(self)]
        for name in fields:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=1)
                hint = f": did you mean {close[0]!r}?" if close else f": choose from {known}"
                raise ConfigError(f"No option {name!r}{hint}")
        return dataclasses.replace(self, **fields) if fields else self


class OptionFields(TypedDict, total=False):
    """`Options`' fields as keywords (`Extractor(model=..., cache=None)`), so that a type
    checker sees them; tests/test_strategies.py checks that both list the same fields."""

    model: str | None
    base_url: str | None
    mode: str | None
    gguf: str | Path | None
    api_key: str | None
    timeout: float | None
    context_tokens: int | None
    threads: int | None
    strategy: str | None
    prompts_dir: str | Path | None
    reasks: int
    context_sentences: int
    chunk_tokens: int
    pipeline: str | None
    min_confidence: float | None
    cache: Any
    concurrency: int | None
    stop_after_unreachable: int | None
