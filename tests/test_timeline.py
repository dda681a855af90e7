"""The stance timeline on hand-made dated runs (tests/timeline_records.py): target joins
and non-joins, shifts flagged and restatements not, undated records kept apart, the
mapping file, the text, CSV and HTML outputs; and where article dates come from."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from timeline_records import negotiation

from extractor.cli.main import main
from extractor.errors import ConfigError
from extractor.pipeline import articles
from extractor.timeline import Mapping, build_timeline, join_targets, load_mapping
from extractor.timeline.page import render_html
from extractor.timeline.targets import target_key

TRUCE = '[[join]]\nlabel = "ceasefire"\nwordings = ["30-day ceasefire", "the truce"]\n'


def _groups(wordings: list[str], mapping: Mapping | None = None) -> list[set[str]]:
    return [set(g.wordings) for g in join_targets(wordings, mapping)]


def _mapping(tmp_path: Path, text: str) -> Mapping:
    path = tmp_path / "targets.toml"
    path.write_text(text, encoding="utf-8")
    return load_mapping(path)


def test_wordings_of_one_proposal_join_and_others_do_not() -> None:
    groups = _groups(
        [
            "30-day ceasefire",
            "the ceasefire deal",
            "The Ceasefire",
            "ceasefire",
            "the truce",
            "the tram extension",
            "tram fares",
        ]
    )
    assert {"30-day ceasefire", "the ceasefire deal", "The Ceasefire", "ceasefire"} in groups
    assert {"the truce"} in groups  # a synonym is not guessed: the mapping file joins it
    assert {"the tram extension"} in groups and {"tram fares"} in groups


def test_a_join_says_how_it_was_made() -> None:
    (group,) = join_targets(
        ["the ceasefire", "the ceasefire", "The Ceasefire", "30-day ceasefire deal"]
    )
    assert group.label == "the ceasefire"  # the most frequent wording
    assert dict(group.joins()) == {
        "the ceasefire": "first",
        "The Ceasefire": "same words as 'the ceasefire'",
        "30-day ceasefire deal": "fuzzy 100 with 'the ceasefire'",
    }


def test_a_wording_joins_by_its_articles_canonical_target(tmp_path: Path) -> None:
    # "mr trump" and "donald trump" share one word of two: no fuzzy join by themselves
    assert len(join_targets(["Mr. Trump", "Donald Trump"])) == 2
    (group,) = join_targets([("Mr. Trump", "Donald Trump"), ("Donald Trump", "Donald Trump")])
    assert dict(group.joins())["Mr. Trump"] == "its article's 'Donald Trump'"
    # the user's file decides first: a wording it names joins by its own words
    mapping = _mapping(tmp_path, '[[apart]]\nwordings = ["Mr. Trump", "Donald Trump"]\n')
    groups = join_targets([("Mr. Trump", "Donald Trump"), ("Donald Trump", None)], mapping)
    assert [set(g.wordings) for g in groups] == [{"Donald Trump"}, {"Mr. Trump"}]


def test_generic_nouns_alone_still_compare() -> None:
    assert target_key("the plan") == "plan"
    assert target_key("the peace plan") == "peace"
    assert _groups(["the plan", "the deal"]) == [{"the deal"}, {"the plan"}]


def test_groups_do_not_depend_on_input_order() -> None:
    words = ["ceasefire talks", "talks", "ceasefire", "peace talks", "the ceasefire deal"]
    first = sorted(sorted(g) for g in _groups(words))
    assert first == sorted(sorted(g) for g in _groups(list(reversed(words))))


def test_mapping_forces_and_forbids_joins(tmp_path: Path) -> None:
    mapping = _mapping(
        tmp_path,
        TRUCE + '[[apart]]\nwordings = ["ceasefire", "permanent ceasefire"]\n',
    )
    groups = join_targets(
        ["30-day ceasefire", "the truce", "ceasefire", "permanent ceasefire"], mapping
    )
    as_sets = [set(g.wordings) for g in groups]
    assert {"30-day ceasefire", "the truce", "ceasefire"} in as_sets
    assert {"permanent ceasefire"} in as_sets  # would join "ceasefire" at 100 without [[apart]]
    joined = next(g for g in groups if "the truce" in g.wordings)
    assert joined.label == "ceasefire" and dict(joined.joins())["the truce"] == "mapping file"


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[[join]]\nwordings = ['only one']\n", "two or more strings"),
        ("[join]\nwordings = ['a', 'b']\n", "write [[join]] tables"),
        ("[[merge]]\nwordings = ['a', 'b']\n", "unknown section 'merge'"),
        ("[[join]\n", "not a TOML mapping file"),
        (TRUCE + "[[apart]]\nwordings = ['the truce', '30-day ceasefire']\n", "joined and kept"),
    ],
)
def test_mapping_mistakes_are_one_line(tmp_path: Path, text: str, says: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(says)) as info:
        _mapping(tmp_path, text)
    assert "\n" not in str(info.value)


def _flags(timeline, actor: str) -> list[tuple[str, str, str, str]]:  # type: ignore[no-untyped-def]
    return [
        (s.kind, s.detail, s.before.article, s.after.article)
        for row in timeline.rows
        if row.actor == actor
        for s in row.shifts
    ]


def test_shifts_are_flagged_and_restatements_are_not(tmp_path: Path) -> None:
    timeline = build_timeline(negotiation(), mapping=_mapping(tmp_path, TRUCE))
    assert sorted(_flags(timeline, "Lind")) == sorted(
        [
            ("condition added", "added: prisoners are exchanged", "a1", "a2"),
            ("position", "support -> oppose", "a2", "a3"),
            ("unconditional", "support, now without conditions", "a2", "a4"),
            ("same day", "oppose and support on 2016-10-03", "a3", "a4"),
        ]
    )
    # Moro's no of 10-01 restated on 10-02 in other words ("the truce", joined by the
    # mapping) is no flag; his yes of 10-03 is
    assert _flags(timeline, "Moro") == [("position", "oppose -> support", "a2", "a3")]
    shift = timeline.rows[0].shifts[0]
    assert shift.before.quotes and shift.after.quotes and shift.before.date < shift.after.date


def test_without_the_mapping_a_synonym_stays_a_row_of_its_own() -> None:
    timeline = build_timeline(negotiation())
    moro = {
        r.target.label: [p.article for p in r.points] for r in timeline.rows if r.actor == "Moro"
    }
    assert moro == {"30-day ceasefire": ["a1", "a3"], "the truce": ["a2"], "the tram extension": []}
    assert _flags(timeline, "Moro") == [("position", "oppose -> support", "a1", "a3")]


def test_undated_records_are_kept_apart() -> None:
    timeline = build_timeline(negotiation())
    (tram,) = [r for r in timeline.rows if r.target.label == "the tram extension"]
    assert tram.points == [] and [p.article for p in tram.undated] == ["u1"]
    assert tram.shifts == []
    assert timeline.dates == ["2016-10-01", "2016-10-02", "2016-10-03"]
    assert timeline.undated_articles == 1


def test_an_undated_record_is_never_compared() -> None:
    runs = negotiation()
    runs[2].article.date = None  # a3: Lind's and Moro's reversals lose their date
    timeline = build_timeline(runs)
    kinds = {s.kind for s in timeline.shifts}
    assert "position" not in kinds and "same day" not in kinds
    assert "unconditional" in kinds  # a4 is still dated


def test_filters_keep_rows_and_joins(tmp_path: Path) -> None:
    mapping = _mapping(tmp_path, TRUCE)
    everything = build_timeline(negotiation(), mapping=mapping)
    only = build_timeline(negotiation(), mapping=mapping, actor="lin", target="CEASEFIRE")
    assert [r.actor for r in only.rows] == ["Lind"]
    assert only.groups == everything.groups
    assert build_timeline(negotiation(), target="tram fares").rows == []


def test_csv_has_one_line_per_position_with_its_flags(tmp_path: Path) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text("".join(r.model_dump_json() + "\n" for r in negotiation()))
    out = tmp_path / "timeline.csv"
    assert main(["timeline", str(run), "--csv", str(out), "--actor", "Lind"]) == 0
    lines = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [(x["date"], x["position"], x["article"]) for x in lines] == [
        ("2016-10-01", "support", "a1"),
        ("2016-10-02", "support", "a2"),
        ("2016-10-03", "oppose", "a3"),
        ("2016-10-03", "support", "a4"),
    ]
    assert lines[0]["conditions"] == "the shelling stops" and lines[0]["shifts"] == ""
    assert lines[2]["shifts"] == "position: support -> oppose since 2016-10-02 (a2)"
    assert lines[1]["quote"] == "Lind said she supports the ceasefire"


def test_text_view_shows_rows_flags_and_joins(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text("".join(r.model_dump_json() + "\n" for r in negotiation()))
    mapping = tmp_path / "m.toml"
    mapping.write_text(TRUCE)
    assert main(["timeline", str(run), "--mapping", str(mapping)]) == 0
    out = capsys.readouterr().out
    assert "Lind on 'ceasefire'" in out and "Moro on 'the tram extension'" in out
    assert "⚑ position" in out and "oppose -> support" in out and "⚑ same day" in out
    assert "'the truce' (mapping file)" in out
    assert "7 flags" not in out and "5 flags" in out


def test_bad_inputs_end_in_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text("".join(r.model_dump_json() + "\n" for r in negotiation()))
    assert main(["timeline", str(run), "--mapping", str(tmp_path / "none.toml")]) == 2
    assert main(["timeline", str(tmp_path / "none.jsonl")]) == 2
    assert main(["timeline", str(run), "--title", "x"]) == 2
    errors = [line for line in capsys.readouterr().err.splitlines() if line]
    assert len(errors) == 3 and all(e.startswith("extractor: ") for e in errors)


def test_html_escapes_model_output() -> None:
    runs = negotiation()
    runs[0].stances[0].target = "<script>alert(1)</script> ceasefire"
    runs[0].article.title = "<img src=x onerror=alert(1)>"
    html = render_html(build_timeline(runs))
    assert "<script>alert" not in html and "<img" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; ceasefire" in html
    assert "script-src" not in html and "<script" not in html  # the page has no script


# Dates: where they come from


def test_dates_from_file_names() -> None:
    assert articles.date_in_name("breitbart_2016-10-25_the-latest-fbi.txt") == "2016-10-25"
    assert articles.date_in_name("report-2016-13-45-and-2016-11-02.txt") == "2016-11-02"
    assert articles.date_in_name("20161025.txt") is None
    assert articles.date_in_name("v12016-10-25.txt") is None  # digits run on: not a date


def test_loaded_articles_carry_their_date(tmp_path: Path) -> None:
    (tmp_path / "nyt_2016-10-30_weiner.txt").write_text("Weiner\n\nSome text.\n")
    (tmp_path / "plain.txt").write_text("No date here, not even 2016-10-01 in the text.\n")
    (tmp_path / "feed_2016-01-01.jsonl").write_text(
        '{"id": "x", "text": "One.", "date": "2016-11-02"}\n{"id": "y", "text": "Two."}\n'
    )
    dates = {a.id: a.date for a in articles.load([str(tmp_path)])}
    # the JSONL line's own date; a line without one stays undated (the file name dates
    # the file, not each article in it); no date is read from the text
    assert dates == {
        "x": "2016-11-02",
        "y": None,
        "nyt_2016-10-30_weiner": "2016-10-30",
        "plain": None,
    }


HTML_PAGE = """<html><head><title>Talks resume</title>
<meta property="article:published_time" content="2016-10-20T08:00:00Z"></head>
<body><article><h1>Talks resume</h1><p>{body}</p></article></body></html>"""
BODY = (
    "The talks resumed in Geneva after a long pause, and the delegations met for the whole "
    "afternoon to discuss the ceasefire and the exchange of prisoners. "
) * 3


def test_html_dates_come_from_the_page_not_its_text(tmp_path: Path) -> None:
    (tmp_path / "meta.html").write_text(HTML_PAGE.format(body=BODY))
    no_meta = HTML_PAGE.replace(
        '<meta property="article:published_time" content="2016-10-20T08:00:00Z">', ""
    )
    (tmp_path / "text-only.html").write_text(no_meta.format(body=BODY + "Written 3 May 2015."))
    (tmp_path / "named_2016-11-01.html").write_text(no_meta.format(body=BODY))
    dates = {a.id: a.date for a in articles.load([str(tmp_path)])}
    assert dates == {"meta": "2016-10-20", "text-only": None, "named_2016-11-01": "2016-11-01"}


def test_extract_date_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    one = tmp_path / "one_2016-10-01.txt"
    one.write_text("Lind backs the ceasefire.\n")
    (tmp_path / "two.txt").write_text("Moro rejects it.\n")
    assert main(["extract", str(one), "--date", "2016-13-01", "--dry-run"]) == 2
    assert main(["extract", str(tmp_path), "--date", "2016-10-02", "--dry-run"]) == 2
    err = capsys.readouterr().err
    assert "write it as YYYY-MM-DD" in err and "--date dates one article" in err


def test_a_condition_reworded_is_no_shift() -> None:
    from dataclasses import replace

    from extractor.timeline.shifts import compare, condition_key

    (row,) = [r for r in build_timeline(negotiation()).rows if r.actor == "Lind"]
    first = row.points[0]  # support, if the shelling stops
    reworded = replace(first, article="b", conditions=("shelling has stopped",))
    assert condition_key("the shelling stops") == condition_key("shelling has stopped")
    assert compare(first, reworded) == []
    other = replace(first, article="c", conditions=("an independent board monitors the river",))
    kinds = [s.kind for s in compare(first, other)]
    assert kinds == ["condition added", "condition dropped"]
