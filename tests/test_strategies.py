"""Strategies as plans: a new strategy is one module plus one registry line, and every
driver runs it (issue 21).

`Toy` (written here, for the test) asks in two rounds whose second depends on the first:
which word of each sentence matters, then, for each word the answer names that is in its
sentence, whether it is a name. Its records are warnings naming what it found, so each
driver's result can be compared whole. It runs through the four drivers directly, then
registered, through `Extractor` against a loopback server (sync, async, estimate) and the
batch driver over answers the cache holds.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import re
from pathlib import Path
from typing import Any, ClassVar

import pytest
from pydantic import BaseModel

from extractor import Extractor, strategies
from extractor.errors import ConfigError, InvalidOutput
from extractor.grounding.records import Grounded
from extractor.options import OptionFields, Options
from extractor.pipeline.articles import from_text
from extractor.pipeline.prompts import Prompts, Templates, unfence
from extractor.runtime.cache import Cache
from extractor.strategies import drivers
from extractor.strategies.parsed import DEFAULT_MIN_CONFIDENCE, Reading, with_parse
from extractor.strategies.plan import (
    Question,
    Records,
    Settings,
    Steps,
    Strategy,
    Unasked,
    answer_of,
    finished,
    sentence_spans,
)
from tests.support.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
TEXT = "The council met on Monday. Mayor Rivera backed the tram. Nobody asked why."


class Word(BaseModel):
    word: str


class Verdict(BaseModel):
    name: bool


class Toy(Strategy):
    name = "toy"
    templates = Templates("toy.system.j2", "toy.user.j2", "examples/toy.json")
    summary = "a test strategy: a word per sentence, then whether it is a name"
    blank: ClassVar[dict[str, Any]] = {"sentence": "", "round": "word", "word": ""}

    def room(self, context_tokens: int, overhead: int, context_sentences: int) -> int:
        return context_tokens - overhead - 50

    def plan(self, text: str, title: str | None, settings: Settings) -> Steps:
        spans = sentence_spans(text, settings.chunk_tokens)
        words = [self._question(settings, text, span, Word) for span in spans]
        replies = yield words
        found = Grounded([], [], [])
        follow: list[tuple[Question, str]] = []
        for q, reply in zip(words, replies, strict=True):
            if isinstance(reply, Unasked):  # an estimate: size round 2 as if "x" came
                follow.append((self._question(settings, text, q.span, Verdict, "x"), "x"))
                continue
            draft = answer_of(q, reply, found)
            if isinstance(draft, Word) and draft.word in text[q.span[0] : q.span[1]]:
                asked = self._question(settings, text, q.span, Verdict, draft.word)
                follow.append((asked, draft.word))
        replies = yield [q for q, _ in follow]
        for (q, word), reply in zip(follow, replies, strict=True):
            verdict = answer_of(q, reply, found)
            if isinstance(verdict, Verdict):
                found.warnings.append(
                    f"{word} at {q.span[0]}: {'name' if verdict.name else 'word'}"
                )
        return finished(settings, text, found)

    @staticmethod
    def _question(
        settings: Settings,
        text: str,
        span: tuple[int, int],
        model: type[BaseModel],
        word: str = "",
    ) -> Question:
        """Round "word" (which word matters), or round "name" about `word`."""
        variables = {"round": "name " if word else "word", "word": word}
        return Question(
            messages=settings.prompts.messages(sentence=text[span[0] : span[1]], **variables),
            response_model=model,
            context={"text": text, "window": span},
            max_tokens=50,
            span=span,
            window=span,
            lenient=True,
        )


@pytest.fixture
def toy_prompts(tmp_path: Path) -> Path:
    """The toy's templates, written for this test."""
    (tmp_path / "toy.system.j2").write_text("Toy round: {{ round }}{{ word }}.")
    (tmp_path / "toy.user.j2").write_text("{{ sentence | fenced('sentence') }}")
    return tmp_path


def settings(prompts_dir: Path) -> Settings:
    return Settings(Prompts(Toy.templates, prompts_dir), 1500, 150, 2)


def answer(messages: list[dict[str, str]]) -> dict[str, Any]:
    """What the scripted model says: the sentence's longest capitalised word, and that a
    word is a name when it does not open its sentence."""
    system, user = messages[0]["content"], messages[1]["content"]  # (json modes add a schema)
    sentence = user.split("\n")[1]
    asked = re.search(r"Toy round: (?:word|name (\w+))\.", system)
    assert asked is not None
    if asked.group(1) is None:
        return {"word": max(re.findall(r"\b[A-Z][a-z]+\b", sentence), key=len)}
    return {"name": not sentence.startswith(asked.group(1))}


def ask(q: Question) -> BaseModel:
    return q.response_model.model_validate(answer(q.messages))


def test_the_toy_runs_through_the_sync_and_async_drivers(toy_prompts: Path) -> None:
    s = settings(toy_prompts)
    records = drivers.run(Toy().plan(TEXT, None, s), ask)
    assert records.warnings == [
        "Monday at 0: name",
        "Rivera at 27: name",
        "Nobody at 57: word",
    ]

    async def aask(q: Question) -> BaseModel:
        await asyncio.sleep(0)
        return ask(q)

    assert asyncio.run(drivers.arun(Toy().plan(TEXT, None, s), aask)) == records


def test_the_batch_driver_stops_at_the_first_unanswered_round(toy_prompts: Path) -> None:
    s = settings(toy_prompts)
    known: dict[str, BaseModel] = {}

    def answered(q: Question) -> BaseModel | None:
        return known.get(json.dumps(q.messages))

    first = drivers.batch(Toy().plan(TEXT, None, s), answered)
    assert isinstance(first, drivers.Pending) and first.round == 1
    assert len(first.questions) == 3  # one per sentence
    for q in first.questions[:2]:  # a batch that answered part of the round
        known[json.dumps(q.messages)] = ask(q)
    partly = drivers.batch(Toy().plan(TEXT, None, s), answered)
    assert isinstance(partly, drivers.Pending)
    assert (partly.round, partly.questions) == (1, first.questions[2:])
    known[json.dumps(first.questions[2].messages)] = ask(first.questions[2])
    second = drivers.batch(Toy().plan(TEXT, None, s), answered)
    assert isinstance(second, drivers.Pending) and second.round == 2
    assert [q.messages[0]["content"] for q in second.questions] == [
        "Toy round: name Monday.",
        "Toy round: name Rivera.",
        "Toy round: name Nobody.",
    ]
    for q in second.questions:
        known[json.dumps(q.messages)] = ask(q)
    done = drivers.batch(Toy().plan(TEXT, None, s), answered)
    assert done == drivers.run(Toy().plan(TEXT, None, s), ask)


def test_the_estimate_driver_counts_every_round_without_asking(toy_prompts: Path) -> None:
    every = drivers.estimate(Toy().plan(TEXT, None, settings(toy_prompts)))
    rounds = [q.messages[0]["content"] for q in every]
    assert rounds == ["Toy round: word."] * 3 + ["Toy round: name x."] * 3


def test_an_unusable_answer_costs_a_lenient_question_only(toy_prompts: Path) -> None:
    def flaky(q: Question) -> BaseModel:
        if "Rivera" in q.messages[1]["content"]:
            raise InvalidOutput("not JSON")
        return ask(q)

    records = drivers.run(Toy().plan(TEXT, None, settings(toy_prompts)), flaky)
    assert records.warnings == [
        "sentence at 27: not JSON",
        "Monday at 0: name",
        "Nobody at 57: word",
    ]


def served(request: dict[str, Any]) -> Reply:
    return Reply(body=completion(request, answer(request["messages"])))


def test_a_registered_strategy_runs_through_the_extractor(
    toy_prompts: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(strategies.REGISTRY, "toy", Toy())
    article = from_text(TEXT, id="toy")
    direct = drivers.run(Toy().plan(TEXT, None, settings(toy_prompts)), ask)
    cache = Cache(tmp_path / "answers.sqlite")
    with FakeServer(served) as server:
        options: dict[str, Any] = {
            "base_url": server.base_url,
            "model": "fake",
            "strategy": "toy",
            "prompts_dir": toy_prompts,
        }
        with Extractor(cache=None, **options) as ex:
            assert [q.max_tokens for q in ex.questions(article)] == [50] * 6
            result = ex.run(article)
            async_result = asyncio.run(ex.arun(article))
        assert len(server.requests) == 12  # two runs, six requests each
        with Extractor(cache=cache, **options) as ex:
            assert ex.run(article).warnings == direct.warnings  # asked, and cached
            asker = ex.asker

            def cached(q: Question) -> BaseModel | None:
                raw = cache.get(asker.key(q))
                return None if raw is None else q.response_model.model_validate_json(raw)

            from_cache = drivers.batch(ex.steps(article), cached)
    assert result.strategy == "toy" and result.error is None
    assert result.warnings == direct.warnings
    assert async_result.warnings == direct.warnings
    assert isinstance(from_cache, Records) and from_cache.warnings == direct.warnings


def test_an_unknown_strategy_is_one_line_naming_the_choices() -> None:
    with pytest.raises(ConfigError, match=r"No strategy 'agnda' \(did you mean 'agenda'\?\)"):
        strategies.get("agnda")


def test_no_strategy_name_is_compared_outside_the_registry() -> None:
    """`strategy == "agenda"` and the like: a strategy's name decides nothing outside
    extractor/strategies/__init__.py; the strategy object says what it does."""
    names = "|".join(strategies.names())
    literal = rf"""["']({names})["']"""
    compared = re.compile(
        rf"(==|!=)\s*{literal}|{literal}\s*(==|!=)"  # strategy == "agenda", "agenda" != s
        rf"|\bin\s*[(\[{{]\s*{literal}\s*,\s*{literal}"  # s in ("agenda", "article")
    )
    found = []
    for path in sorted((ROOT / "extractor").rglob("*.py")):
        if path == ROOT / "extractor/strategies/__init__.py":
            continue
        for n, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if compared.search(line):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert found == []


def test_no_context_variable_carries_state_in_the_backends() -> None:
    """Usage and the request slots are passed to the client; the one context variable
    left (the validation context, extractor.validation) is set there, not here."""
    for path in sorted((ROOT / "extractor/backends").rglob("*.py")):
        source = path.read_text("utf-8")
        assert "contextvars" not in source and "ContextVar" not in source, path


def test_the_agenda_plan_leaves_unasked_the_sentences_whose_claim_the_parse_reads() -> None:
    """The parse's claims stand for their sentences (extractor.grounding.confidence), so
    the model is not asked about them; a cued sentence without one still is."""
    agenda = strategies.get("agenda")
    text = (
        "Mayor Ana Ortiz said the tram line would open in May. "
        "Senator Ines Berg voiced support at the harbor council."
    )
    reading = Reading(parse=True, min_confidence=0.5)
    s = Settings(Prompts(agenda.templates), 1500, 150, 2, reading)
    asked = drivers.estimate(agenda.plan(text, None, s))
    sentences = [unfence(q.messages[1]["content"], "sentence") for q in asked]
    assert sentences == ["Senator Ines Berg voiced support at the harbor council."]
    # the agenda strategy's questions are made from the parse: without it, one line says so
    unread = Settings(Prompts(agenda.templates), 1500, 150, 2, Reading(parse=False))
    with pytest.raises(ConfigError, match="reads the parse"):
        drivers.estimate(agenda.plan(text, None, unread))


def test_the_docs_describe_every_registered_strategy() -> None:
    docs = (ROOT / "docs/cli.md").read_text("utf-8")
    section = docs[docs.index("## Strategies") :].split("\n## ")[0]
    for name in strategies.names():
        assert f"`--strategy {name}`" in section, name


def test_one_frozen_options_and_its_keywords_list_the_same_fields() -> None:
    fields = {f.name: f.type for f in dataclasses.fields(Options)}
    assert set(OptionFields.__annotations__) == set(fields)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Options().model = "x"  # type: ignore[misc]
    with pytest.raises(ConfigError, match=r"No option 'stratgy': did you mean 'strategy'\?"):
        Extractor(stratgy="agenda")  # type: ignore[call-arg]


def test_the_parse_strategy_asks_nothing_and_keeps_what_the_parse_reads() -> None:
    text = (
        "Mayor Ana Ortiz endorsed the tram plan on Monday. "
        "Coach Lena Vogt said the stadium deal was dead."
    )
    article = from_text(text, id="city")
    # Nothing listens at this address: a single request would fail the article.
    with Extractor(base_url="http://127.0.0.1:9/v1", model="fake", strategy="parse") as ex:
        assert list(ex.questions(article)) == []
        result = ex.run(article)
    assert result.error is None and result.strategy == "parse"
    assert result.usage.requests == 0
    parsed, claims = with_parse(
        Reading(parse=True, min_confidence=DEFAULT_MIN_CONFIDENCE), text, [], []
    )
    assert result.stances == parsed and result.claims == claims
    assert [(s.actor.name, s.target) for s in result.stances] == [("Ana Ortiz", "the tram plan")]
    assert [c.claimant.name for c in result.claims] == ["Ana Ortiz", "Lena Vogt"]
