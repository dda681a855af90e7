"""Prompt templates: articles are data, never templates; the sandbox holds; versions move."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor.errors import ConfigError
from extractor.prompts import Prompts, builtin_dir


@pytest.mark.parametrize("strategy", ["article", "sentences"])
def test_article_text_stays_literal(strategy: str) -> None:
    hostile = "Officials said {{ 7*7 }} and {% for x in y %}{{ x }}{% endfor %} {# hi #}."
    prompts = Prompts(strategy)  # type: ignore[arg-type]
    messages = prompts.messages(article=hostile, sentence=hostile, context=hostile, title=None)
    user = messages[1]["content"]
    assert hostile in user
    assert "49" not in user


def test_article_sits_inside_delimiters() -> None:
    user = Prompts("article").messages(article="BODY TEXT", title="T")[1]["content"]
    assert "<article>\nBODY TEXT\n</article>" in user
    assert user.rstrip().endswith("</article>")


def test_few_shot_examples_are_not_the_seed(seed_text: str) -> None:
    prompts = Prompts("article")
    for ex in prompts.examples:
        for sentence in seed_text.split(". "):
            if len(sentence) > 30:
                assert sentence not in ex["text"]
        assert "Putin" not in ex["text"] and "ceasefire" not in ex["text"].lower()


def test_strict_undefined(tmp_path: Path) -> None:
    (tmp_path / "article.user.j2").write_text("{{ artcle }}")  # misspelt on purpose
    prompts = Prompts("article", tmp_path)
    with pytest.raises(ConfigError, match="artcle"):
        prompts.messages(article="x", title=None)


@pytest.mark.parametrize(
    "template",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
        "{% include '../../../../../../etc/passwd' %}",
        "{{ self._TemplateReference__context.cycler.__init__.__globals__ }}",
    ],
)
def test_user_templates_are_sandboxed(tmp_path: Path, template: str) -> None:
    (tmp_path / "article.user.j2").write_text(template)
    with pytest.raises(ConfigError, match=r"failed|not found"):
        Prompts("article", tmp_path).messages(article="x", title=None)


def test_user_dir_overrides_and_changes_version(tmp_path: Path) -> None:
    builtin = Prompts("article")
    (tmp_path / "article.system.j2").write_text("Find stances. Answer in JSON.")
    custom = Prompts("article", tmp_path)
    assert custom.messages(article="x", title=None)[0]["content"] == "Find stances. Answer in JSON."
    assert custom.version != builtin.version
    assert Prompts("article").version == builtin.version  # stable for the same files


def test_missing_prompt_dir_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such directory"):
        Prompts("article", tmp_path / "nope")


def test_builtin_dir_has_both_strategies() -> None:
    names = {p.name for p in builtin_dir().iterdir()}
    assert {
        "article.system.j2",
        "article.user.j2",
        "sentence.system.j2",
        "sentence.user.j2",
    } <= names
