"""Hand-made dated runs for the timeline tests (not model output): short articles written
for these tests, one stance per sentence. Offsets are computed from the text."""

from __future__ import annotations

import hashlib

from extractor.schemas import Actor, ArticleInfo, ArticleResult, Condition, Evidence, Stance


def _ev(text: str, quote: str) -> Evidence:
    start = text.index(quote)
    return Evidence(quote=quote, start=start, end=start + len(quote), match="exact")


def actor(name: str) -> Actor:
    return Actor(name=name, canonical=name, kind="person")


def stance(
    text: str,
    who: str,
    target: str,
    position: str,
    quote: str,
    conditions: tuple[str, ...] = (),
) -> Stance:
    """A stance whose evidence is `quote`; each condition's text is also its quote."""
    return Stance(
        actor=actor(who),
        target=target,
        position=position,  # type: ignore[arg-type]
        act="statement",
        conditions=[
            Condition(text=c, kind="precondition", evidence=[_ev(text, c)]) for c in conditions
        ],
        evidence=[_ev(text, quote)],
    )


def result(id: str, date: str | None, text: str, stances: list[Stance]) -> ArticleResult:
    return ArticleResult(
        article=ArticleInfo(
            id=id,
            path=f"{id}.txt",
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            title=text.split(".")[0],
            date=date,
            chars=len(text),
        ),
        stances=stances,
        model="hand-made",
        strategy="agenda",
        prompt_version="hand-made",
    )


T1 = "Lind backs the 30-day ceasefire if the shelling stops. Moro rejects the ceasefire deal."
T2 = (
    "Lind said she supports the ceasefire if the shelling stops and prisoners are exchanged. "
    "Moro still opposes the truce."
)
T3 = "Lind now opposes the ceasefire deal. Moro says he could accept the 30-day ceasefire."
T4 = "Lind supports the ceasefire without conditions, a second paper reports."
T5 = "Moro backs the tram extension."


def negotiation() -> list[ArticleResult]:
    """Four dated articles and one undated: Lind's conditional yes gains a condition
    (10-02), turns into no (10-03) while another paper has her yes the same day; Moro
    restates his no in other words (10-02), then moves to yes (10-03)."""
    return [
        result(
            "a1",
            "2016-10-01",
            T1,
            [
                stance(
                    T1,
                    "Lind",
                    "30-day ceasefire",
                    "support",
                    "Lind backs the 30-day ceasefire",
                    ("the shelling stops",),
                ),
                stance(
                    T1, "Moro", "the ceasefire deal", "oppose", "Moro rejects the ceasefire deal."
                ),
            ],
        ),
        result(
            "a2",
            "2016-10-02",
            T2,
            [
                stance(
                    T2,
                    "Lind",
                    "the ceasefire",
                    "support",
                    "Lind said she supports the ceasefire",
                    ("the shelling stops", "prisoners are exchanged"),
                ),
                stance(T2, "Moro", "the truce", "oppose", "Moro still opposes the truce."),
            ],
        ),
        result(
            "a3",
            "2016-10-03",
            T3,
            [
                stance(
                    T3,
                    "Lind",
                    "the ceasefire deal",
                    "oppose",
                    "Lind now opposes the ceasefire deal.",
                ),
                stance(
                    T3,
                    "Moro",
                    "30-day ceasefire",
                    "support",
                    "Moro says he could accept the 30-day ceasefire.",
                ),
            ],
        ),
        result(
            "a4",
            "2016-10-03",
            T4,
            [stance(T4, "Lind", "ceasefire", "support", "Lind supports the ceasefire")],
        ),
        result("u1", None, T5, [stance(T5, "Moro", "the tram extension", "support", T5)]),
    ]
