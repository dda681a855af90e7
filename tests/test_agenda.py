"""The agenda strategy: its grounding rules on hand-written answers (the text below is
made up for these tests), and the whole pipeline against the loopback FakeServer."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path

import pytest

from extractor import Extractor
from extractor.grounding.merge import merge_stances
from extractor.pipeline.articles import from_text
from extractor.pipeline.segment import sentences
from extractor.reading.regex.agenda import (
    Agenda,
    AgendaDraft,
    act_of,
    claim_of,
    ground_agenda,
    ground_statements,
    objects,
    resolve_conflicts,
    speakers,
    statement_model,
    worth_asking,
)
from extractor.schemas import Actor, Evidence
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
WHOLE = (0, len(TEXT))


def span_of(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def agenda_draft(proposals: list[tuple[str, str]], actors: list[str]) -> AgendaDraft:
    return AgendaDraft.model_validate(
        {"proposals": [{"name": n, "quote": q} for n, q in proposals], "actors": actors}
    )


def test_agenda_keeps_grounded_items_and_names_what_it_drops() -> None:
    draft = agenda_draft(
        [
            ("tram extension", "a tram extension to the harbor"),
            ("tram extension to the harbor", "tram extension to the harbor"),  # near-duplicate
            ("Jonas Weber", "Council member Jonas Weber"),  # an actor, not a proposal
            ("trampolex harborization", "tram extension"),  # word fragments
            ("bridge toll", "a new bridge toll"),  # quote not in the text
        ],
        ["Ines Berg", "Jonas Weber", "Dock Workers Union", "Ana Novak"],  # Novak is invented
    )
    agenda, warnings = ground_agenda(draft, TEXT, WHOLE)
    assert agenda.proposals == ("tram extension to the harbor",)
    assert agenda.actors == ("Ines Berg", "Jonas Weber", "Dock Workers Union")
    assert len(warnings) == 4
    assert any("'Jonas Weber'" in w and "actor, not a proposal" in w for w in warnings)
    assert any("'trampolex'" in w and "not a word of the text" in w for w in warnings)
    assert any("'bridge toll'" in w and "not in the text" in w for w in warnings)
    assert any("'Ana Novak'" in w for w in warnings)


def test_statement_schema_offers_only_the_agenda_as_choices() -> None:
    model = statement_model(Agenda(("tram extension",), ("Ines Berg", "Jonas Weber")))
    schema = json.dumps(model.model_json_schema())
    assert '"enum": ["Ines Berg", "Jonas Weber"]' in schema
    assert '"enum": ["tram extension", "none"]' in schema
    assert '"enum": ["Ines Berg", "Jonas Weber", "none"]' in schema  # who must meet a condition
    with pytest.raises(ValueError, match="who"):
        model.model_validate(
            {"items": [{"who": "Ana Novak", "about": "none", "position": "support"}]}
        )


def test_a_conditional_yes_becomes_a_stance_with_its_condition_and_a_claim() -> None:
    agenda = Agenda(("tram extension",), ("Ines Berg", "Jonas Weber", "state"))
    sentence = span_of(TEXT, "Council member Jonas Weber said")
    sentence = (sentence[0], TEXT.index("cost.") + len("cost."))
    answer = statement_model(agenda).model_validate(
        {
            "items": [
                {
                    "who": "Jonas Weber",
                    "about": "tram extension",
                    "position": "support",
                    "conditions": [
                        {
                            "text": "the state covers half the cost",
                            "kind": "precondition",
                            "of": "state",
                        }
                    ],
                }
            ]
        }
    )
    found = ground_statements(answer, TEXT, sentence, window=sentence, around=WHOLE)
    assert found.warnings == []
    [stance] = found.stances
    assert (stance.actor.name, stance.target, stance.position) == (
        "Jonas Weber",
        "tram extension",
        "support",
    )
    [condition] = stance.conditions
    ev = condition.evidence[0]
    assert TEXT[ev.start : ev.end] == ev.quote == condition.text == "the state covers half the cost"
    assert condition.required_of is not None and condition.required_of.name == "state"
    [claim] = found.claims
    assert claim.cue == "said"
    assert claim.content == "he would support the tram extension if the state covers half the cost"
    assert stance.evidence[0].quote == TEXT[sentence[0] : sentence[1]]


def test_statement_grounding_drops_far_actors_and_invented_conditions() -> None:
    agenda = Agenda(("tram extension",), ("Ines Berg", "Jonas Weber", "Dock Workers Union"))
    sentence = span_of(
        TEXT, "The Dock Workers Union rejected the tram extension, saying fares would rise."
    )
    answer = statement_model(agenda).model_validate(
        {
            "items": [
                {"who": "Ines Berg", "about": "tram extension", "position": "oppose"},  # not here
                {
                    "who": "Dock Workers Union",
                    "about": "tram extension",
                    "position": "oppose",
                    "conditions": [{"text": "unless taxes fall", "kind": "demand", "of": "none"}],
                },
            ]
        }
    )
    found = ground_statements(
        answer, TEXT, sentence, window=sentence, around=sentence, actors=agenda.actors
    )
    # Ines Berg is not in the sentence: its one speaker gets the claim, not her stance
    [stance] = found.stances
    assert stance.actor.name == "Dock Workers Union" and stance.conditions == []
    assert [c.claimant.name for c in found.claims] == ["Dock Workers Union"]
    assert len(found.warnings) == 2
    assert (
        "'Ines Berg' is not named in the sentence; its speaker 'Dock Workers Union' is given "
        "the claim, and no stance" in found.warnings[0]
    )
    assert "'unless taxes fall'" in found.warnings[1]

    # a sentence without a speaker before a reporting verb: the far actor is dropped
    passive = "The tram extension was rejected by the Dock Workers Union in a vote."
    text = f"{TEXT} {passive}"
    found = ground_statements(
        answer,
        text,
        span_of(text, passive),
        window=span_of(text, passive),
        around=span_of(text, passive),
        actors=agenda.actors,
    )
    assert [s.actor.name for s in found.stances] == ["Dock Workers Union"]
    assert (
        "'Ines Berg' is not named in the sentence, which names Dock Workers Union"
        in (found.warnings[0])
    )


def test_claims_are_the_sentences_own_words() -> None:
    who = Actor(name="Berg", canonical="Ines Berg", kind="person")
    quote = '"The harbor needs it," Berg told reporters.'
    start = TEXT.index(quote)
    claim = claim_of(who, Evidence(quote=quote, start=start, end=start + len(quote), match="exact"))
    assert claim is not None
    assert (claim.content, claim.cue, claim.attribution) == ("The harbor needs it", "told", "mixed")
    # the words before "<speaker> said <day>" are what was said
    said = "The tram extension is dead, Berg said Monday."
    claim = claim_of(who, Evidence(quote=said, start=0, end=len(said), match="exact"))
    assert claim is not None and claim.content == "The tram extension is dead"
    fact = "Rain is expected all week."
    start = TEXT.index(fact)
    assert (
        claim_of(who, Evidence(quote=fact, start=start, end=start + len(fact), match="exact"))
        is None
    )


@pytest.mark.parametrize(
    ("sentence", "act"),
    [
        ("The minister pledged to restore the subsidy.", "pledge"),
        ("The union threatened a strike if wages stay frozen.", "threat"),
        ("She warned that the vote could fail.", "warning"),
        ("Critics urged the council to wait.", "demand"),
        ("He said the plan is sound.", "statement"),
    ],
)
def test_act_is_read_off_the_wording(sentence: str, act: str) -> None:
    assert act_of(sentence) == act


def test_only_sentences_that_report_something_are_asked() -> None:
    asked = [s for s in (TEXT[a:b] for a, b in sentences(TEXT)) if worth_asking(s)]
    assert asked == [
        "Mayor Ines Berg proposed a tram extension to the harbor on Monday.",
        "Council member Jonas Weber said he would support the tram extension if the state "
        "covers half the cost.",
        '"The harbor needs it," Berg told reporters.',
        "The Dock Workers Union rejected the tram extension, saying fares would rise.",
    ]
    assert not worth_asking("(AP Photo/Jane Doe) Officials said nothing.")


def test_conflicting_positions_keep_the_best_supported_one() -> None:
    text = (
        "Jonas Weber backed the tram extension on Monday. "
        "Weber said he would support the tram extension if the state covers half the cost. "
        "Weber has doubts about the tram extension."
    )
    agenda = Agenda(("tram extension",), ("Jonas Weber",))
    model = statement_model(agenda)
    records = []
    for (a, b), position in zip(sentences(text), ["support", "support", "oppose"], strict=True):
        conditions = [
            {"text": "the state covers half the cost", "kind": "precondition", "of": "none"}
        ]
        answer = model.model_validate(
            {
                "items": [
                    {
                        "who": "Jonas Weber",
                        "about": "tram extension",
                        "position": position,
                        "conditions": conditions if position == "oppose" else [],
                    }
                ]
            }
        )
        found = ground_statements(answer, text, (a, b), window=(0, b), around=(0, len(text)))
        records += found.stances
    [kept], warnings = resolve_conflicts(merge_stances(records))
    assert kept.position == "support" and len(kept.evidence) == 2
    assert [c.text for c in kept.conditions] == ["the state covers half the cost"]
    assert len(warnings) == 1 and "oppose" in warnings[0] and "(2 vs 1)" in warnings[0]


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


def test_speakers_and_objects_complete_the_agenda_without_asking() -> None:
    text = (
        "The Harbor Authority has warned of higher docking fees if the tram is delayed. "
        "Ines Berg pledged to expand night ferries. The union rejected the proposal. "
        "The plan was backed by the mayor's office."
    )
    whole = (0, len(text))
    assert speakers(text, whole) == ["Harbor Authority", "Ines Berg"]
    assert objects(text, whole) == ["higher docking fees", "expand night ferries"]
    agenda, _ = ground_agenda(
        agenda_draft([("night ferries", "night ferries")], ["Ines Berg"]), text, whole
    )
    # "expand night ferries" is the listed proposal in other words: not offered twice
    assert agenda.proposals == ("night ferries", "higher docking fees")
    assert agenda.actors == ("Ines Berg", "Harbor Authority")


def test_speakers_after_the_verb_are_found_too() -> None:
    text = (
        "“Fares must fall,” said Debra Holm, a transit expert. "
        "The plan is late, Weber said Wednesday. "
        "“No,” said Sen. Ron Vale. According to Ines Berg, the tram is full. "
        "The mayor told Harbor News nothing. Weber left. Weber said Kestria backs it."
    )
    # in the order of the text; a day, a listener ("told Harbor News"), a name run across
    # a sentence end and the subject of what was said ("said Kestria backs") are not
    assert speakers(text, (0, len(text))) == ["Debra Holm", "Weber", "Ron Vale", "Ines Berg"]


def test_a_pronoun_sentence_gives_a_claim_but_no_stance() -> None:
    text = "Jonas Weber spoke on Monday. He said he would support the tram extension."
    first, second = sentences(text)
    agenda = Agenda(("tram extension",), ("Jonas Weber",))
    answer = statement_model(agenda).model_validate(
        {"items": [{"who": "Jonas Weber", "about": "tram extension", "position": "support"}]}
    )
    found = ground_statements(
        answer,
        text,
        second,
        window=(first[0], second[1]),
        around=(0, len(text)),
        actors=agenda.actors,
    )
    [claim] = found.claims
    assert claim.claimant.name == "Jonas Weber" and claim.cue == "said"
    assert found.stances == []
    assert "the sentence itself does not name its actor" in found.warnings[0]


def test_a_failed_chunk_cancels_the_others_requests() -> None:
    """A long article at concurrency 4: the first chunk's agenda is refused (HTTP 400, the
    article fails), the other chunks' questions are slow. Once `arun` has returned the
    failure, no request of that article starts any more (one already on the wire when the
    failure came may still arrive: 0.2 s of grace)."""
    text = synthetic_article(7, 12_000)
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
