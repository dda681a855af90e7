"""Canonical targets (extractor.grounding.targets) on made-up text: a named target takes
the actor's full name; a wording takes the one fuller wording of its article that holds
all its words, and nothing is guessed when two do. Hand-written records, not a run."""

from __future__ import annotations

from extractor.evaluation.evaluate import stance_matches
from extractor.evaluation.gold import GoldStance
from extractor.grounding.targets import canonical_targets
from extractor.schemas import Actor, Evidence, Stance

TEXT = (
    "Mayor Ana Ortiz opened the session. Councilman Bob Hale backed the two-year bus fare "
    "freeze. Later Hale criticised Ortiz and the fare plan. Others want school funding, "
    "sports funding, and more funding."
)


def stance(target: str) -> Stance:
    return Stance(
        actor=Actor(name="Hale", canonical="Bob Hale", kind="person"),
        target=target,
        position="support",
        act="statement",
        evidence=[Evidence(quote="Mayor", start=0, end=5, match="exact")],
    )


def canonical(*targets: str) -> list[str | None]:
    return [s.canonical_target for s in canonical_targets([stance(t) for t in targets], TEXT)]


def test_a_named_target_takes_the_full_name_the_article_writes() -> None:
    assert canonical("Ortiz", "Mayor Ortiz") == ["Ana Ortiz", "Ana Ortiz"]


def test_a_wording_joins_the_one_fuller_wording_that_holds_its_words() -> None:
    assert canonical("the two-year bus fare freeze", "the fare plan", "the fare") == [
        "the two-year bus fare freeze",
        "the two-year bus fare freeze",
        "the two-year bus fare freeze",
    ]
    # Counterexamples: two fuller wordings that do not hold each other, and generic words.
    assert canonical("school funding", "sports funding", "more funding", "the plan") == [
        "school funding",
        "sports funding",
        "more funding",
        "the plan",
    ]


def test_the_target_itself_stays_the_sentences_words() -> None:
    (s,) = canonical_targets([stance("Ortiz")], TEXT)
    assert (s.target, s.canonical_target) == ("Ortiz", "Ana Ortiz")


def test_evaluation_matches_the_gold_on_the_target_or_its_canonical_form() -> None:
    gold = GoldStance(actor=["Bob Hale"], target="Ana Ortiz", position="support")
    (s,) = canonical_targets([stance("Ortiz")], TEXT)
    assert stance_matches(s, gold)
    assert not stance_matches(stance("Ortiz"), gold)  # the surname alone is not the gold's
