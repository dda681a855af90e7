"""`extractor report`: CSV rows and offsets, HTML escaping and span layout, articles that
moved or changed since the run, and one-line CLI errors. The browser test is in
test_report_browser.py."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from report_fixtures import HOSTILE_TEXT, evidence_count, hostile_result

from extractor.cli.main import main
from extractor.reports.csv_report import write_csv
from extractor.reports.html_report import render_html
from extractor.reports.spans import EvidenceRef, evidence_refs, layout
from extractor.schemas import ArticleInfo, ArticleResult, Evidence


def _write_run(path: Path, *results: ArticleResult) -> Path:
    path.write_text("".join(r.model_dump_json() + "\n" for r in results), encoding="utf-8")
    return path


def test_csv_one_row_per_stance_or_claim_with_offsets(tmp_path: Path) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    out = io.StringIO()
    assert write_csv([result], out) == len(result.stances) + len(result.claims)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["record"] for r in rows] == ["stance"] * 4 + ["claim"]
    for row in rows:
        start, end = int(row["evidence_start"]), int(row["evidence_end"])
        assert HOSTILE_TEXT[start:end] == row["evidence_quote"]  # offsets survive the CSV
        assert row["article_id"] == "hostile"
    lind = rows[1]
    assert lind["actor_canonical"] == "Ana Lind" and lind["position"] == "support"
    assert lind["conditions"] == "the shelling stops [precondition; of The Opposition]"
    cond = result.stances[1].conditions[0].evidence[0]
    assert lind["condition_spans"] == f"{cond.start}-{cond.end}"
    assert lind["target_canonical"] == result.stances[1].target  # made before canonical targets
    claim = rows[-1]
    assert claim["target_canonical"] == ""
    assert (claim["cue"], claim["attribution"], claim["position"]) == ("added", "indirect", "")
    assert claim["target_or_content"] == "Talks would resume in May."


def test_csv_target_canonical_is_the_records_join_key(tmp_path: Path) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    first = result.stances[0]
    named = first.model_copy(update={"canonical_target": f"{first.target}, in full"})
    result = result.model_copy(update={"stances": [named, *result.stances[1:]]})
    out = io.StringIO()
    write_csv([result], out)
    row = next(csv.DictReader(io.StringIO(out.getvalue())))
    assert (row["target_or_content"], row["target_canonical"]) == (
        first.target,
        f"{first.target}, in full",
    )


def test_csv_to_stdout(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _write_run(tmp_path / "run.jsonl", hostile_result(tmp_path / "hostile.txt"))
    assert main(["report", str(run), "--csv", "-"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 5


def test_html_escapes_article_and_model_text(tmp_path: Path) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    report = render_html([result])
    page = report.html
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the article text, as text
    assert "&lt;b&gt;in Geneva&lt;/b&gt;" in page  # a target the model wrote
    assert "<img" not in page  # a warning
    assert "Monday &amp; Tuesday" in page
    assert len(re.findall(r"<script\b", page)) == 1  # only the page's own script
    assert "http://" not in page and "https://" not in page  # nothing to fetch
    assert report.problems == []
    assert report.highlighted == report.evidence == evidence_count(result)


class _Spans(HTMLParser):
    """Collects, per data-ev, the text inside its elements and how many heads it has."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str | None] = []
        self.text: dict[str, str] = {}
        self.heads: dict[str, int] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "span":
            return
        a = dict(attrs)
        ev_id = a.get("data-ev")
        self.stack.append(ev_id)
        if ev_id and "cont" not in (a.get("class") or "").split():
            self.heads[ev_id] = self.heads.get(ev_id, 0) + 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span":
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        for ev_id in filter(None, self.stack):
            self.text[ev_id] = self.text.get(ev_id, "") + data


def test_html_shows_a_canonical_target_beside_the_sentences_words(tmp_path: Path) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    first, second = result.stances[:2]
    joined = first.model_copy(update={"canonical_target": "the <i>whole</i> plan"})
    same = second.model_copy(update={"canonical_target": second.target})
    result = result.model_copy(update={"stances": [joined, same, *result.stances[2:]]})
    page = render_html([result]).html
    assert page.count("the article's “") == 1  # only where it differs from the target
    assert "the article's “the &lt;i&gt;whole&lt;/i&gt; plan”" in page


def test_html_elements_spell_their_quotes(tmp_path: Path) -> None:
    """Each evidence item has one head element; its parts, in order, give back its quote."""
    result = hostile_result(tmp_path / "hostile.txt")
    page = render_html([result]).html
    parser = _Spans()
    parser.feed(page)
    refs = evidence_refs(result, "a0")
    assert parser.heads == {r.id: 1 for r in refs}
    assert parser.text == {r.id: r.evidence.quote for r in refs}
    assert ' cont"' in page  # the crossing claim was split into two elements


def _spelled(text: str, refs: list[EvidenceRef]) -> dict[str, str]:
    """Replays layout tokens: the text under each ref, and checks the nesting is proper."""
    seen: dict[str, str] = {r.id: "" for r in refs}
    stack: list[str] = []
    heads = 0
    for t in layout(text, refs):
        if t.kind == "open":
            assert t.ref is not None
            stack.append(t.ref.id)
            heads += not t.cont
        elif t.kind == "close":
            assert t.ref is not None and stack.pop() == t.ref.id  # closes what it opened
        else:
            for ref_id in stack:
                seen[ref_id] += t.text
    assert not stack and heads == len(refs)
    return seen


def test_layout_random_overlaps() -> None:
    rng = random.Random(7)
    text = "".join(rng.choice("abc .") for _ in range(60))
    for _ in range(200):
        refs = []
        for n in range(rng.randint(1, 6)):
            start = rng.randrange(0, 59)
            end = rng.randint(start + 1, 60)
            evidence = Evidence(quote=text[start:end], start=start, end=end, match="exact")
            refs.append(EvidenceRef(f"e{n}", f"s{n}", "stance", "support", "", evidence))
        spelled = _spelled(text, refs)
        for r in refs:
            assert spelled[r.id] == r.evidence.quote


def test_missing_article_is_listed_without_highlights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    (tmp_path / "hostile.txt").unlink()
    run = _write_run(tmp_path / "run.jsonl", result)
    out = tmp_path / "report.html"
    assert main(["report", str(run), "--html", str(out)]) == 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 2 and "article not found" in err[0] and "--text-dir" in err[0]
    page = out.read_text(encoding="utf-8")
    assert 'data-status="missing"' in page and 'class="banner warning"' in page
    assert 'class="hl ev' not in page
    assert "if the shelling stops" in page  # the records and their quotes are still there
    assert "0 of 6 evidence spans highlighted" in err[1]


def test_changed_article_is_shown_without_highlights(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    result = hostile_result(tmp_path / "hostile.txt")
    (tmp_path / "hostile.txt").write_text("Edited. " + HOSTILE_TEXT, encoding="utf-8")
    report = render_html([result])
    assert len(report.problems) == 1 and "changed since the run" in report.problems[0]
    assert 'data-status="changed"' in report.html and 'class="hl ev' not in report.html
    assert "Edited. Ministers &lt;script&gt;" in report.html
    assert report.highlighted == 0


def test_text_dir_finds_moved_articles_and_jsonl_lines(tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    moved.mkdir()
    result = hostile_result(moved / "hostile.txt")
    result.article.path = "gone/hostile.txt"  # as recorded elsewhere
    assert render_html([result]).highlighted == 0
    assert render_html([result], text_dir=moved).highlighted == evidence_count(result)
    # a JSONL input: the path is file.jsonl:LINE and the right line is picked
    lines = [{"id": "other", "text": "Something else."}, {"id": "h", "text": HOSTILE_TEXT}]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    result.article.path = f"{source}:2"
    assert render_html([result]).problems == []
    result.article.path = f"{source}:1"
    assert "changed since the run" in render_html([result]).problems[0]


def _one_line_error(capsys: pytest.CaptureFixture[str], code: int, *needles: str) -> None:
    err = capsys.readouterr().err.strip()
    assert code == 2, err
    assert len(err.splitlines()) == 1 and err.startswith("extractor: ")
    for needle in needles:
        assert needle in err


def test_cli_missing_run_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["report", str(tmp_path / "nope.jsonl"), "--html", str(tmp_path / "r.html")])
    _one_line_error(capsys, code, "nope.jsonl: no such file", "extractor extract")


def test_cli_bad_jsonl_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = hostile_result(tmp_path / "hostile.txt").model_dump_json()
    run = tmp_path / "run.jsonl"
    run.write_text(good + "\n{not json\n", encoding="utf-8")
    code = main(["report", str(run), "--csv", "-"])
    _one_line_error(capsys, code, "run.jsonl:2: not an ArticleResult line")
    run.write_text(json.dumps({"article": {"id": "x"}}) + "\n", encoding="utf-8")
    code = main(["report", str(run), "--csv", "-"])
    _one_line_error(capsys, code, "run.jsonl:1:", "article.path")


def test_cli_needs_an_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run = _write_run(tmp_path / "run.jsonl", hostile_result(tmp_path / "hostile.txt"))
    _one_line_error(capsys, main(["report", str(run)]), "--html FILE and/or --csv FILE")
    code = main(["report", str(run), "--html", "-", "--csv", "-"])
    _one_line_error(capsys, code, "both go to stdout")
    code = main(["report", str(run), "--csv", "-", "--text-dir", str(tmp_path / "no")])
    _one_line_error(capsys, code, "--text-dir", "not a directory")


def test_failed_article_shows_its_error(tmp_path: Path) -> None:
    text = "Officials met.\n"
    (tmp_path / "a.txt").write_text(text, encoding="utf-8")
    failed = ArticleResult(
        article=ArticleInfo(
            id="a",
            path=str(tmp_path / "a.txt"),
            sha256=hashlib.sha256(text.encode()).hexdigest(),
            chars=len(text),
        ),
        model="m",
        strategy="article",
        prompt_version="p",
        error={"kind": "timeout", "message": "the server did not answer in 120 s <retry>"},
    )
    page = render_html([failed]).html
    assert "Extraction failed [timeout]: the server did not answer in 120 s &lt;retry&gt;" in page
    assert "No stances or claims" in page


def test_report_help_needs_no_key_or_server() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "extractor.cli.main", "report", "--help"],
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin"},
    )
    assert proc.returncode == 0, proc.stderr
    assert "--html" in proc.stdout and "--csv" in proc.stdout and "--text-dir" in proc.stdout
