"""The agenda strategy: what a sentence offers the model and how its choice is read
(`reading.choices`, on hand-written answers; the text below is made up for these tests),
and the whole pipeline against the loopback FakeServer."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.grounding.records import Grounded
from extractor.pipeline.articles import from_text
from extractor.reading.choices import Choices, Cued
from extractor.reading.lexicon import load_lexicon
from extractor.reading.parse import parse
from extractor.strategies.agenda import read_answer, statement_model
from tests.support.fakeanswers import quote_back, synthetic_article
from tests.support.fakeserver import FakeServer, Reply

TEXT = (
    "Harbor council weighs tram extension\n"
    "Mayor Ines Berg proposed a tram extension to the harbor on Monday. "
    "Council member Jonas Weber said he would support the tram extension if the state "
    "covers half the cost. "
    '"The harbor needs it," Berg told reporters. '
    "The Dock Workers Union rejected the tram extension, saying fares would rise. "
    "Rain is expected all week."
)


def choices(text: str = TEXT) -> Choices:
    return Choices(parse(text), load_lexicon("en"))


def cued_at(found: Choices, words: str, skip: list[tuple[int, int]] | None = None) -> Cued:
    return next(c for c in found.cued(skip or []) if words in c.sent.text)


def answer(cued: Cued, *items: dict[str, str]) -> Grounded:
    found = Grounded([], [], [])
    read = Choices(cued.sent.doc, load_lexicon("en"))
    read_answer(read, cued, statement_model(cued).model_validate({"items": list(items)}), found)
    return found


def test_only_sentences_with_a_cue_and_an_actor_are_asked() -> None:
    asked = [c.sent.text.strip() for c in choices().cued([])]
    assert asked == [
        "Mayor Ines Berg proposed a tram extension to the harbor on Monday.",
        "Council member Jonas Weber said he would support the tram extension if the state "
        "covers half the cost.",
        '"The harbor needs it," Berg told reporters.',
        "The Dock Workers Union rejected the tram extension, saying fares would rise.",
    ]
    # a sentence whose claim the parse read already is not asked again
    said = TEXT.index("Council member")
    skipped = [c.sent.text for c in choices().cued([(said, said + 10)])]
    assert not any("Jonas Weber" in s for s in skipped)
    # no cue word: not asked, whoever it names
    assert choices("Ines Berg walked to the harbor on a sunny Monday morning.").cued([]) == []


def test_the_schema_offers_only_the_sentences_own_actors_and_phrases() -> None:
    cued = cued_at(choices(), "Dock Workers Union")
    assert cued.actor_names() == ["The Dock Workers Union"]
    assert "the tram extension" in cued.target_texts()
    schema = json.dumps(statement_model(cued).model_json_schema())
    assert '"const": "The Dock Workers Union"' in schema  # one actor: the only choice
    assert f'"enum": {json.dumps([*cued.target_texts(), "none"])}' in schema
    with pytest.raises(ValueError, match="who"):
        statement_model(cued).model_validate(
            {"items": [{"who": "Ines Berg", "about": "none", "position": "oppose"}]}
        )
    with pytest.raises(ValueError, match="about"):
        statement_model(cued).model_validate(
            {"items": [{"who": "The Dock Workers Union", "about": "fares", "position": "oppose"}]}
        )


def test_a_chosen_conditional_yes_is_read_with_its_condition_and_claim() -> None:
    cued = cued_at(choices(), "Jonas Weber")
    found = answer(
        cued, {"who": "Jonas Weber", "about": "the tram extension", "position": "support"}
    )
    [stance] = found.stances
    assert (stance.actor.name, stance.target, stance.position) == (
        "Jonas Weber",
        "the tram extension",
        "support",
    )
    assert stance.read_by == "model" and stance.confidence < 0.5
    [condition] = stance.conditions
    ev = condition.evidence[0]
    assert TEXT[ev.start : ev.end] == ev.quote
    assert "the state covers half the cost" in condition.text
    [claim] = found.claims
    assert claim.claimant.name == "Jonas Weber" and claim.cue == "said"
    assert claim.content == "he would support the tram extension if the state covers half the cost"
    for record in (stance, claim):
        for e in record.evidence:
            assert TEXT[e.start : e.end] == e.quote


def test_a_pronoun_subject_offers_the_actor_it_refers_to() -> None:
    text = "Jonas Weber spoke on Monday. He said he would back the tram extension."
    cued = cued_at(choices(text), "He said")
    assert cued.actor_names() == ["Jonas Weber"]
    found = answer(
        cued, {"who": "Jonas Weber", "about": "the tram extension", "position": "support"}
    )
    [stance] = found.stances
    assert stance.actor.name == "Jonas Weber"
    assert stance.evidence[0].quote == "He said he would back the tram extension."


def test_neutral_none_and_an_actor_inside_its_target_make_no_stance() -> None:
    cued = cued_at(choices(), "Dock Workers Union")
    found = answer(
        cued,
        {"who": "The Dock Workers Union", "about": "none", "position": "oppose"},
        {"who": "The Dock Workers Union", "about": "the tram extension", "position": "neutral"},
    )
    assert found.stances == []
    # the claim is what its cue verb reports ("saying fares would rise")
    [claim] = found.claims
    assert (claim.cue, claim.content) == ("saying", "fares would rise")
    text = "Officials said the Harbor Authority budget should grow next year."
    cued = cued_at(choices(text), "said")
    inside = next(t for t in cued.target_texts() if "budget" in t and "Harbor" in t)
    found = answer(cued, {"who": cued.actor_names()[0], "about": inside, "position": "support"})
    assert found.stances == [] and "inside its target" in found.warnings[0]


def test_a_model_stance_the_parse_also_read_is_marked_as_both(tmp_path: Path) -> None:
    text = "Jonas Weber rejected the tram extension on Monday, Harbor News reported."

    def responder(request: dict[str, object]) -> Reply:
        return quote_back(request)

    with (
        FakeServer(responder) as server,
        Extractor(
            base_url=server.base_url, model="m", mode="json", strategy="agenda", cache=None
        ) as ex,
    ):
        result = ex.run(from_text(text, id="x"))
    [stance] = [s for s in result.stances if s.position == "oppose"]
    assert stance.read_by == "parse" and stance.actor.name == "Jonas Weber"


def _run(server: FakeServer, texts: list[str], concurrency: int) -> list[dict[str, object]]:
    async def go() -> list[dict[str, object]]:
        async with Extractor(
            base_url=server.base_url,
            model="m",
            mode="json",
            strategy="agenda",
            concurrency=concurrency,
            cache=None,  # each run asks: the library's default cache would answer the second
        ) as ex:
            articles = [from_text(t, id=f"a{i}") for i, t in enumerate(texts)]
            return [r.model_dump() async for r in ex.arun_many(articles)]

    return asyncio.run(go())


def test_pipeline_sync_and_concurrent_give_the_same_grounded_records(tmp_path: Path) -> None:
    texts = [synthetic_article(i, 2500) for i in range(4)]
    with FakeServer(quote_back) as server:
        with Extractor(
            base_url=server.base_url, model="m", mode="json", strategy="agenda", cache=None
        ) as ex:
            one = [ex.run(from_text(t, id=f"a{i}")).model_dump() for i, t in enumerate(texts)]
        four = _run(server, texts, 4)
    assert four == one
    for text, result in zip(texts, one, strict=True):
        assert result["error"] is None and result["strategy"] == "agenda"
        assert result["stances"] and result["claims"]
        for record in [*result["stances"], *result["claims"]]:
            for ev in record["evidence"]:
                assert text[ev["start"] : ev["end"]] == ev["quote"]


def test_a_failed_chunk_cancels_the_others_requests() -> None:
    """A long article at concurrency 4: the first sentence's question is refused (HTTP 400,
    the article fails), the others are slow. Once `arun` has returned the failure, no
    request of that article starts any more (one already on the wire when the failure
    came may still arrive: 0.2 s of grace). Its sentences (made up) each hold a stance
    noun and a name, and no claim the parse reads: each is asked."""
    first = "Ana Boris Chen Dana Elif Farid Greta Hugo Ines Jonas Kofi Lena Mateo Nadia".split()
    last = "Ruiz Novak Wang Ortiz Kaya Haddad Berg Silva Costa Weber Mensah Petrov Rossi".split()
    text = " ".join(
        f"Senator {first[i % 14]} {last[i * 3 % 13]} voiced support on day {i} of the session."
        for i in range(200)
    )
    seen: list[float] = []

    def responder(request: dict[str, object]) -> Reply:
        seen.append(time.monotonic())
        if len(seen) == 1:
            return Reply(status=400, body={"error": {"message": "bad request"}})
        return Reply(body=quote_back(request).body, delay=0.3)

    async def go(url: str) -> tuple[str | None, int]:
        async with Extractor(
            base_url=url,
            model="m",
            mode="json",
            strategy="agenda",
            concurrency=4,
            chunk_tokens=800,
        ) as ex:
            result = await ex.arun(from_text(text, id="long"))
            done = time.monotonic()
            await asyncio.sleep(1.0)  # time for any request left running to arrive
            return result.error and result.error.kind, sum(t > done + 0.2 for t in seen)

    with FakeServer(responder) as server:
        kind, after = asyncio.run(go(server.base_url))
    assert kind == "refused"
    assert after == 0


def test_a_choice_holds_no_double_quote_and_maps_back_to_its_span() -> None:
    # a quotation mark inside a choice broke the server's grammar (see reading.choices.label)
    text = 'Senator Ana Ortiz said she backed the "harbor first" plan.'
    [cued] = choices(text).cued([])
    quoted = next(t for t in cued.target_texts() if "harbor first" in t)
    assert quoted == "she backed the 'harbor first' plan"
    span = cued.target(quoted)
    assert span is not None and span.text == 'she backed the "harbor first" plan'
    found = answer(cued, {"who": "Ana Ortiz", "about": quoted, "position": "support"})
    assert found.stances[0].target == 'she backed the "harbor first" plan'
    for name in (*cued.actor_names(), *cued.target_texts()):
        assert '"' not in name and "\\" not in name and "\n" not in name
