"""Score runs against gold annotations (extractor/gold.py), with rules a reader can predict.

- An extracted article is scored against the gold article with the same `sha256`.
- Stances: the actor's name or canonical name equals one of the gold aliases
  (case-insensitive); the target or the canonical target (the article's own fuller
  wording, `grounding.targets`) matches (`target_matches`, below); the position is the same.
- Targets compare their content words: lower-cased words with stopwords left out,
  hyphenated words split unless a part holds a digit ("30-day" stays one word,
  "US-proposed" is "us" and "proposed"), a plural "s" dropped; two words are the same when
  equal or when they share a prefix of at least max(5, shorter length - 1) letters
  ("restore" ~ "restoring", not "proposed" ~ "proposal"). The extracted target E matches
  the gold target G when E has a word that is not generic ("plan", "proposal", "deal",
  ...) and one of these holds:
  1. every word of G is in E, and G's words are at least TARGET_COVERAGE (1/3) of E's
     (gold "30-day ceasefire" ~ "the US-proposed 30-day ceasefire"; not a whole sentence
     that happens to contain it);
  2. every word of E is in G, E has at least two words that are not generic, and E's
     words are at least TARGET_SUBSET_SHARE (0.4) of G's ("30-day ceasefire" ~ gold
     "US-proposed 30-day ceasefire in Ukraine"; not "ceasefire" ~ "30-day ceasefire
     proposal", not "aid" ~ "military aid to Israel");
  3. the whole strings are nearly the same: rapidfuzz token_sort_ratio >= TARGET_THRESHOLD
     (90; spelling: "cease-fire plan" ~ "ceasefire plan").
  (Until 2026-11-27 this was token_set_ratio >= 60, for which any subset of the gold's
  words scores 100.)
- Conditions are matched only inside matched stances: text (or one of its evidence quotes)
  against the gold text, token_set_ratio >= CONDITION_THRESHOLD. `conditions` counts
  every gold condition; `matched_conditions` only those of the matched stances (and the
  conditions of the stances that matched them): how well conditions are attached where
  the stance itself was found.
- Claims: claimant as for actors, and content token_set_ratio >= CLAIM_THRESHOLD.
- Each gold record matches at most one extracted record and each extracted record at most
  one gold record, as many pairs as can be made (`matching.pairs`, a maximum matching;
  until 2026-12-08 greedy: gold records in file order, each took the first free
  extracted record that matched, and could take the one record another gold needed).
- Precision = matched / extracted, recall = matched / gold; totals add the counts of all
  articles (micro average). Conditions of unmatched stances count as extracted.
- Grounding rate: evidence items whose offsets slice exactly their quote out of the text.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz

from extractor.errors import ConfigError
from extractor.evaluation.gold import GoldArticle, GoldClaim, GoldCondition, GoldStance
from extractor.evaluation.matching import pairs
from extractor.grounding.merge import normalize_target
from extractor.schemas import Actor, ArticleResult, Claim, Condition, Evidence, Stance

TARGET_THRESHOLD = 90.0  # token_sort_ratio of whole targets (rule 3)
TARGET_COVERAGE = 1 / 3  # rule 1: share of the extracted target's words the gold's must be
TARGET_SUBSET_SHARE = 0.4  # rule 2: share of the gold's words a subset must cover
_STOPWORDS = frozenset(
    "a an the of to in on at for from by with and or but as its it this that these those "
    "be is are was were been his her their our any all some into over under about after "
    "before between against than such".split()
)
# Words that name no proposal by themselves: a target made only of them matches nothing.
GENERIC_TARGET_WORDS = frozenset(
    "plan plans proposal proposals deal deals agreement agreements idea ideas policy "
    "policies measure measures issue issues matter matters move moves decision decisions "
    "effort efforts initiative initiatives offer offers talks situation statement comments "
    "position stance it this that".split()
)
CONDITION_THRESHOLD = 60.0
CLAIM_THRESHOLD = 50.0


@dataclass
class Score:
    matched: int = 0
    predicted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.predicted if self.predicted else 0.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.predicted += other.predicted
        self.gold += other.gold

    def as_dict(self) -> dict[str, float | int]:
        return {
            "matched": self.matched,
            "predicted": self.predicted,
            "gold": self.gold,
            "precision": round(self.precision, 3),
            "recall": round(self.recall, 3),
            "f1": round(self.f1, 3),
        }


@dataclass
class Grounding:
    grounded: int = 0
    evidence: int = 0
    checked: bool = True  # False when the article text was not found

    @property
    def rate(self) -> float | None:
        if not self.checked:
            return None
        return self.grounded / self.evidence if self.evidence else 1.0

    def add(self, other: Grounding) -> None:
        if other.checked:
            self.grounded += other.grounded
            self.evidence += other.evidence

    def as_dict(self) -> dict[str, Any]:
        rate = self.rate
        return {
            "grounded": self.grounded,
            "evidence": self.evidence,
            "rate": None if rate is None else round(rate, 3),
        }


@dataclass
class ArticleScore:
    id: str
    sha256: str
    strategy: str
    stances: Score = field(default_factory=Score)
    conditions: Score = field(default_factory=Score)
    matched_conditions: Score = field(default_factory=Score)  # of matched stances only
    claims: Score = field(default_factory=Score)
    grounding: Grounding = field(default_factory=Grounding)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "sha256": self.sha256,
            "strategy": self.strategy,
            "stances": self.stances.as_dict(),
            "conditions": self.conditions.as_dict(),
            "matched_conditions": self.matched_conditions.as_dict(),
            "claims": self.claims.as_dict(),
            "grounding": self.grounding.as_dict(),
        }


@dataclass
class Evaluation:
    articles: list[ArticleScore]
    runs_without_gold: list[str]  # run articles (id) that no gold line covers
    gold_without_run: list[str]  # gold articles no run covers

    @property
    def total(self) -> ArticleScore:
        total = ArticleScore(id="total", sha256="", strategy="")
        for a in self.articles:
            total.stances.add(a.stances)
            total.conditions.add(a.conditions)
            total.matched_conditions.add(a.matched_conditions)
            total.claims.add(a.claims)
            total.grounding.add(a.grounding)
        total.grounding.checked = any(a.grounding.checked for a in self.articles)
        return total

    def as_dict(self) -> dict[str, Any]:
        total = self.total.as_dict()
        for key in ("id", "sha256", "strategy"):
            del total[key]
        return {
            "total": total,
            "articles": [a.as_dict() for a in self.articles],
            "runs_without_gold": self.runs_without_gold,
            "gold_without_run": self.gold_without_run,
            "thresholds": {
                "target": f"content words (coverage {TARGET_COVERAGE:.2f}, subset "
                f"{TARGET_SUBSET_SHARE}) or token_sort_ratio >= {TARGET_THRESHOLD}",
                "condition": CONDITION_THRESHOLD,
                "claim": CLAIM_THRESHOLD,
            },
        }


def evaluate(
    results: Iterable[ArticleResult],
    gold: Iterable[GoldArticle],
    text_of: Callable[[ArticleResult, GoldArticle], str | None] = lambda r, g: None,
) -> Evaluation:
    """Score every run article that has gold; `text_of` finds the text for grounding."""
    by_sha = {g.article.sha256: g for g in gold}
    scores, no_gold, seen = [], [], set()
    for result in results:
        g = by_sha.get(result.article.sha256)
        if g is None:
            no_gold.append(result.article.id)
            continue
        seen.add(result.article.sha256)
        scores.append(score_article(result, g, text_of(result, g)))
    if not scores:
        raise ConfigError(
            "no article in the runs has gold (matched by the sha256 of the article text). "
            "Extract the articles the gold describes, from the same files."
        )
    missing = [g.label for sha, g in by_sha.items() if sha not in seen]
    return Evaluation(scores, no_gold, missing)


def score_article(result: ArticleResult, gold: GoldArticle, text: str | None) -> ArticleScore:
    out = ArticleScore(result.article.id, result.article.sha256, result.strategy)
    out.stances = Score(predicted=len(result.stances), gold=len(gold.stances))
    out.conditions = Score(
        predicted=sum(len(s.conditions) for s in result.stances),
        gold=sum(len(g.conditions) for g in gold.stances),
    )
    for i, j in pairs(gold.stances, result.stances, stance_matches):
        g, hit = gold.stances[i], result.stances[j]
        out.stances.matched += 1
        out.matched_conditions.predicted += len(hit.conditions)
        out.matched_conditions.gold += len(g.conditions)
        found = len(pairs(g.conditions, hit.conditions, condition_matches))
        out.conditions.matched += found
        out.matched_conditions.matched += found
    out.claims = Score(predicted=len(result.claims), gold=len(gold.claims))
    out.claims.matched = len(pairs(gold.claims, result.claims, claim_matches))
    out.grounding = grounding(result, text)
    return out


def stance_matches(stance: Stance, gold: GoldStance) -> bool:
    return (
        actor_matches(stance.actor, gold.actor)
        and stance.position == gold.position
        and any(
            target_matches(t, gold.target) for t in {stance.target, stance.canonical_target} if t
        )
    )


def content_words(target: str) -> list[str]:
    """The words of a target that the target rule compares (see the module docstring)."""
    words: list[str] = []
    for word in re.findall(r"[\w'’-]+", target.casefold()):
        word = re.sub(r"['’]s?$", "", word).strip("-'’")
        parts = [word] if any(c.isdigit() for c in word) else word.split("-")
        for part in parts:
            if not part or part in _STOPWORDS:
                continue
            if len(part) > 3 and part.endswith("s") and not part.endswith("ss"):
                part = part[:-1]
            words.append(part)
    return words


def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    shorter = min(len(a), len(b))
    common = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), shorter)
    return shorter >= 5 and common >= max(5, shorter - 1)


def _covered(words: list[str], by: list[str]) -> bool:
    return all(any(_same_word(w, o) for o in by) for w in words)


def target_matches(extracted: str, gold: str) -> bool:
    """The target rule of the module docstring: content words, not any shared subset."""
    e, g = content_words(extracted), content_words(gold)
    if not e or not g or all(w in GENERIC_TARGET_WORDS for w in e):
        return False
    if _covered(g, e) and len(set(g)) >= TARGET_COVERAGE * len(set(e)):
        return True
    specific = {w for w in e if w not in GENERIC_TARGET_WORDS}
    if _covered(e, g) and len(specific) >= 2 and len(set(e)) >= TARGET_SUBSET_SHARE * len(set(g)):
        return True
    a, b = normalize_target(extracted), normalize_target(gold)
    return fuzz.token_sort_ratio(a, b) >= TARGET_THRESHOLD


def condition_matches(condition: Condition, gold: GoldCondition) -> bool:
    return similar(condition.text, gold.text, CONDITION_THRESHOLD) or any(
        similar(e.quote, gold.text, CONDITION_THRESHOLD) for e in condition.evidence
    )


def claim_matches(claim: Claim, gold: GoldClaim) -> bool:
    return actor_matches(claim.claimant, gold.claimant) and similar(
        claim.content, gold.content, CLAIM_THRESHOLD
    )


def evidence_items(result: ArticleResult) -> list[Evidence]:
    items = [e for s in result.stances for e in s.evidence]
    items += [e for s in result.stances for c in s.conditions for e in c.evidence]
    return items + [e for c in result.claims for e in c.evidence]


def grounding(result: ArticleResult, text: str | None) -> Grounding:
    items = evidence_items(result)
    if text is None:
        return Grounding(0, len(items), checked=False)
    return Grounding(sum(text[e.start : e.end] == e.quote for e in items), len(items))


def actor_matches(actor: Actor, aliases: list[str]) -> bool:
    names = {a.casefold() for a in aliases}
    return actor.name.casefold() in names or actor.canonical.casefold() in names


def similar(a: str, b: str, threshold: float) -> bool:
    return fuzz.token_set_ratio(a.casefold(), b.casefold()) >= threshold
