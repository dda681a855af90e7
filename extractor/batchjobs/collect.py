"""`collect`: batch results in, one record per article out, in input order.

1. Download each finished batch's output and error files (streamed to `downloads/`) and
   read them line by line into the index (`results.parse_line`): lines in any order, a
   custom_id twice (the first good answer is kept), a custom_id this batch never wrote
   (counted, ignored), a cut-off file (its readable lines are kept; it is downloaded
   again next time). `--results FILE` reads `vllm run-batch` output the same way.
2. Run every article through `Extractor.run` with the batch answers in place of HTTP
   (`answers.BatchAnswers`): the same validation, re-asks, answer cache, grounding and
   merge as `extract`. An article with a request no batch answered is written with
   `error.kind` `not_answered` and no records (its records are not cached), and a later
   `collect` completes it.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from extractor.batchjobs.answers import BatchAnswers, NotAnswered, Problem
from extractor.batchjobs.manifest import FINISHED, Index, Manifest
from extractor.batchjobs.options import extractor_for
from extractor.batchjobs.results import parse_line
from extractor.errors import ConfigError
from extractor.pipeline import articles
from extractor.results.jsonl import JsonlWriter
from extractor.runtime.attempt import article_result
from extractor.runtime.cache import Cache
from extractor.schemas import SCHEMA_VERSION, ArticleResult
from extractor.strategies.plan import no_records

COMMIT_EVERY = 500  # articles per index transaction
PROBLEMS = "problems.jsonl"  # every request the last collect could not use, one per line
Say = Callable[[str], None]


@dataclass
class Read:
    """What the result files held."""

    lines: int = 0
    answers: int = 0  # lines with a usable answer (status 200)
    failed: int = 0  # lines with an error or another status
    duplicates: int = 0  # a custom_id seen before
    foreign: int = 0  # a custom_id this batch never wrote
    unreadable: int = 0  # not JSON: a cut-off download


@dataclass
class Collected:
    read: Read = field(default_factory=Read)
    articles: int = 0
    complete: int = 0
    not_answered: int = 0
    failed: int = 0  # other errors: unreadable article, refused request, ...
    problems: int = 0
    sent: int = 0  # requests sent for real (--reask)


class BatchCache(Cache):
    """The answer cache as `collect` uses it. Answers this batch put there are looked up
    in the batch's responses again (through `BatchAnswers`), so an article's usage counts
    every answer it took from the batch, in whichever round it came; records are never
    read from it (each collect grounds them again) and are written only for an article
    whose questions were all answered (`release`), so no partial record is cached."""

    def __init__(self, path: str | Path) -> None:
        super().__init__(path)
        self.index: Index | None = None
        self.held: list[tuple[str, str]] = []

    def get(self, key: str) -> str | None:
        if self.index is not None and self.index.from_batch(key):
            return None
        return super().get(key)

    def put(self, key: str, answer: str) -> None:
        super().put(key, answer)
        if self.index is not None:
            self.index.put_from_batch(key)

    def get_result(self, key: str) -> str | None:
        return None

    def put_result(self, key: str, result: str) -> None:
        self.held.append((key, result))

    def release(self, keep: bool) -> None:
        for key, result in self.held if keep else []:
            super().put_result(key, result)
        self.held.clear()


def download(
    directory: Path, manifest: Manifest, index: Index, client: Any, read: Read, say: Say
) -> None:
    """Fetch and read the files of every finished batch not read to its end yet."""
    target = directory / "downloads"
    for shard in manifest.shards:
        if not shard.batch_id or shard.status not in FINISHED or shard.collected:
            continue
        whole = True
        for file_id in (shard.output_file_id, shard.error_file_id):
            if not file_id or index.ingested(file_id):
                continue
            target.mkdir(exist_ok=True)
            path = target / f"{file_id}.jsonl"
            with client.files.with_streaming_response.content(file_id) as response:
                response.stream_to_file(path)
            if ingest(index, _lines(path), read):
                index.mark_ingested(file_id)
            else:
                whole = False
                say(f"{file_id} ({shard.file}): cut off; readable lines kept, run collect again")
        shard.collected = whole
        manifest.save(directory)


def ingest(index: Index, lines: Iterable[bytes], read: Read) -> bool:
    """Read result lines into the index; False when a line could not be read."""
    whole = True
    seen: set[str] = set()  # a file holds at most one shard's requests: bounded
    index.begin()
    for raw in lines:
        if not raw.strip():
            continue
        read.lines += 1
        line = parse_line(raw)
        if line.unreadable or line.response is None or line.custom_id is None:
            read.unreadable += 1
            whole = False
            continue
        known = index.request(line.custom_id)
        if known is None:
            read.foreign += 1
            continue
        sha, _ = known
        if line.custom_id in seen:
            read.duplicates += 1
        seen.add(line.custom_id)
        if line.response.ok:
            read.answers += 1
        else:
            read.failed += 1
        index.put_response(sha, line.response)
    index.commit()
    return whole


def _lines(path: Path) -> Iterable[bytes]:
    with path.open("rb") as fh:
        yield from fh


def collect(
    directory: Path,
    output: str,
    cache: BatchCache,
    *,
    client: Any | None,
    results: list[Path],
    reask: bool,
    say: Say,
    stream: TextIO | None = None,
) -> Collected:
    """Read the batch's results, then write every article's record to `output` (`-`:
    `stream`, which the CLI passes)."""
    manifest = Manifest.load(directory)
    ex = extractor_for(manifest.options, cache, sends=reask)
    manifest.check_versions(ex.prompts.version, SCHEMA_VERSION, directory)
    out = Collected()
    index = Index(directory)
    try:
        if client is not None:
            download(directory, manifest, index, client, out.read, say)
        for path in results:
            try:
                ingest(index, _lines(path), out.read)
            except OSError as exc:
                raise ConfigError(f"--results {path}: cannot read it ({exc.strerror}).") from exc
        cache.index = index
        answers = BatchAnswers(index, reask=reask)
        ex.answer_with(answers)
        with (
            JsonlWriter(output, stream=stream) as writer,
            (directory / PROBLEMS).open("w") as problems,
        ):
            index.begin()
            for idx, article in enumerate(articles.load(manifest.paths)):
                if idx % COMMIT_EVERY == 0:
                    index.commit()
                    index.begin()
                known = index.article(idx)
                if known is None or known[2] != article.sha256:
                    raise ConfigError(
                        f"{article.path}: not the article this batch was prepared for "
                        "(changed or moved): prepare it again in a new --dir."
                    )
                answers.begin(idx)
                result = ex.run(article)
                cache.release(keep=not answers.missing)
                if answers.missing:
                    result = _not_answered(ex, article, result, answers.problems)
                writer.write(result)
                _count(out, result, answers.problems, problems)
        out.sent = answers.sent
    finally:
        index.close()
        ex.close()
    return out


def _not_answered(
    ex: Any, article: articles.Article, result: ArticleResult, problems: list[Problem]
) -> ArticleResult:
    missing = sum(p.what != "refused" for p in problems)
    failure = NotAnswered(
        f"{missing} of this article's requests are not answered by a batch yet: run "
        "`extractor batch prepare` for the next round (then submit and collect), or "
        "`collect --reask` to ask them now."
    )
    return article_result(
        article,
        no_records(),
        result.usage,
        failure,
        ex.produced_by,
        ex.strategy,
        ex.prompts.version,
    )


def _count(out: Collected, result: ArticleResult, problems: list[Problem], sink: Any) -> None:
    out.articles += 1
    if result.error is None:
        out.complete += 1
    elif result.error.kind == NotAnswered.kind:
        out.not_answered += 1
    else:
        out.failed += 1
    for p in problems:
        out.problems += 1
        sink.write(
            json.dumps(
                {
                    "custom_id": p.custom_id,
                    "article": result.article.id,
                    "problem": p.what,
                    "detail": p.detail,
                }
            )
            + "\n"
        )
