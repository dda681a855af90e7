"""Joining the parse's stances with the model's (extractor.grounding.confidence), on
hand-built records."""

from __future__ import annotations

from extractor.grounding.confidence import at_least, combine
from extractor.schemas import CONFIDENCE, Actor, Evidence, Stance

TEXT = "Greenpeace rejected the pipeline. Shell backed the pipeline."


def stance(actor: str, target: str, position: str, start: int, end: int, by: str) -> Stance:
    return Stance.model_validate(
        {
            "actor": Actor(name=actor, canonical=actor, kind="organization"),
            "target": target,
            "position": position,
            "act": "statement",
            "evidence": [Evidence(quote=TEXT[start:end], start=start, end=end, match="exact")],
            "read_by": by,
            "confidence": CONFIDENCE[by],
        }
    )


PARSED = stance("Greenpeace", "the pipeline", "oppose", 0, 33, "parse")


def test_what_both_found_is_one_record_read_by_both() -> None:
    model = stance("Greenpeace", "pipeline project", "oppose", 11, 32, "model")
    (joined,) = combine([PARSED], [model])
    assert (joined.read_by, joined.confidence) == ("parse+model", CONFIDENCE["parse+model"])
    assert joined.target == "the pipeline"  # the parse's words
    assert [(e.start, e.end) for e in joined.evidence] == [(0, 33), (11, 32)]


def test_a_different_position_or_actor_is_not_agreement() -> None:
    flipped = stance("Greenpeace", "the pipeline", "support", 0, 33, "model")
    other = stance("Shell", "the pipeline", "support", 34, 60, "model")
    out = combine([PARSED], [flipped, other])
    assert [(s.actor.name, s.position, s.read_by) for s in out] == [
        ("Greenpeace", "oppose", "parse"),
        ("Greenpeace", "support", "model"),
        ("Shell", "support", "model"),
    ]
    assert [s.actor.name for s in at_least(out, 0.5)] == ["Greenpeace"]
    assert len(at_least(out, 0.0)) == 3
