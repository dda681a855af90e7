"""Fetching a page by URL: httpx with a time limit, a size limit, redirects followed one
by one (each hop checked against its site's robots.txt), a user agent that says what is
asking, and a cache of pages so that `--resume` reads the same text again.

`Fetcher.get(url)` returns a `Page` (bytes, content type, the UTC time it was fetched)
or raises `FetchError` (an `InputError`: the article is recorded with kind
`fetch_failed` and the run goes on) with one line saying what happened and what to do.

robots.txt: a site's file is fetched once per run; 401 or 403 for it forbids the whole
site, any other failure (404, 5xx, no answer) allows it, as search engines read it.
`robots=False` (`--ignore-robots`) skips it.

The cache is one SQLite file (`pages.sqlite` beside the answer cache for the CLI): every
page fetched is stored by URL; with `reuse=True` a stored page is taken instead of
fetching it again (its `fetched` time is the first fetch's); with `offline=True` too, a
page not stored is a `FetchError` and nothing is fetched (the report reads texts so).
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import sqlite3
import time
import urllib.robotparser
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from urllib.parse import urljoin, urlsplit

import httpx2 as httpx

from extractor.errors import InputError

TIMEOUT = 20.0  # seconds for a whole page
MAX_BYTES = 5_000_000
MAX_REDIRECTS = 5
ROBOTS_MAX_BYTES = 500_000
AGENT_TOKEN = "extractor"
PAGES_FILE = "pages.sqlite"  # the CLI's page cache, beside the answer cache


def _user_agent() -> str:
    try:
        version = importlib.metadata.version("extractor")
    except importlib.metadata.PackageNotFoundError:
        version = "dev"
    return (
        f"{AGENT_TOKEN}/{version} (reads news articles for stance extraction; honours robots.txt)"
    )


USER_AGENT = _user_agent()


class FetchError(InputError):
    """A page that could not be fetched: its article is recorded with this kind."""

    kind = "fetch_failed"


@dataclass(frozen=True)
class Page:
    url: str  # as asked for
    final_url: str  # after redirects
    content_type: str  # media type only, lower case ("text/html"); "" when not given
    body: bytes
    fetched: str  # ISO 8601 UTC, seconds ("2026-12-03T13:16:20Z")


def is_url(value: str) -> bool:
    return value.lower().startswith(("http://", "https://"))


@dataclass
class Fetcher:
    timeout: float = TIMEOUT
    max_bytes: int = MAX_BYTES
    max_redirects: int = MAX_REDIRECTS
    robots: bool = True
    cache: Path | None = None
    reuse: bool = False
    offline: bool = False
    user_agent: str = USER_AGENT
    _client: httpx.Client | None = field(default=None, init=False, repr=False)
    _db: sqlite3.Connection | None = field(default=None, init=False, repr=False)
    _robots: dict[str, urllib.robotparser.RobotFileParser] = field(
        default_factory=dict, init=False, repr=False
    )

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._db is not None:
            self._db.close()
            self._db = None

    def get(self, url: str) -> Page:
        if (self.reuse or self.offline) and (page := self._cached(url)) is not None:
            return page
        if self.offline:
            raise FetchError(f"{url}: not in the page cache ({self.cache}); run extract on it.")
        page = self._fetch(url)
        self._store(page)
        return page

    def _fetch(self, url: str) -> Page:
        deadline = time.monotonic() + self.timeout
        current = url
        for _ in range(self.max_redirects + 1):
            if self.robots and not self._allowed(current):
                host = urlsplit(current).netloc
                raise FetchError(
                    f"{url}: {host}'s robots.txt does not allow fetching {current}; "
                    "pass --ignore-robots if you have permission."
                )
            status, reason, headers, body = self._request(url, current, deadline, self.max_bytes)
            if status in (301, 302, 303, 307, 308) and headers.get("location"):
                current = urljoin(current, headers["location"])
                continue
            if status >= 400:
                raise FetchError(f"{url}: HTTP {status} {reason}; check the address.")
            media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
            fetched = datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
            return Page(url, current, media, body, fetched)
        raise FetchError(
            f"{url}: more than {self.max_redirects} redirects (a loop?); open it in a browser "
            "to see where it leads, and pass that address."
        )

    def _request(
        self, url: str, current: str, deadline: float, limit: int
    ) -> tuple[int, str, httpx.Headers, bytes]:
        """One GET of `current` (no redirect followed), its body cut off at `limit`."""
        try:
            with self._http().stream("GET", current) as response:
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise _too_large(url, limit)
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > limit:
                        raise _too_large(url, limit)
                    if time.monotonic() > deadline:
                        raise httpx.ReadTimeout("deadline")
                    chunks.append(chunk)
                return (
                    response.status_code,
                    response.reason_phrase,
                    response.headers,
                    b"".join(chunks),
                )
        except httpx.TimeoutException as exc:
            raise FetchError(
                f"{url}: no complete answer within {self.timeout:g} s; try again later, or "
                "save the page and pass the file."
            ) from exc
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"{url}: not a web address httpx can fetch ({exc}).") from exc
        except httpx.HTTPError as exc:
            host = urlsplit(current).netloc
            raise FetchError(
                f"{url}: cannot reach {host} ({exc.__class__.__name__}: {exc}); check the "
                "address and the network."
            ) from exc

    def _allowed(self, url: str) -> bool:
        parts = urlsplit(url)
        origin = f"{parts.scheme}://{parts.netloc}"
        if origin not in self._robots:
            try:
                status, _, _, body = self._request(
                    url, origin + "/robots.txt", time.monotonic() + self.timeout, ROBOTS_MAX_BYTES
                )
            except FetchError:
                status, body = 404, b""  # no answer: allowed
            rules = urllib.robotparser.RobotFileParser()
            if status in (401, 403):
                rules.parse(["User-agent: *", "Disallow: /"])
            elif status >= 300:
                rules.parse([])  # no rules: everything allowed
            else:
                rules.parse(body.decode("utf-8", "replace").splitlines())
            self._robots[origin] = rules
        return self._robots[origin].can_fetch(self.user_agent, url)

    def _http(self) -> httpx.Client:
        if self._client is None:
            self._client = httpx.Client(
                timeout=self.timeout,
                follow_redirects=False,
                headers={"User-Agent": self.user_agent},
            )
        return self._client

    def _sql(self) -> sqlite3.Connection | None:
        if self.cache is None:
            return None
        if self._db is None:
            self.cache.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.cache, timeout=30)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, final_url TEXT, "
                "content_type TEXT, fetched TEXT, body BLOB)"
            )
        return self._db

    def _cached(self, url: str) -> Page | None:
        db = self._sql()
        row = (
            db.execute(
                "SELECT final_url, content_type, fetched, body FROM pages WHERE url = ?", (url,)
            ).fetchone()
            if db
            else None
        )
        return Page(url, row[0], row[1], bytes(row[3]), row[2]) if row else None

    def _store(self, page: Page) -> None:
        db = self._sql()
        if db is None:
            return
        with contextlib.closing(db.cursor()) as cur, db:
            cur.execute(
                "INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?, ?)",
                (page.url, page.final_url, page.content_type, page.fetched, page.body),
            )


def _too_large(url: str, limit: int) -> FetchError:
    return FetchError(
        f"{url}: larger than {limit / 1e6:g} MB, more than any article; save the article "
        "text and pass the file."
    )
