"""Conditions read off a parse: the clauses and phrases on which a stance depends.

A condition hangs on the stance's verb or on a verb above it in the sentence (the cue verb
of "said it would agree if ..."): an adverbial or coordinated clause opened by a condition
mark ("if", "unless", "as long as", "provided"), a clause opened by an inverted auxiliary
("should Russia reject the deal"), a phrase opened by a condition preposition ("in exchange
for"), or, after a contrast ("but"), a clause of the same actor that says what must happen
("but said Kyiv must first withdraw"). A stance taken "under conditions" or "on terms"
takes the items the next sentence lists as its terms ("Its terms include X, Y and Z").
What the condition is worded as comes from the clause itself, without its mark.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from extractor.reading.actors import Holder, Resolver
from extractor.reading.lexicon import Lexicon
from extractor.reading.spans import phrase
from extractor.schemas import ConditionKind

_CLAUSES = ("advcl", "conj", "ccomp")


@dataclass(frozen=True)
class ReadCondition:
    span: Span
    kind: ConditionKind
    required_of: Holder | None


def conditions_of(
    trigger: Token, resolver: Resolver, lexicon: Lexicon, target: Token | None = None
) -> list[ReadCondition]:
    """The conditions of the stance whose trigger is `trigger`, in text order; a target
    that is a clause brings its own ("ready to sign once the flow is guaranteed")."""
    found: dict[int, ReadCondition] = {}
    if target is not None and target.pos_ in ("VERB", "AUX") and target is not trigger:
        # the target clause and the verbs coordinated with it ("to pass the budget and cut
        # taxes if revenue grows")
        verbs = [
            target,
            *(c for c in target.children if c.dep_ == "conj" and c.tag_ == target.tag_),
        ]
        for c in (x for v in verbs for x in v.children):
            read = _clause(c, resolver, lexicon)
            if read is not None:
                found[read.span.start] = read
    inside = {t.i for t in trigger.subtree} - {trigger.i}
    for head in [trigger, *trigger.ancestors]:
        for c in head.children:
            if c.i in inside and head is not trigger:
                continue
            if trigger in c.subtree and c is not trigger:
                continue
            read = _clause(c, resolver, lexicon) or _prep(c, lexicon)
            if read is not None and read.span.start not in found:
                found[read.span.start] = read
        if head.pos_ in ("VERB", "AUX") and head.dep_ not in (*_CLAUSES, "xcomp"):
            break  # the main clause of the stance: what is above it is another
    for read in listed_terms(trigger, lexicon):
        found.setdefault(read.span.start, read)
    return [found[k] for k in sorted(found)]


def listed_terms(trigger: Token, lexicon: Lexicon) -> list[ReadCondition]:
    """ "agreed ... under specific conditions. Its terms include X, Y and Z": X, Y, Z."""
    words = lexicon.conditions
    verb = trigger if trigger.pos_ in ("VERB", "AUX") else trigger.head
    said = any(
        p.dep_ == "prep"
        and p.lower_ in words.term_preps
        and any(o.dep_ == "pobj" and o.lemma_.casefold() in words.term_nouns for o in p.children)
        for p in verb.children
    )
    doc = trigger.doc
    nxt = trigger.sent.end
    if not said or nxt >= len(doc):
        return []
    root = doc[nxt].sent.root
    subj = next((c for c in root.children if c.dep_ == "nsubj"), None)
    if (
        root.lemma_.casefold() not in words.term_verbs
        or subj is None
        or subj.lemma_.casefold() not in words.term_nouns
    ):
        return []
    first = next((c for c in root.children if c.dep_ in ("dobj", "attr")), None)
    if first is None:
        return []
    items = [first]
    for item in items:  # the list: conjuncts, and appositions a parser makes of its commas
        items += [c for c in item.children if c.dep_ in ("conj", "appos") and c not in items]
    items.sort(key=lambda t: t.i)
    out = []
    for i, item in enumerate(items):
        end = items[i + 1].left_edge.i if i + 1 < len(items) else phrase(item).end
        span = doc[item.left_edge.i : end]
        while len(span) > 1 and (span[-1].is_punct or span[-1].dep_ == "cc"):
            span = span[:-1]
        out.append(ReadCondition(span, "demand", None))
    return out


def condition_mark(clause: Token, lexicon: Lexicon) -> tuple[ConditionKind, int] | None:
    """The kind of condition a clause states, and where its own words start, if its opening
    words are a condition mark."""
    words = lexicon.conditions
    first = clause.left_edge.i
    doc = clause.doc
    opening = [t for t in doc[first : clause.i] if not t.is_punct and t.dep_ != "cc"]
    lowered = [t.lower_ for t in opening]
    for mark, kind in sorted(words.multiword_marks.items(), key=lambda kv: -len(kv[0])):
        parts = mark.split()
        if lowered[: len(parts)] == parts:
            return kind, opening[len(parts) - 1].i + 1
    for c in clause.children:
        if c.dep_ == "mark" and c.lower_ in words.marks and c.i < clause.i:
            return words.marks[c.lower_], c.i + 1
    if opening and opening[0].lower_ in words.inverted_auxiliaries and opening[0].dep_ == "aux":
        subj = [c for c in clause.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subj and opening[0].i < subj[0].i:
            return "precondition", opening[0].i + 1
    return None


def _clause(c: Token, resolver: Resolver, lexicon: Lexicon) -> ReadCondition | None:
    if c.dep_ not in _CLAUSES or c.pos_ not in ("VERB", "AUX"):
        return None
    marked = condition_mark(c, lexicon)
    if marked is not None:
        kind, start = marked
        span = phrase(c, keep_subject=True)
        span = c.doc[max(span.start, start) : span.end]
        return _read(span, kind, c, resolver)
    comp = contrast_demand(c, lexicon)
    if comp is not None:
        return _read(phrase(comp, keep_subject=True), "demand", comp, resolver)
    return None


def contrast_demand(c: Token, lexicon: Lexicon) -> Token | None:
    """ "..., but said Kyiv must withdraw": after a contrast, the clause saying what must
    happen, which is a condition of the stance before it."""
    # spaCy hangs the "but" on the first conjunct, before the second.
    contrast = [*c.children, *(t for t in c.head.children if t.dep_ == "cc" and t.i < c.i)]
    if c.dep_ == "conj" and any(
        t.dep_ == "cc" and t.lower_ in lexicon.conditions.contrast_words for t in contrast
    ):
        for comp in [c, *(x for x in c.children if x.dep_ == "ccomp")]:
            if any(
                a.dep_ == "aux" and a.lower_ in lexicon.conditions.modals for a in comp.children
            ):
                return comp
    return None


def _prep(c: Token, lexicon: Lexicon) -> ReadCondition | None:
    if c.dep_ != "prep":
        return None
    words = [c]
    t = c
    while len(words) < 4:
        nxt = next((x for x in t.children if x.dep_ in ("pobj", "prep", "amod")), None)
        if nxt is None:
            break
        key = " ".join(w.lower_ for w in words)
        if key in lexicon.conditions.preps:
            break
        words.append(nxt)
        t = nxt
    key = " ".join(w.lower_ for w in words)
    if key not in lexicon.conditions.preps:
        return None
    obj = next((x for x in words[-1].children if x.dep_ in ("pobj", "pcomp")), None)
    if obj is None:
        return None
    return ReadCondition(phrase(obj), lexicon.conditions.preps[key], None)


def _read(span: Span, kind: ConditionKind, clause: Token, resolver: Resolver) -> ReadCondition:
    subj = next((x for x in clause.children if x.dep_ in ("nsubj", "nsubjpass")), None)
    holder = resolver.resolve(subj) if subj is not None else None
    return ReadCondition(span, kind, holder)
