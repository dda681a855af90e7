"""The `parse` strategy: the parse alone, no model. The article's stances and claims as
`extractor.reading` reads them from its dependency parse, grounded by construction, with
no question asked, so no model server starts (the embedded one starts on the first
request, and there is none).

For small local models this is what the blind sets measure as best: on blind 6 the
`agenda` strategy's model step (the 1.5B probe or SmolLM2 choosing among each sentence's
words) added no stance at the default threshold and cost claim precision
(benchmarks/QUALITY.md). Its records are those of `benchmarks/quality.py`'s `parse` row.
"""

from __future__ import annotations

from extractor.errors import ConfigError
from extractor.grounding.records import Grounded
from extractor.strategies.agenda import AgendaStrategy
from extractor.strategies.parsed import read_parse
from extractor.strategies.plan import Settings, Steps, Strategy, finished


class ParseStrategy(Strategy):
    name = "parse"
    # No prompt is sent; the agenda's templates stand in for the prompt version and the
    # context budget the options check.
    templates = AgendaStrategy.templates
    blank = AgendaStrategy.blank
    summary = "the parse alone: stances and claims read from each sentence's parse, no model"
    reads_parse = True
    asks_model = False

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        return context_tokens - overhead  # nothing is asked: any budget will do

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        if not settings.reading.parse:
            raise ConfigError("the parse strategy is the parse: it cannot run with it turned off")
        read = read_parse(settings.reading, text)
        return finished(settings, text, Grounded([], [], []), read)
        yield []  # a plan is a generator; this one ends before its first round
