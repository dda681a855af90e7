"""Score a run's claims against PolNeAR attributions (Newell, Margolin & Ruths, LREC 2018).

The corpus directory holds `text/NAME.txt` and `attributions/NAME_ANNOTATOR.ann` (brat
standoff, see extractor/brat.py). A run's article is the PolNeAR text with the same
SHA-256. Rules:

- One annotator per article: the one named by `annotator` when that file exists,
  otherwise the first annotator id in sorted order (2 of the 84 test articles have six
  annotators; the others one). Deterministic, and no duplicate gold from a union.
- Gold: attributions that have a Source span. `Attribution-no-source` events are left
  out (a claim always has a claimant) and counted as `no_source`.
- A claim matches an attribution when one of its evidence spans overlaps the Content
  span (any fragment) and its claimant matches the Source: an occurrence of the
  claimant's name in the text overlaps the Source span, or the words of the name or the
  canonical form (minus "the", "a", "an") are a subset or superset of the Source's words,
  or the words the claim names its claimant with (`claimant_mention`: "he", "who", "the
  agency", as the reader found them in the sentence) overlap the Source span. Without
  that mention a pronoun Source ("he", "she said") never matches a name. `by_name` is
  the rule before 2026-12-08, names only, kept so that earlier figures compare.
- One-to-one, as many pairs as can be made (`matching.pairs`; until 2026-12-08 greedy:
  attributions in text order, each took the first free claim).
  Precision = matched claims / claims, recall = matched attributions / attributions.
- `content_only` applies the span rule alone, to tell attribution errors from misses.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extractor.errors import ConfigError
from extractor.evaluation.brat import Attribution, Span, read_ann
from extractor.evaluation.evaluate import Score
from extractor.evaluation.matching import pairs
from extractor.pipeline.articles import decode
from extractor.schemas import Actor, ArticleResult, Claim

_STOP = {"the", "a", "an"}


@dataclass
class PolnearDoc:
    name: str
    annotator: str
    annotators: list[str]
    text: str
    attributions: list[Attribution]  # those with a Source
    no_source: int


@dataclass
class PolnearScore:
    id: str
    name: str
    annotator: str
    attributions: Score
    content_only: Score
    by_name: Score
    no_source: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "polnear": self.name,
            "annotator": self.annotator,
            "attributions": self.attributions.as_dict(),
            "content_only": self.content_only.as_dict(),
            "by_name": self.by_name.as_dict(),
            "no_source": self.no_source,
        }


@dataclass
class PolnearEvaluation:
    articles: list[PolnearScore]
    runs_without_text: list[str]

    def total(self, which: str) -> Score:
        total = Score()
        for a in self.articles:
            total.add(getattr(a, which))
        return total

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": {
                "attributions": self.total("attributions").as_dict(),
                "content_only": self.total("content_only").as_dict(),
                "by_name": self.total("by_name").as_dict(),
                "no_source": sum(a.no_source for a in self.articles),
            },
            "articles": [a.as_dict() for a in self.articles],
            "runs_without_text": self.runs_without_text,
        }


def load_corpus(
    directory: str | Path, shas: set[str] | None = None, annotator: str | None = None
) -> dict[str, PolnearDoc]:
    """PolNeAR documents by SHA-256 of their text (only those in `shas`, when given)."""
    root = Path(directory)
    texts, anns = root / "text", root / "attributions"
    if not texts.is_dir() or not anns.is_dir():
        raise ConfigError(
            f"{directory}: not a PolNeAR directory (needs text/ and attributions/), "
            "e.g. ../shared/benchmarks/polnear-test."
        )
    docs: dict[str, PolnearDoc] = {}
    for path in sorted(texts.glob("*.txt")):
        text = decode(path.read_bytes(), str(path))
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if shas is not None and sha not in shas:
            continue
        prefix = path.stem + "_"
        files = {
            f.stem[len(prefix) :]: f
            for f in anns.glob("*.ann")
            if f.stem.startswith(prefix) and "_" not in f.stem[len(prefix) :]
        }
        if not files:
            continue
        chosen = annotator if annotator in files else sorted(files)[0]
        found = read_ann(files[chosen])
        with_source = sorted(
            (a for a in found if a.source and a.content), key=lambda a: a.content[0]
        )
        docs[sha] = PolnearDoc(
            path.stem, chosen, sorted(files), text, with_source, len(found) - len(with_source)
        )
    return docs


def evaluate_polnear(
    results: Iterable[ArticleResult], directory: str | Path, annotator: str | None = None
) -> PolnearEvaluation:
    results = list(results)
    docs = load_corpus(directory, {r.article.sha256 for r in results}, annotator)
    scores, unmatched = [], []
    for result in results:
        doc = docs.get(result.article.sha256)
        if doc is None:
            unmatched.append(result.article.id)
            continue
        scores.append(score_doc(result, doc))
    if not scores:
        raise ConfigError(
            f"none of the run's articles is a PolNeAR text in {directory} (matched by the "
            f"sha256 of the text). Extract files from {Path(directory) / 'text'}."
        )
    return PolnearEvaluation(scores, unmatched)


def score_doc(result: ArticleResult, doc: PolnearDoc) -> PolnearScore:
    full = _match(result.claims, doc, lambda c, a: claim_matches(c, a, doc.text))
    spans = _match(result.claims, doc, lambda c, a: content_overlaps(c, a))
    names = _match(
        result.claims,
        doc,
        lambda c, a: content_overlaps(c, a) and source_matches(c.claimant, a, doc.text),
    )
    return PolnearScore(
        result.article.id, doc.name, doc.annotator, full, spans, names, doc.no_source
    )


def claim_matches(claim: Claim, att: Attribution, text: str) -> bool:
    return content_overlaps(claim, att) and (
        source_matches(claim.claimant, att, text) or mention_matches(claim, att)
    )


def mention_matches(claim: Claim, att: Attribution) -> bool:
    """The claim's mention of its claimant overlaps the Source span."""
    m = claim.claimant_mention
    return m is not None and any(_overlap((m.start, m.end), frag) for frag in att.source)


def content_overlaps(claim: Claim, att: Attribution) -> bool:
    return any(_overlap((e.start, e.end), frag) for e in claim.evidence for frag in att.content)


def source_matches(actor: Actor, att: Attribution, text: str) -> bool:
    source = _words(att.source_text)
    for name in {actor.name, actor.canonical}:
        words = _words(name)
        if words and source and (words <= source or source <= words):
            return True
    return any(
        _overlap((m.start(), m.end()), frag)
        for m in re.finditer(re.escape(actor.name), text)
        for frag in att.source
    )


def _match(claims: list[Claim], doc: PolnearDoc, test: Any) -> Score:
    score = Score(predicted=len(claims), gold=len(doc.attributions))
    score.matched = len(pairs(doc.attributions, claims, test))
    return score


def _overlap(a: Span, b: Span) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _words(text: str) -> set[str]:
    return {w for w in re.findall(r"\w+", text.casefold()) if w not in _STOP}
