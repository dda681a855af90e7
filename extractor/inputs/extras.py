"""The optional input kinds and the packages they need, installed by name as extras
(`pip install 'extractor[feeds,pdf,docx]'`, or `extractor[inputs]` for all three).

`require(kind)` imports a kind's library or raises a one-line `ConfigError` that names
the extra to install; `missing(kind)` says, without importing it, whether it is absent;
`report()` is what `extractor doctor` prints about them.
"""

from __future__ import annotations

import importlib
import importlib.metadata
import importlib.util
from dataclasses import dataclass
from types import ModuleType

from extractor.errors import ConfigError


@dataclass(frozen=True)
class Extra:
    name: str  # the extra: pip install 'extractor[NAME]'
    module: str  # what is imported
    package: str  # the distribution on PyPI
    what: str  # the inputs it reads


EXTRAS = {
    e.name: e
    for e in (
        Extra("feeds", "feedparser", "feedparser", "RSS and Atom feeds"),
        Extra("pdf", "pypdf", "pypdf", "PDF files"),
        Extra("docx", "docx", "python-docx", "Word (.docx) files"),
    )
}


def install_hint(name: str) -> str:
    return f"pip install 'extractor[{name}]'"


def missing(name: str) -> bool:
    return importlib.util.find_spec(EXTRAS[name].module) is None


def require(name: str, where: str) -> ModuleType:
    """The library of extra `name`, or a ConfigError saying `where` needs it."""
    extra = EXTRAS[name]
    try:
        return importlib.import_module(extra.module)
    except ImportError as exc:
        raise ConfigError(
            f"{where}: reading {extra.what} needs {extra.package}: run {install_hint(name)}."
        ) from exc


def report() -> list[tuple[bool, str, str]]:
    """(installed, extra, one line) per optional input kind, for `extractor doctor`."""
    lines = []
    for extra in EXTRAS.values():
        if missing(extra.name):
            detail = f"{extra.what} need {extra.package}: {install_hint(extra.name)}"
            lines.append((False, extra.name, detail))
            continue
        try:
            version = importlib.metadata.version(extra.package)
        except importlib.metadata.PackageNotFoundError:
            version = "(version unknown)"
        lines.append((True, extra.name, f"{extra.what}: {extra.package} {version}"))
    return lines
