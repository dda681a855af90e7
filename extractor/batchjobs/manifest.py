"""A batch directory: `manifest.json` (what shapes the requests, and each shard with its
upload and batch ids) and `index.sqlite` (articles, requests by custom_id, responses by
request body). Both are written as the work goes, so any step can stop and resume.

The manifest is small (a line per shard) and rewritten atomically (a temporary file, then
rename) after every change; the index holds everything that grows with the corpus, so no
step keeps the corpus in memory.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError

FORMAT = 1
MANIFEST = "manifest.json"
INDEX = "index.sqlite"
# The Batch API's limits per input file (platform.openai.com/docs/guides/batch): 50,000
# requests and 200 MB. Shards stay under both.
MAX_REQUESTS = 50_000
MAX_BYTES = 200 * 1000 * 1000
# Batch states after which nothing more will arrive.
FINISHED = {"completed", "failed", "expired", "cancelled"}
# A shard never submitted when the next round was prepared: its requests moved there.
SUPERSEDED = "superseded"


@dataclass
class Shard:
    """One input file and the batch made from it."""

    file: str  # relative to the batch directory
    round: int
    requests: int
    bytes: int
    input_file_id: str | None = None
    batch_id: str | None = None
    status: str | None = None  # the batch's state when last seen
    counts: dict[str, int] = field(default_factory=dict)  # total, completed, failed
    errors: list[str] = field(default_factory=list)  # validation errors of a failed batch
    output_file_id: str | None = None
    error_file_id: str | None = None
    collected: bool = False  # its batch finished and `collect` read all it returned


@dataclass
class Manifest:
    """What `prepare` decided; `submit` and `status` add ids and states to the shards."""

    options: dict[str, Any]  # the Extractor options that shape requests (and the cache key)
    prompt_version: str
    schema_version: str
    paths: list[str]  # the ARTICLES arguments, as given
    articles: int = 0
    rounds: int = 0
    cache: str | None = None  # the answer cache prepare used: collect's default
    shards: list[Shard] = field(default_factory=list)
    format: int = FORMAT

    def save(self, directory: Path) -> None:
        tmp = directory / (MANIFEST + ".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=1) + "\n", "utf-8")
        os.replace(tmp, directory / MANIFEST)

    @classmethod
    def load(cls, directory: Path) -> Manifest:
        path = directory / MANIFEST
        try:
            data = json.loads(path.read_text("utf-8"))
            shards = [Shard(**s) for s in data.pop("shards")]
            manifest = cls(**data, shards=shards)
        except FileNotFoundError as exc:
            raise ConfigError(
                f"{directory}: no batch here ({MANIFEST} missing): run `extractor batch "
                f"prepare ARTICLES --dir {directory}` first."
            ) from exc
        except (OSError, ValueError, TypeError, KeyError) as exc:
            raise ConfigError(f"{path}: not a batch manifest ({exc}).") from exc
        if manifest.format != FORMAT:
            raise ConfigError(f"{path}: manifest format {manifest.format}, expected {FORMAT}.")
        return manifest

    def check_versions(self, prompt_version: str, schema_version: str, directory: Path) -> None:
        """Refuse answers to other questions than this code asks."""
        for what, was, now in (
            ("prompt", self.prompt_version, prompt_version),
            ("schema", self.schema_version, schema_version),
        ):
            if was != now:
                raise ConfigError(
                    f"{directory} was prepared with {what} version {was}, this extractor "
                    f"has {now}: collect it with the version that prepared it, or prepare "
                    "the articles again in a new --dir."
                )


@dataclass(frozen=True)
class Response:
    """What a batch answered to one request body: a chat completion (status 200) or not."""

    custom_id: str
    status: int  # HTTP status of the request; 0 when the line carries only an error
    body: str | None  # the response body (JSON), when there is one
    error: str | None  # what went wrong, in a few words

    @property
    def ok(self) -> bool:
        return self.status == 200 and self.body is not None


class Index:
    """The SQLite side of a batch directory."""

    def __init__(self, directory: Path) -> None:
        self._db = sqlite3.connect(directory / INDEX, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        for table in (
            "articles (idx INTEGER PRIMARY KEY, id TEXT, path TEXT, sha256 TEXT)",
            "requests (custom_id TEXT PRIMARY KEY, sha TEXT, article INTEGER, round INTEGER,"
            " shard TEXT)",
            "responses (sha TEXT PRIMARY KEY, custom_id TEXT, status INTEGER, body TEXT,"
            " error TEXT)",
            "pending (sha TEXT PRIMARY KEY, article INTEGER, body TEXT)",
            "ingested (file TEXT PRIMARY KEY)",
            "from_batch (key TEXT PRIMARY KEY)",
        ):
            self._db.execute(f"CREATE TABLE IF NOT EXISTS {table}")
        self._db.execute("CREATE INDEX IF NOT EXISTS requests_sha ON requests (sha)")
        self._db.execute("CREATE INDEX IF NOT EXISTS pending_article ON pending (article)")
        self._in_tx = False

    def begin(self) -> None:
        if not self._in_tx:
            self._db.execute("BEGIN")
            self._in_tx = True

    def commit(self) -> None:
        if self._in_tx:
            self._db.execute("COMMIT")
            self._in_tx = False

    def close(self) -> None:
        self.commit()
        self._db.close()

    # articles
    def put_article(self, idx: int, id: str, path: str, sha256: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?)", (idx, id, path, sha256)
        )

    def article(self, idx: int) -> tuple[str, str, str] | None:
        row = self._db.execute(
            "SELECT id, path, sha256 FROM articles WHERE idx = ?", (idx,)
        ).fetchone()
        return None if row is None else (row[0], row[1], row[2])

    # requests
    def put_request(self, custom_id: str, sha: str, article: int, round: int, shard: str) -> None:
        self._db.execute(
            "INSERT OR REPLACE INTO requests VALUES (?, ?, ?, ?, ?)",
            (custom_id, sha, article, round, shard),
        )

    def request(self, custom_id: str) -> tuple[str, int] | None:
        """(body sha, article index) of a custom_id written by `prepare`."""
        row = self._db.execute(
            "SELECT sha, article FROM requests WHERE custom_id = ?", (custom_id,)
        ).fetchone()
        return None if row is None else (row[0], row[1])

    def custom_id_of(self, sha: str) -> str | None:
        """The custom_id of this body in the latest round that wrote it."""
        row = self._db.execute(
            "SELECT custom_id FROM requests WHERE sha = ? ORDER BY round DESC LIMIT 1", (sha,)
        ).fetchone()
        return None if row is None else str(row[0])

    def requested_in(self, sha: str) -> int:
        """The latest round that wrote this body, 0 if none did."""
        row = self._db.execute("SELECT max(round) FROM requests WHERE sha = ?", (sha,)).fetchone()
        return int(row[0] or 0)

    # responses
    def put_response(self, sha: str, r: Response) -> bool:
        """Keep `r` unless a good answer is stored already; True when it was kept."""
        old = self.response(sha)
        if old is not None and (old.ok or not r.ok):
            return False
        self._db.execute(
            "INSERT OR REPLACE INTO responses VALUES (?, ?, ?, ?, ?)",
            (sha, r.custom_id, r.status, r.body, r.error),
        )
        return True

    def response(self, sha: str) -> Response | None:
        row = self._db.execute(
            "SELECT custom_id, status, body, error FROM responses WHERE sha = ?", (sha,)
        ).fetchone()
        return None if row is None else Response(*row)

    # requests found missing by `collect` (re-asks), for the next `prepare`
    def put_pending(self, sha: str, article: int, body: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO pending VALUES (?, ?, ?)", (sha, article, body))

    def pending(self, article: int) -> Iterator[tuple[str, str]]:
        yield from self._db.execute(
            "SELECT sha, body FROM pending WHERE article = ? ORDER BY rowid", (article,)
        )

    # answer-cache keys whose answers came from this batch
    def put_from_batch(self, key: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO from_batch VALUES (?)", (key,))

    def from_batch(self, key: str) -> bool:
        found = self._db.execute("SELECT 1 FROM from_batch WHERE key = ?", (key,)).fetchone()
        return found is not None

    # downloaded files read to their end
    def ingested(self, file: str) -> bool:
        return (
            self._db.execute("SELECT 1 FROM ingested WHERE file = ?", (file,)).fetchone()
            is not None
        )

    def mark_ingested(self, file: str) -> None:
        self._db.execute("INSERT OR IGNORE INTO ingested VALUES (?)", (file,))
