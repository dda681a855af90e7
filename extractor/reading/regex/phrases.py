"""Names and phrases in a sentence's words, as the agenda strategy's grounding needs them:
the proposal a verb's object names (`object_phrase`), the actor's name in a run of
capitalised words (`speaker_name`), and whether a name is a body or a group (`is_body`).

Positions are no longer read here: the stances a sentence states are read from its
dependency parse (extractor.reading). What is left is English string grammar the agenda's
grounding still uses for its candidates and speakers; it is the next to go.
"""

from __future__ import annotations

import re

from extractor.grounding.actors import ALIASES, TITLE_WORDS, strip_titles
from extractor.grounding.checks import PRONOUNS

_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
# a group named by a capitalised word ("Democratic lawmakers", "European leaders")
_GROUP = (
    r"lawmakers|legislators|leaders|officials|senators|ministers|members|activists|voters|"
    r"governments|negotiators|diplomats|unions|groups"
)

_BODY = re.compile(
    r"(?:Department|Ministry|Government|Administration|Office|Committee|Board|Council|"
    r"Commission|Party|Union|Agency|Bank|Court|Congress|Senate|House|Parliament|Kremlin|"
    rf"Assembly|Cabinet|Company|Group|Post|Times|{_GROUP})$",
    re.IGNORECASE,
)

_STOP_AT = re.compile(
    r"\s+(?:that|which|who|but|if|unless|should|after|before|because|while|when|on|in|"
    r"as|at|by|from|under|amid|despite|during|until|rather|without|and then|outright|for|with|"
    r"will|would|could|can|may|"
    r"might|is|are|was|were|has|have)\b.*",
    re.IGNORECASE,
)
_COMPLEMENT = re.compile(r"\s+(for|of|on|into|against|to|with)\s+(.+)", re.IGNORECASE | re.DOTALL)
_TRAILING = frozenset("and or but of to the a an in on for into with against".split())
GENERIC = frozenset(
    """
    the a an its their his her this that proposal proposals plan plans deal agreement idea
    measure move offer terms conditions it them one call effort efforts
    """.split()
)
_WORDS = re.compile(r"[^\W\d_][\w'-]*")


def object_phrase(raw: str, complement: bool = False) -> str | None:
    """The proposal a verb's object names: `raw` cut where a new clause or a prepositional
    tail begins, determiners and trailing joining words left out; None for a passive
    ("backed by ...") or an object made only of generic words ("the proposal"). With
    `complement`, an object of one word keeps the phrase its preposition begins, up to
    the next cut or a day's name: "an explanation for the minister's letter to the
    council" rather than "explanation"."""
    if re.match(r"(by|of|for|in|to|above|with|from)\b", raw, re.IGNORECASE):
        return None  # "backed by ...": passive, no object
    words = _STOP_AT.sub("", raw).split()
    if complement and len([w for w in words if w.casefold() not in GENERIC]) == 1:
        kept = re.match(r"\s*" + r"\s+".join(map(re.escape, words)), raw)
        tail = kept and _COMPLEMENT.match(raw, kept.end())
        if tail is not None:
            rest = _STOP_AT.sub("", tail.group(2))
            rest = re.split(rf"(?:^|\s+)(?:{_DAY}|{_MONTH})\b", rest)[0]
            if rest.strip():  # not "on March 11": a date is no complement
                words += [tail.group(1), *rest.split()]
    while words and words[0].casefold() in GENERIC - {"proposal", "plan", "deal"}:
        words = words[1:]  # determiners
    while words and words[-1].casefold() in _TRAILING:
        words = words[:-1]  # "a no-fly zone and": cut at the next phrase
    name = " ".join(words).strip(" ,.;:'\"“”‘’")
    if name and any(w.casefold() not in GENERIC for w in _WORDS.findall(name)):
        return name
    return None


def speaker_name(run: str, text: str) -> str | None:
    """The actor's name in a run of capitalised words before a verb ("US Secretary of
    State Marco Rubio" -> "Marco Rubio"), or None when the run is a title, a pronoun or
    a sentence opener ("However", a capitalised word the text uses once)."""
    run = re.split(r"(?<=[a-z])\.\s+", run)[-1]  # not across a sentence end
    if re.search(rf"\s(?:{_GROUP})$", run):
        return re.sub(r"^(?:The|A|An)\s+", "", run)  # "Democratic lawmakers"
    tokens = strip_titles(run.split())
    name = " ".join(tokens)
    known = name.casefold() in ALIASES  # "US", "Washington", "the Kremlin"
    if not known and (
        len(name) < 2 or name.casefold() in PRONOUNS or tokens[0].casefold() in TITLE_WORDS
    ):
        return None
    if re.fullmatch(rf"{_DAY}|{_MONTH}|Today|Tonight|Yesterday", tokens[0]):
        return None  # "said Wednesday"
    if len(tokens) == 1 and not known and text.count(name) < 2:
        return None  # a lone capitalised word said once: a sentence opener more often than not
    return name


def is_body(name: str) -> bool:
    """Is the name a body or a group, which says "it" or "they" of itself ("the US", "the
    Education Ministry", "Democratic lawmakers"), not a person?"""
    return name.casefold() in ALIASES or _BODY.search(name) is not None


__all__ = ["GENERIC", "is_body", "object_phrase", "speaker_name"]
