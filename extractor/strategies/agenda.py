"""The `agenda` strategy: the parse reads, the model chooses what structure cannot, the
program checks. For small local models, which choose well from a short list.

The article's parse is read first (stances and claims, extractor.reading). Then one
round: a question for each sentence that carries a cue and names an actor
(`reading.choices.Choices.cued`) and holds no claim the parse read (those claims stand
for their sentences). Its schema offers that sentence's own actors and its own candidate
target phrases as enums (`statement_model`), so a grammar-constrained model can only
choose among the sentence's words; the answer is read back as records by the parse
(`Choices.stance`, `Choices.claim`): offsets are the parse's, conditions and act read
from the verb that takes the chosen target. The model's stances are marked as its own
and joined with what the parse read (extractor.grounding.confidence): below the default
threshold unless the parse read them too. The article's agenda, its one name per
proposal, is what merging and canonical targets make of the stances
(extractor.grounding.targets), not a list the model is asked for first.

Every request of a chunk starts with the same system prompt and the same chunk text, so
a llama.cpp server reuses its prompt cache. An unusable answer costs its sentence, never
the article; the warnings say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from pydantic import BaseModel, Field, create_model

from extractor.errors import ConfigError
from extractor.grounding.records import Grounded
from extractor.pipeline.prompts import Templates
from extractor.reading.choices import Choices, Cued
from extractor.reading.lexicon import load_lexicon
from extractor.reading.records import as_record
from extractor.schemas import CONFIDENCE, Position
from extractor.strategies.parsed import read_parse
from extractor.strategies.plan import (
    Question,
    Settings,
    Steps,
    Strategy,
    Unasked,
    answer_of,
    chunks,
    finished,
    no_records,
)

STATEMENT_MAX_TOKENS = 200
NONE = "none"
MAX_ITEMS = 2


@dataclass(frozen=True)
class Statement:
    """A sentence's question and the choices its answer is read against."""

    question: Question
    cued: Cued


class AgendaStrategy(Strategy):
    name = "agenda"
    templates = Templates("agenda.system.j2", "agenda.user.j2", "examples/agenda.json")
    summary = "the parse reads; the model chooses among each cued sentence's actors and phrases"
    reads_parse = True
    blank: ClassVar[dict[str, Any]] = {**Strategy.blank, "actors": [], "targets": []}

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        # + one sentence with its lists (up to 500 tokens) and the answer
        return context_tokens - overhead - (STATEMENT_MAX_TOKENS + 500)

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        if not settings.reading.parse:
            raise ConfigError(
                "the agenda strategy reads the parse: it cannot run with the parse turned off"
            )
        read = read_parse(settings.reading, text)
        assert read is not None
        said = [(e.start, e.end) for c in read.claims for e in c.evidence]
        choices = Choices(read.doc, load_lexicon(settings.reading.language))
        windows = chunks(text, settings.chunk_tokens, settings.overlap_tokens)
        asked = [statement(settings, text, title, c, windows) for c in choices.cued(said)]
        replies = yield [s.question for s in asked]
        found = Grounded([], [], [])
        for s, reply in zip(asked, replies, strict=True):
            draft = answer_of(s.question, reply, found)
            if draft is not None:
                read_answer(choices, s.cued, draft, found)
        if any(isinstance(r, Unasked) for r in replies):
            return no_records()  # an estimate: nothing to read or settle
        return finished(settings, text, found, read)


def statement(
    settings: Settings,
    text: str,
    title: str | None,
    cued: Cued,
    windows: list[tuple[int, int]],
) -> Statement:
    """The question about one cued sentence: the chunk it sits in as the article, its
    own actors and target phrases as the choices."""
    start, end = cued.span
    chunk = next((w for w in windows if w[0] <= start < w[1]), windows[-1])
    question = Question(
        messages=settings.prompts.messages(
            article=text[chunk[0] : chunk[1]],
            title=title,
            sentence=text[start:end],
            targets=cued.target_texts(),
            actors=cued.actor_names(),
        ),
        response_model=statement_model(cued),
        context={"text": text, "window": (start, end), "strict": True},
        max_tokens=STATEMENT_MAX_TOKENS,
        span=(start, end),
        window=(start, end),
        lenient=True,
    )
    return Statement(question, cued)


def statement_model(cued: Cued) -> type[BaseModel]:
    """The answer schema for one sentence: who and about what are choices among its own
    actors and target phrases. It is kept small on purpose: every token of the answer
    costs a small model's time, and what the parse reads off the sentence (the cue, the
    words of a claim, the conditions, the act) is not asked for."""
    who: Any = Literal[tuple(cued.actor_names())]
    about: Any = Literal[(*cued.target_texts(), NONE)]
    item = create_model(
        "Statement",
        who=(who, Field(description="Who speaks or takes the position.")),
        about=(about, Field(description="What the position is on, or none.")),
        position=(Position, Field(description="support, oppose, neutral or unclear")),
    )
    return create_model(
        "Statements",
        items=(
            list[item],
            Field(default_factory=list, max_length=MAX_ITEMS, description="Its statements."),
        ),
    )


def read_answer(choices: Choices, cued: Cued, answer: BaseModel, out: Grounded) -> None:
    """The records of one sentence's answer: the sentence's claim (its speaker's, when the
    parse names one), and a stance for each item that chose a target and a side."""
    start = cued.span[0]
    claimed = False
    for item in getattr(answer, "items", []):
        holder = cued.actor(item.who)
        if holder is None:  # the schema allows only the sentence's actors
            out.warnings.append(f"sentence at {start}: actor {item.who!r} is not offered")
            continue
        if not claimed:
            claim = choices.claim(cued, holder)
            if claim is not None:
                out.claims.append(claim)
            claimed = True
        target = cued.target(item.about) if item.about != NONE else None
        if target is None or item.position not in ("support", "oppose"):
            continue
        read = choices.stance(cued, holder, target, item.position)
        if read is None:
            out.warnings.append(
                f"sentence at {start}: {item.who!r} is named inside its target {item.about!r}"
            )
            continue
        stance = as_record(read, choices.doc.text)
        out.stances.append(
            stance.model_copy(update={"read_by": "model", "confidence": CONFIDENCE["model"]})
        )
