"""`extractor review`: planted changes in copies of a run are reported, exactly."""

from __future__ import annotations

import json
from pathlib import Path

import handmade
import pytest
from conftest import ROOT

from extractor.cli.main import main
from extractor.review.diff import review
from extractor.review.fixtures import load_fixtures, update_fixtures
from extractor.schemas import ArticleResult, Condition

SEED_FIXTURE = ROOT / "tests" / "fixtures" / "review" / "000_792bd40e83e483ac.sentences.jsonl"


def _seed() -> ArticleResult:
    return load_fixtures(SEED_FIXTURE).results[0]


def test_the_same_run_and_a_reordered_run_are_unchanged() -> None:
    seed = _seed()
    reordered = seed.model_copy(deep=True)
    reordered.stances.reverse()
    for run in (seed, reordered):
        outcome = review([run], [seed])
        assert not outcome.changed and outcome.articles[0].status == "same"


def test_planted_position_flip_is_one_change() -> None:
    seed = _seed()
    run = seed.model_copy(deep=True)
    flipped = run.stances[1]
    old = flipped.position
    flipped.position = "oppose" if old != "oppose" else "support"
    run.stances.reverse()  # and reordered: still only the flip
    outcome = review([run], [seed])
    (article,) = outcome.articles
    assert article.status == "changed"
    assert [r.as_dict() for r in article.records] == [
        {
            "kind": "stance",
            "status": "changed",
            "label": f"{flipped.actor.canonical} | {flipped.target} | {flipped.position}",
            "changes": [{"field": "position", "before": old, "after": flipped.position}],
        }
    ]


def test_planted_dropped_condition_is_one_change() -> None:
    expected = handmade.run()
    run = expected.model_copy(deep=True)
    dropped = run.stances[0].conditions.pop()
    (article,) = review([run], [expected]).articles
    (record,) = article.records
    assert record.status == "changed" and record.label.startswith("Ana Lopez | the tram extension")
    assert record.changes == [{"field": "condition", "before": dropped.model_dump(), "after": None}]


def test_condition_planted_in_a_fixture_copy_shows_as_dropped_by_the_seed_run() -> None:
    seed = _seed()
    fixture = seed.model_copy(deep=True)
    ev = fixture.stances[0].evidence[0]
    planted = {"text": "a planted condition", "kind": "other", "evidence": [ev.model_dump()]}
    fixture.stances[0].conditions.append(Condition.model_validate(planted))
    (article,) = review([seed], [fixture]).articles
    (record,) = article.records
    assert [c["field"] for c in record.changes] == ["condition"]
    assert record.changes[0]["before"]["text"] == "a planted condition"
    assert record.changes[0]["after"] is None


def test_added_removed_and_field_changes() -> None:
    expected = handmade.run()
    run = expected.model_copy(deep=True)
    removed = run.stances.pop(2)  # Okafor's stance
    run.claims[0].evidence[0].end -= 1  # offsets moved
    run.claims[0].evidence[0].quote = run.claims[0].evidence[0].quote[:-1]
    run.claims.append(run.claims[1].model_copy(update={"content": "Something new entirely."}))
    run.claims[-1].evidence = [handmade.ev("The transport union opposes")]
    run.stances[0].act = "pledge"
    records = review([run], [expected]).articles[0].records
    summary = sorted((r.kind, r.status, r.label) for r in records)
    assert summary == [
        ("claim", "added", "Ana Lopez | Something new entirely."),
        ("claim", "changed", "Ana Lopez | We will build it."),
        ("stance", "changed", "Ana Lopez | the tram extension | support"),
        ("stance", "removed", f"Ben Okafor | {removed.target} | oppose"),
    ]
    act = next(r for r in records if r.kind == "stance" and r.status == "changed")
    assert act.changes == [{"field": "act", "before": "statement", "after": "pledge"}]
    moved = next(r for r in records if r.kind == "claim" and r.status == "changed")
    assert [c["field"] for c in moved.changes] == ["evidence"]


def test_articles_pair_by_sha256_then_strategy() -> None:
    sentences = handmade.run()
    article = sentences.model_copy(update={"strategy": "article", "stances": [], "claims": []})
    renamed = sentences.model_copy(deep=True)
    renamed.article.id = "another-name"
    outcome = review([renamed, article], [article, sentences])
    assert [a.status for a in outcome.articles] == ["same", "same"]
    new = review([handmade.run(text_sha="0" * 64, id="other")], [sentences])
    assert new.articles[0].status == "new" and new.not_in_run == ["tram (sentences)"]


def test_update_rewrites_the_paired_lines_and_keeps_the_others(tmp_path: Path) -> None:
    keep = handmade.run(id="keep", text_sha="1" * 64)
    fixtures = tmp_path / "fx.jsonl"
    fixtures.write_text(handmade.run().model_dump_json() + "\n" + keep.model_dump_json() + "\n")
    run = handmade.run()
    run.stances[0].position = "oppose"
    assert review([run], load_fixtures(fixtures).results).changed
    assert update_fixtures(fixtures, [run, handmade.run(id="new", text_sha="2" * 64)]) == [fixtures]
    after = load_fixtures(fixtures).results
    assert [r.article.id for r in after] == ["tram", "keep", "new"]
    assert not review([run], after).changed
    # a directory that does not exist yet is created, one file per new article
    written = update_fixtures(tmp_path / "dir", [run])
    assert [p.name for p in written] == ["tram.sentences.jsonl"]


# --- the command line -------------------------------------------------------------------


def _files(tmp_path: Path, run: ArticleResult) -> tuple[str, str]:
    (tmp_path / "run.jsonl").write_text(run.model_dump_json() + "\n")
    (tmp_path / "fx.jsonl").write_text(handmade.run().model_dump_json() + "\n")
    return str(tmp_path / "run.jsonl"), str(tmp_path / "fx.jsonl")


def test_cli_exit_codes_diff_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run, fx = _files(tmp_path, handmade.run())
    assert main(["review", run, "--against", fx]) == 0
    assert "unchanged" in capsys.readouterr().out  # the review is the data: stdout
    changed = handmade.run()
    changed.stances[0].conditions = []
    run, fx = _files(tmp_path, changed)
    assert main(["review", run, "--against", fx, "--json"]) == 1
    out = capsys.readouterr()
    assert 'condition removed: "the state pays half the cost"' in out.err
    assert json.loads(out.out)["articles"][0]["changed"] == 1
    assert main(["review", run, "--against", fx, "--update"]) == 0
    assert main(["review", run, "--against", fx]) == 0


@pytest.mark.parametrize(
    ("content", "needle"),
    [
        (None, "no such file"),
        ("{not json\n", "run.jsonl:1: not an ArticleResult line"),
        ('{"article": {}}\n', "run.jsonl:1: not an ArticleResult line"),
    ],
)
def test_cli_bad_input_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, needle: str
) -> None:
    _, fx = _files(tmp_path, handmade.run())
    run = tmp_path / "run.jsonl"
    if content is None:
        run.unlink()
    else:
        run.write_text(content)
    assert main(["review", str(run), "--against", fx]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.startswith("extractor: ") and needle in err


def test_cli_missing_fixtures(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run, _ = _files(tmp_path, handmade.run())
    assert main(["review", run, "--against", str(tmp_path / "nope")]) == 2
    assert "--update" in capsys.readouterr().err


def test_warnings_are_compared_as_a_multiset_usage_is_not() -> None:
    seed = _seed()
    assert len(seed.warnings) >= 2
    same = seed.model_copy(deep=True)
    same.warnings.reverse()  # order: not a change
    same.usage.requests, same.usage.prompt_tokens = 0, 0  # a cached rerun: not a change
    assert not review([same], [seed]).changed

    run = seed.model_copy(deep=True)
    dropped = run.warnings.pop(0)
    run.warnings.append("dropped stance ('X' on 'Y') at 0: planted")
    run.warnings.append(run.warnings[0])  # the same warning twice is a change too
    (article,) = review([run], [seed]).articles
    assert article.status == "changed" and article.records == []
    assert article.changes == [
        {
            "field": "warnings",
            "before": [dropped],
            "after": sorted([run.warnings[0], "dropped stance ('X' on 'Y') at 0: planted"]),
        }
    ]
