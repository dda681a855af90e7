"""Gold annotations written by people: the JSONL format that `extractor eval` scores against.

One article per line. Only `article.sha256` links gold to a run (the SHA-256 of the text
as `extractor extract` read it); `id`, `path`, `title` and any other article fields are
for readers. Actors and claimants are lists of names and aliases (a bare string is taken
as a one-name list); conditions sit inside their stance:

    {"article": {"id": "...", "sha256": "...", "path": "seeds/....txt"},
     "annotator": "who wrote it, when",
     "stances": [{"actor": ["Vladimir Putin", "Putin"], "target": "30-day ceasefire",
                  "position": "support", "act": "statement",
                  "conditions": [{"text": "guarantees of long-term stability",
                                  "kind": "guarantee", "required_of": null}]}],
     "claims": [{"claimant": ["Marco Rubio", "Rubio"], "content": "The ball is in Russia's court.",
                 "cue": "stated", "attribution": "mixed"}]}

`act`, `kind`, `required_of`, `cue` and `attribution` are optional and not scored (yet):
they document what the annotator saw.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from extractor.errors import ConfigError
from extractor.schemas import Act, Attribution, ConditionKind, Position

_WHAT = "See the gold format in extractor/evaluation/gold.py or docs/review-eval-report.md."


def _aliases(value: object) -> object:
    return [value] if isinstance(value, str) else value


class _Gold(BaseModel):
    model_config = ConfigDict(extra="forbid")


class GoldCondition(_Gold):
    text: str
    kind: ConditionKind | None = None
    required_of: list[str] | None = None

    _as_list = field_validator("required_of", mode="before")(_aliases)


class GoldStance(_Gold):
    actor: list[str] = Field(min_length=1)
    target: str
    position: Position
    act: Act | None = None
    conditions: list[GoldCondition] = Field(default_factory=list)

    _as_list = field_validator("actor", mode="before")(_aliases)


class GoldClaim(_Gold):
    claimant: list[str] = Field(min_length=1)
    content: str
    cue: str | None = None
    attribution: Attribution | None = None

    _as_list = field_validator("claimant", mode="before")(_aliases)


class GoldArticleInfo(BaseModel):
    model_config = ConfigDict(extra="allow")  # file, source, notes...: for readers

    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    id: str | None = None
    path: str | None = None
    title: str | None = None


class GoldArticle(_Gold):
    article: GoldArticleInfo
    annotator: str | None = None
    stances: list[GoldStance] = Field(default_factory=list)
    claims: list[GoldClaim] = Field(default_factory=list)

    @property
    def label(self) -> str:
        return self.article.id or self.article.path or self.article.sha256[:12]


def load_gold(path: str | Path) -> list[GoldArticle]:
    """Gold articles from a .jsonl file, or from every .jsonl file under a directory."""
    p = Path(path)
    if p.is_dir():
        files = sorted(f for f in p.rglob("*.jsonl") if f.is_file())
        if not files:
            raise ConfigError(f"{path}: no .jsonl gold files in this directory. {_WHAT}")
        return [g for f in files for g in _load_file(f)]
    if not p.is_file():
        raise ConfigError(f"{path}: no such gold file or directory. Check the path.")
    return _load_file(p)


def _load_file(path: Path) -> list[GoldArticle]:
    try:
        lines = path.read_text("utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}).") from exc
    out = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            out.append(GoldArticle.model_validate(json.loads(line)))
        except json.JSONDecodeError as exc:
            raise ConfigError(f"{path}:{n}: not JSON ({exc.msg}). {_WHAT}") from exc
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ".".join(str(part) for part in err["loc"])
            raise ConfigError(
                f"{path}:{n}: bad gold line ({where}: {err['msg']}). {_WHAT}"
            ) from exc
    return out
