"""What a model may be asked about one sentence, and what its choice means: read from the
parse, so that the model only chooses.

A sentence is worth asking (`Choices.cued`) when a word of it is a cue or a stance word of
the lexicon (a cue verb or noun, a stance verb, noun or adjective) or it holds a
quotation, and it names an actor: an entity of the sentence, or one its pronoun subjects or
its quotation's speaker resolve to (`reading.actors`). Its choices:

- actors: those named actors, each once, by the words the article uses;
- targets: the phrases the sentence's verbs and prepositions take (objects, clausal and
  infinitive complements, a passive's subject, a copula's subject), cut as every target
  is cut (`reading.spans.phrase`), at most `MAX_TARGETS`, those of verbs first.

A choice becomes a record here too: a stance whose target is the chosen span (its offsets
are the parse's), its act and conditions read from the verb that takes it, as for a stance
the parse reads (`stance`); a claim whose content is what the sentence's cue verb reports,
or its quotation, or the sentence (`claim`). No answer can name words the sentence does not
hold.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractor.reading.actors import KINDS, Holder, Resolver, entity_at, is_mark
from extractor.reading.claims import as_claim, quotation, reported
from extractor.reading.conditions import conditions_of
from extractor.reading.lexicon import Lexicon, Side
from extractor.reading.records import actor_of, evidence_of
from extractor.reading.spans import MAX_TOKENS, phrase
from extractor.reading.stances import ReadStance
from extractor.schemas import Act, Claim

MAX_TARGETS = 8
MIN_CHARS = 25  # shorter "sentences" are datelines, bylines and captions
# the dependents whose phrase may be a target, those a verb takes first
_TAKEN = ("dobj", "xcomp", "ccomp", "nsubjpass", "attr", "oprd")
_OBJECTS = ("pobj", "pcomp")
_SUBJECTS = ("nsubj", "nsubjpass")
# entity types that no position is taken on: when, how much, how many
_NOT_TARGETS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "QUANTITY"})


@dataclass(frozen=True)
class Cued:
    """One sentence to ask about, and what the model may choose from."""

    sent: Span
    actors: tuple[Holder, ...]
    targets: tuple[Span, ...]

    @property
    def span(self) -> tuple[int, int]:
        e = evidence_of(self.sent)
        return e.start, e.end

    def actor_names(self) -> list[str]:
        return _unique(label(h.span) for h in self.actors)

    def target_texts(self) -> list[str]:
        return _unique(label(t) for t in self.targets)

    def actor(self, name: str) -> Holder | None:
        return next((h for h in self.actors if label(h.span) == name), None)

    def target(self, text: str) -> Span | None:
        return next((t for t in self.targets if label(t) == text), None)


def label(span: Span) -> str:
    """A span as a choice of the answer schema: its words on one line, with no double
    quotation mark or backslash (a grammar-constrained server compiles each choice into
    a grammar literal; llama-cpp-python 0.3.36 escapes a quotation mark inside one badly,
    and a server given that grammar died). The record keeps the span's own text."""
    return " ".join(span.text.split()).replace('"', "'").replace("\\", "/")


class Choices:
    """The sentences of one parsed article worth asking about, and their answers read."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.doc = doc
        self.lex = lexicon
        self.resolver = Resolver(doc, lexicon)

    def cued(self, skip: list[tuple[int, int]]) -> list[Cued]:
        """Every sentence worth asking, in text order; none that overlaps `skip` (the
        character spans whose claims the parse read already)."""
        out = []
        for sent in self.doc.sents:
            start, end = sent.start_char, sent.end_char
            if any(start < b and a < end for a, b in skip):
                continue
            if len(sent.text.strip()) < MIN_CHARS or not self._has_cue(sent):
                continue
            actors = self._actors(sent)
            if actors:
                out.append(Cued(sent, actors, self._targets(sent, actors)))
        return out

    def stance(self, cued: Cued, holder: Holder, target: Span, position: Side) -> ReadStance | None:
        """The stance a model chose, as the parse would have read it: None when its actor
        sits inside its target."""
        if holder.span.start >= target.start and holder.span.end <= target.end:
            return None
        governor = _governor(target)
        conditions = conditions_of(governor, self.resolver, self.lex, target.root)
        return ReadStance(
            holder, position, self._act(governor), target, cued.sent, governor, False, conditions
        )

    def claim(self, cued: Cued, holder: Holder) -> Claim | None:
        """The sentence as a claim of `holder` (its quotation's speaker, when the parse
        names one, whoever the model chose): None when it reports no speech."""
        sent = cued.sent
        cue = next((t for t in sent if self._is_cue(t)), None)
        quoted = any(is_mark(t) for t in sent)
        if cue is None and not quoted:
            return None
        speaker = self.resolver.speaker(sent) or holder
        content = reported(cue, sent, self.lex) if cue is not None and cue.pos_ == "VERB" else None
        content = content or quotation(sent) or sent
        who = actor_of(speaker, self.doc.text)
        cue_word = cue.text if cue is not None else None
        return as_claim(who, content, cue_word, sent, speaker.span)

    # -- reading ---------------------------------------------------------------------

    def _is_cue(self, tok: Token) -> bool:
        lemma = tok.lemma_.casefold()
        return (tok.pos_ == "VERB" and lemma in self.lex.cue_verbs) or (
            tok.pos_ == "NOUN" and lemma in self.lex.cue_nouns
        )

    def _has_cue(self, sent: Span) -> bool:
        if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
            return False
        lex = self.lex
        for t in sent:
            lemma = t.lemma_.casefold()
            if is_mark(t) or self._is_cue(t) or lemma in lex.source_preps:
                return True
            if t.pos_ == "VERB" and lemma in lex.verbs:
                return True
            if t.pos_ == "NOUN" and (lemma in lex.nouns or lemma in lex.agent_nouns):
                return True
            if t.pos_ == "ADJ" and lemma in lex.adjectives:
                return True
        return False

    def _actors(self, sent: Span) -> tuple[Holder, ...]:
        found: dict[int, Holder] = {}
        for t in sent:
            span = entity_at(t)
            if span is not None and span.start not in found:
                found[span.start] = Holder(span, KINDS[span.label_])
            elif t.dep_ in _SUBJECTS and t.pos_ == "PRON":
                held = self.resolver.resolve(t)
                if held is not None:
                    found.setdefault(held.span.start, held)
        speaker = self.resolver.speaker(sent)
        if speaker is not None:
            found.setdefault(speaker.span.start, speaker)
        return tuple(found[k] for k in sorted(found))

    def _targets(self, sent: Span, actors: tuple[Holder, ...]) -> tuple[Span, ...]:
        names = {h.span.text.casefold() for h in actors}
        first: list[Span] = []
        then: list[Span] = []
        for t in sent:
            if t.dep_ in _TAKEN and t.head.pos_ in ("VERB", "AUX"):
                into = first
            elif t.dep_ in _OBJECTS:
                into = then
            else:
                continue
            if t.pos_ == "PRON" or t.is_punct or t.ent_type_ in _NOT_TARGETS:
                continue
            span = phrase(t, keep_subject=t.dep_ == "ccomp")
            words = [x for x in span if x.is_alpha and not x.is_stop]
            if not words or len(span) > MAX_TOKENS or span.text.casefold() in names:
                continue
            if all(s.start != span.start or s.end != span.end for s in (*first, *then)):
                into.append(span)
        kept = (first + then)[:MAX_TARGETS]
        return tuple(sorted(kept, key=lambda s: s.start))

    def _act(self, governor: Token) -> Act:
        entry = self.lex.verbs.get(governor.lemma_.casefold())
        if entry is None and governor.pos_ == "NOUN":
            nominal = self.lex.nouns.get(governor.lemma_.casefold())
            return nominal.act if nominal is not None else "statement"
        return entry.act if entry is not None else "statement"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _governor(target: Span) -> Token:
    """The word that takes the target: the verb of an object or complement, the word a
    preposition hangs on."""
    root = target.root
    head = root.head
    if root.dep_ in _OBJECTS and head.dep_ in ("prep", "agent"):
        return head.head
    return head if head is not root else root
