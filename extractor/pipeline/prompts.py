"""Prompt templates: Jinja files in `prompts/`, articles passed in as data.

Templates render in jinja2's sandbox with StrictUndefined, so a user's `--prompts DIR`
cannot reach Python internals and a misspelt variable fails loudly. The article is a
template *variable*: its text is never compiled, so `{{ 7*7 }}` in an article stays
literal. A user directory overrides the built-in templates file by file.

Delimiters. Every piece of article text a template shows the model (the article, a
chunk, a sentence, its context, an example's text) goes inside a fenced block written by
the `fenced` filter, never between tags typed into the template:

    {{ article | fenced("article") }}     ->   <article>
                                              TEXT
                                              </article>

`fence(text, tag)` picks the tag so that the text cannot contain it: the plain tag when
the text holds nothing that opens or closes it (`<article`, `</ARTICLE >`, ...; matched
case-insensitively, spaces allowed), else the tag with a suffix drawn from a hash of the
text (`<article-1f3a9c0e>`), checked again. An article holding a line `</article>`
followed by instructions therefore stays inside its block, and the request for an
ordinary article is byte for byte what it was. `unfence(message, tag)` reads the last
block of a rendered message back (the fake servers of the tests use it). A title is
folded onto one line with `inline`, then fenced like the rest. New templates use the
same filters; `tests/test_prompts.py` checks every strategy.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any, NamedTuple

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from extractor.errors import ConfigError


class Templates(NamedTuple):
    """A strategy's files under `prompts/`: its system and user templates, its examples."""

    system: str
    user: str
    examples: str


def _opens_or_closes(text: str, tag: str) -> bool:
    return re.search(rf"<\s*/?\s*{re.escape(tag)}", text, re.IGNORECASE) is not None


def delimiter(text: str, tag: str) -> str:
    """`tag`, or `tag-<hash>` when `text` holds something that opens or closes `tag`."""
    name, salt = tag, 0
    while _opens_or_closes(text, name):
        salt += 1
        digest = hashlib.sha256(f"{salt}\0{text}".encode()).hexdigest()[:8]
        name = f"{tag}-{digest}"
    return name


def fence(text: str, tag: str) -> str:
    """`text` on its own lines between `<name>` and `</name>`, a name the text cannot close."""
    name = delimiter(text, tag)
    return f"<{name}>\n{text}\n</{name}>"


def unfence(message: str, tag: str) -> str | None:
    """The text of the last `fence(..., tag)` block in a rendered message, or None.

    For reading requests back (the tests' fake servers): the last closing line whose
    opening line precedes it. Another block's text may hold a bare `</tag>` line; a
    block's own text never holds its own closing line.
    """
    closes = re.finditer(rf"\n</({re.escape(tag)}(?:-[0-9a-f]{{8}})?)>(?=\n|$)", message)
    for end in reversed(list(closes)):
        opening = f"<{end.group(1)}>\n"
        start = message.rfind(opening, 0, end.start())
        if start >= 0 and (start == 0 or message[start - 1] == "\n"):
            return message[start + len(opening) : end.start()]
    return None


def inline(text: object) -> str:
    """`text` on one line: runs of whitespace (newlines included) become one space."""
    return " ".join(str(text).split())


def builtin_dir() -> Path:
    """`prompts/` of the source tree, or the copy packaged inside the wheel."""
    package = Path(__file__).resolve().parent.parent  # extractor/
    for candidate in (package / "_prompts", package.parent / "prompts"):
        if (candidate / "article.system.j2").is_file():
            return candidate
    raise ConfigError("The built-in prompts are missing: reinstall extractor.")


class Prompts:
    """The templates of one strategy, rendered to chat messages."""

    def __init__(self, templates: Templates, user_dir: Path | None = None) -> None:
        dirs = [builtin_dir()]
        if user_dir is not None:
            if not user_dir.is_dir():
                raise ConfigError(f"--prompts {user_dir}: no such directory.")
            dirs.insert(0, user_dir)
        self._dirs = dirs
        self._env = SandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(d) for d in dirs]),
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=False,
            autoescape=False,
            auto_reload=False,  # prompt_version hashes the files as read now: keep them
        )
        # `tojson` sorts keys and escapes <, > and & for HTML; an example answer must show
        # its keys in the schema's order (the order a grammar makes the model write them)
        self._env.filters["json"] = lambda value: json.dumps(value, ensure_ascii=False)
        self._env.filters["fenced"] = fence
        self._env.filters["inline"] = inline
        self.system_name, self.user_name, examples_name = templates
        self._examples_path = self._find(examples_name)
        self.examples: list[dict[str, Any]] = (
            json.loads(self._examples_path.read_text("utf-8")) if self._examples_path else []
        )
        self.version = self._version()

    def messages(self, **variables: Any) -> list[dict[str, str]]:
        variables.setdefault("examples", self.examples)
        return [
            {"role": "system", "content": self._render(self.system_name, variables)},
            {"role": "user", "content": self._render(self.user_name, variables)},
        ]

    def _render(self, name: str, variables: dict[str, Any]) -> str:
        try:
            return self._env.get_template(name).render(**variables).strip()
        except jinja2.TemplateNotFound as exc:
            raise ConfigError(f"Prompt template {exc.name!r} not found in {self._dirs}.") from exc
        except jinja2.TemplateError as exc:
            # SecurityError (sandbox), UndefinedError and syntax errors all land here.
            raise ConfigError(f"Prompt template {name!r} failed: {exc}. Fix the template.") from exc

    def _find(self, name: str) -> Path | None:
        return next((d / name for d in self._dirs if (d / name).is_file()), None)

    def _version(self) -> str:
        """Hash of everything that shapes the request: the templates and the examples."""
        digest = hashlib.sha256()
        for name in (self.system_name, self.user_name):
            path = self._find(name)
            digest.update(name.encode() + b"\0" + (path.read_bytes() if path else b""))
        if self._examples_path:
            digest.update(self._examples_path.read_bytes())
        return digest.hexdigest()[:12]
