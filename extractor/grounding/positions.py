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
  "backed", "sponsored", "brokered" or "drafted" before the proposal;
- "Trump said that if he wins he would not consider putting Democrats in his cabinet",
  "the ministry said it will restore the subsidy": a reported intention, the speaker's
  own pronoun ("he", "she" for a person; "it", "they" for a body or a group) and "would"
  or "will". A negated intention is opposition to what it names ("would not consider X"
  opposes X); a position verb keeps its meaning ("will not support X" opposes X); any
  other verb names the measure ("will restore the subsidy" supports "restore the
  subsidy"), except verbs that name no measure ("would win", "will be", "would lead to");
- "He vowed to ...": a subject "he", "she" or "they", which the caller resolves to the
  speaker of the sentences before (`Reading.pronoun`).

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
# a subject pronoun, resolved by the caller ("He vowed to ...")
_PRONOUN = r"(?P<pronoun>\b(?:[Hh]e|[Ss]he|[Tt]hey)(?=\s))"
_NAME = rf"(?P<name>(?:[A-Z][\w.'’-]*\s+){{0,4}}[A-Z][\w.'’-]*(?:\s+(?:{_GROUP}))?)"
# an object's words; a title's abbreviation ("Sen. Bernie Sanders") does not end it
_WORD = r"(?:(?:Sen|Rep|Gov|Gen|Lt|Col|Dr|Mr|Mrs|Ms|St)\.|[\w'’“”\"-]+)"
_OBJ = rf"\s+(?P<obj>{_WORD}(?:\s+{_WORD}){{0,11}})"
_DIRECT = re.compile(
    rf"(?:{_PRONOUN}|{_NAME}){_GAP}\s+(?:(?P<support>{_SUPPORT_VERBS})|(?P<oppose>{_OPPOSE_VERBS})){_OBJ}"
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
# a reported intention: "<subject> said (on Monday) (that) (if ...) he would (not) <verb> ..."
_REPORT = (
    r"(?:said|says|told\s+(?:[A-Z][\w.'’-]*\s+){1,3}|added|announced|insisted|stressed|"
    r"declared|confirmed|indicated|signaled|signalled|suggested|hinted|wrote|made clear)"
)
# "would not", "won't", "will no longer", "would never"; else "would" or "will"
_MODAL = (
    r"(?:(?P<neg>(?:would|will)\s+(?:not|never|no\s+longer)|won[’']t|wouldn[’']t)|would|will)"
    r"(?:\s+(?:also|then|immediately|quickly|personally|certainly|definitely|still))?"
)
_ACT = r"(?P<act>[a-z]+(?:\s+(?:to|for|against|of|with|on))?)"
_INTENT = re.compile(
    rf"(?:{_PRONOUN}|{_NAME}){_GAP}\s+{_REPORT}(?:\s+(?:on\s+)?{_DAY})?(?:\s+that)?,?"
    r"(?:\s+(?:if|unless)\s+[^,;.“”\"]{3,120}?,?)?"
    rf"\s+(?P<self>he|she|it|they)\s+{_MODAL}\s+{_ACT}{_OBJ}"
)
# "... but would work with them", "and will restore ...": a second intention of the same subject
_AND_INTENT = re.compile(rf"\s*,?\s+(?:but|and)\s+{_MODAL}\s+{_ACT}{_OBJ}")
# verbs of an intention that name no measure: "he would win", "it will be", "would lead to"
_NO_MEASURE = frozenset(
    """
    be have get win lose need like love know see say tell think want try go come do make
    take happen continue remain stay become let look feel keep seem lead cause mean hurt
    face end work fight run beat wait hope expect rule
    """.split()
)
# verbs whose object is the measure: "would not consider X" opposes X; "would consider X" is
# no position yet; "will sign X" supports X, "will not sign X" opposes it
_WEIGH = frozenset("consider weigh entertain".split())
_ADOPT = frozenset("sign pass enact ratify implement adopt".split())
# bodies and groups, who say "it" or "they" of themselves ("the ministry said it would")
_BODY = re.compile(
    r"(?:Department|Ministry|Government|Administration|Office|Committee|Board|Council|"
    r"Commission|Party|Union|Agency|Bank|Court|Congress|Senate|House|Parliament|Kremlin|"
    rf"Assembly|Cabinet|Company|Group|Post|Times|{_GROUP})$",
    re.IGNORECASE,
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
    `target`: the object phrase, a span of the text at `target_start`; `pronoun`: the
    subject pronoun ("he") when the subject is one, for the caller to resolve; `clause`:
    whether the position is the verb of a clause, not a modifier of a noun."""

    names: tuple[str, ...]
    position: Position
    verb: str
    target: str
    target_start: int
    pronoun: str | None = None
    clause: bool = True  # False for an attributive "US-proposed ceasefire"


def read_positions(text: str, sentence: tuple[int, int]) -> list[Reading]:
    """The positions the sentence at `sentence` states in so many words (module docstring)."""
    start, end = sentence
    out: list[Reading] = []
    for pattern in (_DIRECT, _PARTICIPLE, _ATTRIBUTIVE):
        for m in pattern.finditer(text, start, end):
            subject = _subject(m, text, start)
            if subject is None:
                continue
            target = object_phrase(m.group("obj"), complement=True)
            support, oppose = m.groupdict().get("support"), m.groupdict().get("oppose")
            verb = support or oppose or ""
            if target is None or not _whole_object(verb, target):
                continue
            position: Position = "support" if support else "oppose"
            at = _span_of(text, target, m.start("obj"))
            if at is not None:
                clause = pattern is not _ATTRIBUTIVE
                out.append(Reading(subject[0], position, verb, *at, subject[1], clause))
    for m in _INTENT.finditer(text, start, end):
        subject = _subject(m, text, start)
        if subject is None or not _own_pronoun(m.group("self"), subject):
            continue
        intents = [m]
        more = _AND_INTENT.search(text, m.end("act"), end)
        if more is not None and not re.search(r"[.;:!?]", text[m.end("act") : more.start()]):
            intents.append(more)
        for i in intents:
            reading = _intent(text, i, subject)
            if reading is not None:
                out.append(reading)
    # "Berg said she would support X": the intention's reading, not a second one of "she"
    named = {r.target_start for r in out if r.names}
    return [r for r in out if r.names or r.target_start not in named]


def _subject(m: re.Match[str], text: str, start: int) -> tuple[tuple[str, ...], str | None] | None:
    """The names of a match's subject (two for "Clinton and Trump"), or its pronoun; no
    name for a participle (its subject is the sentence's speaker); None when the words
    before the verb name no one."""
    groups = m.groupdict()
    if groups.get("pronoun"):
        return (), groups["pronoun"].casefold()
    if "name" not in groups:
        return (), None
    name = speaker_name(m.group("name"), text)
    if name is None:
        return None
    first = _AND_BEFORE.search(text, start, m.start("name"))
    other = first and speaker_name(first.group(1), text)
    return ((other, name) if other else (name,)), None


def _own_pronoun(pronoun: str, subject: tuple[tuple[str, ...], str | None]) -> bool:
    """Is the pronoun after "said" the subject's own: the same pronoun ("He said he
    would"), "he"/"she" of a person, "it"/"they" of a body or a group?"""
    names, said_by = subject
    if said_by is not None:
        return pronoun == said_by
    if len(names) != 1:
        return pronoun == "they"
    return is_body(names[0]) == (pronoun in ("it", "they"))


def is_body(name: str) -> bool:
    """Is the name a body or a group, which says "it" or "they" of itself ("the US", "the
    Education Ministry", "Democratic lawmakers"), not a person?"""
    return name.casefold() in ALIASES or _BODY.search(name) is not None


def _intent(
    text: str, m: re.Match[str], subject: tuple[tuple[str, ...], str | None]
) -> Reading | None:
    """The position an intention states ("would not consider X", "will restore X")."""
    act, negated = m.group("act"), bool(m.group("neg"))
    verb = act.split()[0]
    obj = object_phrase(m.group("obj"), complement=True)
    if obj is None or verb in _NO_MEASURE or re.match(r"(?:or|and|nor)\b", m.group("obj").strip()):
        # "would renegotiate or withdraw from ...": the act is one of two, its object unread
        return None
    position: Position = "oppose" if negated else "support"
    at = _span_of(text, obj, m.start("obj"))
    if re.fullmatch(_SUPPORT_VERBS, act) or re.fullmatch(_SUPPORT_VERBS, verb):
        pass  # "will not support X" opposes X
    elif re.fullmatch(_OPPOSE_VERBS, act) or re.fullmatch(_OPPOSE_VERBS, verb):
        if negated:
            return None  # "would not block X" is no support of X
        position = "oppose"
    elif verb in _WEIGH and not negated:
        return None  # "would consider X": not yet a position
    elif verb not in _WEIGH and verb not in _ADOPT:  # the act is the measure: "will restore X"
        at = at and (text[m.start("act") : at[1] + len(at[0])], m.start("act"))
    if at is None or not _whole_object(act, at[0]):
        return None
    return Reading(subject[0], position, act, at[0], at[1], subject[1])


def _span_of(text: str, phrase: str, at: int) -> tuple[str, int] | None:
    """`phrase` as written in the text from `at` on (its spaces may be any whitespace)."""
    words = r"\s+".join(map(re.escape, phrase.split()))
    found = re.compile(words).search(text, at)
    return (found.group(), found.start()) if found is not None else None


__all__ = ["GENERIC", "Reading", "is_body", "object_phrase", "read_positions", "speaker_name"]
