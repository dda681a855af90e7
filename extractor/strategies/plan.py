"""What every strategy is made of: the question a plan hands out, the replies it is
sent back, the records it returns, and the settings it is built with.

A strategy's plan does no I/O (the sans-I/O design of h11 and httpcore): it is a
generator that yields a round of questions, is sent that round's replies in the same
order, and returns the article's `Records`. A reply is the validated draft, the
`InvalidOutput` that a lenient question records as a warning instead, or `UNASKED` when
the estimate driver only counts. Which questions come next may depend on the answers
(the agenda strategy asks about sentences once it knows the agenda), never on how they
were asked: the drivers (extractor.strategies.drivers) ask one after another, on the
event loop, from batch results, or not at all, and every plan runs under every driver.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from pydantic import BaseModel

from extractor.errors import ConfigError, InvalidOutput
from extractor.grounding.merge import merge_claims, merge_stances
from extractor.grounding.records import Grounded
from extractor.pipeline.prompts import Prompts, Templates
from extractor.pipeline.segment import Span, approx_tokens, sentences, split_long, token_chunks
from extractor.schemas import Claim, Stance
from extractor.strategies.parsed import Reading, with_parse

if TYPE_CHECKING:
    from extractor.reading.article import Read

Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class Question:
    """One request: the rendered messages and what the answer is checked against."""

    messages: list[dict[str, str]]
    response_model: type[BaseModel]
    context: dict[str, Any]  # validation context: the article text, window, strictness
    max_tokens: int
    span: Span  # the chunk or sentence asked about
    window: Span  # where its evidence and actors may come from
    lenient: bool = False  # an unusable answer costs this question only, not the article


class Unasked:
    """The estimate driver's reply: nothing was asked. A plan goes on as if a typical
    answer had come (so later rounds are counted at their real size) and grounds nothing."""

    def __repr__(self) -> str:
        return "UNASKED"


UNASKED = Unasked()
Answer = BaseModel | InvalidOutput
Reply = Answer | Unasked
Steps = Generator[list[Question], Sequence[Reply], "Records"]


class Records(BaseModel):
    """An article's merged records, as the results cache keeps them."""

    stances: list[Stance]
    claims: list[Claim]
    warnings: list[str]


def no_records() -> Records:
    return Records(stances=[], claims=[], warnings=[])


@dataclass(frozen=True)
class Settings:
    """What a plan is built with, besides the article: the strategy's prompts, the
    chunking, and how the parse is read."""

    prompts: Prompts
    chunk_tokens: int
    overlap_tokens: int
    context_sentences: int
    reading: Reading = field(default_factory=Reading)

    def shape(self) -> dict[str, Any]:
        """What, besides the model's identity, decides an article's records."""
        return {
            "chunk_tokens": self.chunk_tokens,
            "overlap_tokens": self.overlap_tokens,
            "context_sentences": self.context_sentences,
            "reading": self.reading.key(),
        }


class Strategy:
    """One way of asking about an article. A subclass names itself and its templates,
    says how much of the context window its answers need, and writes `plan`; one line
    in the registry (extractor.strategies) makes it a choice everywhere."""

    name: ClassVar[str]
    templates: ClassVar[Templates]
    summary: ClassVar[str]  # one line, for --help and `extractor doctor`
    reads_parse: ClassVar[bool] = False  # stances are also read from the article's parse
    asks_model: ClassVar[bool] = True  # False: the records come from the parse alone
    # the templates' variables, empty: what the prompt costs without the article
    blank: ClassVar[dict[str, Any]] = {"article": "", "sentence": "", "context": "", "title": None}

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        """Tokens of article text a request may hold, given the model's context, the
        prompt's `overhead` and the answer this strategy asks for."""
        raise NotImplementedError

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        """The article's rounds of questions, and finally its records."""
        raise NotImplementedError


def chunk_budget(
    strategy: Strategy,
    prompts: Prompts,
    context_tokens: int,
    wanted: int,
    context_sentences: int,
) -> int:
    """`wanted` tokens per chunk (or per overlong sentence), or fewer so that the prompt,
    the chunk and the answer fit in the model's context window."""
    blank = prompts.messages(**strategy.blank)
    overhead = sum(approx_tokens(m["content"]) for m in blank) + 600  # + schema, margin
    room = strategy.room(context_tokens, overhead, context_sentences)
    if room < 100:
        raise ConfigError(
            f"The model's context ({context_tokens} tokens) leaves no room for the article "
            "after the prompt and the answer: raise --context-tokens."
        )
    return max(1, min(wanted, room))


def chunks(text: str, chunk_tokens: int, overlap_tokens: int) -> list[Span]:
    """The article whole, or cut into overlapping chunks of whole sentences."""
    if approx_tokens(text) <= chunk_tokens:
        return [(0, len(text))]
    return token_chunks(text, chunk_tokens, overlap_tokens)


def sentence_spans(text: str, chunk_tokens: int) -> list[Span]:
    """The article's sentences, one longer than a chunk cut at spaces."""
    return split_long(text, sentences(text), chunk_tokens)


def extend(into: Grounded, more: Grounded) -> None:
    into.stances.extend(more.stances)
    into.claims.extend(more.claims)
    into.warnings.extend(more.warnings)


def answer_of(
    q: Question, reply: Reply, found: Grounded, what: str = "sentence"
) -> BaseModel | None:
    """The draft to ground, or None: nothing was asked, or a lenient question's answer
    was unusable (a warning in `found` says so: "sentence at 120: ..."). An unusable
    answer to a question that is not lenient fails the article."""
    if isinstance(reply, Unasked):
        return None
    if isinstance(reply, InvalidOutput):
        if not q.lenient:
            raise reply
        found.warnings.append(f"{what} at {q.span[0]}: {reply}")
        return None
    return reply


def finished(settings: Settings, text: str, found: Grounded, read: Read | None = None) -> Records:
    """The article's records: those of every chunk or sentence merged, the parse's joined
    in where it is read (`read`: read already), those below the confidence threshold left
    out."""
    stances, claims = with_parse(
        settings.reading, text, merge_stances(found.stances), merge_claims(found.claims), read
    )
    return Records(stances=stances, claims=claims, warnings=found.warnings)
