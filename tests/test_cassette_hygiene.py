"""Cassettes hold nothing secret and stay readable."""

from __future__ import annotations

import re

import cassette_format
import pytest
from conftest import ROOT, _request, _response
from vcr.request import Request

SECRET_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_-]{16,}"),
    re.compile(r"Bearer\s+\S+", re.IGNORECASE),
    re.compile(
        r"^\s*-?\s*(authorization|cookie|set-cookie|openai-organization|openai-project)\s*:",
        re.IGNORECASE | re.MULTILINE,
    ),
    re.compile(r"org-[A-Za-z0-9]{16,}"),
    re.compile(r"!!binary"),
]
CASSETTE_FILES = sorted((ROOT / "cassettes").rglob("*.yaml"))


def test_there_are_cassettes() -> None:
    assert CASSETTE_FILES, "no cassettes under cassettes/: run `make record`"


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.name)
def test_cassette_has_no_secrets(path: object) -> None:
    text = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    for pattern in SECRET_PATTERNS:
        assert not pattern.search(text), f"{path}: matches {pattern.pattern}"


@pytest.mark.parametrize("path", CASSETTE_FILES, ids=lambda p: p.name)
def test_cassette_bodies_are_decoded_json(path: object) -> None:
    cassette = cassette_format.deserialize(path.read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    posts = [i for i in cassette["interactions"] if i["request"]["method"] == "POST"]
    raw = path.read_text(encoding="utf-8")  # type: ignore[attr-defined]
    # stored as structure, not an escaped string (a run the parse read whole, such as the
    # timeline fixture's, asks nothing and records no POST)
    assert raw.count("    body:\n      json:\n") == len(posts)


def test_the_cassettes_hold_requests() -> None:
    posts = 0
    for path in CASSETTE_FILES:
        cassette = cassette_format.deserialize(path.read_text(encoding="utf-8"))
        posts += sum(i["request"]["method"] == "POST" for i in cassette["interactions"])
    assert posts >= 10


def test_request_headers_are_reduced_to_an_allowlist() -> None:
    request = Request(
        "POST",
        "https://api.openai.com/v1/chat/completions",
        b"{}",
        {
            "Authorization": "Bearer sk-test-0123456789abcdefghij",
            "Content-Type": "application/json",
            "OpenAI-Organization": "org-abc",
            "Cookie": "session=1",
            "User-Agent": "OpenAI/Python",
        },
    )
    kept = _request(request)
    assert {k.lower() for k in kept.headers} == {"content-type"}


def test_response_headers_are_reduced_to_an_allowlist() -> None:
    response = {
        "headers": {
            "Content-Type": ["application/json"],
            "Set-Cookie": ["a=b"],
            "openai-organization": ["org-abc"],
        }
    }
    assert set(_response(response)["headers"]) == {"Content-Type"}


def test_serializer_round_trip() -> None:
    cassette = {
        "version": 1,
        "interactions": [
            {
                "request": {
                    "method": "POST",
                    "uri": "http://x/v1/chat/completions",
                    "body": '{"a": [1, 2], "b": "line1\\nline2"}',
                    "headers": {},
                },
                "response": {
                    "status": {"code": 200, "message": "OK"},
                    "headers": {},
                    "body": {"string": '{"ok": true}'},
                },
            }
        ],
    }
    text = cassette_format.serialize(cassette)
    back = cassette_format.deserialize(text)
    import json

    assert json.loads(back["interactions"][0]["request"]["body"]) == {
        "a": [1, 2],
        "b": "line1\nline2",
    }
    assert json.loads(back["interactions"][0]["response"]["body"]["string"]) == {"ok": True}
    assert "line1" in text
