"""JSON Schema files generated from the pydantic models (the models are the truth)."""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from extractor.grounding.drafts import ArticleDraft, SentenceDraft
from extractor.schemas import ArticleResult

SCHEMAS: dict[str, type[BaseModel]] = {
    "article-result.schema.json": ArticleResult,  # one line of the output JSONL
    "article-draft.schema.json": ArticleDraft,  # what the model returns, strategy "article"
    "sentence-draft.schema.json": SentenceDraft,  # ... strategy "sentences"
}


def render(model: type[BaseModel]) -> str:
    return json.dumps(model.model_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schemas(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, model in SCHEMAS.items():
        path = folder / name
        path.write_text(render(model), encoding="utf-8")
        written.append(path)
    return written
