"""The options that shape a batch's requests, kept in the manifest, and the Extractor they
make: the same one `extract` builds from the same options, so the questions, request
bodies and cache keys are the same.

No request leaves from here. OpenAI needs no key to render requests; one is passed to this
Extractor alone (as for `extract --dry-run`), never put into the environment.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from extractor.errors import ConfigError
from extractor.runtime import costs
from extractor.runtime.cache import Cache

if TYPE_CHECKING:
    from extractor.api import Extractor

# Extractor keywords that decide what is asked, and so the request bodies and cache keys.
SHAPING = (
    "model",
    "base_url",
    "mode",
    "strategy",
    "prompts_dir",
    "reasks",
    "context_sentences",
    "chunk_tokens",
    "context_tokens",
)


def extractor_for(
    options: dict[str, Any], cache: Cache | Path | None, *, sends: bool = False
) -> Extractor:
    """The Extractor for these options. `sends`: requests may go out (collect --reask), so
    OpenAI needs its real key."""
    from extractor.api import Extractor, Options

    if not options.get("model"):
        raise ConfigError(
            "extractor batch needs --model: the model the batch runs (e.g. gpt-4.1-mini, or "
            "the name vLLM serves); the embedded model has no batch API."
        )
    key = None
    if not sends and not options.get("base_url") and not os.environ.get("OPENAI_API_KEY"):
        key = "unused"  # rendering only
    shaping = {k: v for k, v in options.items() if k in SHAPING and v is not None}
    return Extractor(options=Options(api_key=key, cache=cache, **shaping))


def batch_price(model: str, prices: Path | None) -> costs.Price | None:
    """The model's price at the Batch API's discount (`batch_discount` in prices.json)."""
    price = costs.price_of(model, prices)
    if price is None:
        return None
    try:
        discount = float(json.loads((prices or costs.PRICES).read_text("utf-8"))["batch_discount"])
    except (OSError, ValueError, KeyError, TypeError):
        discount = 0.5
    return costs.Price(price.input * discount, price.output * discount)
