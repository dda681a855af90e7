"""The package's shape, checked: the public surface (`__all__`, as httpx's
test_exported_members), no import cycle (type-only imports included), no module that only
the tests import, and the one patch of an instructor internal still finding its target."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import sys
from pathlib import Path

import grimp
import pytest

import extractor
from extractor.cli import COMMANDS

ROOT = Path(__file__).resolve().parent.parent


def test_all_lists_exactly_the_public_members() -> None:
    public = {
        name
        for name, value in vars(extractor).items()
        if not name.startswith("_") and not inspect.ismodule(value)
    }
    assert set(extractor.__all__) == public
    assert sorted(extractor.__all__) == extractor.__all__
    for name in extractor.__all__:
        assert getattr(extractor, name).__module__.startswith("extractor.")


def test_the_package_is_typed() -> None:
    assert (Path(extractor.__file__).parent / "py.typed").is_file()


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("extractor")  # TYPE_CHECKING imports included


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module, or with a self-import."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on: set[str] = set()
    out: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            part = []
            while True:
                w = stack.pop()
                on.discard(w)
                part.append(w)
                if w == v:
                    break
            if len(part) > 1 or v in edges.get(v, ()):
                out.append(sorted(part))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, 10_000))
    try:
        for v in sorted(edges):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)
    return out


def test_no_import_cycle(graph: grimp.ImportGraph) -> None:
    edges = {m: graph.find_modules_directly_imported_by(m) for m in graph.modules}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_every_module_is_used_by_the_package(graph: grimp.ImportGraph) -> None:
    """Nothing under extractor/ is imported only by the tests: every module is imported by
    another module of the package, or is an entry point (the command's `main`, `python -m
    extractor` and `python -m extractor.cli`, a subcommand the CLI imports by name, a
    package's __init__)."""
    entry = {"extractor.cli.main", "extractor.cli.__main__", "extractor.__main__"}
    entry |= {f"extractor.cli.{name}" for name in COMMANDS}
    packages = {
        m.name for m in pkgutil.walk_packages(extractor.__path__, "extractor.") if m.ispkg
    } | {"extractor"}
    unused = [
        m
        for m in sorted(graph.modules)
        if m not in entry
        and m not in packages
        and not graph.find_modules_that_directly_import(m) - {m}
    ]
    assert unused == []


def test_every_subcommand_module_exists() -> None:
    for name in COMMANDS:
        module = importlib.import_module(f"extractor.cli.{name}")
        assert callable(module.run) and callable(module.add_arguments)


def test_the_instructor_patch_still_applies() -> None:
    """backends/speedups.py replaces instructor's async-validator check with one that
    remembers the classes that passed. If instructor moves or renames it, the patch does
    nothing (and requests only get slower): this test says so instead."""
    from instructor.v2.validation import async_validators

    from extractor.backends.speedups import BOUND_AT_IMPORT, remember_async_validator_check
    from extractor.grounding.drafts import ArticleDraft

    for name in BOUND_AT_IMPORT:
        importlib.import_module(name)
    remember_async_validator_check()
    check = async_validators.reject_async_validators
    assert getattr(check, "_remembered", False), "instructor moved reject_async_validators"
    for name in BOUND_AT_IMPORT:
        held = sys.modules[name]
        if hasattr(held, "reject_async_validators"):
            assert held.reject_async_validators is check
    check(ArticleDraft)  # passes, and is remembered
    check(ArticleDraft)
