"""`prepare`: every request `extract` would send, as batch input files (shards).

Requests are rendered by the code `extract` runs: the strategy's plan, run by the batch
driver (`extractor.strategies.drivers.batch`, answers looked up in the answer cache), and
instructor's request preparation for the mode (`LLM.body`), with the same cache keys; one
an earlier round of this batch already answered is not written. Each call is a round: the
first writes each plan's first round of questions; a later one (after `collect`) writes
what became known: a plan's next round once the answers of the one before are in (the
agenda strategy's sentence questions after its agenda answers), re-asks of answers that
failed validation (found by `collect`), and requests whose batch failed, expired or was
cancelled before answering them.

Articles stream through one at a time and the index is on disk, so memory stays flat
whatever the corpus size.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from extractor.backends.client import LLM
from extractor.backends.speedups import remember_async_validator_check
from extractor.batchjobs.bodies import batch_line, body_sha, canonical, custom_id
from extractor.batchjobs.manifest import (
    MANIFEST,
    MAX_BYTES,
    MAX_REQUESTS,
    SUPERSEDED,
    Index,
    Manifest,
    Shard,
)
from extractor.batchjobs.options import SHAPING, batch_price, extractor_for
from extractor.errors import ConfigError
from extractor.pipeline import articles
from extractor.pipeline.segment import approx_tokens
from extractor.runtime.cache import Cache
from extractor.runtime.costs import Estimate, prompt_tokens
from extractor.schemas import SCHEMA_VERSION
from extractor.strategies import drivers
from extractor.strategies.plan import Question

COMMIT_EVERY = 500  # articles per index transaction


@dataclass
class Prepared:
    """What a round wrote (or, in a dry run, would write)."""

    round: int
    articles: int = 0
    unreadable: int = 0  # articles that could not be read: collect records them
    requests: int = 0  # written in this round
    cached: int = 0  # answered by the answer cache: not written
    answered: int = 0  # answered by an earlier round: not written (collect caches them)
    shards: list[Shard] = field(default_factory=list)
    estimate: Estimate | None = None


class _Shards:
    """Writes batch lines into shard files of at most `max_requests` lines and
    `max_bytes` bytes each."""

    def __init__(
        self, directory: Path, round: int, max_requests: int, max_bytes: int, dry: bool
    ) -> None:
        self.directory, self.round, self.dry = directory, round, dry
        self.max_requests, self.max_bytes = max_requests, max_bytes
        self.done: list[Shard] = []
        self.current: Shard | None = None
        self._fh: Any = None

    def write(self, line: bytes) -> str:
        if len(line) > self.max_bytes:
            raise ConfigError(
                f"One request is {len(line):,} bytes, over the {self.max_bytes:,} per file: "
                "lower --chunk-tokens."
            )
        c = self.current
        if c is None or c.requests >= self.max_requests or c.bytes + len(line) > self.max_bytes:
            self._next()
        assert self.current is not None
        self.current.requests += 1
        self.current.bytes += len(line)
        if self._fh is not None:
            self._fh.write(line)
        return self.current.file

    def _next(self) -> None:
        self.close()
        name = f"shards/r{self.round}-{len(self.done) + 1:04d}.jsonl"
        self.current = Shard(file=name, round=self.round, requests=0, bytes=0)
        if not self.dry:
            (self.directory / "shards").mkdir(exist_ok=True)
            self._fh = (self.directory / name).open("wb")

    def close(self) -> None:
        if self._fh is not None:
            self._fh.close()
            self._fh = None
        if self.current is not None:
            self.done.append(self.current)
            self.current = None


def prepare(
    directory: Path,
    paths: list[str] | None,
    options: dict[str, Any] | None,
    cache: Cache | None,
    *,
    max_requests: int = MAX_REQUESTS,
    max_bytes: int = MAX_BYTES,
    dry_run: bool = False,
    prices: Path | None = None,
) -> Prepared:
    """Write the next round of `directory` (the first when it holds no batch yet)."""
    old = Manifest.load(directory) if (directory / MANIFEST).exists() else None
    if old is None and not paths:
        raise ConfigError("prepare needs ARTICLES: the files or directories to batch.")
    if old is not None:
        _same(old, paths, options, directory)
        _settled(old, directory)
        paths, options = old.paths, old.options
    assert paths is not None and options is not None
    ex = extractor_for(options, cache)
    if old is not None:
        old.check_versions(ex.prompts.version, SCHEMA_VERSION, directory)
    manifest = old or Manifest(
        options=options,
        prompt_version=ex.prompts.version,
        schema_version=SCHEMA_VERSION,
        paths=list(paths),
    )
    round = manifest.rounds + 1
    out = Prepared(round=round)
    out.estimate = Estimate(model=ex.model, price=batch_price(ex.model, prices))
    if not dry_run:
        directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        index = Index(directory if directory.exists() else Path(scratch))
        shards = _Shards(directory, round, max_requests, max_bytes, dry_run)
        try:
            _write_round(ex, index, shards, paths, out, dry_run, old is not None)
        finally:
            shards.close()
            index.close()
    out.shards = shards.done
    if not dry_run:
        if manifest.cache is None and cache is not None:
            manifest.cache = str(cache.path)
        for shard in manifest.shards:  # unanswered requests of these were written again
            if not shard.batch_id:
                shard.status = SUPERSEDED
        manifest.rounds = round
        manifest.articles = out.articles
        manifest.shards += out.shards
        manifest.save(directory)
    return out


def _same(
    old: Manifest, paths: list[str] | None, options: dict[str, Any] | None, directory: Path
) -> None:
    """A later round asks the same articles with the same options, or nothing."""
    if paths and list(paths) != old.paths:
        raise ConfigError(
            f"{directory} batches {' '.join(old.paths)}: run `prepare --dir {directory}` "
            "without ARTICLES for its next round, or use a new --dir."
        )
    if options is not None:
        changed = [k for k in SHAPING if k in options and options[k] != old.options.get(k)]
        if changed:
            raise ConfigError(
                f"{directory} was prepared with other options ({', '.join(changed)}): run "
                f"`prepare --dir {directory}` without them for its next round, or use a new --dir."
            )


def _settled(old: Manifest, directory: Path) -> None:
    """A new round only after every submitted batch has finished and been collected, so
    that nothing still on its way is asked twice."""
    for shard in old.shards:
        if shard.batch_id and not shard.collected:
            raise ConfigError(
                f"{shard.file}: its batch {shard.batch_id} is {shard.status or 'submitted'} "
                f"and not collected: wait for it (`extractor batch status --dir {directory}`) "
                "and run `collect` before preparing the next round."
            )


def _write_round(
    ex: Any,
    index: Index,
    shards: _Shards,
    paths: list[str],
    out: Prepared,
    dry_run: bool,
    again: bool,
) -> None:
    assert ex.backend is not None
    remember_async_validator_check()  # as `extract` does before its first request
    llm = LLM(ex.backend, reasks=ex.reasks)  # renders bodies; sends nothing
    asker = ex.asker  # its cache keys are the ones `extract` uses
    cache: Cache | None = asker.cache
    est = out.estimate
    assert est is not None
    index.begin()
    for idx, article in enumerate(articles.load(paths)):
        out.articles += 1
        est.articles += 1
        if again:
            known = index.article(idx)
            if known is not None and known[2] != article.sha256:
                raise ConfigError(
                    f"{article.path}: the article changed since this batch was prepared: "
                    "prepare it again in a new --dir."
                )
        elif not dry_run:
            index.put_article(idx, article.id, article.path, article.sha256)
        if article.error:
            out.unreadable += 1
            continue

        def write(body_json: str, tokens: int, max_tokens: int, idx: int = idx) -> None:
            sha = body_sha(body_json)
            stored = index.response(sha)
            if stored is not None and stored.ok:
                out.answered += 1
                return
            if index.requested_in(sha) == out.round:  # the same body twice in this round
                return
            cid = custom_id(out.round, idx, sha)
            shard = shards.write(batch_line(cid, body_json))
            if not dry_run:
                index.put_request(cid, sha, idx, out.round, shard)
            out.requests += 1
            est.requests += 1
            est.prompt_tokens += tokens
            est.max_completion_tokens += max_tokens

        pending = drivers.batch(ex.steps(article), _answered(asker, cache, out))
        for q in pending.questions if isinstance(pending, drivers.Pending) else []:
            body = canonical(llm.body(q.messages, q.response_model, q.max_tokens))
            write(body, prompt_tokens(q, ex.mode), q.max_tokens)
        for _, body in list(index.pending(idx)):  # re-asks that collect found missing
            write(body, approx_tokens(body), json.loads(body).get("max_tokens") or 0)
        if out.articles % COMMIT_EVERY == 0:
            index.commit()
            index.begin()
    index.commit()


def _answered(
    asker: Any, cache: Cache | None, out: Prepared
) -> Callable[[Question], BaseModel | None]:
    """The cached answer to a question, as `extract` would find it (counted in `out`)."""

    def answered(q: Question) -> BaseModel | None:
        raw = cache.get(asker.key(q)) if cache is not None else None
        if raw is None:
            return None
        try:
            draft = q.response_model.model_validate_json(raw)
        except ValidationError:
            return None
        out.cached += 1
        if out.estimate is not None:
            out.estimate.cached += 1
        return draft

    return answered
