"""One name for each target of an article: the canonical target of its stances.

Contract: `canonical_targets(stances, text)` returns the stances in the same order, each
with `canonical_target` set; nothing else changes, and the `target` (the sentence's own
words) stays as it is. The canonical target is, in this order:

1. For a target that is a name (every word capitalised once a leading "the" or title
   is dropped, at most four words: "Trump", "Mr. Ryan", "the Kremlin"), the actor's
   canonical name (`actors.canonical_name`): "Trump" is "Donald Trump" where the article
   writes the full name, as the actors of its records are named.
2. For any other target, the most specific target wording among the article's stances
   that contains all of its content words (`content_words`: lower-cased, stopwords and
   the generic nouns of `GENERIC` left out, a plural "s" dropped): "the ceasefire
   proposal" is "the US-proposed 30-day ceasefire" when that is the only target
   wording holding "ceasefire". When two wordings that do not contain each other both
   hold them ("military aid", "humanitarian aid" for "aid"), nothing is guessed: the
   target is its own canonical target, as is a target of generic words only ("the plan").

Synonyms ("truce", "ceasefire") are not joined here; the timeline's mapping file joins
them across articles.
"""

from __future__ import annotations

import re

from extractor.grounding.actors import canonical_name, strip_titles
from extractor.schemas import Stance

# Kept apart from the scorer's word lists (extractor.evaluation.evaluate), so that the
# scorer does not move with what it scores; the timeline's GENERIC is a third, older list.
GENERIC = frozenset(
    "plan plans proposal proposals deal deals agreement agreements idea ideas policy "
    "policies measure measures offer offers initiative initiatives move decision call "
    "calls effort efforts".split()
)
_STOPWORDS = frozenset(
    "a an the of to in on at for from by with and or as its it this that these those his "
    "her their our any all some into over about after before".split()
)
_NAME_WORDS = 4


def canonical_targets(stances: list[Stance], text: str) -> list[Stance]:
    """`stances` with their `canonical_target` (see the module docstring)."""
    wordings = {s.target: content_words(s.target) for s in stances}
    return [
        s.model_copy(update={"canonical_target": _canonical(s.target, wordings, text)})
        for s in stances
    ]


def content_words(target: str) -> frozenset[str]:
    words = set()
    for word in re.findall(r"[\w'’-]+", target.casefold()):
        word = re.sub(r"['’]s?$", "", word)
        if word in _STOPWORDS or word in GENERIC or not word:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.add(word)
    return frozenset(words)


def _canonical(target: str, wordings: dict[str, frozenset[str]], text: str) -> str:
    if (name := _as_name(target)) is not None:
        return canonical_name(name, text)
    own = wordings[target]
    if not own:
        return target
    wider = [w for w, words in wordings.items() if own < words]
    widest = [w for w in wider if not any(wordings[w] < wordings[o] for o in wider)]
    if len(widest) != 1:
        return target
    return widest[0]


def _as_name(target: str) -> str | None:
    """The name `target` is, if it is only a name."""
    words = target.split()
    if words and words[0].casefold() == "the":
        words = words[1:]
    words = strip_titles(words)
    if not words or len(words) > _NAME_WORDS:
        return None
    if not all(w[:1].isupper() and any(c.isalpha() for c in w) for w in words):
        return None
    return " ".join(words)
