"""Valid answers made from the request itself, for the FakeServer in tests and benchmarks.

`quote_back` reads the chunk (or sentence) a request asks about and answers with records
that quote its sentences verbatim, each attributed to a capitalised name in the sentence:
every record grounds, so a test or benchmark exercises the whole pipeline (validation,
grounding, merging) with answers whose right offsets it can check. `synthetic_article`
makes up articles for it to quote (hand-written templates, no real text).
"""

from __future__ import annotations

import random
import re
from typing import Any

from extractor.pipeline.prompts import unfence
from extractor.pipeline.segment import sentences
from tests.support.fakeserver import Reply, completion

NAME = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){1,2}\b")  # 2 or 3 capitalised words
WORD = re.compile(r"[A-Za-z]{4,}")


def asked(request: dict[str, Any]) -> tuple[str, str]:
    """("article", chunk) or ("sentence", sentence): what the request asks about, taken
    from the last fenced block of its first user message (the examples come first).
    The agenda strategy's questions, which list the sentence's phrases: ("statement",
    sentence)."""
    user = next(m["content"] for m in request["messages"] if m["role"] == "user")
    if "\nPhrases: " in user:
        return "statement", unfence(user, "sentence") or ""
    for tag in ("article", "sentence"):
        text = unfence(user, tag)
        if text is not None:
            return tag, text
    raise ValueError("no <article> or <sentence> block in the request")


def _listed(user: str, label: str) -> list[str]:
    """The quoted choices of a statement question's "Actors:" or "Phrases:" line."""
    line = next((ln for ln in user.splitlines() if ln.startswith(label)), "")
    return [c for c in re.findall(r'"([^"]*)"', line) if c != "none"]


def statement_answer(user: str) -> dict[str, Any]:
    """The first listed actor supports the last listed phrase (or none)."""
    actors = _listed(user, "Actors:")
    phrases = _listed(user, "Phrases:")
    if not actors:
        return {"items": []}
    item = {"who": actors[0], "about": phrases[-1] if phrases else "none", "position": "support"}
    return {"items": [item]}


def _records(text: str, limit: int) -> list[tuple[str, str, str]]:
    """(name, target, sentence) for the first `limit` sentences of `text` naming someone."""
    found = []
    for a, b in sentences(text):
        sentence = text[a:b]
        name = NAME.search(sentence)
        words = WORD.findall(sentence)
        if name and len(words) >= 3:
            n = 3  # a target does not end on a joining word: grounding drops cut phrases
            while n < len(words) and words[n - 1].casefold() in JOINING:
                n += 1
            found.append((name.group(), " ".join(words[:n]), sentence))
    return found[:limit]


JOINING = frozenset(
    "and or but nor of to for with by from in on at as than that which who the a an".split()
)


def article_answer(chunk: str, limit: int = 3) -> dict[str, Any]:
    stances, claims = [], []
    for name, target, sentence in _records(chunk, limit):
        stances.append(
            {
                "actor": name,
                "actor_kind": "person",
                "target": target,
                "position": "support",
                "act": "statement",
                "conditions": [],
                "quote": sentence,
            }
        )
        claims.append(
            {
                "claimant": name,
                "claimant_kind": "person",
                "content": sentence,
                "cue": None,
                "attribution": "indirect",
                "quote": sentence,
            }
        )
    return {"stances": stances, "claims": claims}


def sentence_answer(sentence: str) -> dict[str, Any]:
    stances, claims = [], []
    for name, target, _ in _records(sentence, 1):
        stances.append(
            {
                "actor": name,
                "actor_kind": "person",
                "target": target,
                "position": "support",
                "act": "statement",
                "condition": None,
            }
        )
        claims.append(
            {"claimant": name, "claimant_kind": "person", "content": sentence, "cue": None}
        )
    return {"stances": stances, "claims": claims}


def quote_back(request: dict[str, Any], delay: float = 0.0, limit: int = 3) -> Reply:
    """A Reply for the FakeServer: a valid answer about what `request` asks, with up to
    `limit` stances and claims per chunk."""
    kind, text = asked(request)
    if kind == "statement":
        user = next(m["content"] for m in request["messages"] if m["role"] == "user")
        answer = statement_answer(user)
    else:
        answer = article_answer(text, limit) if kind == "article" else sentence_answer(text)
    prompt = sum(len(m.get("content") or "") for m in request["messages"]) // 4
    return Reply(body=completion(request, answer, usage=(prompt, 50)), delay=delay)


_FIRST = "Ana Boris Chen Dana Elif Farid Greta Hugo Ines Jonas Kofi Lena Mateo Nadia".split()
_LAST = "Ruiz Novak Wang Ortiz Kaya Haddad Berg Silva Costa Weber Mensah Petrov Rossi".split()
_PROPOSALS = [
    "river park plan",
    "transit levy",
    "border ceasefire",
    "school budget",
    "water treaty",
    "housing bill",
]
_TEMPLATES = [
    "{name} said on day {n} that the council would back the {p} only if the state pays half.",
    '"We cannot accept the {p} as written," {name} told reporters on day {n}.',
    "Officials close to {name} warned on day {n} that the {p} could collapse without guarantees.",
    "The {p} drew {k} comments from residents on day {n}, according to the city clerk.",
    "{name} rejected the {p} outright on day {n}, calling it a waste of public money.",
]


def synthetic_article(seed: int, chars: int = 4000) -> str:
    """A made-up news article of about `chars` characters whose sentences name people
    (for quote_back to quote) and never repeat (so each quote has one place)."""
    rng = random.Random(seed)
    lines = [f"Council weighs the {rng.choice(_PROPOSALS)} (report {seed})", ""]
    size, n = 0, 0
    while size < chars:
        n += 1
        name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        sentence = rng.choice(_TEMPLATES).format(
            name=name, n=f"{seed}.{n}", p=rng.choice(_PROPOSALS), k=rng.randint(2, 900)
        )
        lines.append(sentence if n % 4 else sentence + "\n")
        size += len(sentence) + 1
    return "\n".join(lines).strip() + "\n"
