"""Prompt templates: Jinja files in `prompts/`, articles passed in as data.

Templates render in jinja2's sandbox with StrictUndefined, so a user's `--prompts DIR`
cannot reach Python internals and a misspelt variable fails loudly. The article is a
template *variable*: its text is never compiled, so `{{ 7*7 }}` in an article stays
literal. A user directory overrides the built-in templates file by file.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from extractor.errors import ConfigError

STRATEGY_TEMPLATES = {
    "article": ("article.system.j2", "article.user.j2", "examples/article.json"),
    "sentences": ("sentence.system.j2", "sentence.user.j2", "examples/sentence.json"),
    "agenda": ("agenda.system.j2", "agenda.user.j2", "examples/agenda.json"),
}


def builtin_dir() -> Path:
    """`prompts/` of the source tree, or the copy packaged inside the wheel."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "_prompts", here.parent / "prompts"):
        if (candidate / "article.system.j2").is_file():
            return candidate
    raise ConfigError("The built-in prompts are missing: reinstall extractor.")


class Prompts:
    """The templates of one strategy, rendered to chat messages."""

    def __init__(self, strategy: str, user_dir: Path | None = None) -> None:
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
        self.system_name, self.user_name, examples_name = STRATEGY_TEMPLATES[strategy]
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
