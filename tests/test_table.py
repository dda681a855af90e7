"""`extractor table`: actor x target positions across two hand-made articles."""

from __future__ import annotations

import json
from pathlib import Path

import handmade
import pytest

from extractor.cli.main import main
from extractor.reports.table import build_table
from extractor.schemas import ArticleResult


def _runs() -> list[ArticleResult]:
    first = handmade.run(id="tram-1")
    second = handmade.run(id="tram-2", date="2016-10-12", text_sha="2" * 64)
    second.stances[0].conditions = []  # Lopez's support is unconditional in the second
    second.stances[1].position = "oppose"
    second.stances[1].target = "The tram extension plan"
    return [first, second]


def test_actors_merged_targets_grouped_conditional_marked() -> None:
    table = build_table(_runs())
    assert table.actors == ["Ana Lopez", "Ben Okafor", "transport union"]
    assert [t.label for t in table.targets] == ["the tram extension", "budget"]
    assert sorted(table.targets[0].wordings) == [
        "The tram extension plan",
        "the tram extension",
        "tram extension",
    ]
    lopez = table.cell("Ana Lopez", "the tram extension")
    assert [e.label() for e in lopez] == ["support*", "support (2016-10-12)"]
    assert lopez[0].conditions == ("the state pays half the cost",)
    union = table.cell("transport union", "the tram extension")
    assert [(e.label(), e.article) for e in union] == [
        ("support", "tram-1"),
        ("oppose (2016-10-12)", "tram-2"),
    ]
    assert table.cell("Ben Okafor", "the tram extension") == []


def _write(tmp_path: Path) -> str:
    path = tmp_path / "runs.jsonl"
    path.write_text("".join(r.model_dump_json() + "\n" for r in _runs()))
    return str(path)


def test_cli_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["table", _write(tmp_path), "--csv"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "actor,the tram extension,budget",
        "Ana Lopez,support* [tram-1]; support (2016-10-12) [tram-2],",
        "Ben Okafor,,oppose [tram-1]; oppose (2016-10-12) [tram-2]",
        "transport union,support [tram-1]; oppose (2016-10-12) [tram-2],",
    ]


def test_cli_json_and_rich(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    runs = _write(tmp_path)
    assert main(["table", runs, "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    cell = next(c for c in data["cells"] if c["actor"] == "Ana Lopez")
    assert cell["target"] == "the tram extension"
    assert cell["entries"][0]["conditional"] is True
    assert cell["entries"][1]["date"] == "2016-10-12"
    assert main(["table", runs]) == 0
    out = capsys.readouterr()
    # the table is the command's data: stdout (`extractor table run.jsonl > t.txt`)
    assert out.err == "" and "support*" in out.out and "conditional position" in out.out


def test_cli_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "runs.jsonl"
    path.write_text(handmade.run().model_dump_json() + "\n[1, 2]\n")
    assert main(["table", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("extractor: ") and "runs.jsonl:2:" in err and len(err.splitlines()) == 1


def test_jsonl_input_reads_the_date(tmp_path: Path) -> None:
    from extractor.pipeline.articles import load

    path = tmp_path / "articles.jsonl"
    path.write_text(json.dumps({"id": "a", "date": "2016-10-12", "text": handmade.TEXT}) + "\n")
    (article,) = load([str(path)])
    assert article.date == "2016-10-12"
