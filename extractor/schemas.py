"""Output records: the JSONL contract that other tools rely on.

These pydantic models are the source of truth; `schemas/*.json` is generated from them
(`extractor schema --write schemas/`) and a test fails when the files drift.
Offsets are character offsets (Python string indices) into the article text as read.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = "1"

Position = Literal["support", "oppose", "neutral", "unclear"]
Act = Literal["statement", "pledge", "threat", "demand", "proposal", "warning", "question", "other"]
ActorKind = Literal["person", "government", "state", "organization", "group", "other"]
ConditionKind = Literal["precondition", "demand", "guarantee", "reciprocal", "timing", "other"]
Attribution = Literal["direct", "indirect", "mixed"]
MatchKind = Literal["exact", "normalized", "fuzzy"]
ReadBy = Literal["parse", "parse+model", "model"]

# A stance's confidence by what found it: the parse through a listed stance word
# ("parse"), the same under a hedge and without a condition ("hedged": "would support",
# "is unlikely to accept"), the parse through a word's sentiment rating alone ("rated":
# measured far less precise), the parse through what someone says should be done
# ("deontic": "said the city should sell the team"; 1 of 22 matched development gold,
# against 29 of 146 for a listed stance word), the model alone ("model"). Measured per
# level in benchmarks/QUALITY.md; the agenda strategy's default threshold is 0.5.
CONFIDENCE: dict[str, float] = {
    "parse+model": 0.9,
    "parse": 0.7,
    "hedged": 0.4,
    "rated": 0.4,
    "deontic": 0.4,
    "model": 0.3,
}


class _Record(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Evidence(_Record):
    """A verbatim span of the article; the program computed and checked the offsets."""

    quote: str = Field(description="The article's own text at [start:end], verbatim.")
    start: int = Field(ge=0, description="Character offset where the quote starts.")
    end: int = Field(ge=0, description="Character offset just past the quote's end.")
    match: MatchKind = Field(
        description="How the model's quote was found: exact, normalized (case, whitespace, "
        "quotation marks) or fuzzy (a few words differ)."
    )
    model_quote: str | None = Field(
        default=None, description="The model's wording, when it differs from the article's."
    )


class Actor(_Record):
    name: str = Field(description="The actor as written in the article.")
    canonical: str = Field(description="One name for the same actor across records and articles.")
    kind: ActorKind = Field(description="What sort of actor this is.")


class Condition(_Record):
    text: str = Field(description="What must happen for the stance to hold.")
    kind: ConditionKind = Field(description="What sort of condition this is.")
    required_of: Actor | None = Field(
        default=None, description="Who must meet the condition, when the article says."
    )
    evidence: list[Evidence] = Field(description="Where the article states the condition.")


class Stance(_Record):
    actor: Actor = Field(description="Who takes the position.")
    target: str = Field(description="The proposal or proposition, as a short phrase.")
    canonical_target: str | None = Field(
        default=None,
        description="The article's one name for the target: a named target's full name, or "
        "the article's most specific wording holding all its words (extractor.grounding."
        "targets); None in runs made before it was added.",
    )
    position: Position = Field(description="The actor's position on the target.")
    act: Act = Field(description="What kind of act expresses the position.")
    conditions: list[Condition] = Field(
        default_factory=list, description="Conditions attached; a conditional yes has some."
    )
    evidence: list[Evidence] = Field(min_length=1, description="Where the article says so.")
    read_by: ReadBy = Field(
        default="model",
        description="What found the stance: the parse of its sentence, the model, or both.",
    )
    confidence: float = Field(
        default=CONFIDENCE["model"],
        ge=0,
        le=1,
        description="How far to trust it, from what found it (see CONFIDENCE).",
    )


class Claim(_Record):
    claimant: Actor = Field(description="Who asserts the content (the source).")
    content: str = Field(description="What is asserted, as a self-contained statement.")
    cue: str | None = Field(description="The reporting verb or phrase, e.g. 'said', 'warned'.")
    attribution: Attribution = Field(
        description="direct (quoted), indirect (paraphrased) or mixed."
    )
    evidence: list[Evidence] = Field(min_length=1, description="Where the article says so.")
    claimant_mention: Evidence | None = Field(
        default=None,
        description="The words of the claim's sentence that name or refer to the claimant, as "
        "written ('he', 'the agency', 'Putin'), when the parse found them; the claimant is "
        "who they refer to. None for claims a model answered, and in runs made before it "
        "was added.",
    )


class ArticleInfo(_Record):
    id: str = Field(description="Stable identifier: the file stem, or the JSONL record's id.")
    path: str = Field(
        description="The path as given on the command line; for a web page its URL, for a "
        "feed entry its link."
    )
    sha256: str = Field(description="SHA-256 of the article text as read (UTF-8).")
    title: str | None = Field(default=None, description="The title, when known.")
    date: str | None = Field(
        default=None, description="Publication date (ISO 8601, e.g. 2016-10-12), when known."
    )
    chars: int = Field(ge=0, description="Length of the text in characters.")
    source: str = Field(
        default="text",
        description="What the text was extracted from: text (a text file, JSONL, standard "
        "input), html, pdf, docx, or feed (a feed entry's own content). Offsets index the "
        "extracted text.",
    )
    fetched: str | None = Field(
        default=None,
        description="When the page was fetched (ISO 8601, UTC), for an article read by URL; "
        "its path is the URL.",
    )


class Usage(_Record):
    prompt_tokens: int = 0
    completion_tokens: int = 0
    requests: int = 0

    def add(self, other: Usage) -> None:
        self.prompt_tokens += other.prompt_tokens
        self.completion_tokens += other.completion_tokens
        self.requests += other.requests


class ErrorInfo(_Record):
    kind: str = Field(description="Machine-readable error kind, e.g. invalid_input, server_error.")
    message: str = Field(description="What went wrong and what to do about it.")


class ArticleResult(_Record):
    """One line of the output JSONL: everything extracted from one article."""

    article: ArticleInfo
    stances: list[Stance] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    model: str = Field(
        description="The model that produced the records; for a strategy that asks none "
        "(`parse`), the spaCy pipeline that read them."
    )
    strategy: str = Field(
        description="How the article was asked: a strategy of extractor.strategies (agenda, "
        "article, sentences, or one registered there)."
    )
    prompt_version: str = Field(description="Hash of the prompt templates used.")
    schema_version: str = Field(default=SCHEMA_VERSION)
    usage: Usage = Field(default_factory=Usage)
    warnings: list[str] = Field(
        default_factory=list, description="Records dropped or flagged, and why."
    )
    error: ErrorInfo | None = Field(default=None, description="Set when the article failed.")
