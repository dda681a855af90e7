"""The JSON Schema files are generated from the pydantic models and must not drift."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT
from pydantic import ValidationError

from extractor.results.schemafiles import SCHEMAS, render
from extractor.schemas import ArticleResult, Evidence, Stance


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_file_matches_model(name: str) -> None:
    path = ROOT / "schemas" / name
    assert path.exists(), f"{path} missing: run `extractor schema --write schemas/`"
    assert path.read_text("utf-8") == render(SCHEMAS[name]), (
        f"{path} drifted from the models: run `extractor schema --write schemas/`"
    )


def test_every_field_has_a_description() -> None:
    """The model reads the descriptions of the fields it fills in."""
    from extractor.grounding.drafts import ArticleDraft, SentenceDraft

    for model in (ArticleDraft, SentenceDraft):
        schema = model.model_json_schema()
        for def_name, spec in [(model.__name__, schema), *schema.get("$defs", {}).items()]:
            for field, prop in spec["properties"].items():
                assert prop.get("description"), f"{def_name}.{field} has no description"


def test_contract_fields() -> None:
    schema = ArticleResult.model_json_schema()
    assert {
        "article",
        "stances",
        "claims",
        "model",
        "prompt_version",
        "usage",
        "warnings",
        "error",
    } <= set(schema["properties"])
    stance = schema["$defs"]["Stance"]["properties"]
    assert {"actor", "target", "position", "act", "conditions", "evidence"} <= set(stance)
    assert schema["$defs"]["Stance"]["properties"]["position"]["enum"] == [
        "support",
        "oppose",
        "neutral",
        "unclear",
    ]
    evidence = schema["$defs"]["Evidence"]["properties"]
    assert evidence["match"]["enum"] == ["exact", "normalized", "fuzzy"]


def test_stance_needs_evidence() -> None:
    actor = {"name": "Putin", "canonical": "Vladimir Putin", "kind": "person"}
    with pytest.raises(ValidationError):
        Stance.model_validate(
            {
                "actor": actor,
                "target": "ceasefire",
                "position": "support",
                "act": "statement",
                "evidence": [],
            }
        )
    with pytest.raises(ValidationError):
        Evidence.model_validate({"quote": "x", "start": 0, "end": 1, "match": "guessed"})


def test_result_round_trips_through_json() -> None:
    ev = {"quote": "We agree", "start": 1, "end": 9, "match": "exact"}
    actor = {"name": "Putin", "canonical": "Vladimir Putin", "kind": "person"}
    line = json.dumps(
        {
            "article": {"id": "a", "path": "a.txt", "sha256": "0" * 64, "chars": 10},
            "stances": [
                {
                    "actor": actor,
                    "target": "ceasefire",
                    "position": "support",
                    "act": "statement",
                    "conditions": [],
                    "evidence": [ev],
                }
            ],
            "claims": [],
            "model": "m",
            "strategy": "sentences",
            "prompt_version": "p",
        }
    )
    result = ArticleResult.model_validate_json(line)
    assert ArticleResult.model_validate_json(result.model_dump_json()) == result
