"""Long articles: chunks by a token budget, overlapping, with offsets into the whole
article; records seen in two chunks are merged."""

from __future__ import annotations

import itertools
import json
from collections import Counter
from typing import Any

from extractor import Extractor
from extractor.pipeline.articles import from_text
from extractor.pipeline.segment import approx_tokens, sentences, split_long, token_chunks
from tests.support.fakeanswers import asked, quote_back, synthetic_article
from tests.support.fakeserver import FakeServer, Reply


def test_token_chunks_fit_the_budget_cover_the_text_and_overlap() -> None:
    text = synthetic_article(7, 30_000)
    parts = token_chunks(text, 500, 80)
    sents = sentences(text)
    assert parts[0][0] == sents[0][0] and parts[-1][1] == sents[-1][1]
    for a, b in parts:
        assert approx_tokens(text[a:b]) <= 500
    for (a1, b1), (a2, b2) in itertools.pairwise(parts):
        assert a1 < a2 < b1 < b2  # each chunk starts inside the one before it
        assert approx_tokens(text[a2:b1]) <= 80 or text[a2:b1] in {text[s:e] for s, e in sents}
    covered = {s for s in sents if any(a <= s[0] and s[1] <= b for a, b in parts)}
    assert covered == set(sents)  # no sentence falls between chunks


def test_tokens_are_estimated_from_utf8_bytes() -> None:
    assert approx_tokens("abcd" * 100) == 100
    assert approx_tokens("д" * 100) == 50  # 2 bytes a character
    assert approx_tokens("中" * 100) == 75  # 3 bytes a character


def test_an_overlong_sentence_is_cut_at_spaces() -> None:
    text = "  " + " ".join(f"word{i}" for i in range(3000)) + " end"
    pieces = split_long(text, sentences(text), 200)
    assert len(pieces) > 5
    for a, b in pieces:
        piece = text[a:b]
        assert approx_tokens(piece) <= 200 and piece == piece.strip()
        assert (a == 2 or text[a - 1] == " ") and (b == len(text) or text[b] == " ")
    assert " ".join(text[a:b] for a, b in pieces) == text.strip()


def test_long_article_offsets_are_the_whole_articles_and_overlaps_merge() -> None:
    text = synthetic_article(11, 60_000)
    quoted: list[str] = []

    def respond(request: dict[str, Any]) -> Reply:
        reply = quote_back(request, limit=20)  # every sentence of the chunk that names someone
        quoted.extend(c["quote"] for c in _answer(reply)["claims"])
        return reply

    with (
        FakeServer(respond) as server,
        Extractor(base_url=server.base_url, model="m", strategy="article", chunk_tokens=300) as ex,
    ):
        result = ex.run(from_text(text, id="long"))
        chunks = [asked(r)[1] for r in server.requests]
    assert result.error is None and len(chunks) == result.usage.requests > 10
    assert all(approx_tokens(c) <= ex.chunk_tokens for c in chunks)
    evidence = [e for c in result.claims for e in c.evidence]
    evidence += [e for s in result.stances for e in s.evidence]
    for ev in evidence:
        assert text[ev.start : ev.end] == ev.quote and ev.match == "exact"
    assert max(ev.start for ev in evidence) > 50_000  # offsets into the whole article
    # a sentence answered from two overlapping chunks is one record with one evidence
    assert max(Counter(quoted).values()) == 2
    spans = Counter((e.start, e.end) for c in result.claims for e in c.evidence)
    assert set(spans.values()) == {1}
    assert {text[a:b] for a, b in spans} == {q.strip('"') for q in quoted}  # edge quotes go


def _answer(reply: Reply) -> dict[str, Any]:
    assert isinstance(reply.body, dict)
    message = reply.body["choices"][0]["message"]
    raw = message["tool_calls"][0]["function"]["arguments"] if message.get("tool_calls") else None
    return json.loads(raw or message["content"])
