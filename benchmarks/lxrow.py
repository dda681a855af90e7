"""The LangExtract row of `benchmarks/quality.py`: google/langextract on the same server.

Contract: `run_langextract(python, articles, start_server, ...)` sends each article through
LangExtract's OpenAI-compatible provider to the llama.cpp server that `start_server()`
started, by running benchmarks/lxworker.py with `python`, the interpreter of a venv of its
own (.venv-bench: langextract pins tenacity below what extractor needs). The worker holds
the prompt, the settings and ONE few-shot example of ours (made-up text about a bus lane
plan, neither the seed nor a gold article), with two extraction classes:

- `stance`: the span that states a position; attributes actor, target, position
  (support / oppose / neutral / unclear) and conditions (a list of short texts);
- `claim`: the span that reports an assertion; attributes claimant and content.

`to_result()` turns its output into our `ArticleResult`: the `char_interval` becomes the
evidence offsets and the quote is `text[start:end]`, so grounding holds by construction;
`match` is exact when that slice equals LangExtract's extraction_text, normalized when
they differ only in case and whitespace, else fuzzy (its wording kept as `model_quote`).
An extraction without an interval or without its actor / claimant is dropped and counted.
A condition gets evidence only where its text occurs verbatim in the article.

Requests go one at a time (the server answers one at a time, and a queued request would
spend its timeout waiting) through an openai client with our per-request timeout and no
SDK retries: a request that times out or fails fails its article, which is recorded, never
retried silently; the worker as a whole gets that timeout per chunk, plus two. Each
article's outcome is cached in a JSON file keyed by everything that decides it (worker
description, model, timeout, article sha256); failures are not cached.
"""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor.grounding.actors import canonical_name
from extractor.grounding.records import attribution_of
from extractor.pipeline.articles import Article
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


@dataclass
class Outcome:
    """What LangExtract did with one article (the cache entry, and the raw run)."""

    extractions: list[dict[str, Any]] = field(default_factory=list)
    usage: dict[str, int] = field(default_factory=lambda: {"requests": 0})
    seconds: float = 0.0
    unparsed: int = 0  # answers that were not JSON with an "extractions" list
    error: str | None = None
    cached: bool = False


WORKER = Path(__file__).resolve().parent / "lxworker.py"


def describe(python: Path) -> dict[str, Any]:
    """Version, settings, prompt and example of the worker in the bench venv."""
    done = subprocess.run(
        [str(python), str(WORKER), "--describe"], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def cache_key(
    description: dict[str, Any], article: Article, model_id: str, gguf_sha: str, timeout: float
) -> str:
    parts = [
        json.dumps(description, sort_keys=True),
        model_id,
        gguf_sha,
        str(timeout),
        article.sha256,
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:32]


def extract_one(
    python: Path, article: Article, base_url: str, model_id: str, timeout: float, chunk_chars: int
) -> Outcome:
    """One article through the worker; its failures, and the worker's, are recorded."""
    request = {"text": article.text, "base_url": base_url, "model_id": model_id, "timeout": timeout}
    budget = timeout * (len(article.text) // chunk_chars + 2)  # every chunk, and slack
    started = time.perf_counter()
    try:
        done = subprocess.run(
            [str(python), str(WORKER)],
            input=json.dumps(request),
            capture_output=True,
            text=True,
            timeout=budget,
        )
    except subprocess.TimeoutExpired:
        return Outcome(
            seconds=round(time.perf_counter() - started, 2),
            error=f"worker timed out after {budget:.0f} s",
        )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        tail = done.stderr.strip().splitlines()[-1:] or ["no output"]
        return Outcome(
            seconds=round(time.perf_counter() - started, 2),
            error=f"worker exited {done.returncode}: {tail[0][:300]}",
        )
    return Outcome(**json.loads(lines[-1]))


def run_langextract(
    python: Path,
    articles: list[Article],
    start_server: Callable[[], str],
    model_id: str,
    gguf_sha: str,
    cache_dir: Path,
    timeout: float,
) -> list[Outcome]:
    """Each article from the cache, or through the worker in the venv of `python`;
    `start_server()` is called once, before the first article that needs the model, and
    returns the server's base URL."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    description = describe(python)
    chunk_chars = int(description["settings"]["max_char_buffer"])
    base_url: str | None = None
    outcomes = []
    for article in articles:
        path = cache_dir / f"{cache_key(description, article, model_id, gguf_sha, timeout)}.json"
        if path.exists():
            outcome = Outcome(**json.loads(path.read_text("utf-8")))
            outcome.cached = True
        else:
            base_url = base_url or start_server()
            outcome = extract_one(python, article, base_url, model_id, timeout, chunk_chars)
            if outcome.error is None:  # failures are not cached: a rerun tries again
                data = {k: v for k, v in outcome.__dict__.items() if k != "cached"}
                path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
        outcomes.append(outcome)
    return outcomes


@dataclass
class Converted:
    result: ArticleResult
    dropped: int  # extractions without interval or without actor / claimant


def to_result(article: Article, outcome: Outcome, model: str) -> Converted:
    """LangExtract's extractions as our records, grounded in its char intervals."""
    text, stances, claims, warnings, dropped = article.text, [], [], [], 0
    for e in outcome.extractions:
        attrs = e["attributes"] or {}
        who = _first(attrs.get("actor") if e["class"] == "stance" else attrs.get("claimant"))
        ev = _evidence(text, e)
        if ev is None or not who or e["class"] not in ("stance", "claim"):
            dropped += 1
            warnings.append(f"dropped {e['class']} {e['text']!r}: no interval, actor or class")
            continue
        actor = Actor(name=who, canonical=canonical_name(who, text), kind="other")
        if e["class"] == "stance":
            position = str(_first(attrs.get("position")) or "").strip().lower()
            stances.append(
                Stance(
                    actor=actor,
                    target=_first(attrs.get("target")) or e["text"],
                    position=position if position in _POSITIONS else "unclear",
                    act="statement",
                    conditions=[_condition(text, c) for c in _listed(attrs.get("conditions"))],
                    evidence=[ev],
                )
            )
        else:
            claims.append(
                Claim(
                    claimant=actor,
                    content=_first(attrs.get("content")) or e["text"],
                    cue=None,
                    attribution=attribution_of(ev.quote),
                    evidence=[ev],
                )
            )
    result = ArticleResult(
        article=ArticleInfo(
            id=article.id,
            path=article.path,
            sha256=article.sha256,
            title=article.title,
            chars=len(text),
        ),
        stances=stances,
        claims=claims,
        model=model,
        strategy="article",  # the schema knows only our strategies; the row says langextract
        prompt_version="langextract",
        usage=Usage(
            prompt_tokens=outcome.usage.get("prompt_tokens", 0),
            completion_tokens=outcome.usage.get("completion_tokens", 0),
            requests=outcome.usage.get("requests", 0),
        ),
        warnings=warnings,
        error=ErrorInfo(kind="langextract", message=outcome.error) if outcome.error else None,
    )
    return Converted(result, dropped)


_POSITIONS = {"support", "oppose", "neutral", "unclear"}


def _evidence(text: str, e: dict[str, Any]) -> Evidence | None:
    start, end = e["start"], e["end"]
    if start is None or end is None or not 0 <= start < end <= len(text):
        return None
    quote = text[start:end]
    if quote == e["text"]:
        return Evidence(quote=quote, start=start, end=end, match="exact")
    match = "normalized" if _norm(quote) == _norm(e["text"]) else "fuzzy"
    return Evidence(quote=quote, start=start, end=end, match=match, model_quote=e["text"])


def _condition(text: str, condition: str) -> Condition:
    at = text.find(condition) if condition else -1
    evidence = (
        [Evidence(quote=condition, start=at, end=at + len(condition), match="exact")]
        if at >= 0
        else []
    )
    return Condition(text=condition, kind="other", required_of=None, evidence=evidence)


def _first(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    return str(value).strip() or None if value is not None else None


def _listed(value: Any) -> list[str]:
    if value is None:
        return []
    items = value if isinstance(value, list) else [value]
    return [str(v).strip() for v in items if str(v).strip() and str(v).strip() != "[]"]


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip().casefold()
