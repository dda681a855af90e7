"""Grounded stance, condition and claim records from news articles.

    from extractor import extract
    result = extract(open("article.txt").read())   # embedded model when nothing is configured

No client is built and no model is started at import time.
"""

from extractor.api import Extractor, extract
from extractor.errors import ConfigError, ExtractorError, InputError, ModelError
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
    "ArticleInfo",
    "ArticleResult",
    "Claim",
    "Condition",
    "ConfigError",
    "ErrorInfo",
    "Evidence",
    "Extractor",
    "ExtractorError",
    "InputError",
    "ModelError",
    "Stance",
    "Usage",
    "extract",
]
