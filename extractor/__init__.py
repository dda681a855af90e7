"""Grounded stance, condition and claim records from news articles.

    from extractor import extract
    result = extract(open("article.txt").read())   # embedded model when nothing is configured

    from extractor import Cache, Extractor, load
    with Extractor("openai:gpt-4.1-mini", cache=Cache("answers.sqlite")) as ex:
        for result in ex.run_many(load(["articles/"])):
            print(result.model_dump_json())

No client is built and no model is started at import time. The packages, in layers:
`cli` -> `batchjobs` -> `api` (and `reports`, `review`, `evaluation`, `timeline`) ->
`runtime`, `results` -> `strategies` -> `backends`, `pipeline` -> `reading` ->
`grounding`, `inputs` -> `schemas`, `errors`; pyproject.toml's import-linter contracts
keep them so.
"""

from extractor.api import Extractor, extract
from extractor.backends.client import Backend
from extractor.backends.embedded import EmbeddedServer
from extractor.errors import ConfigError, ExtractorError, InputError, ModelError
from extractor.options import Options
from extractor.pipeline.articles import Article, from_text, load
from extractor.runtime.cache import Cache
from extractor.schemas import (
    Actor,
    ArticleInfo,
    ArticleResult,
    Claim,
    Condition,
    ErrorInfo,
    Evidence,
    Stance,
    Usage,
)

__all__ = [
    "Actor",
    "Article",
    "ArticleInfo",
    "ArticleResult",
    "Backend",
    "Cache",
    "Claim",
    "Condition",
    "ConfigError",
    "EmbeddedServer",
    "ErrorInfo",
    "Evidence",
    "Extractor",
    "ExtractorError",
    "InputError",
    "ModelError",
    "Options",
    "Stance",
    "Usage",
    "extract",
    "from_text",
    "load",
]
