"""Who a clause is about: its subject, followed to a named entity.

`subject_of` finds the token that holds a verb's position (its subject; a passive verb's
agent; for a verb without a subject of its own, the subject or object it inherits through
`conj`, `xcomp`, an infinitival adverbial clause or a relative clause). `resolve` follows
that token to an entity of the pipeline's NER (PERSON, ORG, GPE, NORP): the entity itself,
one in its compound, possessive or apposition, a relative pronoun's antecedent, a
third-person pronoun's last mention, a first-person pronoun's speaker (the subject of a
cue verb such as "said" in the sentence or next to a quotation), or a definite
description of a role the article gave one named actor ("the Republican nominee",
`role_holder`); a name the NER tagged
only in part is completed from the parse. `resolve_all` adds the names coordinated or
listed with it.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from extractor.reading.lexicon import Lexicon
from extractor.schemas import ActorKind

KINDS: dict[str, ActorKind] = {
    "PERSON": "person",
    "ORG": "organization",
    "GPE": "state",
    "NORP": "group",
}
SUBJECTS = ("nsubj", "nsubjpass", "csubj")


@dataclass(frozen=True)
class Holder:
    """A named actor: the entity span of its mention, and its kind."""

    span: Span
    kind: ActorKind


def entity_at(tok: Token) -> Span | None:
    """The actor entity that `tok` is part of, if any: not punctuation, not a line in
    capitals (a headline's "OBAMA FOCUSED" is not a name)."""
    if tok.ent_type_ not in KINDS or not tok.is_alpha:
        return None
    doc = tok.doc
    start = tok.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = tok.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    while start < end - 1 and not doc[start].is_alpha:
        start += 1
    while end - 1 > start and not doc[end - 1].is_alpha:
        end -= 1
    span = Span(doc, start, end, label=tok.ent_type_)
    if len(span) > 1 and all(t.is_upper for t in span if t.is_alpha):
        return None
    return span


def subject_of(verb: Token) -> Token | None:
    """The token holding `verb`'s position, or None."""
    subjects = [c for c in verb.children if c.dep_ in ("nsubj", "csubj")]
    if subjects:
        # Two subjects are a misparse, most often of a dateline ("Boston (AP) - The Red Sox
        # rejected ..."): the one nearest the verb before it holds the position.
        before = [c for c in subjects if c.i < verb.i]
        return before[-1] if before else subjects[0]
    for c in verb.children:
        if c.dep_ == "agent":
            for o in c.children:
                if o.dep_ == "pobj":
                    return o
    if any(c.dep_ == "nsubjpass" for c in verb.children):
        return None  # a passive verb without its agent: who holds it is not said
    head = verb.head
    if head is verb:
        return None
    if verb.dep_ == "xcomp":
        # "persuaded him to back": object control; "decided to back": the head's subject;
        # "is expected to back", "was persuaded by Y to back": the passive head's subject.
        for c in head.children:
            if c.dep_ == "dobj":
                return c
        raised = next((c for c in head.children if c.dep_ == "nsubjpass"), None)
        if raised is not None:  # "was persuaded by Y to back": not Y
            return raised
        return subject_of(head)
    if verb.dep_ in ("conj", "acomp"):  # "X backed and signed it"; "X was opposed to"
        return subject_of(head)
    if verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children):
        return subject_of(head)  # "X went on to praise Y", "X moved to block Y"
    if (
        verb.dep_ == "advcl"
        and verb.tag_ == "VBG"
        and not any(c.dep_ == "mark" for c in verb.children)
    ):
        # "X said that ..., urging Y to act": the participle is the sayer's.
        return subject_of(head.head if head.dep_ == "ccomp" else head)
    if verb.dep_ in ("relcl", "acl") and head.pos_ in ("PROPN", "NOUN"):
        if head.dep_ == "attr" and head.head.pos_ in ("VERB", "AUX"):
            # "X became the latest paper to endorse Y": the copula's subject
            return subject_of(head.head) or head
        return head
    return None


class Resolver:
    """Resolves subject tokens of one parsed article to named actors."""

    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.doc = doc
        self.lex = lexicon
        self._role_pairs: list[tuple[Token, Span]] | None = None
        self._genders: dict[str, str] | None = None
        self._inside: list[bool] | None = None
        self._surnames: set[str] | None = None

    def resolve(self, tok: Token, depth: int = 0) -> Holder | None:
        if depth > 3:
            return None
        described = self._described_name(tok)
        if described is not None:
            return Holder(described, KINDS[described.label_])
        span = entity_at(tok) or self._named_elsewhere(tok) or self._named_by_structure(tok)
        if span is not None:
            span = self._as_person(span)
            if span.label_ == "NORP" and tok.tag_ in ("NNS", "NNPS") and span.end == tok.i + 1:
                # "some high-profile Republicans", "Senate Democrats": the group as described
                return Holder(_described_group(tok, span.start), "group")
            return Holder(span, KINDS[span.label_])
        low = tok.lower_
        if low in self.lex.relative_pronouns and tok.head.dep_ == "relcl":
            return self.resolve(tok.head.head, depth + 1)
        if tok.dep_ == "appos" and tok.pos_ == "NOUN" and tok.head.pos_ in ("NOUN", "PROPN"):
            # "Ana Ortiz, a nurse who backed the plan": the name the description is of
            return self.resolve(tok.head, depth + 1)
        if tok.dep_ == "conj" and tok.pos_ in ("NOUN", "PROPN") and tok.head.pos_ == "NOUN":
            # "X is a liar, xenophobe and racist who ...": the first description's
            return self.resolve(tok.head, depth + 1)
        if tok.dep_ == "attr" and tok.pos_ == "NOUN" and tok.head.lemma_ == "be":
            # "Ana Ortiz is a nurse who backed the plan": the subject the noun describes
            subj = subject_of(tok.head)
            if subj is not None and subj.pos_ != "PRON":
                return self.resolve(subj, depth + 1)
        if low in self.lex.speaker_pronouns:
            return self.speaker(tok.sent)
        if low in self.lex.person_pronouns:
            return self.last_mention(tok, ("PERSON",))
        if low in self.lex.group_pronouns:
            return self.last_mention(tok, ("ORG", "GPE", "NORP"))
        if tok.pos_ == "NOUN" and tok.tag_ == "NNS":
            # "Democratic lawmakers", "European leaders": a group named by its modifier
            mods = [c for c in tok.children if c.dep_ in ("amod", "compound")]
            if any(m.ent_type_ == "NORP" for m in mods):
                start = min(m.left_edge.i for m in mods if m.ent_type_ == "NORP")
                return Holder(_described_group(tok, start), "group")
        if (
            tok.pos_ == "NOUN"
            and tok.tag_ == "NNS"
            and tok.lemma_.casefold() in self.lex.group_nouns
            and any(
                c.dep_ in ("amod", "compound", "poss")
                and c.lemma_.casefold() not in self.lex.quantifiers
                for c in tok.lefts
            )
        ):
            # "U.S. intelligence officials", "her closest advisers": a described group
            return Holder(_described_group(tok, tok.i), "group")
        if tok.pos_ == "NOUN" and tok.lemma_.casefold() in self.lex.naming_nouns:
            # "the Belgian region of Wallonia": the noun names its "of" phrase's entity
            for c in tok.children:
                if c.dep_ == "prep" and c.lower_ == "of":
                    obj = next((o for o in c.children if o.dep_ == "pobj"), None)
                    if obj is not None and (span := entity_at(obj)) is not None:
                        return Holder(span, KINDS[span.label_])
        if tok.pos_ in ("NOUN", "PROPN"):
            # "his spokesman, Dmitry Peskov": the apposition names the actor. A compound or a
            # possessive does not ("Clinton supporters", "Trump's critics").
            for c in tok.children:
                if c.dep_ == "appos" and (span := entity_at(c)) is not None:
                    return Holder(span, KINDS[span.label_])
        role = self.role_holder(tok)
        if role is not None:
            return Holder(role, KINDS[role.label_])
        return None

    def role_holder(self, tok: Token) -> Span | None:
        """The named actor a definite description stands for by its role: "the Republican
        nominee" after "Republican presidential nominee Donald Trump" or "Donald Trump, the
        Republican nominee". The description's head noun must be the role's head word (a
        compound or an apposition of the name), its modifiers words of that role, and one
        named actor only must hold such a role earlier in the article; a role with an "of"
        phrase ("the president of the bank") names its own office, and an indefinite one
        ("a nominee") no one."""
        if tok.pos_ != "NOUN" or tok.ent_type_ or any(c.dep_ == "prep" for c in tok.children):
            return None
        if not any(
            (c.dep_ == "det" and c.lower_ in ("the", "this", "that")) or c.dep_ == "poss"
            for c in tok.children
        ):
            return None
        mods = {c.lower_ for c in tok.children if c.dep_ in ("amod", "compound")}
        lemma = tok.lemma_.casefold()
        holders: dict[str, Span] = {}
        for role, ent in self._roles():
            if ent.end > tok.i or role.lemma_.casefold() != lemma:
                continue
            words = {t.lower_ for t in role.subtree if not (ent.start <= t.i < ent.end)}
            if mods <= words:
                holders[ent.root.lower_] = ent
        return next(iter(holders.values())) if len(holders) == 1 else None

    def _roles(self) -> list[tuple[Token, Span]]:
        """(role head word, named actor) pairs of the article: "nominee Donald Trump",
        "Donald Trump, the nominee", "the nominee, Donald Trump"."""
        if self._role_pairs is None:
            pairs: list[tuple[Token, Span]] = []
            for ent in self.doc.ents:
                if ent.label_ not in KINDS:
                    continue
                root = ent.root
                pairs += [
                    (c, ent)
                    for c in root.children
                    if c.dep_ in ("compound", "appos")
                    and c.pos_ in ("NOUN", "PROPN")
                    and not (ent.start <= c.i < ent.end)
                ]
                if root.dep_ == "appos" and root.head.pos_ == "NOUN":
                    pairs.append((root.head, ent))
            self._role_pairs = pairs
        return self._role_pairs

    def _described_name(self, tok: Token) -> Span | None:
        """ "The Harbor Fund, the super PAC backing Lee": a description with a determiner
        in apposition to a name is that name, even where the NER tags a word of the
        description ("PAC") as an entity of its own."""
        if tok.dep_ != "appos" or not any(c.dep_ == "det" for c in tok.children):
            return None
        return entity_at(tok.head)

    def resolve_all(self, tok: Token) -> list[Holder]:
        """`tok` and the subjects coordinated or listed with it ("Spain and Portugal",
        "Ana Ortiz, Bob Stone and Tom Reed"); a pronoun
        that is the subject of what a cue verb reports is that verb's subject ("both
        candidates, Clinton and Trump, say they ...")."""
        low = tok.lower_
        antecedent = tok.head.head
        if (
            low in self.lex.relative_pronouns
            and tok.head.dep_ == "relcl"
            and antecedent.dep_ == "appos"
            and antecedent.head.pos_ in ("NOUN", "PROPN")
        ):
            # "Ana Ortiz and Tom Reed, longtime advocates who backed it": all the names
            return self.resolve_all(antecedent.head)
        if low in self.lex.person_pronouns | self.lex.group_pronouns:
            said = self._reported_by(tok)
            if said:
                return said
        if low in self.lex.plural_pronouns:
            listed = self._last_list(tok)
            if listed:
                return listed
        heads = [tok, *tok.conjuncts]
        named = entity_at(tok)
        if named is None:
            for c in tok.children:
                if c.dep_ == "appos" and entity_at(c) is not None:
                    heads = [c, *c.conjuncts, *tok.conjuncts]
                    break
        else:
            heads += _listed_with(heads, named.label_)
        out: list[Holder] = []
        for t in heads:
            found = self.resolve(t)
            if found is not None and all(h.span.start != found.span.start for h in out):
                out.append(found)
        return out

    def _reported_by(self, pronoun: Token) -> list[Holder]:
        """The speakers of the cue verb whose reported clause `pronoun` is the subject of."""
        clause = pronoun.head
        cue = clause.head
        if clause.dep_ != "ccomp" or cue.lemma_.casefold() not in self.lex.cue_verbs:
            return []
        subj = next((c for c in cue.children if c.dep_ == "nsubj"), None)
        if subj is None or subj.pos_ == "PRON":
            return []
        found = self.resolve_all(subj)
        if pronoun.lower_ in self.lex.person_pronouns:
            found = [h for h in found if h.kind == "person"]
        return found

    def _last_list(self, pronoun: Token) -> list[Holder]:
        """The names of the nearest earlier subject that lists several ("Ana Ortiz and Tom
        Reed ... They"), within the last three sentences, unless a named group comes after
        it (then the pronoun is that group's, as `last_mention` finds it)."""
        window = max(0, pronoun.sent.start - 3 * max(1, len(pronoun.sent)))
        for t in reversed(self.doc[window : pronoun.i]):
            if t.dep_ not in SUBJECTS or t.pos_ == "PRON":
                continue
            listed = self.resolve_all(t)
            if len(listed) < 2:
                continue
            group = self.last_mention(pronoun, ("ORG", "GPE", "NORP"))
            if group is not None and group.span.start > max(h.span.start for h in listed):
                return []
            return listed
        return []

    def _named_elsewhere(self, tok: Token) -> Span | None:
        """A proper noun the NER missed here but tagged elsewhere in the article ("Ortiz"
        after "Ana Ortiz"): the same actor, with that mention's label."""
        if tok.pos_ != "PROPN":
            return None
        for ent in self.doc.ents:
            if ent.label_ in KINDS and any(t.text == tok.text for t in ent):
                return Span(self.doc, tok.i, tok.i + 1, label=ent.label_)
        return None

    def _named_by_structure(self, tok: Token) -> Span | None:
        """A name the NER tagged only in part, from the parse: a surname whose first name is
        a PERSON ("Sally Yates" with only "Sally" tagged), or a proper noun coordinated with
        a named actor, which takes that actor's label ("Cummings and Conyers" with only
        "Conyers" named)."""
        if tok.pos_ != "PROPN" or not tok.is_alpha or tok.is_upper:
            return None
        first = [
            c
            for c in tok.children
            if c.dep_ == "compound" and c.ent_type_ == "PERSON" and c.i < tok.i
        ]
        if first and all(t.pos_ == "PROPN" for t in self.doc[first[0].i : tok.i]):
            start = first[0].i
            while start > 0 and self.doc[start].ent_iob_ == "I":
                start -= 1
            return Span(self.doc, start, tok.i + 1, label="PERSON")
        partners = [*tok.conjuncts]
        for p in partners:
            named = entity_at(p) or self._named_elsewhere(p)
            if named is not None:
                start = tok.i
                while (
                    start > 0
                    and self.doc[start - 1].dep_ == "compound"
                    and self.doc[start - 1].head.i == tok.i
                    and self.doc[start - 1].pos_ == "PROPN"
                    and self.doc[start - 1].is_alpha
                    and self.doc[start - 1].is_title
                ):
                    start -= 1
                return Span(self.doc, start, tok.i + 1, label=named.label_)
        return None

    def last_mention(self, tok: Token, labels: tuple[str, ...]) -> Holder | None:
        """The nearest earlier entity with one of `labels`, within the last three sentences,
        preferring one that was a subject."""
        sent_start = tok.sent.start
        window = max(0, sent_start - 3 * max(1, len(tok.sent)))
        best: Span | None = None
        gender = self.lex.pronoun_genders.get(tok.lower_)
        titled = self._titled()
        for ent in map(self._as_person, reversed(self.doc.ents)):
            if ent.end > tok.i or ent.start < window or ent.label_ not in labels:
                continue
            if gender is not None and titled.get(ent[-1].lower_, gender) != gender:
                continue  # "she" is not "Mr. Burr"
            if ent.root.dep_ in SUBJECTS:
                best = ent
                break
            if best is None:
                best = ent
        return Holder(best, KINDS[best.label_]) if best is not None else None

    def _as_person(self, span: Span) -> Span:
        """A one-word name the NER labels otherwise here but that is the surname of a
        person it names in full elsewhere ("Shenefield says" after "Michele Shenefield")
        is that person."""
        if span.label_ == "PERSON" or len(span) != 1:
            return span
        if self._surnames is None:
            self._surnames = {
                e[-1].text for e in self.doc.ents if e.label_ == "PERSON" and len(e) > 1
            }
        if span.text in self._surnames:
            return Span(self.doc, span.start, span.end, label="PERSON")
        return span

    def _titled(self) -> dict[str, str]:
        """Surname -> gender, from the titles the article gives names ("Mrs. Clinton");
        a surname titled both ways ("Mr. and Mrs. Obama") has none."""
        if self._genders is None:
            found: dict[str, set[str]] = {}
            for ent in self.doc.ents:
                before = self.doc[ent.start - 1] if ent.start > 0 else None
                title = self.lex.title_genders.get(before.lower_) if before is not None else None
                if ent.label_ == "PERSON" and title is not None:
                    found.setdefault(ent[-1].lower_, set()).add(title)
            self._genders = {k: next(iter(v)) for k, v in found.items() if len(v) == 1}
        return self._genders

    def speaker(self, sent: Span) -> Holder | None:
        """Who says `sent`: the named subject of a cue verb in it outside quotation marks;
        else, when the sentence is quoted, or sits inside a quotation that runs over several
        sentences, of such a cue verb in the nearest sentence of its paragraph, or in the
        sentence after or before it. A cue verb inside the quotation ("'... because Putin
        believes ...,' said Ben Sasse") reports someone else's words, not whose these are."""
        found = self._cue_speaker(sent)
        if found is not None or not self.in_quotation(sent):
            return found
        start, end = self._paragraph(sent)
        others, i = [], start
        while i < end:  # the other sentences that lie within the paragraph
            here = self.doc[i].sent
            if here.start != sent.start and start <= here.start and here.end <= end:
                others.append(here)
            i = here.end
        others.sort(key=lambda s: abs(s.start - sent.start))
        for other in [*others, _neighbour(sent, 1), _neighbour(sent, -1)]:
            if other is not None and (found := self._cue_speaker(other)) is not None:
                return found
        return None

    def in_quotation(self, sent: Span) -> bool:
        """`sent` holds a quotation mark or lies inside a quotation of its paragraph."""
        return _quoted(sent) or self._quoting()[sent.start]

    def _quoting(self) -> list[bool]:
        """For each token, whether it lies inside double quotation marks: straight marks
        toggle, curly ones open and close; a line break ends any quotation."""
        if self._inside is None:
            inside: list[bool] = []
            state = False
            for t in self.doc:
                if t.is_space and "\n" in t.text:
                    state = False
                if t.text in _OPENING:
                    state = True
                elif t.text in _CLOSING:
                    state = False
                elif t.text == '"':
                    state = not state
                inside.append(state)
                if "\n" in t.whitespace_:
                    state = False
            self._inside = inside
        return self._inside

    def _paragraph(self, sent: Span) -> tuple[int, int]:
        """The token range of the line that holds `sent`."""
        doc = self.doc
        start = sent.start
        while start > 0 and not ("\n" in doc[start - 1].whitespace_ or doc[start - 1].is_space):
            start -= 1
        end = sent.end
        while end < len(doc) and not doc[end].is_space and "\n" not in doc[end - 1].whitespace_:
            end += 1
        return start, end

    def _cue_speaker(self, sent: Span) -> Holder | None:
        quoting = self._quoting()
        for t in sent:
            if quoting[t.i] and not is_mark(t):
                continue  # a cue verb inside a quotation: the words of whom it quotes
            if t.pos_ == "VERB" and t.lemma_.casefold() in self.lex.cue_verbs:
                subj = next((c for c in t.children if c.dep_ == "nsubj"), None)
                if subj is None or subj.lower_ in self.lex.speaker_pronouns:
                    continue
                found = self.resolve(subj, depth=1)
                if found is not None:
                    return found
        return None


def _listed_with(heads: list[Token], label: str) -> list[Token]:
    """The other names of a list a parser hangs as an apposition and its conjuncts ("Ana
    Ortiz, Bob Stone, Lisa Park and Tom Reed": Stone an apposition of Ortiz, Park and Reed
    conjuncts of Stone): an apposition that is an entity of the same label as the first
    name, and its conjuncts. An apposition that describes ("Ana Ortiz, the team's owner")
    or names something else ("Ana Ortiz, Boston") is not a list."""
    found: list[Token] = []
    for h in heads:
        for c in h.children:
            span = entity_at(c) if c.dep_ == "appos" else None
            if span is not None and span.label_ == label and c not in found:
                found += [c, *c.conjuncts]
    return found


_GROUP_MODIFIERS = ("det", "amod", "compound", "nummod", "quantmod", "poss", "advmod")


def _described_group(head: Token, start: int) -> Span:
    """A plural group from the first of the modifiers before its head ("several", "his
    fellow", "senior"), not "the", down to the head; from `start` at least."""
    for c in head.lefts:
        if c.dep_ in _GROUP_MODIFIERS and c.left_edge.i < start:
            start = c.left_edge.i
    doc = head.doc
    while start < head.i and (doc[start].lower_ == "the" or doc[start].is_punct):
        start += 1
    return Span(doc, start, head.i + 1, label="NORP")


_OPENING = frozenset("“«„")
_CLOSING = frozenset("”»")


def _quoted(sent: Span) -> bool:
    return any(is_mark(t) for t in sent)


def is_mark(tok: Token) -> bool:
    """A quotation mark, not an apostrophe: a single mark right after a word ending in
    "s" is the plural's possessive ("the players’ union"), whatever its glyph."""
    if not tok.is_quote:
        return False
    before = tok.doc[tok.i - 1] if tok.i > 0 else None
    return not (
        tok.text in ("’", "'")
        and before is not None
        and not before.whitespace_
        and before.lower_.endswith("s")
    )


def _neighbour(sent: Span, step: int) -> Span | None:
    doc = sent.doc
    i = sent.end if step > 0 else sent.start - 1
    if i < 0 or i >= len(doc):
        return None
    return doc[i].sent
