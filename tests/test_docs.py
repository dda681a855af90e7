"""The README and docs/ cannot drift from the program: every `extractor ...` command they
show parses (`--help` of its subcommand runs, and each option it uses is one the
subcommand has), every `make` target they name exists, their Python examples compile and
import names that exist, their links lead to files that exist, and the README stays short."""

from __future__ import annotations

import ast
import importlib
import re
import shlex
from pathlib import Path

import pytest

from extractor.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
FENCE = re.compile(r"```(\w*)\n(.*?)```", re.DOTALL)


def _blocks(kinds: tuple[str, ...]) -> list[tuple[str, str]]:
    return [
        (page.name, body)
        for page in PAGES
        for kind, body in FENCE.findall(page.read_text(encoding="utf-8"))
        if kind in kinds
    ]


def _shell_lines() -> list[tuple[str, str]]:
    out = []
    for page, body in _blocks(("sh", "bash", "console", "")):
        for line in body.replace("\\\n", " ").splitlines():
            line = line.split(" #", 1)[0].strip()
            if line and not line.startswith("#"):
                out.append((page, line))
    return out


def _commands() -> list[tuple[str, list[str]]]:
    """(page, argv after `extractor`) for every extractor command shown."""
    out = []
    for page, line in _shell_lines():
        if not re.match(r"^([A-Z_]+=\S*\s+)*(\S*/)?extractor\s", line + " "):
            continue
        words = shlex.split(line.replace("...", ""), posix=True)
        while words and re.fullmatch(r"[A-Z_]+=\S*", words[0]):
            words = words[1:]  # OPENAI_API_KEY=sk-... extractor ...
        if words and words[0].rsplit("/", 1)[-1] == "extractor":
            out.append((page, words[1:]))
    return out


COMMANDS = _commands()


def test_the_docs_show_commands() -> None:
    assert len(COMMANDS) >= 10
    assert {page for page, _ in COMMANDS} >= {"README.md", "backends.md", "review-eval-report.md"}


@pytest.mark.parametrize(("page", "argv"), COMMANDS, ids=[" ".join(a)[:60] for _, a in COMMANDS])
def test_each_command_shown_parses(
    page: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    sub = next((w for w in argv if not w.startswith("-")), None) if argv else None
    if sub is not None and argv.index(sub) != 0:
        sub = None  # `extractor --debug ...`: a top-level option first
    with pytest.raises(SystemExit) as done:
        main([sub, "--help"] if sub else ["--help"])
    assert done.value.code == 0, f"{page}: extractor {' '.join(argv)}"
    help_text = capsys.readouterr().out
    for word in argv:
        option = word.strip("[]").split("=", 1)[0]
        if option.startswith("--"):
            assert re.search(rf"{re.escape(option)}\b", help_text), (
                f"{page}: `extractor {' '.join(argv)}` uses {option}, which "
                f"`extractor {sub or ''} --help` does not list"
            )


def test_each_make_target_shown_exists() -> None:
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([\w.-]+):", makefile, re.MULTILINE))
    shown = [
        (page, line.split()[1])
        for page, line in _shell_lines()
        if line.startswith("make ") and len(line.split()) > 1 and "=" not in line.split()[1]
    ]
    assert shown
    for page, target in shown:
        assert target in targets, f"{page}: make {target}"


def test_python_examples_compile_and_import_real_names() -> None:
    blocks = _blocks(("python",))
    assert blocks
    for page, body in blocks:
        tree = ast.parse(body, filename=page)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("extractor")
            ):
                module = importlib.import_module(node.module)
                for alias in node.names:
                    assert hasattr(module, alias.name), f"{page}: {node.module}.{alias.name}"


def test_links_between_pages_resolve() -> None:
    for page in PAGES:
        for target in re.findall(r"\]\(([^)#]+?)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.name}: {target}"


def test_readme_stays_short() -> None:
    assert (ROOT / "README.md").stat().st_size < 10_000


# a repository path in backticks: `extractor/runtime/prices.json`, `tests/test_faults.py`
REPO_PATH = re.compile(
    r"`((?:extractor|tests|benchmarks|docs|schemas|prompts|seeds|cassettes)/[\w./-]*)`"
)


def test_paths_the_docs_name_exist() -> None:
    """A path the docs name is there (`extractor/prices.json` had moved to runtime/)."""
    named = [
        (page.name, path.rstrip("/."))
        for page in PAGES
        for path in REPO_PATH.findall(page.read_text(encoding="utf-8"))
    ]
    assert len(named) >= 20
    missing = [(page, path) for page, path in named if not (ROOT / path).exists()]
    assert missing == []
