"""The strategies, by name: the one place that knows which exist. The command line's
`--strategy` choices, `extractor doctor`, the batch options and the library read this
registry; nothing else compares a strategy's name.

A strategy is one module with a `Strategy` subclass (extractor.strategies.plan says what
it is made of) and one line here. Which runs when none is chosen: `agenda` for the
embedded model (small local models choose well from a short list), `article` for the
others.
"""

from __future__ import annotations

import difflib

from extractor.errors import ConfigError
from extractor.strategies.agenda import AgendaStrategy
from extractor.strategies.article import ArticleStrategy
from extractor.strategies.parse import ParseStrategy
from extractor.strategies.plan import Strategy
from extractor.strategies.sentences import SentencesStrategy

REGISTRY: dict[str, Strategy] = {
    s.name: s for s in (AgendaStrategy(), ArticleStrategy(), SentencesStrategy(), ParseStrategy())
}
FOR_EMBEDDED = "agenda"
FOR_REMOTE = "article"


def names() -> list[str]:
    return list(REGISTRY)


def get(name: str) -> Strategy:
    """The strategy of this name; a misspelt one is one line naming the choices."""
    found = REGISTRY.get(name)
    if found is not None:
        return found
    close = difflib.get_close_matches(name, names(), n=1)
    hint = f" (did you mean {close[0]!r}?)" if close else ""
    raise ConfigError(f"No strategy {name!r}{hint}: choose one of {', '.join(names())}.")


def default(embedded: bool) -> Strategy:
    return REGISTRY[FOR_EMBEDDED if embedded else FOR_REMOTE]


def describe() -> str:
    """The choices in one paragraph, as `--help` shows them."""
    each = "; ".join(f"{s.name}: {s.summary}" for s in REGISTRY.values())
    return f"{each} (default: {FOR_EMBEDDED} for the embedded model, {FOR_REMOTE} otherwise)"
