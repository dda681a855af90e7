"""What the model is asked to return: quotes and names, never offsets.

Each draft validates itself against the article while `grounding_context` holds it
(`{"text": ..., "window": ...}`, set around each request; pydantic's validation context
works too): an invented quote or actor raises, and instructor re-asks with the error.
Without a context (parsing the last answer after the re-asks ran out) the drafts only
check their shape, and `extractor.grounding.records` drops what is not in the article.
"""

from __future__ import annotations

from pydantic import BaseModel, Field, ValidationInfo, model_validator

from extractor.grounding.checks import problems
from extractor.schemas import Act, ActorKind, Attribution, ConditionKind, Position
from extractor.validation import grounding_context

ACTOR = "Who, exactly as the article names them (a name, never a pronoun)."
KIND = "person, government, state, organization, group or other"


class ConditionDraft(BaseModel):
    text: str = Field(description="What must happen, in a few words.")
    kind: ConditionKind = Field(description="precondition, demand, guarantee, reciprocal, timing")
    required_of: str | None = Field(
        default=None, description="Who must meet it, as named in the article, or null."
    )
    quote: str = Field(description="Words copied exactly from the article stating it.")


class StanceDraft(BaseModel):
    actor: str = Field(description=ACTOR)
    actor_kind: ActorKind = Field(description="person, government, state, organization, group")
    target: str = Field(description="The proposal or proposition, in a few words.")
    position: Position = Field(description="support, oppose, neutral or unclear")
    act: Act = Field(description="statement, pledge, threat, demand, proposal, warning")
    conditions: list[ConditionDraft] = Field(
        default_factory=list, max_length=6, description="What must happen for it to hold."
    )
    quote: str = Field(description="Words copied exactly from the article showing this.")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> StanceDraft:
        _check(
            info,
            names=[self.actor],
            quotes=[self.quote, *(c.quote for c in self.conditions)],
            targets=(self.target,),
        )
        return self


class ClaimDraft(BaseModel):
    claimant: str = Field(description=ACTOR)
    claimant_kind: ActorKind = Field(description="person, government, state, organization")
    content: str = Field(description="What they assert, as a self-contained sentence.")
    cue: str | None = Field(description="The reporting verb, e.g. said, warned; or null.")
    attribution: Attribution = Field(description="direct (quoted), indirect, or mixed")
    quote: str = Field(description="Words copied exactly from the article saying it.")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> ClaimDraft:
        _check(info, names=[self.claimant], quotes=[self.quote])
        return self


class ArticleDraft(BaseModel):
    """Positions and claims in one article (or one chunk of it)."""

    stances: list[StanceDraft] = Field(
        default_factory=list, max_length=20, description="Positions taken on proposals."
    )
    claims: list[ClaimDraft] = Field(
        default_factory=list, max_length=20, description="Assertions attributed to actors."
    )


class SentenceStance(BaseModel):
    actor: str = Field(description=ACTOR)
    actor_kind: ActorKind = Field(description=KIND)
    target: str = Field(description="The proposal, in a few words.")
    position: Position = Field(description="support, oppose, neutral or unclear")
    act: Act = Field(description="statement, pledge, threat, demand, proposal, warning")
    condition: str | None = Field(
        default=None, description="A condition attached, words from the text, or null."
    )

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> SentenceStance:
        _check(info, names=[self.actor], quotes=[], targets=(self.target,))
        return self


class SentenceClaim(BaseModel):
    claimant: str = Field(description=ACTOR)
    claimant_kind: ActorKind = Field(description=KIND)
    content: str = Field(description="What they assert, as a self-contained sentence.")
    cue: str | None = Field(description="The reporting verb, e.g. said, warned; or null.")

    @model_validator(mode="after")
    def _grounded(self, info: ValidationInfo) -> SentenceClaim:
        _check(info, names=[self.claimant], quotes=[])
        return self


class SentenceDraft(BaseModel):
    """Positions and claims stated in the one sentence asked about."""

    stances: list[SentenceStance] = Field(
        default_factory=list, max_length=3, description="Positions this sentence states."
    )
    claims: list[SentenceClaim] = Field(
        default_factory=list, max_length=3, description="Assertions this sentence reports."
    )


def _check(
    info: ValidationInfo, *, names: list[str], quotes: list[str], targets: tuple[str, ...] = ()
) -> None:
    """Raise (so instructor re-asks) when a name or quote is not in the article."""
    ctx = info.context or grounding_context.get()
    if not ctx or "text" not in ctx:
        return
    found = problems(
        ctx["text"],
        names=names,
        quotes=quotes,
        window=ctx.get("window"),
        targets=targets,
        strict=ctx.get("strict", False),
    )
    if found:
        raise ValueError("; ".join(found))
