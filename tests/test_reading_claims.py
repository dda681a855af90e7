"""Claims read from the parse (extractor.reading.claims), on made-up text from city hall,
sports and business, each rule beside a counterexample; and how the parse's claims join
the model's (extractor.grounding.confidence.combine_claims)."""

from __future__ import annotations

import pytest

from extractor.grounding.confidence import combine_claims
from extractor.reading.article import read_article
from extractor.schemas import Actor, Claim, Evidence

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def claims(text: str) -> list[Claim]:
    found = read_article(text).claims
    for c in found:  # every evidence slices out of the text
        assert all(text[e.start : e.end] == e.quote for e in c.evidence)
        assert c.content in text
    return found


def test_a_cue_verb_reports_its_clausal_complement() -> None:
    (c,) = claims("Mayor Ana Ortiz said the new tram line would open in May.")
    assert (c.claimant.name, c.cue, c.content) == (
        "Ana Ortiz",
        "said",
        "the new tram line would open in May",
    )
    assert c.attribution == "indirect"
    assert c.evidence[0].quote == "Mayor Ana Ortiz said the new tram line would open in May."


def test_the_reported_clause_may_come_first() -> None:
    (c,) = claims("The stadium deal is dead, Coach Reyes said on Wednesday.")
    assert (c.claimant.name, c.content) == ("Reyes", "The stadium deal is dead")


def test_a_cue_verb_shares_the_subject_of_the_verb_it_joins() -> None:
    (c,) = claims("Coach Reyes praised the players and said the team would win the title.")
    assert (c.claimant.name, c.content) == ("Reyes", "the team would win the title")
    (c,) = claims("Mayor Ana Ortiz signed the order on Monday, saying the tram would open in May.")
    assert (c.claimant.name, c.content) == ("Ana Ortiz", "the tram would open in May")
    assert claims("Saying the tram would open in May was easy.") == []  # nobody says it


def test_a_cue_verb_that_reports_nothing_or_is_negated_is_no_claim() -> None:
    assert claims("Coach Reyes spoke to reporters on Wednesday.") == []
    assert claims("Coach Reyes said nothing on Wednesday.") == []
    assert claims("Coach Reyes did not say whether the team would move to Denver.") == []


def test_a_complementizer_is_not_content_and_an_inverted_condition_is_none() -> None:
    (c,) = claims("Coach Reyes said that the team would move to Denver.")
    assert c.content == "the team would move to Denver"
    assert claims("The league warned of fines should the team move to Denver.") == []


def test_a_quotation_continued_in_the_next_sentence_is_one_claim() -> None:
    text = (
        "“We have waited long enough for this bridge,” Ana Ortiz told reporters. "
        "“The money is finally there.” The council meets again in June."
    )
    (c,) = claims(text)
    assert c.claimant.name == "Ana Ortiz"
    assert c.content == "We have waited long enough for this bridge"
    assert [e.quote for e in c.evidence] == [
        "“We have waited long enough for this bridge,” Ana Ortiz told reporters.",
        "“The money is finally there.”",
    ]


def test_a_source_described_without_a_name_keeps_the_article_s_words() -> None:
    (c,) = claims("The team's owners said the arena would be sold by March.")
    assert (c.claimant.name, c.claimant.kind) == ("The team's owners", "other")
    assert claims("It said the arena would be sold by March.") == []  # no one named before


def test_the_owner_of_the_words_is_the_source() -> None:
    (c,) = claims("Ana Ortiz met the press. Her statement said the tram would open in May.")
    assert (c.claimant.name, c.content) == ("Ana Ortiz", "the tram would open in May")


def test_an_infinitive_complement_and_a_cue_noun_report_too() -> None:
    (c,) = claims("Coach Reyes promised to build a new stadium by 2030.")
    assert (c.claimant.name, c.content) == ("Reyes", "to build a new stadium by 2030")
    (c,) = claims("Ana Ortiz's claim that the tram would open in May angered the council.")
    assert (c.claimant.name, c.cue, c.content) == (
        "Ana Ortiz",
        "claim",
        "the tram would open in May",
    )
    # a cue noun without an owner, or whose clause is not a "that" clause, is none
    assert claims("The claim that the tram would open in May angered the council.") == []
    assert claims("Ana Ortiz's claim about the tram angered the council.") == []


def test_according_to_gives_the_source_the_clause() -> None:
    (c,) = claims("According to Acme Corp, the merger will close in the third quarter.")
    assert (c.claimant.name, c.cue) == ("Acme Corp", "According to")
    assert c.content == "the merger will close in the third quarter"
    (c,) = claims("According to federal records, the agency spent $2 million on the tram.")
    assert (c.claimant.name, c.claimant.kind) == ("federal records", "other")
    assert c.content == "the agency spent $2 million on the tram"
    # Counterexample: a bare singular noun says how, not who ("according to plan").
    assert claims("According to plan, the merger will close in May.") == []


def test_a_cue_verb_reports_its_direct_object_unless_it_addresses_it() -> None:
    (c,) = claims("Acme Corp announced plans to close its plant in Dayton.")
    assert (c.claimant.name, c.content) == ("Acme Corp", "plans to close its plant in Dayton")
    (c,) = claims("Coach Reyes questioned the need for a second goalkeeper.")
    assert c.content == "the need for a second goalkeeper"
    # Counterexamples: the object of "told" is whom the words are for; a named object is
    # an actor, not what is reported.
    assert claims("Coach Reyes told the crowd at the team's home stadium.") == []
    assert claims("Acme Corp announced Bob Stone as its new chief executive.") == []


def test_a_source_described_through_a_relative_pronoun_or_a_quantity() -> None:
    (c,) = claims("Fans who said the stadium was too small stayed home.")
    assert (c.claimant.name, c.content) == ("Fans", "the stadium was too small")
    (c,) = claims("Several of the latest surveys show that the tram is popular.")
    assert (c.claimant.name, c.content) == ("Several of the latest surveys", "the tram is popular")
    # Counterexample: a pronoun with nothing named before it is nobody.
    assert claims("Several said that the tram is popular.") == []


def test_a_quotation_left_open_goes_on_after_its_sentence() -> None:
    text = 'Coach Reyes said: "We will win the title this year. Nobody can stop us."'
    (c,) = claims(text)
    assert c.content.startswith("We will win the title")
    # Counterexample: no mark at all is no quotation.
    assert claims("Coach Reyes smiled. We will win the title this year.") == []


def test_a_cue_verb_of_intention_or_belief_reports_its_complement() -> None:
    (c,) = claims("Acme Corp hopes to open a second plant in Dayton next year.")
    assert (c.claimant.name, c.cue) == ("Acme Corp", "hopes")
    assert c.content == "to open a second plant in Dayton next year"
    assert claims("Acme Corp did not plan to open a second plant in Dayton.") == []  # negated


def _claim(who: str, start: int, end: int, text: str) -> Claim:
    return Claim(
        claimant=Actor(name=who, canonical=who, kind="person"),
        content=text[start:end],
        cue="said",
        attribution="indirect",
        evidence=[Evidence(quote=text[start:end], start=start, end=end, match="exact")],
    )


def test_the_parse_s_claims_stand_for_their_sentences() -> None:
    text = "Ortiz said the line opens in May. He added that tickets cost two dollars."
    parsed = [_claim("Ana Ortiz", 0, 33, text)]
    answered = [_claim("Bob Reyes", 0, 33, text), _claim("Ana Ortiz", 34, len(text), text)]
    joined = combine_claims(parsed, answered)
    assert [(c.claimant.name, c.evidence[0].start) for c in joined] == [
        ("Ana Ortiz", 0),  # the parse's, not the model's Reyes
        ("Ana Ortiz", 34),  # a sentence the parse read no claim in keeps the model's
    ]


def test_a_stance_read_through_a_listed_word_is_an_attribution_too() -> None:
    read = read_article("The Harbor Union endorsed Jane Park for mayor on Tuesday.")
    [claim] = read.claims
    assert (claim.claimant.name, claim.cue, claim.content) == (
        "The Harbor Union",
        "endorsed",
        "Jane Park",
    )
    # Counterexamples: a sentence whose claim the cue verb gives keeps that one claim; a
    # stance read by a sentiment rating alone gives none.
    read = read_article("Jane Park said the Harbor Union endorsed the new stadium plan.")
    assert [(c.claimant.name, c.cue) for c in read.claims] == [("Jane Park", "said")]
    assert read_article("Coach Lena Vogt loathes early mornings.").claims == []


def test_a_claim_keeps_the_words_that_name_its_claimant() -> None:
    text = "Mayor Ana Ortiz met reporters on Monday. She said the tram line would open in May."
    (c,) = claims(text)
    assert c.claimant.name == "Ana Ortiz"
    assert c.claimant_mention is not None and c.claimant_mention.quote == "She"
    assert text[c.claimant_mention.start : c.claimant_mention.end] == "She"
    (c,) = claims("Fans who said the stadium was too small stayed home.")
    assert c.claimant_mention is not None and c.claimant_mention.quote == "who"
    (c,) = claims("According to federal records, the agency spent $2 million on the tram.")
    assert c.claimant_mention is not None and c.claimant_mention.quote == "federal records"


def test_a_plural_possessive_is_no_quotation_mark() -> None:
    # Two possessives made a "quotation" of the words between them: "union and the owners".
    assert claims("Coach Reyes joked about the players’ union and the owners’ lawyers.") == []
    # Counterexample: single marks around words are a quotation.
    (c,) = claims("Coach Reyes joked about ‘a bold step for the club’ on Monday.")
    assert c.content == "a bold step for the club"
