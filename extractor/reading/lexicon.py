"""A language's stance lexicon, read from `data/stances_<lang>.json` (see its `_about`).

Keys are lemmas as the pipeline's lemmatizer gives them; multiword keys ("come out",
"in favor of", "as long as") are matched token by token. The code that reads a parse with
a lexicon is the same for every language.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any, Literal, cast

from extractor.errors import ConfigError
from extractor.schemas import Act, ConditionKind

Side = Literal["support", "oppose"]
Negated = Literal["support", "oppose", "skip"]


@dataclass(frozen=True)
class VerbEntry:
    position: Side
    act: Act = "statement"
    preps: dict[str, Side] = field(default_factory=dict)
    addressee: bool = False
    addressee_preps: tuple[str, ...] = ()
    needs: tuple[str, ...] = ()
    negated: Negated = "skip"
    compose: bool = False
    clause_first: bool = False
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True)
class NominalEntry:
    """A noun ("endorsement of") or an adjective ("open to") that states a position."""

    position: Side
    act: Act = "statement"
    preps: tuple[str, ...] = ()


@dataclass(frozen=True)
class ConditionWords:
    marks: dict[str, ConditionKind]
    multiword_marks: dict[str, ConditionKind]
    inverted_auxiliaries: frozenset[str]
    preps: dict[str, ConditionKind]
    modals: frozenset[str]
    need_verbs: frozenset[str]
    contrast_words: frozenset[str]
    term_nouns: frozenset[str]
    term_verbs: frozenset[str]
    term_preps: frozenset[str]


@dataclass(frozen=True)
class Valence:
    """A published sentiment lexicon's ratings (word -> mean rating, sign = polarity) and
    how far a word must lean to state a position (see the lexicon's `_about`)."""

    ratings: dict[str, float]
    verb_min: float
    judgement_min: float
    preps: tuple[str, ...]
    not_attitudes: frozenset[str]

    def side(self, lemma: str, at_least: float) -> Side | None:
        rating = self.ratings.get(lemma, 0.0)
        if abs(rating) < at_least:
            return None
        return "support" if rating > 0 else "oppose"


@dataclass(frozen=True)
class Deontic:
    """Words that say what someone should do (see the lexicon's `_about`)."""

    modals: frozenset[str] = frozenset()
    verbs: frozenset[str] = frozenset()
    epistemic_with: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Lexicon:
    language: str
    verbs: dict[str, VerbEntry]
    particle_verbs: dict[tuple[str, str], VerbEntry]
    nouns: dict[str, NominalEntry]
    adjectives: dict[str, NominalEntry]
    agent_nouns: dict[str, NominalEntry]
    naming_verbs: frozenset[str]
    copula_preps: dict[str, Side]
    evaluative_nouns: dict[str, Side]
    evaluative_adjectives: dict[str, Side]
    evaluative_modifiers: dict[str, Side]
    consequence_verbs: dict[str, Side]
    conditions: ConditionWords
    person_pronouns: frozenset[str]
    group_pronouns: frozenset[str]
    thing_pronouns: dict[str, bool]  # "it": False, "them": True (plural)
    plural_pronouns: frozenset[str]
    naming_nouns: frozenset[str]
    group_nouns: frozenset[str]  # "officials", "advisers": a described plural is an actor
    quantifiers: frozenset[str]  # "many", "several": they count a group, not describe it
    irrealis_marks: frozenset[str]
    speaker_pronouns: frozenset[str]
    relative_pronouns: frozenset[str]
    hedges: frozenset[str]
    backshifted_modals: frozenset[str]
    question_tags: frozenset[str]
    question_marks: frozenset[str]  # "asked whether ...": the clause is a question
    cue_verbs: frozenset[str]
    address_cues: frozenset[str]  # "told the crowd": a cue verb whose object is addressed
    source_preps: frozenset[str]  # "according (to)": the prepositions that name a source
    cue_nouns: frozenset[str]  # "claim", "warning": nouns whose "that" clause is a claim
    reversing_verbs: frozenset[str]
    deontic: Deontic
    pronoun_genders: dict[str, str]  # "she": "f"
    title_genders: dict[str, str]  # "mrs.": "f"
    valence: Valence


def _verb(d: dict[str, Any]) -> VerbEntry:
    return VerbEntry(
        position=d["position"],
        act=d.get("act", "statement"),
        preps=dict(d.get("preps", {})),
        addressee=bool(d.get("addressee", False)),
        addressee_preps=tuple(d.get("addressee_preps", ())),
        needs=tuple(d.get("needs", ())),
        negated=d.get("negated", "skip"),
        compose=bool(d.get("compose", False)),
        clause_first=bool(d.get("clause_first", False)),
        reasons=tuple(d.get("reasons", ())),
    )


def _nominal(d: dict[str, Any]) -> NominalEntry:
    return NominalEntry(d["position"], d.get("act", "statement"), tuple(d.get("preps", ())))


def _words(items: list[str]) -> frozenset[str]:
    return frozenset(w.casefold() for w in items)


def _valence(d: dict[str, Any]) -> Valence:
    """The ratings named by `d["source"]` ([package, file]: a tab-separated word list
    shipped inside an installed package, read without importing its code)."""
    package, name = d["source"]
    try:
        raw = resources.files(package).joinpath(name).read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise ConfigError(
            f"the sentiment lexicon {package}/{name} is missing: pip install {package}"
        ) from exc
    ratings: dict[str, float] = {}
    for line in raw.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and " " not in parts[0]:
            try:
                ratings[parts[0].casefold()] = float(parts[1])
            except ValueError:
                continue
    return Valence(
        ratings=ratings,
        verb_min=float(d["verb_min"]),
        judgement_min=float(d["judgement_min"]),
        preps=tuple(d.get("preps", ())),
        not_attitudes=_words(d.get("not_attitudes", [])),
    )


@lru_cache(maxsize=4)
def load_lexicon(language: str = "en") -> Lexicon:
    """The lexicon of `language` shipped with the package."""
    name = f"stances_{language}.json"
    try:
        raw = resources.files("extractor.reading").joinpath("data", name).read_text("utf-8")
    except FileNotFoundError as exc:
        raise ConfigError(
            f"no stance lexicon for language {language!r}: add extractor/reading/data/{name}"
        ) from exc
    d = cast(dict[str, Any], json.loads(raw))
    c = d["conditions"]
    particles: dict[tuple[str, str], VerbEntry] = {}
    for key, entry in d.get("particle_verbs", {}).items():
        verb, particle = key.split(" ", 1)
        particles[(verb, particle)] = _verb(entry)
    p = d["pronouns"]
    return Lexicon(
        language=language,
        verbs={k: _verb(v) for k, v in d["verbs"].items()},
        particle_verbs=particles,
        nouns={k: _nominal(v) for k, v in d["nouns"].items()},
        adjectives={k: _nominal(v) for k, v in d["adjectives"].items()},
        agent_nouns={k: _nominal(v) for k, v in d.get("agent_nouns", {}).items()},
        naming_verbs=_words(d.get("naming_verbs", [])),
        copula_preps=dict(d.get("copula_preps", {})),
        evaluative_nouns=dict(d.get("evaluations", {}).get("nouns", {})),
        evaluative_adjectives=dict(d.get("evaluations", {}).get("adjectives", {})),
        evaluative_modifiers=dict(d.get("evaluations", {}).get("modifiers", {})),
        consequence_verbs=dict(d.get("consequence_verbs", {})),
        conditions=ConditionWords(
            marks=dict(c["marks"]),
            multiword_marks=dict(c["multiword_marks"]),
            inverted_auxiliaries=_words(c["inverted_auxiliaries"]),
            preps=dict(c["preps"]),
            modals=_words(c["modals"]),
            need_verbs=_words(c.get("need_verbs", [])),
            contrast_words=_words(c.get("contrast_words", [])),
            term_nouns=_words(c.get("term_nouns", [])),
            term_verbs=_words(c.get("term_verbs", [])),
            term_preps=_words(c.get("term_preps", [])),
        ),
        person_pronouns=_words(p["person"]),
        group_pronouns=_words(p["group"]),
        thing_pronouns={k.casefold(): bool(v) for k, v in p.get("thing", {}).items()},
        plural_pronouns=_words(p.get("plural", [])),
        naming_nouns=_words(d.get("naming_nouns", [])),
        group_nouns=_words(d.get("group_nouns", [])),
        quantifiers=_words(d.get("quantifiers", [])),
        irrealis_marks=_words(d.get("irrealis_marks", [])),
        speaker_pronouns=_words(p["speaker"]),
        relative_pronouns=_words(p["relative"]),
        hedges=_words(d.get("hedges", [])),
        backshifted_modals=_words(d.get("backshifted_modals", [])),
        question_tags=frozenset(d.get("question_tags", [])),
        question_marks=frozenset(d.get("question_marks", [])),
        cue_verbs=_words(d.get("cue_verbs", [])),
        address_cues=_words(d.get("address_cues", [])),
        source_preps=_words(d.get("source_preps", [])),
        cue_nouns=_words(d.get("cue_nouns", [])),
        reversing_verbs=_words(d.get("reversing_verbs", [])),
        deontic=Deontic(**{k: _words(v) for k, v in d.get("deontic", {}).items()}),
        pronoun_genders=dict(d.get("gender", {}).get("pronouns", {})),
        title_genders=dict(d.get("gender", {}).get("titles", {})),
        valence=_valence(d["valence"]),
    )
