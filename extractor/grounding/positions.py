"""Positions read off the words of a sentence: a named subject, a position verb, its object.

A small model sees that a sentence takes a position and still gives it to the wrong actor
(the one it named in the sentence before) or files it under "none". The commonest way news
text states a position is regular enough to read without asking:

- "the US pledged to restore military aid" / "Washington has warned of new sanctions":
  a name, at most a few auxiliaries or adverbs ("has", "also", "repeatedly"), a verb
  whose meaning is a position, and its object;
- ", urging Moscow to engage in talks": a participle after a comma, whose subject is the
  sentence's one speaker (supplied by the caller);
- "the US-proposed ceasefire", "a Kremlin-backed plan": a name joined to "proposed",
  "backed", "sponsored", "brokered" or "drafted" before the proposal.

Verbs: support for agree to/with, accept, support, back, endorse, approve, welcome,
favor, pledge/promise/vow/commit to, threaten, warn of, call for, urge, demand, propose,
push for, vote for (promising or threatening a measure is support for it); oppose for
reject, oppose, refuse to accept/back/..., vote against, condemn, denounce, veto, block.
Anything else between the name and the verb ("has not agreed", "was asked whether it
would back") reads nothing: a reading is kept only where the words leave no doubt.

The object is cut where a new clause or a prepositional tail begins (`object_phrase`, the
same cut as the agenda's proposal candidates). Every reading carries character offsets
into the text; the caller grounds it as a Stance.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractor.grounding.actors import ALIASES, TITLE_WORDS, _strip_titles
from extractor.grounding.checks import PRONOUNS
from extractor.schemas import Position

_SUPPORT_VERBS = (
    r"agree[sd]? (?:to|with)|accept(?:s|ed)?|support(?:s|ed)?|back(?:s|ed)?|endorse[sd]?|"
    r"approve[sd]?|welcome[sd]?|favou?r(?:s|ed)?|advocate[sd]?|champion(?:s|ed)?|"
    r"(?:pledge|promise|vow|commit)(?:s|d|ed|ted)? to|threaten(?:s|ed)?(?: to)?|"
    r"warn(?:s|ed)? of|call(?:s|ed)? (?:for|on)|urge[sd]?|demand(?:s|ed)?|propose[sd]?|"
    r"(?:push(?:es|ed)?|lobb(?:y|ies|ied)|campaign(?:s|ed)?|vote[sd]?) for|vote[sd]? to|"
    r"(?:come|comes|came|spoke|speaks|speak) out (?:in favou?r of|for)|"
    r"(?:is|are|was|were) in favou?r of"
)
_OPPOSE_VERBS = (
    r"reject(?:s|ed)?|oppose[sd]?|refuse[sd]? to (?:accept|back|support|endorse|sign|approve)|"
    r"(?:vote[sd]?|lobb(?:y|ies|ied)|campaign(?:s|ed)?) against|condemn(?:s|ed)?|"
    r"denounce[sd]?|veto(?:es|ed)?|block(?:s|ed)?|object(?:s|ed)? to|"
    r"(?:come|comes|came|spoke|speaks|speak) out against|(?:is|are|was|were) opposed to"
)
_SUPPORT_PARTICIPLES = (
    r"urging|calling (?:for|on)|pledging to|promising to|vowing to|threatening(?: to)?|"
    r"warning of|demanding|backing|endorsing|supporting|proposing|pushing for|voting for"
)
_OPPOSE_PARTICIPLES = (
    r"rejecting|opposing|refusing to (?:accept|back|support|endorse|sign|approve)|"
    r"condemning|denouncing|voting against|objecting to"
)
_DAY = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
_MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|"
    r"December)"
)
_GAP = (
    r"(?:\s+(?:has|have|had|also|then|again|repeatedly|previously|already|now|would|will|"
    r"formally|publicly|quickly|swiftly|strongly|firmly|flatly|once|since|both|all|"
    rf"(?:on\s+)?{_DAY}|yesterday|today))*"
)
# a name ("Ines Berg", "the US"), or a group named by a capitalised word ("Democratic
# lawmakers", "European leaders")
_GROUP = (
    r"lawmakers|legislators|leaders|officials|senators|ministers|members|activists|voters|"
    r"governments|negotiators|diplomats|unions|groups"
)
_NAME = rf"(?P<name>(?:[A-Z][\w.'’-]*\s+){{0,4}}[A-Z][\w.'’-]*(?:\s+(?:{_GROUP}))?)"
# an object's words; a title's abbreviation ("Sen. Bernie Sanders") does not end it
_WORD = r"(?:(?:Sen|Rep|Gov|Gen|Lt|Col|Dr|Mr|Mrs|Ms|St)\.|[\w'’“”-]+)"
_OBJ = rf"\s+(?P<obj>{_WORD}(?:\s+{_WORD}){{0,11}})"
_DIRECT = re.compile(
    rf"{_NAME}{_GAP}\s+(?:(?P<support>{_SUPPORT_VERBS})|(?P<oppose>{_OPPOSE_VERBS})){_OBJ}"
)
# after a comma, or after a quotation that ends in one ('... court," urging Moscow to ...')
_PARTICIPLE = re.compile(
    rf",[\"”’]?\s+(?:(?P<support>{_SUPPORT_PARTICIPLES})|(?P<oppose>{_OPPOSE_PARTICIPLES})){_OBJ}"
)
# an attributive position: "the US-proposed ceasefire", "a Kremlin-backed plan"; the
# noun phrase after it is taken as at most two words (no verb can be told from a noun here)
_ATTRIBUTIVE = re.compile(
    r"\b(?P<name>[A-Z][\w.]*)-(?P<support>proposed|backed|sponsored|brokered|drafted)"
    r"\s+(?P<obj>[\w'’-]+(?:\s+[\w'’-]+)?)"
)
# the first of two subjects joined by "and" ("Clinton and Trump have both come out ...")
_AND_BEFORE = re.compile(r"((?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w.'’-]*)\s+and\s+$")

_STOP_AT = re.compile(
    r"\s+(?:that|which|who|but|if|unless|should|after|before|because|while|when|on|in|"
    r"as|at|by|from|under|amid|despite|during|until|rather|without|and then|outright|for|with|"
    r"will|would|could|can|may|"
    r"might|is|are|was|were|has|have)\b.*",
    re.IGNORECASE,
)
GENERIC = frozenset(
    """
    the a an its their his her this that proposal proposals plan plans deal agreement idea
    measure move offer terms conditions it them one call effort efforts
    """.split()
)
_WORDS = re.compile(r"[^\W\d_][\w'-]*")


def object_phrase(raw: str) -> str | None:
    """The proposal a verb's object names: `raw` cut where a new clause or a prepositional
    tail begins, determiners and trailing joining words left out; None for a passive
    ("backed by ...") or an object made only of generic words ("the proposal")."""
    if re.match(r"(by|of|for|in|to|above|with|from)\b", raw, re.IGNORECASE):
        return None  # "backed by ...": passive, no object
    words = _STOP_AT.sub("", raw).split()
    while words and words[0].casefold() in GENERIC - {"proposal", "plan", "deal"}:
        words = words[1:]  # determiners
    while words and words[-1].casefold() in ("and", "or", "but", "of", "to", "the", "a"):
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
    tokens = _strip_titles(run.split())
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


def _whole_object(verb: str, target: str) -> bool:
    """ "Called on voters" names whom, not what: after "call on" and "urge", an object
    that is a name or a group needs its "to ..." ("urged Moscow to engage in talks")."""
    if not re.match(r"(?:call(?:s|ed|ing)? on|urg)", verb):
        return True
    return " to " in f" {target} " or not (verb.startswith("call") or target[:1].isupper())


@dataclass(frozen=True)
class Reading:
    """One position read off a sentence. `names`: the subjects as written (two for
    "Clinton and Trump"), none for a participle (its subject is the sentence's speaker);
    `target`: the object phrase, a span of the text at `target_start`."""

    names: tuple[str, ...]
    position: Position
    verb: str
    target: str
    target_start: int


def read_positions(text: str, sentence: tuple[int, int]) -> list[Reading]:
    """The positions the sentence at `sentence` states in so many words (module docstring)."""
    start, end = sentence
    out: list[Reading] = []
    for pattern in (_DIRECT, _PARTICIPLE, _ATTRIBUTIVE):
        for m in pattern.finditer(text, start, end):
            names: tuple[str, ...] = ()
            if "name" in pattern.groupindex:
                name = speaker_name(m.group("name"), text)
                if name is None:
                    continue
                first = _AND_BEFORE.search(text, start, m.start("name"))
                other = first and speaker_name(first.group(1), text)
                names = (other, name) if other else (name,)
            target = object_phrase(m.group("obj"))
            support, oppose = m.groupdict().get("support"), m.groupdict().get("oppose")
            verb = support or oppose or ""
            if target is None or not _whole_object(verb, target):
                continue
            position: Position = "support" if support else "oppose"
            words = r"\s+".join(map(re.escape, target.split()))
            at = re.compile(words).search(text, m.start("obj"))
            if at is not None:
                out.append(Reading(names, position, verb, at.group(), at.start()))
    return out


__all__ = ["GENERIC", "Reading", "object_phrase", "read_positions", "speaker_name"]
