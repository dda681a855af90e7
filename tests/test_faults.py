"""A misbehaving model server (a real HTTP server on loopback, tests.support.fakeserver) and
what each misbehaviour leads to: retried (transport), re-asked (output), or the article
recorded with its `error.kind` while the other articles of the batch complete.

Retry policy under test: 4 transport attempts for connection errors, timeouts, 429, 5xx
and non-JSON bodies; `reasks` (here 1) extra requests for an answer that fails validation.
"""

from __future__ import annotations

import asyncio
import email.utils
import inspect
import json
import random
import re
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import extract_argv, park_answer

from extractor import Extractor
from extractor.backends.client import LLM, Backend, retry_after_seconds
from extractor.cli.main import main
from extractor.grounding.drafts import ArticleDraft
from extractor.pipeline.articles import from_text
from extractor.pipeline.prompts import Prompts
from extractor.strategies import get
from tests.support.fakeserver import FakeServer, Reply, completion

ATTEMPTS = 4  # LLM's default transport attempts
SENTENCE = "Mayor Ana Ruiz said the city backs the river park plan."
GOOD = park_answer()


def article_text(tag: str) -> str:
    return f"{SENTENCE}\nThe council meets again in week {tag}.\n"


def tag_of(request: dict[str, Any]) -> str:
    """The article's tag, read from the request the pipeline sent."""
    user = request["messages"][1]["content"]
    return re.findall(r"in week (\S+)\.", user)[-1]


def ok(request: dict[str, Any]) -> Reply:
    return Reply(body=completion(request, GOOD))


def run_batch(server: FakeServer, tags: list[str], timeout: float = 10.0) -> dict[str, Any]:
    with Extractor(
        base_url=server.base_url,
        model="m",
        mode="json",
        strategy="article",
        timeout=timeout,
        reasks=1,
    ) as ex:
        return {t: ex.run(from_text(article_text(t), id=t)) for t in tags}


def requests_for(server: FakeServer, tag: str) -> int:
    return sum(1 for r in server.requests if tag_of(r) == tag)


def faulty(fault: Reply | None = None, *, times: int = 10**6, answer: Any = None):
    """Answer article "bad" with `fault` for its first `times` requests, everything else well."""
    seen = {"n": 0}

    def respond(request: dict[str, Any]) -> Reply:
        if tag_of(request) != "bad":
            return ok(request)
        seen["n"] += 1
        if seen["n"] <= times:
            if answer is not None:
                return Reply(body=completion(request, answer))
            return fault or Reply()
        return ok(request)

    return respond


def _assert_others_fine(results: dict[str, Any]) -> None:
    for tag in ("a", "c"):
        assert results[tag].error is None and len(results[tag].stances) == 1


@pytest.mark.parametrize(
    "fault, kind",
    [
        (Reply(status=429, body={"error": {"message": "slow down"}}), "rate_limited"),
        (Reply(status=503, body={"error": {"message": "overloaded"}}), "server_error"),
        (Reply(body=b"<html><body>502 Bad Gateway</body></html>"), "server_error"),
        (Reply(drop=True), "unreachable"),
        (Reply(cut=20, body={"id": "x" * 200}), "unreachable"),
    ],
)
def test_transient_faults_are_retried_then_recorded(fault: Reply, kind: str) -> None:
    with FakeServer(faulty(fault)) as server:
        results = run_batch(server, ["a", "bad", "c"])
    assert results["bad"].error is not None and results["bad"].error.kind == kind
    assert requests_for(server, "bad") == ATTEMPTS
    assert results["bad"].usage.requests == ATTEMPTS
    _assert_others_fine(results)


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_once_then_success(status: int) -> None:
    fault = Reply(status=status, body={"error": {"message": "oops"}})
    with FakeServer(faulty(fault, times=1)) as server:
        results = run_batch(server, ["bad"])
    assert requests_for(server, "bad") == 2 and results["bad"].error is None


def test_retry_after_is_honoured() -> None:
    fault = Reply(status=429, body={"error": {"message": "wait"}}, headers={"retry-after": "1.5"})
    with FakeServer(faulty(fault, times=1)) as server:
        started = time.monotonic()
        results = run_batch(server, ["bad"])
        elapsed = time.monotonic() - started
    assert results["bad"].error is None and requests_for(server, "bad") == 2
    assert elapsed >= 1.5


def test_retry_after_as_an_http_date_is_honoured() -> None:
    """An HTTP-date 3 s ahead (whole seconds: 2 to 3 s from now); the backoff that would
    otherwise apply waits at most 1 s."""
    when = email.utils.formatdate(time.time() + 3, usegmt=True)
    fault = Reply(status=429, body={"error": {"message": "wait"}}, headers={"retry-after": when})
    with FakeServer(faulty(fault, times=1)) as server:
        started = time.monotonic()
        results = run_batch(server, ["bad"])
        elapsed = time.monotonic() - started
    assert results["bad"].error is None and requests_for(server, "bad") == 2
    assert 1.9 <= elapsed < 6


def test_retry_after_is_capped() -> None:
    """Retry-After: 3600 against a cap of 1.5 s: one wait of 1.5 s (more than any backoff
    of the first retry, at most 1 s), not an hour."""
    fault = Reply(status=429, body={"error": {"message": "wait"}}, headers={"retry-after": "3600"})
    with FakeServer(faulty(fault, times=1)) as server:
        llm = LLM(Backend(model="m", base_url=server.base_url, mode="json"), max_wait=1.5)
        text = article_text("bad")
        messages = Prompts(get("article").templates).messages(article=text, title=None)
        started = time.monotonic()
        answer = llm.ask(messages, ArticleDraft, {"text": text, "window": (0, len(text))}, 400)
        elapsed = time.monotonic() - started
    assert [s.actor for s in answer.stances] == ["Ana Ruiz"] and len(server.requests) == 2
    assert 1.5 <= elapsed < 4


@pytest.mark.parametrize(
    "header, seconds",
    [
        ("3600", 3600.0),
        ("2.5", 2.5),
        ("0", 0.0),
        ("-4", 0.0),
        ("Thu, 01 Jan 1970 00:00:00 GMT", 0.0),  # a date in the past: no wait
        ("Fri, 27 Nov 2026 12:00:10 GMT", 10.0),  # 10 s after NOW
        ("Fri, 27 Nov 2026 13:00:00 GMT", 3600.0),  # an hour after NOW (the cap applies)
    ],
)
def test_retry_after_values(header: str, seconds: float) -> None:
    """The seconds a 429's Retry-After asks for, at a fixed clock (NOW)."""
    now = email.utils.parsedate_to_datetime("Fri, 27 Nov 2026 12:00:00 GMT").timestamp()
    assert retry_after_seconds(header, now=now) == pytest.approx(seconds)
    assert retry_after_seconds("in a while") is None  # then the backoff applies


def test_default_retry_after_cap_is_30_seconds() -> None:
    assert inspect.signature(LLM).parameters["max_wait"].default == 30.0  # README: 30 s


def test_hang_past_the_timeout_is_a_timeout() -> None:
    with FakeServer(faulty(Reply(delay=2.0, body={}))) as server:
        results = run_batch(server, ["a", "bad", "c"], timeout=0.5)
    assert results["bad"].error is not None and results["bad"].error.kind == "timeout"
    assert "--timeout" in results["bad"].error.message
    assert requests_for(server, "bad") == ATTEMPTS
    _assert_others_fine(results)


def test_slow_but_correct_answer_is_accepted() -> None:
    with FakeServer(lambda req: Reply(delay=0.4, body=completion(req, GOOD))) as server:
        results = run_batch(server, ["slow"], timeout=5)
    assert results["slow"].error is None and len(server.requests) == 1


@pytest.mark.parametrize(
    "answer, kind, requests",
    [
        ({"stances": "not a list"}, "invalid_output", 2),  # re-asked once, then recorded
        ("I am sorry, I cannot answer in JSON.", "invalid_output", 2),
    ],
)
def test_answer_that_does_not_fit_is_reasked_then_recorded(
    answer: Any, kind: str, requests: int
) -> None:
    with FakeServer(faulty(answer=answer)) as server:
        results = run_batch(server, ["a", "bad", "c"])
    assert results["bad"].error is not None and results["bad"].error.kind == kind
    assert "does not fit the schema" in results["bad"].error.message
    assert requests_for(server, "bad") == requests
    _assert_others_fine(results)


def test_truncated_answer_is_recorded_without_retry() -> None:
    def respond(request: dict[str, Any]) -> Reply:
        if tag_of(request) != "bad":
            return ok(request)
        return Reply(
            body=completion(request, '{"stances": [{"actor": "Ana', finish_reason="length")
        )

    with FakeServer(respond) as server:
        results = run_batch(server, ["a", "bad", "c"])
    assert results["bad"].error is not None and results["bad"].error.kind == "truncated"
    assert requests_for(server, "bad") == 1
    _assert_others_fine(results)


def test_no_choices_is_invalid_output() -> None:
    def respond(request: dict[str, Any]) -> Reply:
        if tag_of(request) != "bad":
            return ok(request)
        return Reply(body={**completion(request, GOOD), "choices": []})

    with FakeServer(respond) as server:
        results = run_batch(server, ["a", "bad", "c"])
    assert results["bad"].error is not None and results["bad"].error.kind == "invalid_output"
    assert "no choices" in results["bad"].error.message
    assert requests_for(server, "bad") == 1
    _assert_others_fine(results)


def test_quote_not_in_article_is_reasked_then_dropped() -> None:
    invented = {
        "stances": [{**GOOD["stances"][0], "quote": "the city rejects the plan"}],
        "claims": [],
    }
    with FakeServer(faulty(answer=invented)) as server:
        results = run_batch(server, ["bad"])
    bad = results["bad"]
    assert requests_for(server, "bad") == 2  # one re-ask
    assert bad.error is None and bad.stances == []
    assert any("the city rejects the plan" in w for w in bad.warnings)


@pytest.mark.parametrize("status", [401, 403, 404])
def test_auth_and_not_found_fail_fast(
    status: int, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for tag in ("a", "b"):
        (tmp_path / f"{tag}.txt").write_text(article_text(tag))
    with FakeServer(lambda req: Reply(status=status, body={"error": {"message": "no"}})) as server:
        code = main(
            extract_argv(server.base_url, tmp_path, out=tmp_path / "out.jsonl", extra=("-q",))
        )
    assert code == 2 and len(server.requests) == 1  # no retry, no second article
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert last.startswith("extractor: ") and f"({status})" in last


FAST_FAULTS = [
    Reply(status=500, body={"error": {"message": "boom"}}),
    Reply(status=429, body={"error": {"message": "slow"}}, headers={"retry-after": "0"}),
    Reply(drop=True),
    Reply(body=b"not json at all"),
]


def test_batch_with_random_faults_loses_nothing(tmp_path: Path) -> None:
    """30 articles, a fault on ~40% of requests (fixed seed): every article ends complete
    or with an error, none is missing, none is written twice."""
    rng = random.Random(20261127)
    tags = [f"n{i:02d}" for i in range(30)]
    for t in tags:
        (tmp_path / f"{t}.txt").write_text(article_text(t))

    def respond(request: dict[str, Any]) -> Reply:
        roll = rng.random()
        if roll < 0.25:
            return rng.choice(FAST_FAULTS)
        if roll < 0.30:
            return Reply(body=completion(request, '{"stances": [', finish_reason="length"))
        if roll < 0.40:
            return Reply(body=completion(request, {"stances": 7}))
        return ok(request)

    out = tmp_path / "out.jsonl"
    with FakeServer(respond) as server:
        code = main(extract_argv(server.base_url, tmp_path, out=out, extra=("-q",)))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    ids = [line["article"]["id"] for line in lines]
    assert sorted(ids) == tags  # nothing missing, nothing duplicated
    failed = [line for line in lines if line["error"]]
    for line in lines:  # a complete article has the one grounded stance of the good answer
        assert line["error"] is not None or len(line["stances"]) == 1
    assert code == (1 if failed else 0)
    assert {f["error"]["kind"] for f in failed} <= {
        "server_error",
        "rate_limited",
        "unreachable",
        "truncated",
        "invalid_output",
    }


# The fault matrix again through `arun_many` at concurrency 4 (the async path): the same
# outcomes, attempts counted, the other articles intact, results in input order.
CONCURRENT_TAGS = ["a", "b", "bad", "c", "d", "e"]


def _truncated(request: dict[str, Any]) -> Reply:
    return Reply(body=completion(request, '{"stances": [{"actor": "Ana', finish_reason="length"))


def _no_choices(request: dict[str, Any]) -> Reply:
    return Reply(body={**completion(request, GOOD), "choices": []})


def _only_bad(fault: Any) -> Any:
    return lambda request: ok(request) if tag_of(request) != "bad" else fault(request)


INVENTED = {"stances": [{**GOOD["stances"][0], "quote": "the city rejects the plan"}], "claims": []}
# name -> (server behaviour, error kind or None, requests for "bad", timeout)
MATRIX: dict[str, tuple[Any, str | None, int, float]] = {
    "429": (faulty(Reply(status=429, body={"error": {"message": "slow"}})), "rate_limited", 4, 10),
    "429-retry-after": (
        faulty(Reply(status=429, body={}, headers={"retry-after": "0.2"})),
        "rate_limited",
        4,
        10,
    ),
    "503": (faulty(Reply(status=503, body={"error": {"message": "busy"}})), "server_error", 4, 10),
    "dropped": (faulty(Reply(drop=True)), "unreachable", 4, 10),
    "cut-body": (faulty(Reply(cut=20, body={"id": "x" * 200})), "unreachable", 4, 10),
    "timeout": (faulty(Reply(delay=2.0, body={})), "timeout", 4, 0.5),
    "non-json": (faulty(Reply(body=b"<html>502 Bad Gateway</html>")), "server_error", 4, 10),
    "schema-invalid": (faulty(answer={"stances": "not a list"}), "invalid_output", 2, 10),
    "truncated": (_only_bad(_truncated), "truncated", 1, 10),
    "no-choices": (_only_bad(_no_choices), "invalid_output", 1, 10),
    "ungrounded": (faulty(answer=INVENTED), None, 2, 10),  # re-asked, then dropped
}


async def _arun_batch(server: FakeServer, tags: list[str], timeout: float) -> list[Any]:
    async with Extractor(
        base_url=server.base_url,
        model="m",
        mode="json",
        strategy="article",
        timeout=timeout,
        reasks=1,
        concurrency=4,
    ) as ex:
        items = [from_text(article_text(t), id=t) for t in tags]
        return [r async for r in ex.arun_many(items)]


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_fault_matrix_at_concurrency_4(name: str) -> None:
    respond, kind, attempts, timeout = MATRIX[name]
    with FakeServer(respond) as server:
        results = asyncio.run(_arun_batch(server, CONCURRENT_TAGS, timeout))
    assert [r.article.id for r in results] == CONCURRENT_TAGS  # input order kept
    by_tag = {r.article.id: r for r in results}
    bad = by_tag.pop("bad")
    assert requests_for(server, "bad") == attempts and bad.usage.requests == attempts
    if kind is None:
        assert bad.error is None and bad.stances == []
        assert any("the city rejects the plan" in w for w in bad.warnings)
    else:
        assert bad.error is not None and bad.error.kind == kind
    for tag, result in by_tag.items():  # the others: complete, one request each
        assert result.error is None and len(result.stances) == 1, tag
        assert result.usage.requests == 1 and requests_for(server, tag) == 1
