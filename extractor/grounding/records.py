"""Turn model drafts into grounded records: offsets computed here, inventions dropped.

Every Evidence built here satisfies `text[start:end] == quote`. A record whose actor or
main quote cannot be found in the article is dropped and named in the warnings; a
condition that cannot be found is dropped from its stance, also with a warning.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from extractor.grounding.actors import canonical_name
from extractor.grounding.checks import Window, name_span, target_in_text, target_problem
from extractor.grounding.drafts import ArticleDraft, SentenceDraft
from extractor.grounding.locate import find_quote
from extractor.schemas import Actor, ActorKind, Attribution, Claim, Condition, Evidence, Stance


class Grounded(NamedTuple):
    stances: list[Stance]
    claims: list[Claim]
    warnings: list[str]


def evidence(text: str, quote: str, window: Window = None) -> Evidence | None:
    span = find_quote(text, quote, window=window)
    if span is None:
        return None
    found = text[span.start : span.end]
    return Evidence(
        quote=found,
        start=span.start,
        end=span.end,
        match=span.match,
        model_quote=None if found == quote else quote,
    )


def actor(
    text: str, name: str | None, kind: ActorKind, window: Window = None, strict: bool = False
) -> Actor | None:
    span = name_span(text, name, window, strict)
    if span is None or name is None:
        return None
    # The name as the article writes it: the fuller form ("Vladimir Putin") when the
    # article has it, else the part that matched ("Putin").
    full = find_quote(text, name, window=window)
    if full is not None and full.match != "fuzzy":
        span = full
    written = text[span.start : span.end]
    return Actor(name=written, canonical=canonical_name(written, text), kind=kind)


def ground_article(draft: ArticleDraft, text: str, window: Window = None) -> Grounded:
    out = Grounded([], [], [])
    for s in draft.stances:
        who = actor(text, s.actor, s.actor_kind, window)
        ev = evidence(text, s.quote, window)
        if dropped(
            out,
            f"stance ({s.actor!r} on {s.target!r})",
            (who is None, f"actor {s.actor!r} is not named in the article"),
            (ev is None, f"quote {s.quote!r} is not in the article"),
            (bool(off := target_problem(text, s.target, (s.actor,))), off or ""),
        ):
            continue
        assert who is not None and ev is not None
        conditions = []
        for c in s.conditions:
            cev = evidence(text, c.quote, window)
            if dropped(
                out,
                f"condition {c.text!r} of {s.actor!r}",
                (cev is None, f"quote {c.quote!r} is not in the article"),
            ):
                continue
            assert cev is not None
            required = actor(text, c.required_of, "other", window)
            conditions.append(
                Condition(text=c.text, kind=c.kind, required_of=required, evidence=[cev])
            )
        out.stances.append(
            Stance(
                actor=who,
                target=s.target,
                position=s.position,
                act=s.act,
                conditions=conditions,
                evidence=[ev],
            )
        )
    for cl in draft.claims:
        who = actor(text, cl.claimant, cl.claimant_kind, window)
        ev = evidence(text, cl.quote, window)
        if dropped(
            out,
            f"claim ({cl.claimant!r}: {cl.content!r})",
            (who is None, f"claimant {cl.claimant!r} is not named in the article"),
            (ev is None, f"quote {cl.quote!r} is not in the article"),
            (
                ev is not None and not target_in_text(ev.quote, cl.content),
                "its content is not what the quote says",
            ),
        ):
            continue
        assert who is not None and ev is not None
        out.claims.append(
            Claim(
                claimant=who,
                content=cl.content,
                cue=_cue(cl.cue, ev.quote),
                attribution=cl.attribution,
                evidence=[ev],
            )
        )
    return out


def ground_sentence(
    draft: SentenceDraft, text: str, sentence: tuple[int, int], window: Window
) -> Grounded:
    """Records from one sentence; their evidence is the sentence the model was asked about,
    and their actors must be named in it or in its context (the window)."""
    start, end = sentence
    ev = Evidence(quote=text[start:end], start=start, end=end, match="exact")
    out = Grounded([], [], [])
    for s in draft.stances:
        who = actor(text, s.actor, s.actor_kind, window, strict=True)
        if dropped(
            out,
            f"stance ({s.actor!r} on {s.target!r}) at {start}",
            (who is None, f"actor {s.actor!r} is not named in the sentence or its context"),
            (bool(off := target_problem(text, s.target, (s.actor,))), off or ""),
        ):
            continue
        assert who is not None
        conditions = []
        if s.condition:
            cev = evidence(text, s.condition, window)
            if not dropped(
                out,
                f"condition {s.condition!r} at {start}",
                (cev is None, "its words are not in the text"),
            ):
                assert cev is not None
                conditions.append(Condition(text=s.condition, kind="other", evidence=[cev]))
        out.stances.append(
            Stance(
                actor=who,
                target=s.target,
                position=s.position,
                act=s.act,
                conditions=conditions,
                evidence=[ev],
            )
        )
    for c in draft.claims:
        who = actor(text, c.claimant, c.claimant_kind, window, strict=True)
        if dropped(
            out,
            f"claim ({c.claimant!r}: {c.content!r}) at {start}",
            (who is None, f"claimant {c.claimant!r} is not named in the sentence or its context"),
            (not target_in_text(ev.quote, c.content), "its content is not what the sentence says"),
        ):
            continue
        assert who is not None
        out.claims.append(
            Claim(
                claimant=who,
                content=c.content,
                cue=_cue(c.cue, ev.quote),
                attribution=attribution_of(ev.quote),
                evidence=[ev],
            )
        )
    return out


def dropped(out: Grounded, label: str, *checks: tuple[bool, str]) -> bool:
    """Record a warning naming every failed check; True when the record must go."""
    reasons = [why for failed, why in checks if failed]
    if reasons:
        out.warnings.append(f"dropped {label}: " + "; ".join(reasons))
    return bool(reasons)


_QUOTED = re.compile(r"[\"“«]([^\"”»]{3,})[\"”»]")


def attribution_of(passage: str) -> Attribution:
    """direct when quotation marks hold most of the passage, mixed when some, else indirect."""
    quoted = sum(len(m.group(1)) for m in _QUOTED.finditer(passage))
    if not quoted:
        return "indirect"
    return "direct" if quoted >= 0.6 * len(passage) else "mixed"


def _cue(cue: str | None, passage: str) -> str | None:
    """Keep the reporting verb only when the passage contains it."""
    if not cue or not cue.strip():
        return None
    cue = cue.strip()
    return cue if re.search(rf"\b{re.escape(cue)}\b", passage, re.IGNORECASE) else None
