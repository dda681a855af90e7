"""Sentence spans and chunks are offsets into the article."""

from __future__ import annotations

import itertools

from extractor.pipeline.segment import approx_tokens, sentences, token_chunks


def test_seed_sentences_slice_cleanly(seed_text: str) -> None:
    spans = sentences(seed_text)
    texts = [seed_text[a:b] for a, b in spans]
    assert texts[0] == "Putin open to US-backed ceasefire in Ukraine, but sets conditions"
    assert '"We agree with the proposal to stop the hostilities," Putin stated.' in texts
    # A quotation with question marks inside stays one sentence with its cue.
    assert any(
        t.startswith('He questioned, "What does it mean') and t.endswith('weapons?"') for t in texts
    )
    assert "-" not in texts  # a lone dash line is not a sentence
    for a, b in spans:
        assert seed_text[a:b] == seed_text[a:b].strip() and a < b


def test_abbreviations_do_not_split() -> None:
    text = "Mr. Smith met U.S. officials on Jan. 5. They agreed."
    assert [text[a:b] for a, b in sentences(text)] == [
        "Mr. Smith met U.S. officials on Jan. 5.",
        "They agreed.",
    ]


def test_windows_line_endings_and_unicode() -> None:
    text = "Первое предложение.\r\nВторое! 第三句。\r\n"
    spans = sentences(text)
    assert [text[a:b] for a, b in spans] == ["Первое предложение.", "Второе!", "第三句。"]


def test_chunks_cover_everything_with_overlap(seed_text: str) -> None:
    parts = token_chunks(seed_text, 200)
    assert len(parts) > 2
    assert parts[0][0] == sentences(seed_text)[0][0]
    assert parts[-1][1] == sentences(seed_text)[-1][1]
    for (a1, b1), (a2, _b2) in itertools.pairwise(parts):
        assert a2 < b1  # each chunk repeats the last sentence of the one before
        assert approx_tokens(seed_text[a1:b1]) <= 200
