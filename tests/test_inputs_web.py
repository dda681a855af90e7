"""Web pages and feeds, fetched from a real HTTP server on loopback (http.server in a
thread) that serves a news page, an RSS and an Atom feed, a redirect, a redirect loop,
a 404, a 10 MB page (with and without its length), a slow page, an image, a PDF, and a
robots.txt that forbids /private/. The page and the feeds are hand-written for these
tests (made-up council news in the markup news sites use: `<article>`, Open Graph and
`article:published_time` metadata, RSS `pubDate` and `content:encoded`); the PDF is made
by tests/test_inputs.py's pypdf writer. Then the whole command: a feed's entries
extracted against the fake model server, and the timeline of the run has dated rows."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from extractor.cli.main import main
from extractor.inputs.web import Fetcher
from extractor.pipeline import articles
from extractor.reports.html_report import render_html
from extractor.schemas import ArticleResult
from tests.support.fakeanswers import quote_back
from tests.support.fakeserver import FakeServer

PARAGRAPHS = [
    "The city council of Harbourton voted on Tuesday to back the port expansion plan, "
    "after a debate that lasted most of the evening and drew a crowd of residents.",
    "Mayor Anna Lund said the council supports the plan because it would bring jobs to "
    "the harbour district, and she pledged to hold a public hearing on its costs.",
    "Councillor Erik Vik rejected the proposal, saying that the expansion would raise the "
    "city's debt and that the port board had not answered questions about the dredging.",
    "The port board chairman Per Holm welcomed the vote and said construction could start "
    "next spring if the state approves the environmental permit in time.",
]


def news_page(title: str, published: str, paragraphs: list[str]) -> bytes:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>{title} | Harbourton Gazette</title>
<meta property="og:title" content="{title}">
<meta property="article:published_time" content="{published}T09:30:00+01:00">
</head><body>
<header><nav><a href="/">Home</a> <a href="/politics">Politics</a></nav></header>
<main><article><h1>{title}</h1>
{body}
</article></main>
<footer>Copyright Harbourton Gazette. <a href="/privacy">Privacy</a></footer>
</body></html>""".encode()


STORY = news_page("Council backs port expansion", "2024-03-05", PARAGRAPHS)
SECOND = news_page("Port board answers on dredging", "2024-03-07", PARAGRAPHS[2:])


def rss(base: str) -> bytes:
    full = "".join(f"<p>{p}</p>" for p in PARAGRAPHS[1:3])
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Harbourton Gazette</title><link>{base}/</link><description>News</description>
<item><title>Council backs port expansion</title><link>{base}/news/port.html</link>
<pubDate>Tue, 05 Mar 2024 09:30:00 +0100</pubDate>
<description>The council voted.</description></item>
<item><title>Lund pledges hearing on port costs</title><link>{base}/news/hearing.html</link>
<pubDate>Wed, 06 Mar 2024 18:00:00 +0100</pubDate><description>Short.</description>
<content:encoded><![CDATA[{full}]]></content:encoded></item>
</channel></rss>""".encode()


def atom(base: str) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Gazette</title><id>{base}/atom</id>
<updated>2024-03-07T10:00:00Z</updated>
<entry><title>Port board answers</title><id>{base}/news/dredging.html</id>
<link href="{base}/news/dredging.html"/><updated>2024-03-07T10:00:00Z</updated></entry>
</feed>""".encode()


@dataclass
class Site:
    base: str
    routes: dict[str, tuple[int, dict[str, str], bytes, float]]
    agents: list[str] = field(default_factory=list)
    asked: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def site() -> Iterator[Site]:
    routes: dict[str, tuple[int, dict[str, str], bytes, float]] = {}
    seen = Site("", routes)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.agents.append(self.headers.get("User-Agent", ""))
            seen.asked.append(self.path)
            status, headers, body, delay = routes.get(self.path, (404, {}, b"not found", 0.0))
            time.sleep(delay)
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            if "X-Unsized" not in headers:  # else the body ends when the connection closes
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self.wfile.write(body)  # the client may stop reading (the 10 MB page)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    server.block_on_close = False
    seen.base = f"http://127.0.0.1:{server.server_address[1]}"
    html = {"Content-Type": "text/html; charset=utf-8"}
    routes.update(
        {
            "/robots.txt": (
                200,
                {"Content-Type": "text/plain"},
                b"User-agent: *\nDisallow: /private/\n",
                0.0,
            ),
            "/news/port.html": (200, html, STORY, 0.0),
            "/news/dredging.html": (200, html, SECOND, 0.0),
            "/private/memo.html": (200, html, STORY, 0.0),
            "/moved": (301, {"Location": "/news/port.html"}, b"", 0.0),
            "/loop": (302, {"Location": "/loop"}, b"", 0.0),
            "/big.html": (200, html, b"<p>" + b"x" * 10_000_000 + b"</p>", 0.0),
            "/big-unsized.html": (200, {**html, "X-Unsized": "1"}, b"y" * 10_000_000, 0.0),
            "/slow.html": (200, html, STORY, 3.0),
            "/photo.png": (200, {"Content-Type": "image/png"}, b"\x89PNG\r\n\x1a\n", 0.0),
            "/feed.xml": (200, {"Content-Type": "application/rss+xml"}, rss(seen.base), 0.0),
            "/atom": (200, {"Content-Type": "application/xml"}, atom(seen.base), 0.0),
        }
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield seen
    finally:
        server.shutdown()
        server.server_close()


def _one(url: str, **options: object) -> articles.Article:
    with Fetcher(**options) as fetcher:  # type: ignore[arg-type]
        (article,) = articles.load([url], fetcher=fetcher)
    return article


def test_a_page_by_url(site: Site) -> None:
    article = _one(site.url("/news/port.html"))
    assert article.error is None, article.error
    assert (article.path, article.source) == (site.url("/news/port.html"), "html")
    assert article.title == "Council backs port expansion" and article.date == "2024-03-05"
    assert PARAGRAPHS[0] in article.text and "Copyright" not in article.text
    assert article.fetched is not None and article.fetched.endswith("Z")
    assert article.id.startswith("127-0-0-1-") and "news-port-html" in article.id
    assert all(agent.startswith("extractor/") for agent in site.agents)
    assert site.asked == ["/robots.txt", "/news/port.html"]


def test_a_redirect_is_followed_a_loop_is_not(site: Site) -> None:
    moved = _one(site.url("/moved"))
    assert moved.error is None and moved.path == site.url("/moved")
    assert moved.text == _one(site.url("/news/port.html")).text
    loop = _one(site.url("/loop"))
    assert loop.error is not None and loop.error.kind == "fetch_failed"
    assert "more than 5 redirects (a loop?)" in str(loop.error)


@pytest.mark.parametrize(
    ("path", "options", "needle"),
    [
        ("/gone.html", {}, "HTTP 404 Not Found; check the address."),
        ("/big.html", {}, "larger than 5 MB"),
        ("/big-unsized.html", {}, "larger than 5 MB"),  # cut off while reading
        ("/slow.html", {"timeout": 0.5}, "no complete answer within 0.5 s"),
        ("/photo.png", {}, "the server sent image/png, not an article"),
        ("/private/memo.html", {}, "robots.txt does not allow fetching"),
    ],
)
def test_a_page_that_cannot_be_read_is_a_fetch_failed_record(
    site: Site, path: str, options: dict[str, float], needle: str
) -> None:
    started = time.monotonic()
    article = _one(site.url(path), **options)
    assert article.error is not None and article.error.kind == "fetch_failed"
    assert needle in str(article.error) and article.text == ""
    assert time.monotonic() - started < 2.5  # the slow page is not waited for


def test_robots_can_be_ignored_when_allowed(site: Site) -> None:
    article = _one(site.url("/private/memo.html"), robots=False)
    assert article.error is None and "/robots.txt" not in site.asked


@pytest.fixture
def feedparser() -> object:
    """The feed tests run where the `feeds` extra is installed, and skip elsewhere."""
    return pytest.importorskip("feedparser")


def test_an_rss_feed_is_its_entries(site: Site, feedparser: object) -> None:
    with Fetcher() as fetcher:
        loaded = list(articles.load([site.url("/feed.xml")], fetcher=fetcher))
    assert [(a.path, a.title, a.date, a.source) for a in loaded] == [
        (site.url("/news/port.html"), "Council backs port expansion", "2024-03-05", "html"),
        (
            site.url("/news/hearing.html"),
            "Lund pledges hearing on port costs",
            "2024-03-06",
            "feed",
        ),
    ]
    assert loaded[1].text.startswith("Mayor Anna Lund said")  # the entry's full content
    assert "/news/hearing.html" not in site.asked  # not fetched: the feed carried it
    assert all(a.fetched for a in loaded)


def test_an_atom_feed_served_as_xml_and_a_feed_file(
    site: Site, tmp_path: Path, feedparser: object
) -> None:
    with Fetcher() as fetcher:
        (entry,) = articles.load([site.url("/atom")], fetcher=fetcher)
    assert (entry.title, entry.date, entry.path) == (
        "Port board answers",
        "2024-03-07",
        site.url("/news/dredging.html"),
    )
    feed = tmp_path / "saved.rss"
    feed.write_bytes(rss(site.base))
    with Fetcher() as fetcher:
        from_file = list(articles.load([str(feed)], fetcher=fetcher))
    assert [a.date for a in from_file] == ["2024-03-05", "2024-03-06"]


def test_a_pdf_by_url(site: Site) -> None:
    from tests.test_inputs import PAGE_ONE, make_pdf

    site.routes["/release.pdf"] = (
        200,
        {"Content-Type": "application/pdf"},
        make_pdf([PAGE_ONE]),
        0.0,
    )
    article = _one(site.url("/release.pdf"))
    assert (article.source, article.text, article.error) == ("pdf", PAGE_ONE, None)


def test_the_page_cache_serves_resume_and_a_rerun_sees_a_change(site: Site, tmp_path: Path) -> None:
    cache = tmp_path / "pages.sqlite"
    first = _one(site.url("/news/port.html"), cache=cache)
    site.routes["/news/port.html"] = (200, {"Content-Type": "text/html"}, SECOND, 0.0)
    resumed = _one(site.url("/news/port.html"), cache=cache, reuse=True)
    assert (resumed.sha256, resumed.fetched) == (first.sha256, first.fetched)
    rerun = _one(site.url("/news/port.html"), cache=cache)
    assert rerun.sha256 != first.sha256 and rerun.title == "Port board answers on dredging"


def test_a_feed_without_feedparser_names_the_pip_install(
    site: Site, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "feedparser", None)  # import feedparser raises
    argv = ["extract", site.url("/feed.xml"), "--dry-run", "--no-cache"]
    assert main([*argv, "--base-url", "http://x/v1", "--model", "m"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == (
        f"extractor: {site.url('/feed.xml')}: reading RSS and Atom feeds needs feedparser: "
        "run pip install 'extractor[feeds]'."
    )


def test_extract_a_feed_and_urls_then_its_timeline_has_dated_rows(
    site: Site, tmp_path: Path, capsys: pytest.CaptureFixture[str], feedparser: object
) -> None:
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# saved links\n{site.url('/news/dredging.html')}\n\n{site.url('/gone')}\n")
    out = tmp_path / "run.jsonl"
    with FakeServer(quote_back) as model:
        code = main(
            [
                "extract",
                site.url("/feed.xml"),
                "--urls",
                str(urls),
                "--base-url",
                model.base_url,
                "--model",
                "m",
                "--cache",
                str(tmp_path / "answers.sqlite"),
                "-o",
                str(out),
                "-q",
            ]
        )
    assert code == 1  # the 404 fails alone
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    info = [
        (r["article"]["path"], r["article"]["date"], r.get("error") and r["error"]["kind"])
        for r in lines
    ]
    assert info == [
        (site.url("/news/port.html"), "2024-03-05", None),
        (site.url("/news/hearing.html"), "2024-03-06", None),
        (site.url("/news/dredging.html"), "2024-03-07", None),
        (site.url("/gone"), None, "fetch_failed"),
    ]
    assert (
        all(r["article"]["fetched"] for r in lines[:3]) and lines[3]["article"]["fetched"] is None
    )
    assert (tmp_path / "pages.sqlite").is_file()  # beside the answer cache
    capsys.readouterr()
    assert main(["timeline", str(out), "--csv", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert rows and all(row["date"] for row in rows)
    assert {row["date"] for row in rows} <= {"2024-03-05", "2024-03-06", "2024-03-07"}


def test_the_report_reads_a_pages_text_from_the_page_cache(
    site: Site, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No fetching again: the report finds the text in pages.sqlite, and a page changed
    since (re-fetched by a later run) is shown without highlights."""
    monkeypatch.setenv("EXTRACTOR_CACHE", str(tmp_path / "answers.sqlite"))
    out = tmp_path / "run.jsonl"
    with FakeServer(quote_back) as model:
        argv = ["extract", site.url("/news/port.html"), "-o", str(out), "-q"]
        assert main([*argv, "--base-url", model.base_url, "--model", "m"]) == 0
    results = [ArticleResult.model_validate_json(line) for line in out.read_text().splitlines()]
    asked = len(site.asked)
    report = render_html(results)
    assert report.problems == [] and report.highlighted > 0
    assert len(site.asked) == asked  # read from the cache
    site.routes["/news/port.html"] = (200, {"Content-Type": "text/html"}, SECOND, 0.0)
    with Fetcher(cache=tmp_path / "pages.sqlite") as fetcher:
        list(articles.load([site.url("/news/port.html")], fetcher=fetcher))
    (problem,) = render_html(results).problems
    assert "the article changed since the run" in problem
