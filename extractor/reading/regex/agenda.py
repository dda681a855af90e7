"""The `agenda` strategy's drafts and grounding: list what is debated, then classify.

Small models are good at "who said what" and at choosing from a short list, and bad at
inventing a structure around a whole article. So an article (or a chunk of a long one) is
asked twice over:

1. **Agenda** (`AgendaDraft`): the proposals under debate, each with a quote, and the
   actors who speak or take positions. `ground_agenda` keeps the items whose quote and
   words are in the text, drops a "proposal" that is an actor's name or made of word
   fragments, and joins near-duplicates ("ceasefire", "US-backed ceasefire").
2. **Statements** (`statement_model`): one small question per sentence that carries an
   attribution or position cue (`worth_asking`). The answer's actor is chosen from the
   agenda's actors and its target from the agenda's proposals (or "none"): enums in the
   schema, so a grammar-constrained model can only choose. `ground_statements` turns the
   answer into records: a claim when the sentence reports speech, a stance when the
   statement is about an agenda item, its conditions found in the sentence or the
   sentences beside it.

Records built here obey the same contract as `extractor.grounding.records`: every Evidence slices
out of the article, and what cannot be grounded is dropped and named in the warnings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, Field, create_model
from rapidfuzz import fuzz

from extractor.grounding.actors import TITLE_WORDS, canonical_name
from extractor.grounding.checks import is_an_actor, target_problem
from extractor.grounding.locate import find_quote
from extractor.grounding.merge import normalize_target
from extractor.grounding.records import Grounded, actor, attribution_of, dropped, evidence
from extractor.reading.regex.conditions import conditional_clauses, listed_terms
from extractor.reading.regex.phrases import GENERIC, is_body, object_phrase, speaker_name
from extractor.schemas import (
    Act,
    Actor,
    Claim,
    Condition,
    ConditionKind,
    Evidence,
    Position,
    Stance,
)

NONE = "none"
MAX_PROPOSALS = 6
MAX_ACTORS = 10


class ProposalDraft(BaseModel):
    name: str = Field(description="The proposal, policy or plan, in a few words of the text.")
    quote: str = Field(description="Words copied exactly from the text that mention it.")


class AgendaDraft(BaseModel):
    """What an article debates, and who takes part."""

    proposals: list[ProposalDraft] = Field(
        default_factory=list,
        max_length=MAX_PROPOSALS,
        description="Proposals, plans, deals, policies or candidates that actors take "
        "positions on.",
    )
    actors: list[str] = Field(
        default_factory=list,
        max_length=MAX_ACTORS,
        description="People, governments and organizations who speak or take positions, "
        "named as in the text.",
    )


@dataclass(frozen=True)
class Agenda:
    """A grounded agenda: proposal names and actor names, all found in the text."""

    proposals: tuple[str, ...]
    actors: tuple[str, ...]


def ground_agenda(
    draft: AgendaDraft, text: str, window: tuple[int, int]
) -> tuple[Agenda, list[str]]:
    """The grounded agenda of one chunk, and warnings naming what was dropped."""
    warnings: list[str] = []
    actors: list[str] = []
    for name in draft.actors:
        who = actor(text, name, "other", window)
        if who is None:
            warnings.append(f"dropped actor {name!r} from the agenda: not named in the text")
        elif all(canonical_name(a, text) != who.canonical for a in actors):
            actors.append(who.name)
    for name in speakers(text, window):
        # by the name as written: "US" and "Washington" are both offered, so the model can
        # choose the one the sentence uses (records merge under the canonical name later)
        listed = any(
            canonical_name(name, text) == canonical_name(a, text)
            and re.search(rf"\b{re.escape(name)}\b", a, re.IGNORECASE)
            for a in actors
        )
        if len(actors) < MAX_ACTORS + 4 and not listed:  # "Berg" when "Ines Berg" is listed
            actors.append(name)
    proposals: list[str] = []
    for p in draft.proposals:
        why = _proposal_problem(p, text, window, actors)
        if why:
            warnings.append(f"dropped proposal {p.name!r} from the agenda: {why}")
            continue
        name = " ".join(p.name.split())
        same = next((i for i, q in enumerate(proposals) if _same_proposal(q, name)), None)
        if same is None:
            proposals.append(name)
        elif len(name) > len(proposals[same]):  # keep the fuller wording of the two
            proposals[same] = name
    for name in objects(text, window):
        if len(proposals) >= MAX_PROPOSALS + 2 or target_problem(text, name, tuple(actors)):
            continue
        if not any(_shares_subject(name, q) for q in proposals):
            proposals.append(name)
    return Agenda(tuple(proposals), tuple(actors)), warnings


_OBJECT = re.compile(
    r"\b(?:agree[sd]? (?:to|with)|accept(?:s|ed)?|reject(?:s|ed)?|support(?:s|ed)?|"
    r"oppose[sd]?|back(?:s|ed)?|endorse[sd]?|consider(?:s|ed)?|approve[sd]?|"
    r"welcome[sd]?|(?:pledge|promise|vow|threaten)(?:s|d|ed)? to|threaten(?:s|ed)?|"
    r"warn(?:s|ed)? of|call(?:s|ed)? for|demand(?:s|ed)?|propose[sd]?|push(?:es|ed)? for|"
    r"vote[sd]? (?:for|against))\s+"
    r"((?:(?:the|a|an|its|their|his|her|this|that)\s+)?[\w'-]+(?:\s+[\w'-]+){0,5})"
)


_MORE_WORDS = re.compile(r"(?:\s+[\w'’-]+){0,8}")


def objects(text: str, window: tuple[int, int], complement: bool = False) -> list[str]:
    """What the text says someone agrees to, rejects, pledges, threatens or calls for
    ("pledged to restore military aid", "warned of new tariffs"): proposal candidates a
    small model tends to leave off its agenda, found without asking it. An object made
    only of generic words ("the proposal", "the deal") names nothing and is skipped.
    `complement`: a one-word object keeps its prepositional phrase (`object_phrase`)."""
    found: list[str] = []
    for m in _OBJECT.finditer(text, *window):
        raw = m.group(1)
        if complement and (more := _MORE_WORDS.match(text, m.end(1), window[1])):
            raw += more.group()
        name = object_phrase(raw, complement)
        if name:
            found.append(name)
    return found


_WORDS = re.compile(r"[^\W\d_][\w'-]*")


def _heads(t: str) -> set[str]:
    """The content words of a wording, by their first five letters (generic words left out)."""
    return {w.casefold()[:5] for w in _WORDS.findall(t) if len(w) > 3} - {g[:5] for g in GENERIC}


def _shares_subject(a: str, b: str) -> bool:
    """Two wordings that share a content word (by its first five letters) are taken for
    the same proposal: "the ceasefire proposal" and "US-backed ceasefire"."""
    return bool(_heads(a) & _heads(b))


_SPEAKER = re.compile(
    r"((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*)\s+(?:has |have |had |also |then )?"
    r"(?:said|says|stated|told|warned|pledged|promised|vowed|urged|agreed|rejected|refused|"
    r"insisted|demanded|threatened|announced|questioned|acknowledged|stressed|proposed|"
    r"backed|endorsed|opposed|accepted|welcomed|criticized|condemned)\b"
)


# the speaker after the verb, after a quotation or a comma ('"...," said Debra Steger',
# "..., said Ines Berg") or "according to": not "Berg said Kestria supports ..."
_SPEAKER_AFTER = re.compile(
    r"(?:[,”\"’]\s*(?:said|says|added|wrote|explained|argued|noted)|\b[Aa]ccording to)\s+"
    r"(?=((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*))"  # a lookahead: the next verb may follow
)


def _up_to_sentence_end(run: str) -> str:
    """The name in a run of capitalised words after a verb, cut where a sentence ends
    ("Ron Johnson. According" -> "Ron Johnson"; "Sen. Ron Johnson" stays whole)."""
    out: list[str] = []
    for token in run.split():
        out.append(token)
        if token.endswith(".") and token.casefold() not in TITLE_WORDS:
            break
    return " ".join(out).rstrip(".")


def speakers(text: str, window: tuple[int, int]) -> list[str]:
    """Names the text puts right before a reporting or position verb ("Washington has
    warned", "the US pledged") or right after a reporting verb ('"...," said Ines Berg'),
    titles and sentence openers left out: actors a small model tends to leave off its
    list, found without asking it. In the order of the text."""
    found: list[str] = []
    for name in _speaker_names(text, window):
        if name not in found:
            found.append(name)
    return found


def _speaker_names(text: str, window: tuple[int, int]) -> list[str]:
    runs = [(m.start(), m.group(1)) for m in _SPEAKER.finditer(text, *window)]
    runs += [
        (m.start(1), _up_to_sentence_end(m.group(1)))
        for m in _SPEAKER_AFTER.finditer(text, *window)
    ]
    return [n for _, run in sorted(runs) if (n := speaker_name(run, text)) is not None]


LOOKBACK = 1000  # characters before a sentence in which its "he" or "she" is looked for
_SAID_BEFORE = re.compile(
    r"\b(?:said|says|told\s+\S+|added|suggested|insisted|stressed)\s+(?:that\s+)?"
    r"(?:he|she|they)\b"
)
_PRONOUN_OPENS = re.compile(r"\W*(He|She|They)\s")  # "He said ..."
_PRONOUN_SAYS = re.compile(r"[,”\"]\s*(he|she|they)\s+(?:said|says|added|told)\b")


def _lookback(start: int) -> int:
    return max(0, start - LOOKBACK)


def _referred(text: str, sentence: tuple[int, int]) -> Actor | None:
    """Whom a sentence whose subject or speaker is a pronoun ("He said ...", '"...," she
    said') refers to (`antecedent`), looked for up to LOOKBACK characters before it."""
    m = _PRONOUN_OPENS.match(text, *sentence) or _PRONOUN_SAYS.search(text, *sentence)
    if m is None:
        return None
    pronoun = m.group(1).casefold()
    return antecedent(text, (_lookback(sentence[0]), m.start()), pronoun)


def _same_actor(text: str, name: str, other: Actor) -> bool:
    found = actor(text, name, "other")
    return found is not None and found.canonical == other.canonical


def antecedent(text: str, window: tuple[int, int], pronoun: str) -> Actor | None:
    """Whom a subject "he", "she" or "they" at the end of `window` refers to: the last
    speaker named before it (in its own sentence, "Berg said she ...", or in the ones
    before); for "they", only a group or a body ("Democratic lawmakers", "the ministry")."""
    for name in reversed(_speaker_names(text, window)):
        if (pronoun == "they") != is_body(name):
            continue
        found = actor(text, name, "other", window, strict=True)
        if found is not None:
            return found
    return None


def _proposal_problem(
    p: ProposalDraft, text: str, window: tuple[int, int], actors: list[str]
) -> str | None:
    name = " ".join(p.name.split())
    where = find_quote(text, p.quote, window=window) if name else None
    if where is None:
        return f"quote {p.quote!r} is not in the text"
    line_start = text.rfind("\n", 0, where.start) + 1
    if _BOILERPLATE.search(text[line_start : where.end]):
        return "it is named in a caption or a link, not in the reporting"
    return target_problem(text, name, tuple(actors))


def _same_proposal(a: str, b: str) -> bool:
    na, nb = normalize_target(a), normalize_target(b)
    return na == nb or fuzz.token_set_ratio(na, nb) >= 90


# -- which sentences to ask about ------------------------------------------------------------

_CUES = re.compile(
    r"[\"“”«»]|\b("
    r"said|says|say|stated?|states|told|tells|added|noted|stressed|insisted|argued|claimed|"
    r"warn\w*|urg\w*|call\w* (for|on)|agree\w*|accept\w*|reject\w*|refus\w*|oppos\w*|"
    r"support\w*|back(s|ed|ing)?|endors\w*|approv\w*|welcom\w*|criticiz\w*|condemn\w*|"
    r"pledg\w*|promis\w*|vow\w*|threat\w*|demand\w*|propos\w*|announc\w*|indicat\w*|"
    r"acknowledg\w*|question\w*|dismiss\w*|favou?r\w*|vot\w*|veto\w*|sign\w*|"
    r"condition\w*|terms|unless|provided|as long as|only if|should \w+ (reject|refuse|fail)|"
    r"according to|believes?|wants?|hopes?|expects?|plans?|seeks?"
    r")\b",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(r"^\s*(\(?(AP|Reuters|AFP) Photo|Read more:|Related:|Photo:)", re.I)


def worth_asking(sentence: str) -> bool:
    """Does this sentence report speech or a position (a cue word or a quotation)?
    Sentences without one are skipped: they hold no attributed statement."""
    if len(sentence) < 25 or _BOILERPLATE.search(sentence):
        return False
    return _CUES.search(sentence) is not None


# -- the per-sentence answer, shaped by the agenda -------------------------------------------


def statement_model(agenda: Agenda) -> type[BaseModel]:
    """The answer schema for one sentence: actor and target are choices from the agenda.
    It is kept small on purpose: every token of the answer costs a small model's time, so
    what the program can read off the sentence itself (the reporting verb, the words of
    a claim, the kind of act) is not asked for."""
    about: Any = Literal[(*agenda.proposals, NONE)]
    of: Any = Literal[(*agenda.actors, NONE)] if agenda.actors else str
    who: Any = Literal[agenda.actors] if agenda.actors else str
    condition = create_model(
        "Condition",
        text=(str, Field(description="The condition, copied from the text.")),
        kind=(
            ConditionKind,
            Field(description="precondition, demand, guarantee, reciprocal, timing"),
        ),
        of=(of, Field(description="Who must meet it (an actor), or none.")),
    )
    item = create_model(
        "Statement",
        who=(who, Field(description="Who speaks or takes the position.")),
        about=(about, Field(description="The proposal it takes a position on, or none.")),
        position=(Position, Field(description="support, oppose, neutral or unclear")),
        conditions=(
            list[condition],
            Field(default_factory=list, max_length=3, description="Conditions attached."),
        ),
    )
    return create_model(
        "Statements",
        items=(
            list[item],
            Field(default_factory=list, max_length=3, description="Statements of the sentence."),
        ),
    )


def ground_statements(
    answer: BaseModel,
    text: str,
    sentence: tuple[int, int],
    window: tuple[int, int],
    around: tuple[int, int],
    actors: tuple[str, ...] = (),
    proposals: tuple[str, ...] = (),
) -> Grounded:
    """Records from one sentence's answer. Evidence: the sentence. The actor must be named
    in the sentence, or, when the sentence names none of the `actors` ("He said ..."), in
    the sentences before it (`window`): enough for a claim. A stance asks more: its actor
    named in the sentence itself and its item mentioned there; a condition must be found
    in the sentence or the ones beside it (`around`). A sentence that reports speech gives
    its speaker a claim, whose content is the sentence's own words (`claim_of`). No word
    list judges the model's position: its stances are marked as the model's, and the
    pipeline joins them with what the parse reads (extractor.grounding.confidence)."""
    start, end = sentence
    ev = Evidence(quote=text[start:end], start=start, end=end, match="exact")
    out = Grounded([], [], [])
    spoken = sentence_speaker(text, sentence)
    named = [a for a in actors if actor(text, a, "other", sentence, strict=True)]
    claimed: set[str] = set()
    referred = _referred(text, sentence) if not named else None
    for item in getattr(answer, "items", []):
        who = actor(text, item.who, "other", sentence if named else window, strict=True)
        if who is None and referred is not None and _same_actor(text, item.who, referred):
            who = referred  # "He said ...", whom the sentences before name
        speaker = None
        if who is None and (speaker := spoken) is not None:
            # the sentence's speaker gets the claim (its words are the sentence's own); the
            # model's reading of a position belonged to someone else, so no stance
            out.warnings.append(
                f"statement at {start}: actor {item.who!r} is not named in the sentence; "
                f"its speaker {speaker.name!r} is given the claim, and no stance"
            )
            who = speaker
        where = f"in the sentence, which names {', '.join(named)}" if named else "near it"
        label = f"statement ({item.who!r}) at {start}"
        if dropped(out, label, (who is None, f"actor {item.who!r} is not named {where}")):
            continue
        assert who is not None
        # the claim is the speaker's: the one name the sentence puts at its reporting
        # verb, when it has one, whoever the model named
        claimant = spoken or who
        claim = claim_of(claimant, ev)
        if claim is not None and claimant.canonical not in claimed:
            claimed.add(claimant.canonical)
            out.claims.append(claim)
        if (
            item.about == NONE
            or speaker is not None
            or dropped(
                out,
                f"stance ({who.name!r} {item.position} {item.about!r}) at {start}",
                (
                    actor(text, who.name, "other", sentence, strict=True) is None,
                    "the sentence itself does not name its actor",
                ),
                (
                    not _mentions(_topic_passage(text, sentence, window), item.about),
                    f"the sentence does not mention {item.about!r}",
                ),
                (
                    _named_only_inside(text, sentence, who.name, item.about),
                    "its actor is named only inside the proposal's name",
                ),
            )
        ):
            continue
        conditions = _conditions(
            item.conditions, item.about, who, text, sentence, around, actors, out
        )
        out.stances.append(
            Stance(
                actor=who,
                target=item.about,
                position=item.position,
                act=act_of(ev.quote),
                conditions=conditions,
                evidence=[ev],
            )
        )
    return out


_REFERS = re.compile(
    r"\b(?:the|this|that|its|their|his|her|our|a)\s+(?:\w+\s+)?(?:proposal|plan|deal|agreement|"
    r"offer|idea|measure|bill|truce|treaty|initiative|policy|pact|accord|ceasefire|terms)\b",
    re.IGNORECASE,
)


def _topic_passage(text: str, sentence: tuple[int, int], window: tuple[int, int]) -> str:
    """The words a stance's target must be mentioned in: the sentence, and for a quotation
    ('"We are ready to sign," she said') the sentences before it too, whose topic it
    continues."""
    start, end = sentence
    quoted = text[start:end].lstrip()[:1] in "\"“‘'"
    return text[min(window[0], start) if quoted else start : end]


def _mentions(sentence: str, target: str) -> bool:
    """Does the passage mention the target: a content word of it, or a reference to a
    proposal ("the plan", "this deal")? A model's stance on an item its sentence does not
    mention is a guess from elsewhere in the article."""
    return _shares_subject(sentence, target) or _REFERS.search(sentence) is not None


def _named_only_inside(text: str, sentence: tuple[int, int], name: str, target: str) -> bool:
    """Is every mention of `name` in the sentence part of the target's own name ("the
    partnership between the United States and the EU" names the United States, which
    takes no position by being named)?"""
    start, end = sentence
    names = [m.span() for m in re.finditer(rf"\b{re.escape(name)}\b", text[start:end])]
    targets = [m.span() for m in re.finditer(re.escape(target), text[start:end], re.I)]
    return bool(names) and all(any(a <= x and y <= b for a, b in targets) for x, y in names)


def sentence_speaker(text: str, sentence: tuple[int, int]) -> Actor | None:
    """The one name the sentence puts before a reporting or position verb ("Washington
    has warned ..."), or None when it has none or several."""
    return _the_one_actor(text, speakers(text, sentence), sentence)


def _the_one_actor(text: str, names: Iterable[str], span: tuple[int, int]) -> Actor | None:
    """The one actor (by canonical name) of `names` named inside `span`, or None when
    none or several are."""
    found = {a.canonical: a for n in names if (a := actor(text, n, "other", span, strict=True))}
    return next(iter(found.values())) if len(found) == 1 else None


def _conditions(
    asked: list[Any],
    target: str,
    who: Actor,
    text: str,
    sentence: tuple[int, int],
    around: tuple[int, int],
    actors: tuple[str, ...],
    out: Grounded,
) -> list[Condition]:
    """A stance's conditions: the model's, where their words are in the sentence or the
    ones beside it, and those the text states in a form `extractor.reading.regex.conditions`
    reads (a conditional clause in the sentence; a list of terms in it, or in the next sentence
    when this one announces conditions or terms)."""
    start, end = sentence

    def actor_in(a: int, b: int) -> Actor | None:
        return _the_one_actor(text, actors, (a, b))

    conditions: list[Condition] = []
    for c in asked:
        cev = evidence(text, c.text, around)
        if dropped(
            out,
            f"condition {c.text!r} of {who.name!r} at {start}",
            (cev is None, "its words are not in the sentence or the ones beside it"),
            (cev is not None and cev.quote == text[start:end], "it is the whole sentence"),
            (_shares_subject(c.text, target), f"it is the stance's target {target!r}"),
            (
                _names_an_actor(text, c.text, (*actors, who.name)),
                "it names an actor, not a condition",
            ),
        ):
            continue
        assert cev is not None
        required = None if c.of in (NONE, None) else actor(text, c.of, "other")
        conditions.append(
            Condition(text=cev.quote, kind=c.kind, required_of=required, evidence=[cev])
        )
    read = conditional_clauses(text, sentence, actor_in) + listed_terms(text, sentence, actor_in)
    if around[1] > end and _ANNOUNCES.search(text, start, end):
        read += listed_terms(text, (end, around[1]), actor_in)
    for c in read:
        if not _overlaps_any(c, conditions):
            conditions.append(c)
    return conditions


def _join_conditions(read: list[Condition], asked: list[Condition]) -> list[Condition]:
    """The conditions read off the words, with the model's that add to them: a model's
    condition on the same words gives only the actor who must meet it, when the words'
    reading found none ("if the state covers the cost" and the model's "of": "state")."""
    out = list(read)
    for c in asked:
        same = next((i for i, r in enumerate(out) if _overlaps_any(c, [r])), None)
        if same is None:
            out.append(c)
        elif out[same].required_of is None and c.required_of is not None:
            out[same] = out[same].model_copy(update={"required_of": c.required_of})
    return out


def _overlaps_any(c: Condition, others: list[Condition]) -> bool:
    span = (c.evidence[0].start, c.evidence[0].end)
    return any(_overlap(span, (e.start, e.end)) for k in others for e in k.evidence)


def _names_an_actor(text: str, phrase: str, actors: tuple[str, ...]) -> bool:
    """Is the phrase a name ("Wallonia", "the Belgian region of Wallonia") rather than
    something that must happen?"""
    if is_an_actor(text, phrase, actors):
        return True
    m = _NAMED_PLACE.match(phrase.strip())
    return m is not None and any(m.group(1) == a.split()[-1] for a in actors if a)


_NAMED_PLACE = re.compile(
    r"^(?:the\s+)?(?:[A-Z][\w.'-]*\s+)*(?:region|state|province|city|country|government|"
    r"people|nation|republic)\s+of\s+(?:the\s+)?([A-Z][\w.'-]*)$",
    re.IGNORECASE,
)


_ANNOUNCES = re.compile(r"\b(conditions?|terms|demands|requirements|preconditions)\b", re.I)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


# -- what the sentence itself says: cue, content, act ------------------------------------------

_REPORTING = re.compile(
    r"\b(according to|said|says|say|stated|states|told|tells|added|noted|stressed|insisted|"
    r"maintained|argued|claimed|warned|warns|urged|urges|acknowledged|questioned|asked|"
    r"announced|declared|confirmed|denied|pledged|promised|vowed|threatened|demanded|"
    r"called|indicated|suggested|explained|wrote|writes|replied|agreed|rejected|refused|"
    r"expressed|believes|believed)\b",
    re.IGNORECASE,
)
_QUOTE = re.compile(r"[\"“«]([^\"”»]{3,})[\"”»]")
_ACTS: tuple[tuple[str, Act], ...] = (
    (r"pledg|promis|vow|commit", "pledge"),
    (r"threat|sanction", "threat"),
    (r"warn", "warning"),
    (r"demand|urg|insist|call(s|ed)? (for|on)", "demand"),
    (r"\bpropos(e|ed|es|ing)\b", "proposal"),
    (r"\?|question", "question"),
)


# what stands between a reporting verb and the words said: "on Monday", "that"
_LEAD = re.compile(
    r"^\s*(?:(?:on\s+)?(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\s+|(?:yesterday|today)\s+)?"
    r"(?:that|of|to)?\s*"
)


def cue_of(sentence: str) -> str | None:
    """The sentence's first reporting verb ("said", "warned", "according to"), or None."""
    m = _REPORTING.search(sentence)
    return m.group(0) if m else None


def claim_of(who: Actor, ev: Evidence) -> Claim | None:
    """A claim when the sentence reports speech: a reporting verb or a quotation. Its
    content is extractive: the quoted words, else the words after the reporting verb
    (a PolNeAR-style Content span), so it can never say what the sentence does not."""
    sentence = ev.quote
    cue = cue_of(sentence)
    quoted = [m.group(1).strip(" ,.") for m in _QUOTE.finditer(sentence)]
    if not cue and not quoted:
        return None
    if not quoted and re.search(rf"\b{re.escape(cue or '')}\s+by\b", sentence):
        return None  # "rejected by the region": a passive, not speech
    if quoted:
        content = " ... ".join(quoted)
    else:
        assert cue is not None
        at = sentence.casefold().index(cue.casefold())
        after = _LEAD.sub("", sentence[at + len(cue) :]).strip(" ,.")
        before = sentence[: sentence.rfind(",", 0, at)] if "," in sentence[:at] else ""
        # "The plan is dead, Berg said Monday.": the words are before the speaker
        content = before.strip(" ,.") if len(after.split()) < 4 and before else after
        content = content or sentence
    return Claim(
        claimant=who,
        content=content,
        cue=cue,
        attribution=attribution_of(sentence),
        evidence=[ev],
    )


def act_of(sentence: str) -> Act:
    """What kind of act the sentence reports, from its wording; "statement" by default."""
    folded = sentence.casefold()
    return next((act for pattern, act in _ACTS if re.search(pattern, folded)), "statement")


def word_targets(stances: list[Stance], text: str) -> list[Stance]:
    """Each stance's target in the words its own sentences use. A stance's target is first
    the agenda item it was filed under (so that sentences filed under one item merge);
    here it becomes the fullest mention of that item in the stance's evidence: the object
    of a position verb that shares the item's subject ("agreed to the truce proposal"
    under the item "truce"), else the item as written. A reader then sees the proposal as
    the article words it where the actor takes the position."""
    out = []
    for s in stances:
        found = [
            o
            for e in s.evidence
            for o in objects(text, (e.start, e.end), complement=True)
            if _shares_subject(o, s.target)
        ]
        best = max(found, key=lambda o: len(_WORDS.findall(o)), default=None)
        if best is not None:
            s = s.model_copy(update={"target": best})
        out.append(s)
    return out


def resolve_conflicts(stances: list[Stance]) -> tuple[list[Stance], list[str]]:
    """One position per actor and target in an article: where merged stances disagree, the
    position with the most evidence wins (the first in the text on a tie), and each
    dropped position is named in the warnings. The dropped positions' conditions are
    dropped with them: a condition of a reading that lost is no condition of the other."""
    groups: dict[tuple[str, str], list[Stance]] = {}
    for s in stances:
        groups.setdefault((s.actor.canonical, normalize_target(s.target)), []).append(s)
    kept: list[Stance] = []
    warnings: list[str] = []
    for group in groups.values():
        best = max(group, key=lambda s: (len(s.evidence), -s.evidence[0].start))
        for s in group:
            if s is best:
                continue
            warnings.append(
                f"dropped stance ({s.actor.name!r} {s.position} {s.target!r}): the article's "
                f"other sentences give {best.position} ({len(best.evidence)} vs {len(s.evidence)})"
            )
        kept.append(best)
    return sorted(kept, key=lambda s: s.evidence[0].start), warnings


__all__ = [
    "Agenda",
    "AgendaDraft",
    "ground_agenda",
    "ground_statements",
    "resolve_conflicts",
    "statement_model",
    "word_targets",
    "worth_asking",
]
