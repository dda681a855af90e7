"""Tests for extractor.grounding.locate: every span is checked by slicing the source text."""

import random
import re

import pytest
from rapidfuzz import fuzz

from extractor.grounding.locate import Span, _normalize, find_name, find_quote

SEED = (
    '"We agree with the proposal to stop the hostilities," Putin stated.\n'
    "Meanwhile, US Secretary of State Marco Rubio has stated that "
    '"the ball is in Russia\'s court," urging Moscow to engage in meaningful '
    "peace efforts."
)

PARAGRAPH = (
    "Russian President Vladimir Putin has indicated a willingness to consider a "
    "US-proposed 30-day ceasefire in Ukraine but noted that its implementation must "
    "address deeper issues rather than serve as a mere pause in hostilities.\n"
    "Speaking at a press conference after his meeting with Belarusian President "
    "Alexander Lukashenko, Putin acknowledged the proposal but stressed the need for "
    "guarantees ensuring long-term stability. "
    '"We agree with the proposal to stop the hostilities," Putin stated. However, he '
    "maintained that the ceasefire must contribute to resolving the underlying causes "
    "of the conflict rather than simply freezing the situation temporarily. "
    "Washington has warned of additional sanctions should Russia reject the agreement, "
    "and the Kremlin said Ukraine's terms were unacceptable."
)

RU = "Путин заявил: «Мы согласны с предложением прекратить боевые действия». Конец."
ZH = "普京表示：“我们同意停止敌对行动的提议。”随后鲁比奥说球在俄罗斯一边。"


def sliced(text: str, span: Span | None) -> str | None:
    return None if span is None else text[span.start : span.end]


# fmt: off
# (id, text, quote, expected slice, expected match kind)
QUOTE_CASES = [
    ("exact", SEED, "the ball is in Russia's court", "the ball is in Russia's court", "exact"),
    ("seed-exact-first", SEED, "We agree with the proposal to stop the hostilities",
     "We agree with the proposal to stop the hostilities", "exact"),
    ("wrapped-straight", SEED, '"the ball is in Russia\'s court,"',
     "the ball is in Russia's court,", "exact"),
    ("wrapped-curly", SEED, "“We agree with the proposal to stop the hostilities,”",
     "We agree with the proposal to stop the hostilities,", "exact"),
    ("wrapped-guillemets-ws", SEED, "  « Putin stated. »\n", "Putin stated.", "exact"),
    ("curly-quote-straight-text", SEED, "the ball is in Russia’s court",
     "the ball is in Russia's court", "normalized"),
    ("straight-quote-curly-text", "He said “stop” and Russia’s army stopped.",
     "said \"stop\" and Russia's army", "said “stop” and Russia’s army", "normalized"),
    ("newline", SEED, "Putin stated. Meanwhile, US Secretary",
     "Putin stated.\nMeanwhile, US Secretary", "normalized"),
    ("crlf", "Putin stated.\r\nMeanwhile, US", "Putin stated. Meanwhile, US",
     "Putin stated.\r\nMeanwhile, US", "normalized"),
    ("nbsp-and-runs", "Marco\u00a0Rubio  has\t stated", "Marco Rubio has stated",
     "Marco\u00a0Rubio  has\t stated", "normalized"),
    ("quote-has-extra-ws", SEED, "urging  Moscow\nto   engage",
     "urging Moscow to engage", "normalized"),
    ("case", SEED, "THE BALL IS IN RUSSIA'S COURT", "the ball is in Russia's court",
     "normalized"),
    ("en-dash", "a 30–day ceasefire", "a 30-day ceasefire", "a 30–day ceasefire",
     "normalized"),
    ("em-dash", "peace — for now", "peace - for now", "peace — for now", "normalized"),
    ("ellipsis-char-in-text", "wait… and see", "wait... and see", "wait… and see",
     "normalized"),
    ("ellipsis-char-in-quote", "wait... and see", "wait… and see", "wait... and see",
     "normalized"),
    ("ru-exact", RU, "Мы согласны с предложением", "Мы согласны с предложением", "exact"),
    ("ru-normalized", RU, "мы СОГЛАСНЫ с\nпредложением", "Мы согласны с предложением",
     "normalized"),
    ("ru-guillemets", RU, "заявил: \"Мы согласны", "заявил: «Мы согласны", "normalized"),
    ("zh-exact", ZH, "我们同意停止敌对行动的提议", "我们同意停止敌对行动的提议", "exact"),
    ("zh-normalized", ZH, '表示："我们同意', "表示：“我们同意", "normalized"),
    ("zh-fuzzy", ZH, "我们同意停止敌对行为的提议", "我们同意停止敌对行动的提议", "fuzzy"),
    ("fuzzy-misspelled", SEED, "We agre with the proposal to stop the hostilites",
     "We agree with the proposal to stop the hostilities", "fuzzy"),
    ("fuzzy-misspelled-edge-words", SEED, "urgng Moscow to engage in meaningful peace efforts",
     "urging Moscow to engage in meaningful peace efforts", "fuzzy"),
    ("fuzzy-word-changed", PARAGRAPH,
     "maintained that the ceasefire should contribute to resolving the underlying causes",
     "maintained that the ceasefire must contribute to resolving the underlying causes",
     "fuzzy"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "quote", "expected", "kind"),
    [case[1:] for case in QUOTE_CASES],
    ids=[case[0] for case in QUOTE_CASES],
)
def test_find_quote(text: str, quote: str, expected: str, kind: str) -> None:
    span = find_quote(text, quote)
    assert span is not None
    assert text[span.start : span.end] == expected
    assert span.match == kind
    if kind == "fuzzy":
        assert 90.0 <= span.score < 100.0
    else:
        assert span.score == 100.0


def test_offsets_are_characters_not_bytes() -> None:
    span = find_quote(ZH, "鲁比奥")
    assert span == Span(ZH.index("鲁比奥"), ZH.index("鲁比奥") + 3, "exact", 100.0)
    span = find_quote(RU, "БОЕВЫЕ действия")
    assert span is not None and span.start == RU.index("боевые")
    assert sliced(RU, span) == "боевые действия"


@pytest.mark.parametrize(
    "quote",
    [
        "Putin rejected the ceasefire outright and walked out of the talks",
        "Zelensky",
        "Putn stated",  # short: close, but too short to fuzzy-match
        "stop hostility",  # long enough to try fuzzy, but not similar enough
        "",
        "   \n",
        '""',
        "“ ”",
    ],
)
def test_find_quote_absent_or_empty(quote: str) -> None:
    assert find_quote(SEED, quote) is None


def test_fuzzy_threshold_is_respected() -> None:
    quote = "We agre with the proposal to stop the hostilites"
    assert find_quote(SEED, quote, fuzzy_threshold=99.5) is None
    assert find_quote(SEED, quote, fuzzy_threshold=80.0) is not None


def test_fuzzy_requires_similar_length() -> None:
    # Even with no score threshold, a match far shorter than the quote is refused.
    text = "Putin stated. Rubio agreed."
    quote = "Putin stated that the war must end on his own terms"
    assert find_quote(text, quote, fuzzy_threshold=0.0) is None
    span = find_quote(SEED, "Putin stated xxxxxxxxxxxxxxxx", fuzzy_threshold=0.0)
    assert span is not None
    assert 0.7 * 29 <= span.end - span.start <= 1.3 * 29


def test_repeated_quote_first_then_window() -> None:
    text = "Putin said no. Later, Putin said no. Then Putin said no again."
    second = text.index("Putin said no", 1)
    third = text.index("Putin said no", second + 1)

    span = find_quote(text, "Putin said no")
    assert span is not None and span.start == 0 and sliced(text, span) == "Putin said no"

    span = find_quote(text, "Putin said no", window=(second, len(text)))
    assert span is not None and span.start == second
    assert sliced(text, span) == "Putin said no"

    span = find_quote(text, "PUTIN SAID NO", window=(third - 2, len(text)))
    assert span is not None and span.start == third and span.match == "normalized"
    assert sliced(text, span) == "Putin said no"


def test_window_without_occurrence_searches_whole_text() -> None:
    span = find_quote(SEED, "Putin stated", window=(100, len(SEED)))
    assert span is not None and sliced(SEED, span) == "Putin stated"
    span = find_quote(SEED, "putin  stated", window=(100, 10_000))
    assert span is not None and sliced(SEED, span) == "Putin stated"


def test_window_partial_overlap_is_not_inside() -> None:
    text = "abc Putin stated. xyz Putin stated."
    # The window only covers half of the second occurrence: the first one wins.
    span = find_quote(text, "Putin stated", window=(20, 28))
    assert span is not None and span.start == 4


def test_fuzzy_prefers_window() -> None:
    sentence = "the ceasefire must contribute to resolving the underlying causes"
    text = f"{sentence}. Filler text in between. {sentence}."
    second = text.index(sentence, 1)
    quote = "the ceasefire must contribut to resolvng the underlying causes"
    span = find_quote(text, quote)
    assert span is not None and span.start == 0 and span.match == "fuzzy"
    span = find_quote(text, quote, window=(second, len(text)))
    assert span is not None and span.start == second and sliced(text, span) == sentence


def _edge(text: str, i: int) -> bool:
    return not (0 < i < len(text) and text[i - 1].isalnum() and text[i].isalnum())


def _preferred_occurrence(text: str, piece: str) -> int:
    """The first occurrence starting and ending on word edges, else the first one."""
    starts = [m.start() for m in re.finditer(f"(?={re.escape(piece)})", text)]
    whole = [i for i in starts if _edge(text, i) and _edge(text, i + len(piece))]
    return (whole or starts)[0]


def test_random_substrings_ground_exactly() -> None:
    rng = random.Random(20250313)
    edge = " \n\"'"
    for _ in range(200):
        i = rng.randrange(len(PARAGRAPH))
        j = min(len(PARAGRAPH), i + rng.randint(1, 120))
        piece = PARAGRAPH[i:j]
        expected = piece.strip(edge)
        span = find_quote(PARAGRAPH, piece)
        if not expected:
            assert span is None
            continue
        assert span is not None, piece
        assert span.match == "exact"
        assert PARAGRAPH[span.start : span.end] == expected
        assert span.start == _preferred_occurrence(PARAGRAPH, expected)

        # Same piece reformatted by a model: upper case, whitespace as newlines.
        span = find_quote(PARAGRAPH, "\n".join(piece.upper().split(" ")))
        assert span is not None, piece
        assert span.match in ("exact", "normalized")
        found = PARAGRAPH[span.start : span.end]
        assert found == found.strip()
        assert " ".join(found.split()).casefold() == " ".join(expected.split()).casefold()


def test_a_dropped_word_is_found_when_the_rule_accepts_it() -> None:
    """A peer's case: ratio 93.3 >= 90, yet the same-length pre-check (85.7) stopped it."""
    text = "Patient has heart problems today."
    span = find_quote(text, "patient heart problems today")
    assert span is not None and span.match == "fuzzy" and span.score >= 90
    assert text[span.start : span.end] == "Patient has heart problems today"


def _rule_accepts(text: str, quote: str, threshold: float = 90.0) -> bool:
    """Brute force of the fuzzy rule: some span of the normalized text on word edges,
    within 30% of the quote's length, has fuzz.ratio >= threshold."""
    norm, nq = _normalize(text)[0], _normalize(quote)[0].strip()
    edges = [i for i in range(len(norm) + 1) if _edge(norm, i)]
    starts = [i for i in edges if i < len(norm) and norm[i] != " "]
    ends = [j for j in edges if j > 0 and norm[j - 1] != " "]
    n = len(nq)
    return any(
        fuzz.ratio(nq, norm[i:j]) >= threshold
        for i in starts
        for j in ends
        if abs(j - i - n) <= 0.3 * n
    )


def test_dropped_word_property() -> None:
    """Quotes that leave out one inner word of a run of words: every one the rule accepts
    is found, at the place it came from (before the fix, 46 of the 120 accepted here were
    missed)."""
    words = list(re.finditer(r"\S+", PARAGRAPH))
    rng = random.Random(20261127)
    accepted = 0
    for _ in range(160):
        k = rng.randint(3, 14)
        first = rng.randrange(len(words) - k)
        run = words[first : first + k]
        drop = rng.randrange(1, k - 1)
        quote = " ".join(w.group() for i, w in enumerate(run) if i != drop)
        start, end = run[0].start(), run[-1].end()
        span = find_quote(PARAGRAPH, quote)
        if span is not None:  # whatever is found, the rule accepted it
            assert span.score >= 90 and _edge(PARAGRAPH, span.start)
        if not _rule_accepts(PARAGRAPH, quote):
            continue
        accepted += 1
        assert span is not None, quote
        assert span.start < end and start < span.end, (quote, PARAGRAPH[span.start : span.end])
    assert accepted >= 60  # the property was exercised, not vacuously true


@pytest.mark.parametrize(
    "text, quote, expected_start",
    [
        ("heart problems are rare; a heart problem is not", "heart problem", 27),
        ("Naprosyn, or Napro for short", "Napro", 13),
        ("Naprosyn only", "Napro", 0),  # no whole-word occurrence: the first one
        ("planets and a plan", "plan", 14),
    ],
)
def test_occurrence_on_word_edges_is_preferred(text: str, quote: str, expected_start: int) -> None:
    span = find_quote(text, quote)
    assert span is not None and span.start == expected_start
    assert text[span.start : span.end] == quote


# fmt: off
# (id, text, name, expected slice, expected match kind)
NAME_CASES = [
    ("full-name", SEED, "Marco Rubio", "Marco Rubio", "exact"),
    ("full-with-title", SEED, "US Secretary of State Marco Rubio",
     "US Secretary of State Marco Rubio", "exact"),
    ("case-insensitive", SEED, "marco rubio", "Marco Rubio", "normalized"),
    ("newline-in-text", "said Marco\nRubio today", "Marco Rubio", "Marco\nRubio", "normalized"),
    ("surname-only", SEED, "Vladimir Putin", "Putin", "fuzzy"),
    ("title-surname", SEED, "President Putin", "Putin", "fuzzy"),
    ("title-surname-rubio", SEED, "Secretary Rubio", "Rubio", "fuzzy"),
    ("descriptor-title", PARAGRAPH, "Belarusian President Lukashenko", "Lukashenko", "fuzzy"),
    ("acronym", SEED, "US", "US", "exact"),
    ("acronym-in-name", "The EU said so.", "the EU", "The EU", "normalized"),
    ("acronym-dotted-text", "the U.S. said", "US", "U.S.", "normalized"),
    ("acronym-dotted-name", "the US said", "U.S.", "US", "normalized"),
    ("acronym-possessive", "the UK's view", "UK", "UK", "exact"),
    ("capitalized-first", SEED, "Putin's government", "Putin", "fuzzy"),
    ("possessive-in-text", SEED, "Russia", "Russia", "exact"),
    ("possessive-name", SEED, "Russia's", "Russia", "exact"),
    ("possessive-curly", "Ukraine’s terms", "Ukraine's", "Ukraine", "exact"),
    ("generic-place", SEED, "Moscow", "Moscow", "exact"),
    ("generic-kremlin", PARAGRAPH, "the Kremlin", "the Kremlin", "exact"),
    ("generic-washington", PARAGRAPH, "Washington", "Washington", "exact"),
    ("ru-name", RU, "Владимир Путин", "Путин", "fuzzy"),
    ("zh-name", ZH, "鲁比奥", "鲁比奥", "exact"),
]
# fmt: on


@pytest.mark.parametrize(
    ("text", "name", "expected", "kind"),
    [case[1:] for case in NAME_CASES],
    ids=[case[0] for case in NAME_CASES],
)
def test_find_name(text: str, name: str, expected: str, kind: str) -> None:
    span = find_name(text, name)
    assert span is not None
    assert text[span.start : span.end] == expected
    assert span.match == kind
    assert 0.0 < span.score <= 100.0


@pytest.mark.parametrize(
    ("text", "name"),
    [
        (SEED, "John Smith"),
        (SEED, "US Secretary of State John Smith"),  # the title alone does not ground
        (SEED, "Mr. Smith"),
        (SEED, "the President"),
        ("Tell us more about it.", "US"),  # acronyms are case-sensitive
        ("Russian President Vladimir Putin", "Russia"),  # whole words only
        ("the U.S.A. team", "US"),
        (SEED, ""),
        (SEED, "   "),
    ],
)
def test_find_name_absent(text: str, name: str) -> None:
    assert find_name(text, name) is None


def test_find_name_prefers_window_else_first() -> None:
    text = "Putin spoke first. Later Vladimir Putin spoke again. Putin left."
    span = find_name(text, "Putin")
    assert span is not None and span.start == 0 and sliced(text, span) == "Putin"
    later = text.index("Putin", 1)
    span = find_name(text, "Putin", window=(19, 52))
    assert span is not None and span.start == later and sliced(text, span) == "Putin"
    span = find_name(text, "Vladimir Putin", window=(0, 18))
    assert sliced(text, span) == "Vladimir Putin"  # full name beats window preference
    last = text.rindex("Putin")
    span = find_name(text, "President Putin", window=(last, len(text)))
    assert span is not None and span.start == last and sliced(text, span) == "Putin"


def test_remembered_lookups_answer_like_fresh_ones() -> None:
    """Lookups are remembered (validation and grounding ask the same questions); a window
    given as a list (as JSON gives it) is the same window, and a remembered answer is
    the one a fresh lookup gives."""
    text = "Putin said no. Later, Putin said no. Then Putin said no again."
    second = text.index("Putin said no", 1)
    window = (second, len(text))
    first = find_quote(text, "Putin said no", window=window)
    assert find_quote(text, "Putin said no", window=list(window)) == first  # type: ignore[arg-type]
    assert first is not None and first.start == second
    assert find_name(text, "Putin", window=list(window)) == find_name(text, "Putin", window=window)  # type: ignore[arg-type]
    assert find_quote(text, "Putin said no") != first  # no window: the first occurrence
