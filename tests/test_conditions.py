"""Conditions read off the text's words (extractor.reading.regex.conditions) and a stance's
target in its own sentence's words (extractor.reading.regex.agenda.word_targets). The text
is made up for these tests."""

from __future__ import annotations

import re

from extractor.reading.regex.agenda import word_targets
from extractor.reading.regex.conditions import conditional_clauses, listed_terms
from extractor.schemas import Actor, Evidence, Stance

TEXT = (
    "The rail union agreed to the wage offer under strict conditions. "
    "Its terms include a pay rise of 4%, the end of weekend shifts and a review in March. "
    "The mayor will sign the harbor plan only if the state pays half, aides said. "
    "Should the council reject the budget, the strike resumes on Monday. "
    "If so, nobody knows. "
    "The union has backed the three-year wage offer from the rail operator."
)
UNION = Actor(name="rail union", canonical="rail union", kind="organization")
STATE = Actor(name="state", canonical="state", kind="government")


def sentence(part: str) -> tuple[int, int]:
    start = TEXT.index(part)
    return start, start + len(part)


def names_state(a: int, b: int) -> Actor | None:
    return STATE if re.search(r"\bstate\b", TEXT[a:b]) else None


def test_a_list_of_terms_gives_one_condition_per_item_at_its_offsets() -> None:
    span = sentence(
        "Its terms include a pay rise of 4%, the end of weekend shifts and a review in March."
    )
    found = listed_terms(TEXT, span, names_state)
    assert [c.text for c in found] == [
        "a pay rise of 4%",
        "the end of weekend shifts",
        "a review in March",
    ]
    for c in found:
        [ev] = c.evidence
        assert TEXT[ev.start : ev.end] == ev.quote == c.text
        assert c.kind == "demand" and c.required_of is None
    assert listed_terms(TEXT, sentence("The rail union agreed"), names_state) == []


def test_conditional_clauses_end_at_the_clause_and_name_who_must_act() -> None:
    [c] = conditional_clauses(
        TEXT,
        sentence("The mayor will sign the harbor plan only if the state pays half, aides said."),
        names_state,
    )
    assert c.text == "the state pays half" and c.kind == "precondition"
    assert c.required_of == STATE
    [c] = conditional_clauses(
        TEXT,
        sentence("Should the council reject the budget, the strike resumes on Monday."),
        names_state,
    )
    assert c.text == "the council reject the budget" and c.required_of is None
    # "If so" is not a condition, nor is a sentence without a conditional
    assert conditional_clauses(TEXT, sentence("If so, nobody knows."), names_state) == []
    assert conditional_clauses(TEXT, sentence("Its terms include"), names_state) == []


def test_a_target_takes_the_fullest_wording_of_its_own_sentences() -> None:
    def stance(target: str, part: str) -> Stance:
        start, end = sentence(part)
        ev = Evidence(quote=TEXT[start:end], start=start, end=end, match="exact")
        return Stance(
            actor=UNION,
            target=target,
            position="support",
            act="statement",
            conditions=[],
            evidence=[ev],
        )

    first = "The rail union agreed to the wage offer under strict conditions."
    last = "The union has backed the three-year wage offer from the rail operator."
    both = stance("wage offer", first)
    both.evidence.append(stance("wage offer", last).evidence[0])
    [worded] = word_targets([both], TEXT)
    assert worded.target == "three-year wage offer"
    # no mention of the item in its sentences: the item's own wording stays
    [kept] = word_targets([stance("harbor plan", first)], TEXT)
    assert kept.target == "harbor plan"


def test_a_conditional_clause_ends_where_its_main_clause_begins_without_a_comma() -> None:
    text = "Lund said that if the port pays he would reopen the fish hall."
    [c] = conditional_clauses(text, (0, len(text)), lambda a, b: None)
    assert c.text == "the port pays"
