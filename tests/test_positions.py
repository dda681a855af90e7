"""Positions read off a sentence's words (extractor.grounding.positions) and how the agenda
strategy grounds them beside the model's answer. The text is made up for these tests."""

from __future__ import annotations

import pytest

from extractor.grounding.agenda import Agenda, ground_statements, statement_model
from extractor.grounding.checks import target_problem
from extractor.grounding.positions import object_phrase, read_positions

TEXT = (
    "The ferry operators met on Tuesday. "
    "The Harbor Authority has repeatedly pledged to extend the night ferry service to the "
    "islands. "
    "Mayor Ines Berg rejected the toll increase, saying commuters pay enough. "
    "The Dock Workers Union has not agreed to the new shift plan. "
    "Jonas Weber told the council that the budget was tight, urging the Harbor Authority to "
    "cut fees for small boats. "
    "The toll increase was backed by the state. "
    "The Dock Workers Union refused to accept the new shift plan unless overtime is paid. "
    "The Harbor Authority warned of higher docking fees if the state does not pay. "
    "Councillors said the toll was fair,” urging the mayor to drop the ferry fee. "
    "The Harbor-backed ferry plan reached the council. "
    "Harbor unions have come out against the night shift plan. "
    "Ines Berg and Jonas Weber voted against the toll increase. "
    "Ines Berg on Friday called on ferry users to “share the cost” of the new pier. "
    "Ines Berg called on ferry users. "
    "Jonas Weber endorsed Gov. Ines Berg during the primary."
)
WHOLE = (0, len(TEXT))


def span_of(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def readings(part: str) -> list[tuple[str | None, str, str]]:
    return [
        (r.names[-1] if r.names else None, r.position, r.target)
        for r in read_positions(TEXT, span_of(part))
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "The Harbor Authority has repeatedly pledged to extend the night ferry service to "
            "the islands.",
            [("Harbor Authority", "support", "extend the night ferry service to the islands")],
        ),
        (
            "Mayor Ines Berg rejected the toll increase, saying commuters pay enough.",
            [("Ines Berg", "oppose", "toll increase")],
        ),
        # a participle after a comma: its subject is left to the caller (the speaker)
        (
            "Jonas Weber told the council that the budget was tight, urging the Harbor "
            "Authority to cut fees for small boats.",
            [(None, "support", "Harbor Authority to cut fees")],
        ),
        (
            "The Dock Workers Union refused to accept the new shift plan unless overtime is paid.",
            [("Dock Workers Union", "oppose", "new shift plan")],
        ),
        (
            "The Harbor Authority warned of higher docking fees if the state does not pay.",
            [("Harbor Authority", "support", "higher docking fees")],
        ),
        (
            "Councillors said the toll was fair,” urging the mayor to drop the ferry fee.",
            [(None, "support", "mayor to drop the ferry fee")],
        ),
        (
            "The Harbor-backed ferry plan reached the council.",
            [("Harbor", "support", "ferry plan")],
        ),
        (
            "Harbor unions have come out against the night shift plan.",
            [("Harbor unions", "oppose", "night shift plan")],
        ),
        (
            "Ines Berg on Friday called on ferry users to “share the cost” of the new pier.",
            [("Ines Berg", "support", "ferry users to “share the cost” of the new pier")],
        ),
        (
            "Jonas Weber endorsed Gov. Ines Berg during the primary.",
            [("Jonas Weber", "support", "Gov. Ines Berg")],
        ),
        # whom, not what: "called on" with no "to ..." names no proposal
        ("Ines Berg called on ferry users.", []),
        # what the words leave in doubt reads nothing: a negation, a passive, no verb
        ("The Dock Workers Union has not agreed to the new shift plan.", []),
        ("The toll increase was backed by the state.", []),
        ("The ferry operators met on Tuesday.", []),
    ],
)
def test_positions_are_read_off_a_subject_verb_and_object(
    sentence: str, expected: list[tuple[str | None, str, str]]
) -> None:
    assert readings(sentence) == expected


def test_two_subjects_joined_by_and_each_take_the_position() -> None:
    [r] = read_positions(
        TEXT, span_of("Ines Berg and Jonas Weber voted against the toll increase.")
    )
    assert (r.names, r.position, r.target) == (
        ("Ines Berg", "Jonas Weber"),
        "oppose",
        "toll increase",
    )


def test_each_reading_is_a_span_of_the_text() -> None:
    for r in read_positions(TEXT, WHOLE):
        assert TEXT[r.target_start : r.target_start + len(r.target)] == r.target


def test_an_object_phrase_is_cut_at_a_new_clause_and_needs_a_specific_word() -> None:
    assert object_phrase("the toll increase that commuters fear") == "toll increase"
    assert object_phrase("the proposal on Monday") is None  # only generic words
    assert object_phrase("by the state") is None  # a passive: no object


def test_a_pronoun_or_a_title_is_no_target() -> None:
    assert target_problem(TEXT, "him") is not None
    assert target_problem("Weber endorsed Sen. Berg.", "Sen") is not None
    assert target_problem(TEXT, "toll increase") is None


ACTORS = ("Ines Berg", "Harbor Authority", "Dock Workers Union", "Jonas Weber")


def ground(part: str, answer: dict[str, object], proposals: tuple[str, ...]) -> object:
    agenda = Agenda(proposals, ACTORS)
    model = statement_model(agenda).model_validate(answer)
    return ground_statements(
        model,
        TEXT,
        span_of(part),
        window=span_of(part),
        around=WHOLE,
        actors=ACTORS,
        proposals=proposals,
    )


def test_the_words_give_the_stance_the_model_gave_someone_else() -> None:
    part = (
        "The Harbor Authority has repeatedly pledged to extend the night ferry service to "
        "the islands."
    )
    # the model names an actor the sentence does not: its speaker gets the claim, and the
    # words give the Harbor Authority its stance, filed under the agenda item they share
    found = ground(
        part,
        {"items": [{"who": "Ines Berg", "about": "night ferry service", "position": "support"}]},
        ("night ferry service", "toll increase"),
    )
    [stance] = found.stances  # type: ignore[attr-defined]
    assert (stance.actor.name, stance.position, stance.target) == (
        "Harbor Authority",
        "support",
        "night ferry service",
    )
    assert stance.act == "pledge"
    assert stance.evidence[0].quote == part


def test_the_words_position_stands_and_the_models_conditions_join_it() -> None:
    part = "The Dock Workers Union refused to accept the new shift plan unless overtime is paid."
    found = ground(
        part,
        {
            "items": [
                {
                    "who": "Dock Workers Union",
                    "about": "new shift plan",
                    "position": "oppose",
                    "conditions": [
                        {"text": "unless overtime is paid", "kind": "demand", "of": "none"}
                    ],
                }
            ]
        },
        ("new shift plan",),
    )
    [stance] = found.stances  # type: ignore[attr-defined]
    assert stance.position == "oppose"
    # the clause read off the words and the model's copy of it are one condition
    assert [c.text for c in stance.conditions] == ["overtime is paid"]
    for c in stance.conditions:
        e = c.evidence[0]
        assert TEXT[e.start : e.end] == e.quote


def test_a_condition_that_names_an_actor_is_dropped() -> None:
    part = "Mayor Ines Berg rejected the toll increase, saying commuters pay enough."
    found = ground(
        part,
        {
            "items": [
                {
                    "who": "Ines Berg",
                    "about": "toll increase",
                    "position": "oppose",
                    "conditions": [{"text": "Mayor Ines Berg", "kind": "other", "of": "none"}],
                }
            ]
        },
        ("toll increase",),
    )
    [stance] = found.stances  # type: ignore[attr-defined]
    assert stance.conditions == []
    assert any("names an actor" in w for w in found.warnings)  # type: ignore[attr-defined]


def test_a_reading_whose_object_is_an_actor_is_no_stance() -> None:
    text = "Ines Berg spoke. The Harbor Authority backed Ines Berg in the vote."
    s = text.index("The Harbor")
    found = ground_statements(
        statement_model(Agenda((), ACTORS)).model_validate({"items": []}),
        text,
        (s, len(text)),
        window=(s, len(text)),
        around=(0, len(text)),
        actors=ACTORS,
    )
    assert found.stances == []
    assert any("is an actor, not a proposal" in w for w in found.warnings)


def test_a_models_stance_on_an_item_its_sentence_does_not_mention_is_dropped() -> None:
    text = (
        "Ines Berg backs the toll increase. "
        "Jonas Weber warned that the harbor budget is empty. "
        '"We are ready to sign it tomorrow," Weber said. '
        "The partnership between Ines Berg and the union faces opposition."
    )
    agenda = Agenda(("toll increase", "partnership between Ines Berg and the union"), ACTORS)
    model = statement_model(agenda)

    def answer(who: str, about: str, position: str, part: str, before: str) -> object:
        s = text.index(part)
        w = text.index(before)
        return ground_statements(
            model.model_validate({"items": [{"who": who, "about": about, "position": position}]}),
            text,
            (s, s + len(part)),
            window=(w, s + len(part)),
            around=(0, len(text)),
            actors=ACTORS,
            proposals=agenda.proposals,
        )

    # the warning sentence says nothing of the toll: the model's guess is dropped
    part = "Jonas Weber warned that the harbor budget is empty."
    found = answer("Jonas Weber", "toll increase", "support", part, part)
    assert found.stances == []  # type: ignore[attr-defined]
    assert "does not mention 'toll increase'" in found.warnings[0]  # type: ignore[attr-defined]
    # a quotation continues the topic of the sentences before it
    part = '"We are ready to sign it tomorrow," Weber said.'
    found = answer("Jonas Weber", "toll increase", "support", part, "Ines Berg backs")
    assert [s.target for s in found.stances] == ["toll increase"]  # type: ignore[attr-defined]
    # an actor named only inside the proposal's name takes no position by being named
    part = "The partnership between Ines Berg and the union faces opposition."
    found = answer("Ines Berg", "partnership between Ines Berg and the union", "oppose", part, part)
    assert found.stances == []  # type: ignore[attr-defined]
    assert "named only inside the proposal's name" in found.warnings[0]  # type: ignore[attr-defined]


def test_the_claim_is_the_speakers_and_a_passive_is_no_claim() -> None:
    text = (
        "Ines Berg said on Monday that the Harbor Authority backs the night ferry plan. "
        "The toll increase was rejected by the Dock Workers Union."
    )
    first = (0, text.index(" The toll"))
    second = (first[1] + 1, len(text))
    agenda = Agenda(("night ferry plan", "toll increase"), ACTORS)
    model = statement_model(agenda)

    def claims(span: tuple[int, int], who: str) -> list[tuple[str, str]]:
        answer = model.model_validate(
            {"items": [{"who": who, "about": "none", "position": "neutral"}]}
        )
        found = ground_statements(
            answer, text, span, window=span, around=(0, len(text)), actors=ACTORS
        )
        return [(c.claimant.name, c.content) for c in found.claims]

    # the model names the Harbor Authority (named in the sentence); Ines Berg speaks
    assert claims(first, "Harbor Authority") == [
        ("Ines Berg", "the Harbor Authority backs the night ferry plan")
    ]
    assert claims(second, "Dock Workers Union") == []


# -- reported intentions, pronoun subjects, whose position verb it is ------------------------

INTENTS = (
    "Mayor Tom Lund said on Monday that if the port pays he would not consider closing the "
    "night market but would reopen the fish hall. "
    "The Transport Ministry said it will restore the coastal bus subsidy. "
    "Deputy Mayor Ana Vik said she would support the harbor tax. "
    "Ana Vik said she will not sign the parking ordinance. "
    "Lund said he would win the vote. "
    "Lund said it would lead to delays. "
    "Lund said he would consider a ferry levy. "
    "Lund said he supports the ferry levy."
)


def intents(part: str) -> list[tuple[str | None, str | None, str, str]]:
    start = INTENTS.index(part)
    return [
        (r.names[-1] if r.names else None, r.pronoun, r.position, r.target)
        for r in read_positions(INTENTS, (start, start + len(part)))
    ]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # a negated intention opposes what it names; a second intention joins with "but"
        (
            "Mayor Tom Lund said on Monday that if the port pays he would not consider closing "
            "the night market but would reopen the fish hall.",
            [
                ("Tom Lund", None, "oppose", "closing the night market"),
                ("Tom Lund", None, "support", "reopen the fish hall"),
            ],
        ),
        # a body says "it" of itself; the act is the measure
        (
            "The Transport Ministry said it will restore the coastal bus subsidy.",
            [("Transport Ministry", None, "support", "restore the coastal bus subsidy")],
        ),
        # one reading, the intention's, not a second one of "she"
        (
            "Deputy Mayor Ana Vik said she would support the harbor tax.",
            [("Ana Vik", None, "support", "harbor tax")],
        ),
        (
            "Ana Vik said she will not sign the parking ordinance.",
            [("Ana Vik", None, "oppose", "parking ordinance")],
        ),
        # no measure, not the speaker's own pronoun, not yet a position
        ("Lund said he would win the vote.", []),
        ("Lund said it would lead to delays.", []),
        ("Lund said he would consider a ferry levy.", []),
        # "he" after "said" is left to the caller, who finds Lund before it
        ("Lund said he supports the ferry levy.", [(None, "he", "support", "ferry levy")]),
    ],
)
def test_a_reported_intention_is_read_as_the_speakers_position(
    sentence: str, expected: list[tuple[str | None, str | None, str, str]]
) -> None:
    assert intents(sentence) == expected


def test_a_one_word_object_keeps_its_complement_where_asked() -> None:
    raw = "an explanation for the minister's letter to the council Friday that"
    assert object_phrase(raw) == "explanation"  # the agenda's candidates stay short
    assert (
        object_phrase(raw, complement=True)
        == "explanation for the minister's letter to the council"
    )
    # a date is no complement, and an object of more words keeps its cut
    assert object_phrase("the ferry proposal on March 11", complement=True) == "ferry proposal"
    assert object_phrase("the toll increase for trucks", complement=True) == "toll increase"


LUND = (
    "Tom Lund said the pier is too old. "
    "The ferry runs twice a day. "
    "Repairs would take a year. "
    "Tourists complain about the queues. "
    "He vowed to rebuild the pier before summer. "
    "They called for a new ferry."
)


def test_a_pronoun_subject_is_the_speaker_named_before_it() -> None:
    agenda = Agenda(("pier",), ("Tom Lund",))
    model = statement_model(agenda)

    def ground_part(part: str, who: str | None) -> object:
        s = LUND.index(part)
        window = (LUND.index("Tourists"), s + len(part))  # a window that does not name Lund
        items = [{"who": who, "about": "none", "position": "neutral"}] if who else []
        return ground_statements(
            model.model_validate({"items": items}),
            LUND,
            (s, s + len(part)),
            window=window,
            around=(0, len(LUND)),
            actors=agenda.actors,
            proposals=agenda.proposals,
        )

    found = ground_part("He vowed to rebuild the pier before summer.", "Tom Lund")
    [stance] = found.stances  # type: ignore[attr-defined]
    assert (stance.actor.name, stance.position, stance.target) == ("Tom Lund", "support", "pier")
    # the model named him too: the sentence is his claim, though its window does not name him
    assert [c.claimant.name for c in found.claims] == ["Tom Lund"]  # type: ignore[attr-defined]
    # "they" is no person's pronoun: no stance
    assert ground_part("They called for a new ferry.", None).stances == []  # type: ignore[attr-defined]


def test_a_models_stance_for_the_speaker_of_anothers_position_goes_to_its_owner() -> None:
    text = (
        "Ana Vik said that the Port Board backs the fish hall plan, and she added a demand: "
        "the rents must stay low."
    )
    agenda = Agenda(("fish hall plan",), ("Ana Vik", "Port Board"))
    answer = statement_model(agenda).model_validate(
        {
            "items": [
                {
                    "who": "Ana Vik",
                    "about": "fish hall plan",
                    "position": "support",
                    "conditions": [
                        {"text": "the rents must stay low", "kind": "demand", "of": "none"}
                    ],
                }
            ]
        }
    )
    whole = (0, len(text))
    found = ground_statements(
        answer,
        text,
        whole,
        window=whole,
        around=whole,
        actors=agenda.actors,
        proposals=agenda.proposals,
    )
    [stance] = found.stances
    assert (stance.actor.name, stance.target) == ("Port Board", "fish hall plan")
    assert [c.text for c in stance.conditions] == ["the rents must stay low"]
    assert any("position verbs are those of Port Board" in w for w in found.warnings)
    assert [c.claimant.name for c in found.claims] == ["Ana Vik"]
