"""Claims read from the parse: who says what, the way quotation extractors read it (a
source, a cue, a content span), with no model.

A claim is a cue verb of the lexicon (`cue_verbs`: say, tell, argue ...), its source
(its subject, or the one it shares with the verb it is coordinated with or a participle
of, `subject_of`; resolved to a named actor by the `Resolver`: the entity, a pronoun's last
mention, the speaker of a quotation; the actor a possessive or compound names, "Putin's
comments", "his statement"; else a source the article describes, "the Republican
lawmaker", "officials", "voters who said", "several of the polls", as written, kind
"other"), and the words it reports:

- its clausal complement (`ccomp`) without its complementizer, wherever it stands: "X
  said (that) [the plan is dead]", "[The plan is dead], X said"; else its infinitive
  complement ("promised [to build a stadium]");
- else the quotation in its sentence ("X said: “...”", a quotation the parser leaves
  outside the verb's subtree, or opened in it and left open: it goes on after it);
- else its direct object, unless the verb addresses it (`address_cues`: "told the
  crowd") or it names an actor: "announced plans to close the plant";
- "according to X" (the lexicon's `source_preps`) gives X the clause it is attached to,
  X a named actor or a described one ("according to federal records");
- a cue noun (`cue_nouns`: claim, warning, statement ...) gives its owner its "that"
  clause: "X's claim that ...", "her warning that ...".

A stance the parse reads through a listed stance word ("X endorsed Y", "X rejected the
plan") is an attribution too, as attribution corpora annotate it (source, cue, content):
where no claim stands for its sentence, it gives its actor a claim whose cue is the
stance word and whose content is its target (`stance_claims`).

A verb with nothing reported ("X said on Monday") is no claim, nor is a cue verb under
negation ("X did not say ..."), nor one whose complement opens with an auxiliary (an
inverted condition the parser took for a complement: "warned of sanctions should the
council refuse"). A sentence wholly inside quotation marks, with no cue of
its own, right after a claim that quoted, continues that claim: one claim, one more
evidence item. Evidence is the sentence, from the parse's own offsets (exact by
construction); the content is the reported words, so a claim never says more than the
article.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from extractor.grounding.actors import canonical_name
from extractor.grounding.records import attribution_of
from extractor.reading.actors import Holder, Resolver, entity_at, is_mark, subject_of
from extractor.reading.lexicon import Lexicon
from extractor.reading.records import actor_of, evidence_of
from extractor.reading.stances import ReadStance
from extractor.schemas import Actor, Claim

_QUANTITIES = ("PRON", "DET", "NUM", "ADJ")  # "all", "several", "one", "many" of ...
_EDGE = "\"'“”‘’«»,.:;!?()[]- \n"


def read_claims(doc: Doc, lexicon: Lexicon) -> list[Claim]:
    """The article's claims, in text order."""
    resolver = Resolver(doc, lexicon)
    text = doc.text
    out: list[Claim] = []
    last_quoted: Claim | None = None
    for sent in doc.sents:
        if not any(t.is_alpha for t in sent):  # a closing quotation mark left on its own
            continue
        found = [c for tok in sent if (c := _claim_at(tok, sent, resolver, lexicon, text))]
        if found:
            out.extend(found)
            last_quoted = found[-1] if _has_quote(sent) else None
            continue
        if last_quoted is not None and _inside_quotes(sent):
            last_quoted.evidence.append(evidence_of(sent))
            continue
        last_quoted = None
    return out


def _claim_at(
    tok: Token, sent: Span, resolver: Resolver, lexicon: Lexicon, text: str
) -> Claim | None:
    if tok.lower_ in lexicon.source_preps and tok.dep_ == "prep":
        return _according_to(tok, sent, resolver, text)
    if tok.pos_ == "NOUN" and tok.lemma_.casefold() in lexicon.cue_nouns:
        return _noun_claim(tok, sent, resolver, text)
    if tok.pos_ != "VERB" or tok.lemma_.casefold() not in lexicon.cue_verbs:
        return None
    if any(c.dep_ == "neg" for c in tok.children):
        return None
    content = reported(tok, sent, lexicon)
    if content is None:
        return None
    subjects = [c for c in tok.children if c.dep_ == "nsubj"]
    if not subjects and (inherited := subject_of(tok)) is not None:
        subjects = [inherited]  # "X praised Y and said ...", "X signed it, saying ..."
    for subject in subjects:  # a misparse may give the verb two
        holders = resolver.resolve_all(subject) or _owner(subject, resolver)
        if holders:
            who = actor_of(holders[0], text)
            return as_claim(who, content, tok.text, sent, mention(subject, sent))
    if not subjects and (owners := _owner(tok, resolver)):  # "her warning that ..."
        return as_claim(actor_of(owners[0], text), content, tok.text, sent, owners[0].span)
    for subject in subjects:
        described = _described(subject, resolver, text)
        if described is not None:
            return as_claim(described, content, tok.text, sent, mention(subject, sent))
    return None


def _noun_claim(noun: Token, sent: Span, resolver: Resolver, text: str) -> Claim | None:
    """ "X's claim that ...", "his warning that ...": a cue noun of the lexicon
    (`cue_nouns`), its owner the source, its "that" clause the content."""
    owners = _owner(noun, resolver)
    for c in noun.children:
        if c.dep_ in ("acl", "ccomp") and any(m.lower_ == "that" for m in c.children):
            content = _clause(c, sent.doc)
            if owners and content is not None:
                who = actor_of(owners[0], text)
                return as_claim(who, content, noun.text, sent, owners[0].span)
    return None


def _owner(subject: Token, resolver: Resolver) -> list[Holder]:
    """The actor whose words the subject names: "Putin's comments", "his statement", "the
    Lee campaign's letter" (a possessive or a compound that resolves to an actor)."""
    for c in subject.children:
        if c.dep_ in ("poss", "compound"):
            found = resolver.resolve(c)
            if found is not None:
                return [found]
    return []


def _described(subject: Token, resolver: Resolver, text: str) -> Actor | None:
    """A source the article describes without a name ("the Republican lawmaker told Fox
    News", "officials said", "according to federal records"): the noun with its
    determiner and modifiers, as written. A relative pronoun describes its antecedent
    ("voters who said ..."); a quantity describes its "of" phrase with it ("several of the
    latest polls show ...", "all of my friends say ...")."""
    if subject.lower_ in resolver.lex.relative_pronouns and subject.head.dep_ == "relcl":
        antecedent = subject.head.head
        return _described(antecedent, resolver, text) if antecedent is not subject else None
    if subject.pos_ != "NOUN":
        part = next((c for c in subject.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        whole = next((o for o in part.children if o.dep_ == "pobj"), None) if part else None
        if whole is None or whole.pos_ != "NOUN" or subject.pos_ not in _QUANTITIES:
            return None
        name = subject.doc[subject.left_edge.i : whole.i + 1].text
        return Actor(name=name, canonical=canonical_name(name, text), kind="other")
    start = min([subject.i, *(c.left_edge.i for c in subject.lefts)])
    name = subject.doc[start : subject.i + 1].text
    return Actor(name=name, canonical=canonical_name(name, text), kind="other")


def _according_to(prep: Token, sent: Span, resolver: Resolver, text: str) -> Claim | None:
    """ "According to X, ...": X says the clause the phrase is attached to, minus it."""
    source = next((c for c in prep.subtree if c.dep_ == "pobj"), None)
    if source is None:
        return None
    holder = resolver.resolve(source)
    if holder is not None:
        who: Actor | None = actor_of(holder, text)
    elif source.tag_ == "NNS" or any(c.dep_ in ("det", "amod", "poss") for c in source.children):
        who = _described(source, resolver, text)  # "according to federal records"
    else:
        who = None  # "according to plan": a bare singular noun is a manner, not a source
    clause = prep.head
    if who is None or clause.pos_ not in ("VERB", "AUX"):
        return None
    words = [t for t in clause.subtree if not (prep.left_edge.i <= t.i <= prep.right_edge.i)]
    content = _trimmed(sent.doc, words[0].i, words[-1].i + 1) if words else None
    if content is None:
        return None
    cue = sent.doc[prep.i : prep.i + 2].text  # "according to"
    return as_claim(who, content, cue, sent, mention(source, sent))


def reported(verb: Token, sent: Span, lexicon: Lexicon) -> Span | None:
    """What `verb` reports: its clausal complement, else its sentence's quotation, else its
    direct object ("announced plans to close the plant", "questioned the need for it"),
    unless the verb's object is whom it addresses (`address_cues`: "told the crowd") or
    names an actor ("announced Bob Stone as its chief")."""
    for c in verb.children:
        if c.dep_ == "ccomp":
            if sent.doc[c.left_edge.i].pos_ == "AUX":
                return None  # "warned of sanctions [should Russia refuse]": a condition
            return _clause(c, sent.doc)
    for c in verb.children:
        if c.dep_ == "xcomp":  # "promised to build a stadium", "asked voters to reject it"
            return _trimmed(sent.doc, c.left_edge.i, c.right_edge.i + 1)
    quoted = quotation(sent)
    if quoted is not None and not (quoted.start <= verb.i < quoted.end):
        return quoted
    if verb.lemma_.casefold() in lexicon.address_cues:
        return None
    for c in verb.children:
        if c.dep_ == "dobj" and c.pos_ == "NOUN" and c.ent_type_ == "" and c.i > verb.i:
            return _trimmed(sent.doc, c.left_edge.i, c.right_edge.i + 1)
    return None


def _clause(head: Token, doc: Doc) -> Span | None:
    """The clause `head` heads, without its complementizer ("said [that] ...")."""
    start = head.left_edge.i
    while start < head.i and doc[start].dep_ == "mark":
        start += 1
    return _trimmed(doc, start, head.right_edge.i + 1)


def quotation(sent: Span) -> Span | None:
    """The longest stretch of `sent` between two quotation marks, or from an opening mark
    left open to the sentence's end (a quotation that goes on in the next sentences)."""
    marks = [t.i for t in sent if is_mark(t)]
    if len(marks) % 2:
        marks.append(sent.end)
    best: Span | None = None
    for a, b in zip(marks[::2], marks[1::2], strict=False):
        span = _trimmed(sent.doc, a + 1, b)
        if span is not None and (best is None or len(span) > len(best)):
            best = span
    return best


def _trimmed(doc: Doc, start: int, end: int) -> Span | None:
    """doc[start:end] without punctuation and quotation marks at its edges; None when
    fewer than three words are left."""
    while start < end and _at_edge(doc[start]):
        start += 1
    while end > start and _at_edge(doc[end - 1]):
        end -= 1
    span = doc[start:end]
    return span if sum(t.is_alpha for t in span) >= 3 else None


def _at_edge(tok: Token) -> bool:
    return tok.is_space or tok.text in _EDGE


def _has_quote(sent: Span) -> bool:
    return any(is_mark(t) for t in sent)


def _inside_quotes(sent: Span) -> bool:
    """The sentence continues a quotation: it opens with a quotation mark."""
    words = [t for t in sent if not t.is_space]
    return bool(words) and is_mark(words[0])


def as_claim(
    who: Actor, content: Span, cue: str | None, sent: Span, named: Span | None = None
) -> Claim:
    """`who` says `content` (a span of `sent`), by `cue`; the sentence is the evidence, and
    `named` the words that name or refer to `who` there (kept only inside `sent`)."""
    passage = sent.text.strip()
    kept = named if named is not None and _within(named, sent) else None
    return Claim(
        claimant=who,
        content=content.text.strip(),
        cue=cue,
        attribution=attribution_of(passage),
        evidence=[evidence_of(sent)],
        claimant_mention=evidence_of(kept) if kept is not None else None,
    )


def _within(span: Span, sent: Span) -> bool:
    return sent.start <= span.start and span.end <= sent.end


def mention(tok: Token | None, sent: Span) -> Span | None:
    """The words of `sent` that `tok` heads as a source: the entity it is part of, else
    the token with its determiner and modifiers ("he", "who", "the agency", "Her
    campaign"); None when `tok` lies outside `sent`."""
    if tok is None or not (sent.start <= tok.i < sent.end):
        return None
    named = entity_at(tok)
    if named is not None:
        return named
    start = min([tok.i, *(c.left_edge.i for c in tok.lefts)])
    return tok.doc[max(start, sent.start) : tok.i + 1]


def stance_claims(stances: list[ReadStance], claims: list[Claim], text: str) -> list[Claim]:
    """A claim for each stance read through a listed stance word (not by a sentiment
    rating) in a sentence no claim of `claims` stands for, one per actor and sentence."""
    said = [(e.start, e.end) for c in claims for e in c.evidence]
    out: list[Claim] = []
    seen: set[tuple[int, str]] = set()
    for read in stances:
        start, end = read.sentence.start_char, read.sentence.end_char
        if read.rated or any(a < end and start < b for a, b in said):
            continue
        who = actor_of(read.actor, text)
        if (start, who.canonical) in seen:
            continue
        seen.add((start, who.canonical))
        span, sent = read.actor.span, read.sentence
        named = span if _within(span, sent) else mention(subject_of(read.trigger), sent)
        out.append(as_claim(who, read.target, read.trigger.text, read.sentence, named))
    return out
