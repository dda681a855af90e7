"""Prices, token budgets and cache keys: the small rules behind cost estimates and reruns."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.cli.main import main
from extractor.errors import ConfigError
from extractor.grounding.drafts import ArticleDraft
from extractor.pipeline.prompts import Prompts
from extractor.runtime.asking import Asker, Question
from extractor.runtime.cache import Cache, default_path, record_code_files
from extractor.runtime.costs import context_window, cost, load_table, price_of
from extractor.schemas import Usage
from extractor.strategies import get
from extractor.strategies.plan import chunk_budget


def test_prices_match_a_model_or_its_longest_prefix() -> None:
    assert price_of("gpt-4.1-mini") == price_of("gpt-4.1-mini-2025-04-14")
    assert price_of("gpt-4.1-mini") != price_of("gpt-4.1")
    assert price_of("qwen2.5:7b") is None and cost(Usage(prompt_tokens=5), "qwen2.5:7b") is None
    price = price_of("gpt-4.1-mini")
    assert price is not None
    spent = cost(Usage(prompt_tokens=1_000_000, completion_tokens=500_000), "gpt-4.1-mini")
    assert spent == pytest.approx(price.input + price.output / 2)
    assert context_window("gpt-4o-mini") == 128_000 and context_window("unknown") is None


def test_a_bad_price_table_is_a_one_line_error(tmp_path: Path) -> None:
    bad = tmp_path / "prices.json"
    bad.write_text('{"gpt": 1}')
    with pytest.raises(ConfigError, match="not a price table"):
        load_table(bad)


def test_chunk_budget_fits_the_context() -> None:
    article = get("article")
    prompts = Prompts(article.templates)
    assert chunk_budget(article, prompts, 1_000_000, 1500, 2) == 1500
    small = chunk_budget(article, prompts, 4096, 1500, 2)
    assert 100 <= small < 1500
    with pytest.raises(ConfigError, match="--context-tokens"):
        chunk_budget(article, prompts, 2048, 1500, 2)


def test_the_cache_key_is_the_exact_request(tmp_path: Path) -> None:
    asker = Asker(lambda: None, Cache(tmp_path / "c.sqlite"), {"model": "m"})  # type: ignore[arg-type, return-value]

    def q(window: tuple[int, int], text: str = "abc def", content: str = "hi") -> Question:
        return Question(
            messages=[{"role": "user", "content": content}],
            response_model=ArticleDraft,
            context={"text": text, "window": window},
            max_tokens=10,
            span=window,
            window=window,
        )

    base = asker.key(q((0, 3)))
    assert base == asker.key(q((0, 3)))
    assert len({base, asker.key(q((0, 7))), asker.key(q((0, 3), text="abc xyz"))}) == 3
    assert asker.key(q((0, 3), content="other")) != base
    other = Asker(lambda: None, asker.cache, {"model": "n"})  # type: ignore[arg-type, return-value]
    assert other.key(q((0, 3))) != base


def test_cached_records_depend_on_every_grounding_and_pipeline_module() -> None:
    # a cached article's records are reused only while the code that made them is the
    # same; a module left out of the hash (grounding/positions.py once was) served stale
    # records after it changed
    root = Path(__file__).resolve().parents[1] / "extractor"
    hashed = set(record_code_files())
    for package in ("grounding", "pipeline", "reading"):
        for module in (root / package).glob("*.py"):
            assert module in hashed, module
    assert root / "reading" / "data" / "stances_en.json" in hashed
    assert root / "schemas.py" in hashed


def test_default_cache_path_follows_the_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("EXTRACTOR_CACHE")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_path() == tmp_path / "extractor" / "answers.sqlite"
    monkeypatch.setenv("EXTRACTOR_CACHE", str(tmp_path / "x.sqlite"))
    assert default_path() == tmp_path / "x.sqlite"


def test_unusable_cache_and_resume_to_stdout_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    server = ["--base-url", "http://127.0.0.1:9/v1", "--model", "m"]
    assert main(["extract", str(art), *server, "--resume"]) == 2
    assert "--resume needs -o FILE" in capsys.readouterr().err
    blocker = tmp_path / "file"
    blocker.write_text("")
    assert main(["extract", str(art), *server, "--cache", str(blocker / "c.sqlite")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--no-cache" in err[0] and "Traceback" not in err[0]


def test_dry_run_leaves_the_environment_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """The estimate for OpenAI needs no key and sets none: a later Extractor in the same
    process must not find one (it would pick OpenAI over the embedded model)."""
    article = tmp_path / "a.txt"
    article.write_text("Mayor Ana Ruiz said the city backs the river park plan.\n")
    before = dict(os.environ)
    assert "OPENAI_API_KEY" not in before  # conftest removes the developer's key
    code = main(["extract", str(article), "--model", "gpt-4.1-mini", "--dry-run", "--no-cache"])
    assert code == 0
    estimate = json.loads(capsys.readouterr().out)
    assert estimate["model"] == "gpt-4.1-mini" and estimate["requests"] == 1
    assert dict(os.environ) == before
    with pytest.raises(
        ConfigError, match="needs an OpenAI key: set OPENAI_API_KEY or pass api_key="
    ):
        Extractor(model="gpt-4.1-mini")
