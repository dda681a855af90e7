"""Tokens and money: the editable price table (`prices.json` beside this module) and the
estimate of a run before it starts (`extractor extract --dry-run`).

An estimate renders every request the run would send and sizes it with the same rough
token count as chunking (UTF-8 bytes / 4, plus the response schema when the mode sends it
to the model). It cannot know how long the answers will be, so it gives the prompt tokens
and the ceiling of the answers (each request's max_tokens): the cost is a range. Requests
the cache already answers cost nothing. Re-asks are not counted (they happen only when
an answer fails validation).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError
from extractor.pipeline.articles import Article
from extractor.pipeline.segment import approx_tokens
from extractor.schemas import Usage
from extractor.strategies.plan import Question

PRICES = Path(__file__).with_name("prices.json")
PER_MESSAGE_TOKENS = 4  # role and separators, as chat formats add them
SCHEMA_IN_PROMPT = {"tools", "json", "md_json", "json_schema"}  # json_grammar: a grammar
SCHEMA_AS_TEXT = {"json", "md_json"}  # the schema is pasted into the system message
SCHEMA_INSTRUCTION_TOKENS = 40  # instructor's sentence before the pasted schema


@dataclass(frozen=True)
class Price:
    input: float  # USD per million prompt tokens
    output: float  # USD per million completion tokens

    def of(self, prompt_tokens: int, completion_tokens: int) -> float:
        return (prompt_tokens * self.input + completion_tokens * self.output) / 1e6


@functools.cache
def load_table(path: Path = PRICES) -> dict[str, dict[str, Any]]:
    try:
        table = json.loads(path.read_text("utf-8"))["models"]
        if not isinstance(table, dict):
            raise TypeError("models is not an object")
        return table
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ConfigError(
            f"--prices {path}: not a price table ({exc}). It needs "
            '{"models": {"NAME": {"input": USD, "output": USD, "context": TOKENS}}}.'
        ) from exc


def _entry(model: str, path: Path | None) -> dict[str, Any] | None:
    table = load_table(path or PRICES)
    if model in table:
        return table[model]
    prefixes = [name for name in table if model.startswith(name)]
    return table[max(prefixes, key=len)] if prefixes else None


def price_of(model: str, path: Path | None = None) -> Price | None:
    entry = _entry(model, path)
    if entry is None or "input" not in entry or "output" not in entry:
        return None
    return Price(float(entry["input"]), float(entry["output"]))


def context_window(model: str, path: Path | None = None) -> int | None:
    entry = _entry(model, path)
    return int(entry["context"]) if entry and entry.get("context") else None


def cost(usage: Usage, model: str, path: Path | None = None) -> float | None:
    """What `usage` cost at list price, or None when the model's price is not known."""
    price = price_of(model, path)
    return price.of(usage.prompt_tokens, usage.completion_tokens) if price else None


@dataclass
class Estimate:
    model: str
    articles: int = 0
    requests: int = 0
    cached: int = 0  # requests the cache already answers: not sent, not paid
    prompt_tokens: int = 0  # of the requests to send
    max_completion_tokens: int = 0
    price: Price | None = None

    @property
    def cost_range(self) -> tuple[float, float] | None:
        if self.price is None:
            return None
        return (
            self.price.of(self.prompt_tokens, 0),
            self.price.of(self.prompt_tokens, self.max_completion_tokens),
        )

    def as_dict(self) -> dict[str, Any]:
        span = self.cost_range
        return {
            "model": self.model,
            "articles": self.articles,
            "requests": self.requests,
            "cached": self.cached,
            "prompt_tokens": self.prompt_tokens,
            "max_completion_tokens": self.max_completion_tokens,
            "cost_usd": None
            if span is None
            else {"min": round(span[0], 4), "max": round(span[1], 4)},
        }


def prompt_tokens(q: Question, mode: str) -> int:
    """Estimated prompt tokens of one request."""
    tokens = sum(approx_tokens(m["content"]) + PER_MESSAGE_TOKENS for m in q.messages)
    if mode in SCHEMA_IN_PROMPT:
        tokens += _schema_tokens(q.response_model, mode in SCHEMA_AS_TEXT)
    return tokens


@functools.lru_cache(maxsize=512)  # bounded: the agenda strategy makes a schema per article
def _schema_tokens(model: type, as_text: bool) -> int:
    """The response schema: compact JSON as a tool or response_format; in json and md_json
    modes instructor pastes it into the system message, indented, after an instruction."""
    schema = model.model_json_schema()  # type: ignore[attr-defined]
    if as_text:
        return approx_tokens(json.dumps(schema, indent=2)) + SCHEMA_INSTRUCTION_TOKENS
    return approx_tokens(json.dumps(schema))


def estimate(
    model: str,
    mode: str,
    asked: Iterable[tuple[Article, list[Question]]],
    cached: Callable[[Question], bool],
    prices: Path | None = None,
) -> Estimate:
    """Requests, tokens and cost of these articles' questions; `cached`: whether the cache
    already answers a question (then it is neither sent nor paid)."""
    out = Estimate(model=model, price=price_of(model, prices))
    for article, qs in asked:
        out.articles += 1
        if article.error:
            continue
        for q in qs:
            out.requests += 1
            if cached(q):
                out.cached += 1
                continue
            out.prompt_tokens += prompt_tokens(q, mode)
            out.max_completion_tokens += q.max_tokens
    return out
