"""Stances read from a parse with a stance lexicon: who (a named actor), which position,
on which span of the sentence, by which act, under which conditions.

A trigger is a verb, a noun or an adjective whose lemma the lexicon lists ("backed",
"endorsement of", "open to"), or a copula with a stance preposition ("is against"). Its
holder is its subject followed to a named entity (`actors`); its target is the phrase
the lexicon entry points to: the object of a listed preposition ("voted against the
bill"), what an addressee is urged to do ("urged Congress to act", "called on Obama to
retaliate"), the direct object, the infinitive or clausal complement, or, for a passive
participle without a subject, the subject of the clause it hangs on ("collapsed after
being rejected by X"). A copula that judges its subject ("X is a mistake", "X is a good
idea"), a naming verb's predicate ("called the plan a mistake") and a clause saying its
subject does harm or good ("said the toll would hurt shops") are the position of whoever
is said to judge (the lexicon's evaluations); a noun naming a holder ("a critic of X")
is the position of the name it describes. A support verb whose object is a stance noun
takes that stance ("vowed a veto of X" opposes X). A stance verb governing another as
its infinitive composes with it ("refused to back X" is opposition to X, "pledged to
support X" a pledge of support). Negation comes from the parse and acts as the entry
says (flip or skip). Nothing is read inside an "if" clause or a question; a hedging
modal ("would", "might") marks the stance as hedged.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from spacy.tokens import Doc, Span, Token

from extractor.reading.actors import Holder, Resolver, entity_at, subject_of
from extractor.reading.conditions import (
    ReadCondition,
    condition_mark,
    conditions_of,
    contrast_demand,
)
from extractor.reading.lexicon import Lexicon, NominalEntry, Side, VerbEntry
from extractor.reading.spans import MAX_TOKENS, inside_word, is_when, phrase
from extractor.schemas import Act

_VERBAL = ("VERB", "AUX")
_OBJECTS = ("pobj", "pcomp")


@dataclass(frozen=True)
class ReadStance:
    actor: Holder
    position: Side
    act: Act
    target: Span
    sentence: Span
    trigger: Token
    hedged: bool = False
    conditions: list[ReadCondition] = field(default_factory=list)
    rated: bool = False  # read by a word's sentiment rating, not a listed stance word
    deontic: bool = False  # read from what someone says should be done, no stance word


def read_stances(doc: Doc, lexicon: Lexicon) -> list[ReadStance]:
    """Every stance the parse shows, in text order."""
    reader = _Reader(doc, lexicon)
    out: list[ReadStance] = []
    for sent in doc.sents:
        if sent.text.rstrip().rstrip("\"'”’)").endswith("?"):
            continue
        for tok in sent:
            out.extend(reader.at(tok))
    return out


def _flip(side: Side) -> Side:
    return "oppose" if side == "support" else "support"


def _compose(outer: Side, inner: Side) -> Side:
    return inner if outer == "support" else _flip(inner)


class _Reader:
    def __init__(self, doc: Doc, lexicon: Lexicon) -> None:
        self.lex = lexicon
        self.resolver = Resolver(doc, lexicon)
        self.consumed: set[int] = set()  # inner verbs already read through their governor
        self.rated_hit = False  # the token being read was read by a sentiment rating

    def at(self, tok: Token) -> list[ReadStance]:
        self.rated_hit = False
        read = self._at(tok)
        return [replace(r, rated=True) for r in read] if self.rated_hit else read

    def _at(self, tok: Token) -> list[ReadStance]:
        if tok.i in self.consumed or self._in_condition(tok):
            return []
        lemma = tok.lemma_.casefold()
        if tok.pos_ in _VERBAL and tok.dep_ not in ("amod", "aux", "auxpass"):
            entry = self._verb_entry(tok, lemma)
            read = self._verb(tok, entry) if entry is not None else []
            if read or lemma in self.lex.naming_verbs:
                return read or self._named_as(tok)
            if entry is not None:
                return self._deontic(tok)  # "said the city should back it": the city holds none
            if lemma == "be":
                return self._copula(tok) or self._deontic(tok)
            if lemma in self.lex.consequence_verbs:
                return self._consequence(tok, self.lex.consequence_verbs[lemma])
            rated = self._rated_verb(lemma)
            if rated is not None:
                self.rated_hit = True
                return self._verb(tok, rated)
            return self._deontic(tok)
        if tok.pos_ in ("NOUN", "PROPN") and lemma in self.lex.nouns:
            return self._noun(tok, self.lex.nouns[lemma])
        if tok.pos_ == "NOUN" and lemma in self.lex.agent_nouns:
            return self._agent_noun(tok, self.lex.agent_nouns[lemma])
        if tok.pos_ == "ADJ" and tok.dep_ in ("acomp", "amod") and lemma in self.lex.adjectives:
            return self._adjective(tok, self.lex.adjectives[lemma])
        return []

    # -- triggers --------------------------------------------------------------------

    def _verb_entry(self, tok: Token, lemma: str) -> VerbEntry | None:
        for c in tok.children:
            if c.dep_ == "prt" and (lemma, c.lower_) in self.lex.particle_verbs:
                return self.lex.particle_verbs[(lemma, c.lower_)]
        if any(c.dep_ == "prt" for c in tok.children) and lemma not in ("sign",):
            return None  # "back down", "call off": a particle changes the verb
        return self.lex.verbs.get(lemma)

    def _rated_verb(self, lemma: str) -> VerbEntry | None:
        """A verb the lists do not hold, read by its sentiment rating ("lamented X",
        "swiped at X"): a stance on its direct object or the object of a rated preposition."""
        valence = self.lex.valence
        if lemma in self.lex.cue_verbs or lemma in valence.not_attitudes:
            return None
        side = valence.side(lemma, valence.verb_min)
        if side is None:
            return None
        return VerbEntry(side, needs=("dobj", "prep"), preps={p: side for p in valence.preps})

    def _verb(self, verb: Token, entry: VerbEntry) -> list[ReadStance]:
        read = self._verb_target(verb, entry)
        if read is None:
            return []
        position, target, act = read
        negated = _negated(verb)
        if negated:
            if entry.negated == "skip":
                return []
            position = entry.negated if entry.negated != "support" else _flip(position)
        infinitive = verb.dep_ == "xcomp" or (
            verb.dep_ == "advcl" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
        )
        if (
            infinitive
            and _negated(verb.head)
            and self._verb_entry(verb.head, verb.head.lemma_.casefold()) is None
        ):
            return []  # "did not step up to oppose X", "never tried to block X": not taken
        holder_tok = subject_of(verb)
        if verb.dep_ == "acl" and holder_tok is None:
            return []
        if holder_tok is None:
            return []
        return self._stance(self.resolver.resolve_all(holder_tok), position, act, target, verb)

    def _verb_target(self, verb: Token, entry: VerbEntry) -> tuple[Side, Span, Act] | None:
        """The position and target span a stance verb points to, following compositions."""
        kids = list(verb.children)
        # A listed preposition: "voted against", "called for", "came out in favor of".
        for c in kids:
            if c.dep_ in ("prep", "agent") and (key := _prep_key(c, entry.preps)) is not None:
                obj = _prep_object(c, key)
                if obj is not None:
                    return entry.preps[key], self._target(obj), entry.act
        # Someone urged to do something: the target is what they are urged to do.
        if entry.addressee or entry.addressee_preps:
            urged = _urged_clause(verb, entry)
            if urged is not None:
                addressee, clause = urged
                if self._asks(clause):
                    return None  # "asked the council whether ...": a question, no demand
                target = _with_conjuncts(clause, self._target(clause))
                position = _flip(entry.position) if _negated(clause) else entry.position
                doc = verb.doc
                between = doc[addressee.right_edge.i + 1 : target.start] if addressee else None
                if between is not None and all(
                    t.is_punct or t.dep_ in ("aux", "neg") for t in between
                ):
                    # "urged Moscow to engage in talks": who is to act belongs to the target
                    target = doc[addressee.left_edge.i : target.end] if addressee else target
                # "urged Comey not to announce it": a demand against announcing it
                return position, target, entry.act
            if entry.addressee:
                return None
        if "prep" in entry.needs and not {"dobj", "xcomp", "ccomp"} & set(entry.needs):
            return None
        for c in kids:  # "refused to back X", "wants to block X": the inner verb's target
            if c.dep_ == "xcomp" and c.pos_ in _VERBAL:
                inner = self._composed(c, entry)
                if inner is not None:
                    return inner
        if entry.clause_first:  # "promised voters that ...": what is promised, not to whom
            promised = next(
                (c for c in kids if c.dep_ in ("xcomp", "ccomp") and c.pos_ in _VERBAL), None
            )
            if promised is not None:
                return entry.position, self._target(promised), entry.act
        if verb.dep_ == "acl" and any(c.dep_ == "agent" for c in kids):
            return entry.position, phrase(verb.head), entry.act  # "the truce proposed by X"
        patient = _passive_patient(verb)
        if patient is not None:  # "the deal collapsed after being rejected by X"
            return entry.position, self._target(patient), entry.act
        shared = _shared_object(verb)  # "backed and signed the bill"
        for dep in ("dobj", "xcomp", "ccomp", "nsubjpass"):
            if entry.needs and dep not in entry.needs and dep != "nsubjpass":
                continue
            obj = next((c for c in kids if c.dep_ == dep), None)
            if obj is None and dep == "dobj":
                obj = shared
            if obj is None or (dep == "nsubjpass" and not _has_agent(verb)):
                continue
            if dep == "ccomp" and (obj.pos_ not in _VERBAL or self._asks(obj)):
                continue
            # "vowed a veto of the bill": to take up a stance is to take it ("rejected
            # criticism of X" stays opposition to the criticism).
            noun = self._stance_noun_target(obj) if dep == "dobj" else None
            if noun is not None and entry.position == "support":
                side, target, act = noun
                return (
                    side,
                    target,
                    (entry.act if entry.act != "statement" else act),
                )
            return entry.position, self._target(obj), entry.act
        return None

    def _asks(self, clause: Token) -> bool:
        """A clause that asks ("where the stadium should go", "whether it was legal"): a
        wh-word (the lexicon's question tags) before its verb, or a question mark word
        ("whether", "if") marking it. What is asked is no stance's target."""
        words = clause.doc[clause.left_edge.i : clause.i]
        if any(t.tag_ in self.lex.question_tags for t in words):
            return True
        return any(
            c.dep_ == "mark" and c.lower_ in self.lex.question_marks for c in clause.children
        )

    def _stance_noun_target(self, noun: Token) -> tuple[Side, Span, Act] | None:
        """The position and target of a stance noun with its listed preposition ("a veto of
        the bill"), or None."""
        entry = self.lex.nouns.get(noun.lemma_.casefold()) if noun.pos_ == "NOUN" else None
        if entry is None:
            return None
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in entry.preps:
                obj = next((o for o in c.children if o.dep_ in _OBJECTS), None)
                if obj is not None:
                    return entry.position, self._target(obj), entry.act
        return None

    def _composed(self, inner: Token, outer: VerbEntry) -> tuple[Side, Span, Act] | None:
        """ "refused to back X": the inner stance verb's target, positions composed."""
        entry = self._verb_entry(inner, inner.lemma_.casefold())
        if entry is not None and not entry.compose and outer.position == "oppose":
            # "refused to rule out X", "declined to condemn X": not a stance on X, and the
            # inner verb is not read alone; the outer verb opposes the clause.
            self.consumed.add(inner.i)
            return None
        if entry is None or not entry.compose or subject_of(inner) is None:
            return None
        if any(c.dep_ in ("nsubj", "nsubjpass") for c in inner.children):
            return None
        read = self._verb_target(inner, entry)
        if read is None:
            return None
        self.consumed.add(inner.i)
        side = read[0]
        if _negated(inner):
            side = _flip(side)
        act = outer.act if outer.act != "statement" else read[2]
        return _compose(outer.position, side), read[1], act

    def _copula(self, be: Token) -> list[ReadStance]:
        """ "X is against Y", "X is in favor of Y"."""
        for c in be.children:
            if c.dep_ == "prep" and (key := _prep_key(c, self.lex.copula_preps)) is not None:
                obj = _prep_object(c, key)
                subj = subject_of(be)
                if obj is None or subj is None:
                    continue
                side = self.lex.copula_preps[key]
                if _negated(be):
                    side = _flip(side)
                return self._stance(
                    self.resolver.resolve_all(subj), side, "statement", self._target(obj), be
                )
        return self._evaluation(be)

    def _evaluation(self, be: Token) -> list[ReadStance]:
        """ "Lee said the tax is a mistake", "'The plan is a good idea,' Reed said": the
        position of whoever says the judgement on what it judges."""
        pred = next((c for c in be.children if c.dep_ in ("attr", "acomp")), None)
        if pred is None:
            return []
        side = self._judged_side(pred)
        subj = next((c for c in be.children if c.dep_ in ("nsubj", "csubj")), None)
        if side is None or subj is None:
            return []
        judged: Token | None = subj
        if subj.pos_ == "PRON":  # "it is a mistake to sell the team": the clause is judged
            judged = None
            if subj.lower_ == "it":
                judged = next(
                    (
                        c
                        for c in [*be.children, *pred.children]
                        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in _VERBAL
                    ),
                    None,
                )
        if judged is None:
            return []
        if _negated(be) or _negated(pred):
            side = _flip(side)
        return self._judgement(be, side, self._target(judged), pred)

    def _judged_side(self, pred: Token) -> Side | None:
        """The position a judging noun or adjective states ("a mistake", "a good idea",
        "wrong"): a listed adjective or modifier on the noun decides. A modifier ("good")
        judges only the noun it modifies: "the weather is good" judges nothing."""
        adjectives = self.lex.evaluative_adjectives
        lemma = pred.lemma_.casefold()
        if pred.pos_ == "ADJ":
            if lemma in self.lex.evaluative_modifiers:
                return None  # a modifier judges only the noun it modifies
            return adjectives.get(lemma) or self._rated(lemma)
        if pred.pos_ != "NOUN":
            return None
        modifiers = {**self.lex.evaluative_modifiers, **adjectives}
        amods = [m.lemma_.casefold() for m in pred.children if m.dep_ == "amod"]
        listed = [modifiers[m] for m in amods if m in modifiers]
        if listed:
            return listed[0]
        if lemma in self.lex.evaluative_nouns:
            return self.lex.evaluative_nouns[lemma]
        rated = [side for m in amods if (side := self._rated(m)) is not None]
        return rated[0] if rated else self._rated(lemma)

    def _rated(self, lemma: str) -> Side | None:
        """The side a word's sentiment rating gives, for a judgement no listed word makes
        (marks what is read from it as rated)."""
        side = self.lex.valence.side(lemma, self.lex.valence.judgement_min)
        if side is not None:
            self.rated_hit = True
        return side

    def _named_as(self, verb: Token) -> list[ReadStance]:
        """ "X called the plan a mistake", "X called the plan dangerous": X's position on
        what it names so (the lexicon's naming verbs)."""
        obj = next((c for c in verb.children if c.dep_ == "dobj"), None)
        pred = next((c for c in verb.children if c.dep_ == "oprd"), None)
        subj = subject_of(verb)
        if obj is None or pred is None or subj is None or obj.pos_ == "PRON":
            return []
        side = self._judged_side(pred)
        if side is None:
            return []
        if _negated(verb):
            side = _flip(side)
        holders = self.resolver.resolve_all(subj)
        return self._stance(holders, side, "statement", self._target(obj), pred, judged_by=verb)

    def _agent_noun(self, noun: Token, entry: NominalEntry) -> list[ReadStance]:
        """ "X is a critic of Y", "X, a longtime supporter of Y, ...", "the critic of Y,
        X, ...", "X, a Trump supporter": who the noun describes takes its position on its
        preposition's object, or on the name that modifies it."""
        target = None
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in entry.preps:
                obj = next((o for o in c.children if o.dep_ in _OBJECTS), None)
                if obj is not None:
                    target = self._target(obj)
                    break
        if target is None:  # "a Trump supporter": the name right before the noun
            doc = noun.doc
            for c in noun.children:
                name = entity_at(c) if c.dep_ == "compound" else None
                if name is not None and all(
                    t.is_alpha or inside_word(t) for t in doc[name.end : noun.i]
                ):
                    target = name
        if target is None:
            return []
        side = entry.position
        if any(c.dep_ == "appos" for c in noun.children):
            holders = self.resolver.resolve_all(noun)  # its apposition names it
        elif noun.dep_ == "appos":
            holders = self.resolver.resolve_all(noun.head)
        elif noun.dep_ != "attr":
            return []
        else:
            subj = subject_of(noun.head) if noun.head.pos_ in _VERBAL else None
            if subj is None:
                return []
            holders = self.resolver.resolve_all(subj)
            side = _flip(entry.position) if _negated(noun.head) else entry.position
        return self._stance(holders, side, entry.act, target, noun)

    def _consequence(self, verb: Token, side: Side) -> list[ReadStance]:
        """ "Lee said the tax would hurt small shops": the sayer's position on what is said
        to do harm or good (the lexicon's consequence verbs)."""
        subj = next((c for c in verb.children if c.dep_ in ("nsubj", "csubj")), None)
        if subj is None or subj.pos_ == "PRON" or _negated(verb):
            return []
        return self._judgement(verb, side, self._target(subj), verb)

    def _deontic(self, verb: Token) -> list[ReadStance]:
        """ "Lee said the city should sell the team", "'Russia must pay,' Reed said": a
        demand of whoever says what someone should do (the lexicon's deontic words). The
        target is what is to be done ("sell the team"; "should not" opposes it); a passive
        or a copula keeps its subject and modal, since the verb alone says nothing of whom
        ("the owners must be held accountable")."""
        words = self.lex.deontic
        kids = list(verb.children)
        modal = next((c for c in kids if c.dep_ == "aux" and c.lower_ in words.modals), None)
        done = verb
        if modal is not None:
            after = [c for c in kids if c.dep_ in ("aux", "auxpass") and c.i > modal.i]
            if any(c.lemma_ == "have" for c in after):
                return []  # "should have known", "must have seen": past, or an inference
            if modal.lower_ in words.epistemic_with and verb.lemma_ == "be" and not after:
                return []  # "must be tired": an inference
            if modal.i > verb.i:
                return []  # "Should the talks fail, ...": a condition, not a demand
        else:
            inner = next(
                (c for c in kids if c.dep_ == "xcomp" and any(a.tag_ == "TO" for a in c.children)),
                None,
            )
            if verb.lemma_.casefold() not in words.verbs or inner is None:
                return []
            done = inner  # "needs to act"
        subj = next((c for c in kids if c.dep_ in ("nsubj", "nsubjpass", "csubj")), None)
        if subj is None:
            return []  # "must do more": who must is not said
        if any(
            (demand := contrast_demand(c, self.lex)) is not None and demand.i == verb.i
            for c in (verb, verb.head)
        ):
            return []  # "backed it but said Y must go": a condition of the stance before
        opening = next((t for t in verb.sent if not t.is_punct), None)
        if opening is not None and opening.lower_ in self.lex.conditions.contrast_words:
            return []  # "However, he said Y must go": so is this, after a stance
        side: Side = "support"
        if done.lemma_ == "be" or any(c.dep_ in ("nsubjpass", "auxpass") for c in done.children):
            target = phrase(verb, keep_subject=True)
        else:
            target = phrase(done, keep_purpose=True)
            side = "oppose" if _negated(verb) or _negated(done) else "support"
        self.consumed.update(t.i for t in target if t.pos_ in _VERBAL and t.i != verb.i)
        return [
            replace(r, act="demand", deontic=True)
            for r in self._judgement(verb, side, target, verb)
        ]

    def _judgement(
        self, clause: Token, side: Side, target: Span, trigger: Token
    ) -> list[ReadStance]:
        """A judgement stated by `clause`, as the stance of who says it: the subject of the
        cue verb that reports it, else the speaker of its quotation. A judgement nobody is
        said to make is the writer's: no stance."""
        cue = clause.head
        if clause.dep_ == "ccomp" and cue.lemma_.casefold() in self.lex.cue_verbs:
            subj = subject_of(cue)
            holders = self.resolver.resolve_all(subj) if subj is not None else []
            return self._stance(holders, side, "statement", target, trigger, judged_by=cue)
        if clause.dep_ == "ROOT" and self.resolver.in_quotation(clause.sent):
            found = self.resolver.speaker(clause.sent)
            return self._stance(
                [found] if found else [], side, "statement", target, trigger, judged_by=clause
            )
        return []

    def _noun(self, noun: Token, entry: NominalEntry) -> list[ReadStance]:
        """ "his endorsement of Clinton", "voiced support for the deal"."""
        target = None
        target_prep: Token | None = None
        # The preposition on the noun, or on its verb after it with only a time between
        # ("withdrew her support for the dam", "voiced support on Monday for the dam", as a
        # parser often hangs it). The entry's prepositions in its order: "the support of X
        # for Y" is support for Y.
        after = [
            c
            for c in noun.head.children
            if c.i > noun.right_edge.i
            and all(_in_when(t) for t in noun.doc[noun.right_edge.i + 1 : c.left_edge.i])
        ]
        preps = [
            c
            for c in [*noun.children, *(after if noun.dep_ == "dobj" else [])]
            if c.dep_ == "prep" and c.lower_ in entry.preps
        ]
        for c in sorted(preps, key=lambda c: entry.preps.index(c.lower_)):
            obj = next((o for o in c.children if o.dep_ in _OBJECTS), None)
            if obj is not None:
                target, target_prep = self._target(obj), c
                break
        if target is None:  # "a willingness to consider the truce"
            clause = next(
                (
                    c
                    for c in noun.children
                    if c.dep_ in ("acl", "xcomp")
                    and c.pos_ in _VERBAL
                    and any(a.lower_ == "to" for a in c.children)
                ),
                None,
            )
            if clause is not None:
                target = self._target(clause)
        if target is None or _denied(noun):
            return []
        holder: Holder | None = None
        position = entry.position
        poss = next((c for c in noun.children if c.dep_ == "poss"), None)
        # "the veto by X", "support from X"; "the refusal of X to sign", "the support of X
        # for Y": an "of" that does not give the target gives the holder.
        by = next(
            (
                c
                for c in noun.children
                if c.dep_ == "prep"
                and c is not target_prep
                and (c.lower_ in ("by", "from") or (c.lower_ == "of" and poss is None))
            ),
            None,
        )
        verb = noun.head if noun.dep_ == "dobj" and noun.head.pos_ in _VERBAL else None
        if verb is not None:
            if self._verb_entry(verb, verb.lemma_.casefold()) is not None:
                return []  # "signed the proposal": the verb is the stance
            if _negated(verb):
                return []
            if verb.lemma_.casefold() in self.lex.reversing_verbs:  # "withdrew her support"
                position = _flip(position)
        if poss is not None:
            holder = self.resolver.resolve(poss)
        elif by is not None:
            obj = next((o for o in by.children if o.dep_ == "pobj"), None)
            holder = self.resolver.resolve(obj) if obj is not None else None
        elif verb is not None and (subj := subject_of(verb)) is not None:
            holder = self.resolver.resolve(subj)
        return self._stance([holder] if holder else [], position, entry.act, target, noun)

    def _adjective(self, adj: Token, entry: NominalEntry) -> list[ReadStance]:
        """ "X is open to Y", "X is willing to negotiate"."""
        target = None
        for c in adj.children:
            if c.dep_ == "prep" and c.lower_ in entry.preps:
                obj = next((o for o in c.children if o.dep_ in _OBJECTS), None)
                if obj is not None:
                    target = self._target(obj)
            elif c.dep_ == "xcomp" and c.pos_ in _VERBAL:
                target = self._target(c)
            if target is not None:
                break
        if target is None:
            return []
        if adj.dep_ == "acomp":
            subj = subject_of(adj.head)
        else:  # a headline's "Putin open to ...": the adjective modifies its actor
            subj = adj.head if adj.head.pos_ == "PROPN" else None
        if subj is None:
            return []
        side = _flip(entry.position) if _negated(adj.head) or _negated(adj) else entry.position
        return self._stance(self.resolver.resolve_all(subj), side, entry.act, target, adj)

    # -- shared ----------------------------------------------------------------------

    def _target(self, head: Token) -> Span:
        if head.pos_ == "PRON" and head.lower_ in self.lex.person_pronouns:
            found = self.resolver.last_mention(head, ("PERSON",))
            if found is not None:  # "we endorse her": the person last named
                return found.span
        if head.pos_ == "PRON" and head.lower_ in self.lex.thing_pronouns:
            stood_for = _object_before(head, plural=self.lex.thing_pronouns[head.lower_])
            if stood_for is not None:  # "did not condone his remarks and cannot defend them"
                return phrase(stood_for)
        span = phrase(
            head,
            keep_subject=head.dep_ == "ccomp",  # "promised that the inquiry would be quick"
            cut_preps=self._reasons(head),  # "criticized X for Y"
            keep_names=True,  # "praised her opponent, Jane Park"
            keep_purpose=True,  # "backed striking the base to stop an attack"
        )
        earlier = self._antecedent(span, head)
        if earlier is not None:
            return earlier
        role = self.resolver.role_holder(head)
        if role is not None and span.end - span.start <= len(list(head.lefts)) + 1:
            return role  # "criticized the Republican nominee": the person who holds the role
        # A parser often hangs "for ..." on the verb instead of the noun: "agreed with the
        # proposal for a ceasefire". A prepositional phrase right after the target, of the
        # same verb, completes it.
        nxt = span.end
        doc = head.doc
        if (
            head.pos_ in ("NOUN", "PROPN")
            and head.dep_ == "pobj"
            and nxt < len(doc)
            and doc[nxt].dep_ == "prep"
            and doc[nxt].lower_ in ("for", "of", "on", "to")
            and not is_when(doc[nxt])
            and doc[nxt].head.i == head.head.head.i
        ):
            obj = next((o for o in doc[nxt].children if o.dep_ in _OBJECTS), None)
            if obj is not None:
                end = phrase(obj).end
                if end - span.start <= 16:
                    span = doc[span.start : end]
        return span

    def _reasons(self, head: Token) -> tuple[str, ...]:
        """The prepositions that say why, on a direct object of a verb whose entry lists
        them ("criticized the mayor for the delays")."""
        if head.dep_ != "dobj":
            return ()
        entry = self._verb_entry(head.head, head.head.lemma_.casefold())
        return entry.reasons if entry is not None else ()

    def _antecedent(self, span: Span, head: Token) -> Span | None:
        """What a bare definite noun phrase ("the treaty", "this proposal") refers back to:
        the fullest earlier phrase of the article with the same head noun ("the CETA
        treaty between Canada and the EU"), when there is one."""
        if len(span) != 2 or span[0].lower_ not in ("the", "this", "that") or head.pos_ != "NOUN":
            return None
        best: Span | None = None
        for chunk in head.doc.noun_chunks:
            if chunk.end > span.start:
                break
            root = chunk.root
            if root.lemma_ != head.lemma_ or len(chunk) <= 2:
                continue
            full = phrase(root)
            if best is None or len(full) >= len(best):
                best = full
        return best

    def _stance(
        self,
        holders: list[Holder],
        side: Side,
        act: Act,
        target: Span,
        trigger: Token,
        judged_by: Token | None = None,
    ) -> list[ReadStance]:
        """The stances of `holders`. `judged_by`: the cue verb reporting a judgement ("said
        the tax would be a mistake"); only a hedge on it or above hedges the judgement."""
        # The actor inside its own target, or holding the trigger ("Obama Calls On Men"
        # in a headline), is a misparse, not a stance.
        holders = [
            h
            for h in holders
            if not (h.span.start >= target.start and h.span.end <= target.end)
            and not (h.span.start <= trigger.i < h.span.end)
            and not _same_name(h.span, target)  # "Trump ... Trump": a misresolved pronoun
        ]
        if not holders or not target.text.strip():
            return []
        if target.text.strip().casefold() in self.lex.relative_pronouns | self.lex.group_pronouns:
            return []
        if target[0].tag_ in self.lex.question_tags:
            return []  # "what he dismissed as ...", "how much to praise": named elsewhere
        if len(target) == 1 and target[0].pos_ in _VERBAL:
            return []  # "ready to sign": sign what, the sentence does not say
        conditions = conditions_of(trigger, self.resolver, self.lex, _clause_of(target))
        # "would back", "is unlikely to accept", "is expected to sign": a prediction, unless
        # a condition says when it holds ("would back it if ...").
        start = judged_by if judged_by is not None else trigger
        hedged = not conditions and any(
            t.lemma_.casefold() in self.lex.hedges
            or any(
                c.dep_ == "aux" and c.lower_ in self.lex.hedges and not self._backshifted(c)
                for c in t.children
            )
            for t in (start, *start.ancestors)
        )
        return [
            ReadStance(h, side, act, each, trigger.sent, trigger, hedged, conditions)
            for each in _listed_targets(target)
            for h in holders
        ]

    def _backshifted(self, aux: Token) -> bool:
        """A "would" that reports a "will" ("said she would vote against it"): the
        auxiliary's clause is reported by a cue verb in the past tense."""
        clause = aux.head
        return (
            aux.lower_ in self.lex.backshifted_modals
            and clause.dep_ == "ccomp"
            and clause.head.lemma_.casefold() in self.lex.cue_verbs
            and clause.head.tag_ == "VBD"
        )

    def _in_condition(self, tok: Token) -> bool:
        """Inside an "if ..." clause or a "for X to ..." clause ("it is impossible for X to
        approve Y"): a stance someone might take, not one they take."""
        for t in (tok, *tok.ancestors):
            if any(
                c.dep_ == "mark" and c.lower_ in self.lex.irrealis_marks and c.i < t.i
                for c in t.children
            ):
                return True
            if t.dep_ in ("advcl", "conj", "ccomp"):
                mark = condition_mark(t, self.lex)
                if mark is not None and mark[0] == "precondition":
                    return True
        return False


def _same_name(name: Span, target: Span) -> bool:
    """`target` is only the name `name` is: the same words, or its last word alone ("Mr.
    Trump" for "Donald Trump"); "Hillary Clinton" is not "Bill Clinton"."""
    words = [t.text for t in target if t.is_alpha]
    if not words or not all(t.ent_type_ for t in target if t.is_alpha):
        return False
    if len(words) == 1:
        return words[0] == name[-1].text
    return words == [t.text for t in name if t.is_alpha]


def _listed_targets(target: Span) -> list[Span]:
    """A target that lists things ("backed a wage hike, tax increases and paid leave"),
    one per item: the parse cuts the phrase at the first comma or "and", so the items
    after it are the conjuncts of its head. Single words that are not names stay one
    target ("law and order")."""
    root = target.root
    if root.pos_ not in ("NOUN", "PROPN"):
        return [target]
    nouns = ("NOUN", "PROPN")
    items = [c for c in root.conjuncts if c.i > root.i and c.pos_ in nouns]
    if not items:  # "A, B and C" parsed as B an apposition of A, and C a conjunct of B
        appos = next((c for c in root.children if c.dep_ == "appos" and c.conjuncts), None)
        if appos is not None:
            items = [x for x in (appos, *appos.conjuncts) if x.i >= appos.i and x.pos_ in nouns]
    if not items or target.end > items[0].i:
        return [target]
    spans = [phrase(c, keep_names=True) for c in items]
    if all(len(x) == 1 and not x[0].ent_type_ for x in [target, *spans]):
        return [target.doc[target.start : spans[-1].end]]
    return [target, *spans]


def _object_before(pronoun: Token, plural: bool) -> Token | None:
    """The nearest object before `pronoun` in its sentence, of the pronoun's number and
    not a name: what "it" or "them" stands for there, if anything."""
    for t in reversed(pronoun.sent[: pronoun.i - pronoun.sent.start]):
        if t.dep_ in ("dobj", "pobj") and t.pos_ == "NOUN" and (t.tag_ == "NNS") == plural:
            return t
    return None


def _negated(tok: Token) -> bool:
    """ "not", "never", "no longer" on `tok`."""
    for c in tok.children:
        if c.dep_ == "neg" or (c.lower_ == "never" and c.dep_ == "advmod"):
            return True
        if c.lower_ == "longer" and any(x.lower_ == "no" for x in c.children):
            return True
    return False


def _denied(noun: Token) -> bool:
    """ "no support for X", "not a word of praise": the noun says there is none."""
    return any(c.dep_ in ("det", "neg") and c.lower_ in ("no", "not") for c in noun.children)


def _in_when(tok: Token) -> bool:
    """`tok` belongs to a date or time said of its phrase ("on Monday")."""
    return any(is_when(t) for t in (tok, *tok.ancestors) if t.dep_ in ("prep", "npadvmod"))


def _shared_object(verb: Token) -> Token | None:
    """The object a verb without one shares with the verb coordinated right after it
    ("backed and signed the bill", "praised and then rejected the bill")."""
    if any(c.dep_ in ("dobj", "prep", "xcomp", "ccomp") for c in verb.children):
        return None
    conj = next((c for c in verb.children if c.dep_ == "conj" and c.pos_ in _VERBAL), None)
    if conj is None or any(
        t.dep_ not in ("cc", "advmod", "punct") for t in verb.doc[verb.i + 1 : conj.i]
    ):
        return None
    return next((c for c in conj.children if c.dep_ == "dobj"), None)


def _clause_of(target: Span) -> Token:
    """The verb of a target that holds one ("lawmakers to pass the budget": "pass"), else
    its root."""
    heads = [t for t in target if not target.start <= t.head.i < target.end or t.head is t]
    return next((t for t in heads if t.pos_ in _VERBAL), target.root)


def _with_conjuncts(clause: Token, target: Span) -> Span:
    """What an addressee is urged to do, with the verbs coordinated with it ("urged
    lawmakers to pass the budget and cut taxes", verbs of the same form), up to twice a
    phrase's length."""
    end = target.end
    for c in clause.children:
        if c.dep_ == "conj" and c.tag_ == clause.tag_ and c.i >= end:
            end = max(end, phrase(c).end)
    if end - target.start > 2 * MAX_TOKENS:
        return target
    return clause.doc[target.start : end]


def _passive_patient(verb: Token) -> Token | None:
    """What a passive participle without a subject of its own is said of: the subject of
    the clause it hangs on, through a preposition or as an adverbial clause ("the deal
    collapsed after being rejected by X")."""
    if verb.dep_ not in ("pcomp", "advcl") or not _has_agent(verb):
        return None
    if not any(c.dep_ == "auxpass" for c in verb.children) or verb.tag_ != "VBN":
        return None
    if any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    host = verb.head.head if verb.dep_ == "pcomp" and verb.head.dep_ == "prep" else verb.head
    if host.pos_ not in _VERBAL:
        return None
    return next((c for c in host.children if c.dep_ in ("nsubj", "nsubjpass")), None)


def _has_agent(verb: Token) -> bool:
    return any(c.dep_ == "agent" for c in verb.children)


def _prep_key(prep: Token, table: dict[str, Side]) -> str | None:
    """The listed preposition `prep` opens, one word or several ("in favor of", "away
    from"), or None."""
    low = prep.lower_
    if low in table:
        return low
    for key in table:
        parts = key.split()
        if len(parts) > 1 and parts[0] == low:
            return key if _follows(prep, parts[1:]) else None
        if len(parts) > 1 and parts[-1] == low:
            before = [t.lower_ for t in prep.doc[max(0, prep.i - len(parts) + 1) : prep.i]]
            if before == parts[:-1]:
                return key
    return None


def _follows(prep: Token, rest: list[str]) -> bool:
    doc = prep.doc
    words = [t.lower_ for t in doc[prep.i + 1 : prep.i + 1 + len(rest)]]
    return words == rest


def _prep_object(prep: Token, key: str) -> Token | None:
    """The object of a one- or multi-word preposition."""
    parts = key.split()
    t = prep
    if len(parts) > 1 and parts[0] == prep.lower_:
        last = prep.doc[prep.i + len(parts) - 1]
        t = last
        # "in favor of X": X hangs on "of", which hangs on "favor".
        for cand in (last, *last.ancestors):
            if cand.lower_ == parts[-1] or cand is prep:
                t = cand
                break
    return next((o for o in t.children if o.dep_ in _OBJECTS), None)


def _urged_clause(verb: Token, entry: VerbEntry) -> tuple[Token | None, Token] | None:
    """Who is urged and what they are urged to do: "urged Congress to act", "called on
    Obama to retaliate", "urged that Congress act" (no addressee of its own)."""
    addressee = None
    places = [verb]
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in entry.addressee_preps:
            objs = [o for o in c.children if o.dep_ == "pobj"]
            places += [c, *objs]
            addressee = objs[0] if objs else addressee
        if c.dep_ == "dobj" and entry.addressee:
            places.append(c)
            addressee = c
    for p in places:
        for c in p.children:
            if c.dep_ in ("xcomp", "ccomp", "acl") and c.pos_ in _VERBAL:
                return (addressee if c.dep_ != "ccomp" else None), c
    return None
