"""Turn model drafts into grounded records: offsets computed here, inventions dropped.

Every Evidence built here satisfies `text[start:end] == quote`. A record whose actor or
main quote cannot be found in the article is dropped and named in the warnings; a
condition that cannot be found is dropped from its stance, also with a warning.
"""

from __future__ import annotations

import functools
import os.path
import re
from typing import TYPE_CHECKING, NamedTuple

from extractor.actors import canonical_name
from extractor.grounding import Span, find_name, find_quote
from extractor.schemas import Actor, ActorKind, Attribution, Claim, Condition, Evidence, Stance

if TYPE_CHECKING:  # drafts import `problems` from here to validate themselves
    from extractor.drafts import ArticleDraft, SentenceDraft

Window = tuple[int, int] | None


class Grounded(NamedTuple):
    stances: list[Stance]
    claims: list[Claim]
    warnings: list[str]


def problems(
    text: str,
    *,
    names: list[str],
    quotes: list[str],
    window: Window,
    targets: tuple[str, ...] = (),
    strict: bool = False,
) -> list[str]:
    """Why these names, quotes and targets are not grounded; empty when they all are."""
    found = [
        f"target {t!r} is not about anything in the text: name the proposal in the text's words"
        for t in targets
        if not target_in_text(text, t)
    ]
    found += [
        f"actor {n!r} is not named in the text: use a name the text uses, or omit the record"
        for n in names
        if _name_span(text, n, window, strict) is None
    ]
    found += [
        f"quote {q!r} is not in the article: copy the article's words exactly"
        for q in quotes
        if find_quote(text, q, window=window) is None
    ]
    return found


_STOP = frozenset(
    """
    the and for with from that this its their into over
    """.split()
)


@functools.lru_cache(maxsize=1024)  # asked when validating and again when grounding
def target_in_text(text: str, target: str) -> bool:
    """At least half of the target's content words occur in the text (as word starts, so
    "sanctions" finds "sanction"); guards against targets the model made up."""
    words = [w for w in re.findall(r"[^\W\d_]{3,}", target.casefold()) if w not in _STOP]
    if not words:
        return False
    seen = sum(bool(re.search(rf"\b{re.escape(w[:6])}", text, re.IGNORECASE)) for w in words)
    return seen * 2 >= len(words)


_WORD = re.compile(r"[^\W\d_][\w'-]*")


def target_problem(text: str, target: str, actors: tuple[str, ...] = ()) -> str | None:
    """Why `target` is no proposal of this text, or None. Dropped: words the text does not
    have ("politikulitevrozniakiego": fragments a small model glues together), and a
    target that is one of the actors ("Marco Rubio support 'US Secretary of State Marco
    Rubio'"), a passage too long to name a proposal, and a phrase cut at a joining word
    ("and negotiate", "a no-fly zone and")."""
    if not target_in_text(text, target):
        return f"target {target!r} is not in the article"
    fragments = [w for w in _WORD.findall(target) if len(w) > 3 and not _word_in(w, text)]
    if fragments:
        return f"target {target!r}: {', '.join(map(repr, fragments))} is not a word of the text"
    who = canonical_name(target, text).casefold()
    if any(a and who == canonical_name(a, text).casefold() for a in actors):
        return f"target {target!r} is an actor, not a proposal"
    words = target.split()
    if len(words) > MAX_TARGET_WORDS:
        return f"target {target!r} is a passage ({len(words)} words), not the name of a proposal"
    if _CUT.search(target):
        return f"target {target!r} is a cut phrase (it begins or ends with a joining word)"
    return None


MAX_TARGET_WORDS = 14
_JOINING = r"(?:and|or|but|nor|of|to|for|with|by|from|in|on|at|as|than|that|which|who)"
_CUT = re.compile(rf"^\s*{_JOINING}\b|\b(?:{_JOINING}|the|a|an)\s*[,;:]?\s*$", re.IGNORECASE)


@functools.lru_cache(maxsize=4096)
def _word_in(word: str, text: str) -> bool:
    """`word` is a word of the text, or shares most of its beginning with one ("restoring"
    and "restore"; not "regroupmente" and "regroup")."""
    w = word.casefold()
    for m in re.finditer(rf"\b{re.escape(w[:4])}[\w'-]*", text, re.IGNORECASE):
        other = m.group().casefold()
        common = len(os.path.commonprefix([w, other]))  # noqa: RUF071 - strings, on purpose
        if common >= 0.6 * max(len(w), len(other)):
            return True
    return False


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


PRONOUNS = frozenset(
    """
    i we you he she it they him her them his its their who this that
    """.split()
)
MAX_NAME_WORDS = 8


def _name_span(text: str, name: str | None, window: Window, strict: bool) -> Span | None:
    """Where the article names this actor; with `strict`, only inside the window.
    A pronoun or a whole clause is not a name, even when the article contains it."""
    words = (name or "").split()
    if not words or len(words) > MAX_NAME_WORDS or " ".join(words).casefold() in PRONOUNS:
        return None
    if not strict or window is None:
        return find_name(text, name, window=window)
    span = find_name(text[window[0] : window[1]], name)
    return span and Span(span.start + window[0], span.end + window[0], span.match, span.score)


def actor(
    text: str, name: str | None, kind: ActorKind, window: Window = None, strict: bool = False
) -> Actor | None:
    span = _name_span(text, name, window, strict)
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
        if _drop(
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
            if _drop(
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
    for c in draft.claims:
        who = actor(text, c.claimant, c.claimant_kind, window)
        ev = evidence(text, c.quote, window)
        if _drop(
            out,
            f"claim ({c.claimant!r}: {c.content!r})",
            (who is None, f"claimant {c.claimant!r} is not named in the article"),
            (ev is None, f"quote {c.quote!r} is not in the article"),
            (
                ev is not None and not target_in_text(ev.quote, c.content),
                "its content is not what the quote says",
            ),
        ):
            continue
        assert who is not None and ev is not None
        out.claims.append(
            Claim(
                claimant=who,
                content=c.content,
                cue=_cue(c.cue, ev.quote),
                attribution=c.attribution,
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
        if _drop(
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
            if not _drop(
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
        if _drop(
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


def _drop(out: Grounded, label: str, *checks: tuple[bool, str]) -> bool:
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
