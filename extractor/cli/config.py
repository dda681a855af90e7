"""The settings file: defaults for the model options, in TOML; the command line wins.

Where: $EXTRACTOR_CONFIG (set but empty: no file), else
$XDG_CONFIG_HOME/extractor/config.toml (~/.config/extractor/config.toml); a missing
default file is no file, a missing $EXTRACTOR_CONFIG file is an error. Read with the
standard library's tomllib (Python 3.11+): nothing to install for a dozen keys.

    model = "qwen2.5:7b"
    base_url = "http://localhost:11434/v1"
    strategy = "article"
    cache = "~/extractor-cache.sqlite"   # or false: ask the model every time
    concurrency = 4

Keys: the options below, each a default for every command that takes it (`extract`,
`doctor`, `models`, `batch ...`). An option given on the command line wins; so does one
that names another model: `--gguf` drops the file's `base_url`, and `--base-url` its
`gguf`. $EXTRACTOR_CACHE wins over the file's `cache`. An unknown key, a wrong type or a
value an option does not take is one line naming the file and the key.
"""

from __future__ import annotations

import argparse
import os
import tomllib
from pathlib import Path
from typing import Any

from extractor.cli.typos import closest
from extractor.errors import ConfigError
from extractor.runtime.cache import ENV as CACHE_ENV

ENV = "EXTRACTOR_CONFIG"
# key -> the types its value may have (TOML's)
KEYS: dict[str, tuple[type, ...]] = {
    "model": (str,),
    "base_url": (str,),
    "mode": (str,),
    "strategy": (str,),
    "gguf": (str,),
    "cache": (str, bool),
    "concurrency": (int,),
    "timeout": (int, float),
    "threads": (int,),
    "context_tokens": (int,),
}
_WANT: dict[tuple[type, ...], str] = {
    (str,): "a string",
    (str, bool): "a path, or false",
    (int,): "a whole number",
    (int, float): "a number",
}
_OTHER_MODEL = {"gguf": "base_url", "base_url": "gguf"}  # given on the command line: drop


def config_path() -> Path | None:
    """The settings file to read, or None."""
    if ENV in os.environ:
        given = os.environ[ENV]
        if not given:
            return None
        path = Path(given).expanduser()
        if not path.is_file():
            raise ConfigError(f"{ENV}={given}: no such file. Fix the path, or unset {ENV}.")
        return path
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    path = Path(base) / "extractor" / "config.toml"
    return path if path.is_file() else None


def load_config(path: Path) -> dict[str, Any]:
    """The file's settings, checked against KEYS."""
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"{path}: not valid TOML ({exc}). Fix it, or set {ENV}= to skip it."
        ) from exc
    for key, value in data.items():
        if key not in KEYS:
            close = closest(key, KEYS)
            hint = f"did you mean {close!r}? " if close else ""
            raise ConfigError(
                f"{path}: unknown key {key!r}: {hint}The file may set {', '.join(KEYS)}."
            )
        kinds = KEYS[key]
        if not isinstance(value, kinds) or (isinstance(value, bool) and bool not in kinds):
            raise ConfigError(f"{path}: {key} = {value!r}: give {_WANT[kinds]}.")
    return data


def apply_config(args: argparse.Namespace, choices: dict[str, Any] | None = None) -> Path | None:
    """Fill in the options `args` left unset from the settings file; returns the file.
    `choices`: dest -> the values the command's option takes (checked when given)."""
    path = config_path()
    if path is None:
        return None
    given = {k for k in KEYS if getattr(args, k, None) is not None}
    for key, value in load_config(path).items():
        if key == "cache":
            _apply_cache(args, value)
            continue
        if not hasattr(args, key) or key in given:
            continue
        if _OTHER_MODEL.get(key) in given:
            continue
        allowed = (choices or {}).get(key)
        if allowed and value not in allowed:
            raise ConfigError(f"{path}: {key} = {value!r}: choose one of {', '.join(allowed)}.")
        setattr(args, key, str(Path(value).expanduser()) if key == "gguf" else value)
    args.config_file = path
    return path


def _apply_cache(args: argparse.Namespace, value: str | bool) -> None:
    if not hasattr(args, "cache") or args.cache or getattr(args, "no_cache", False):
        return
    if os.environ.get(CACHE_ENV):
        return
    if value is False:
        args.no_cache = True
    elif value is not True:
        args.cache = str(Path(str(value)).expanduser())
