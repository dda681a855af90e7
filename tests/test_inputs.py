"""Inputs other than a plain text file, read from files the tests make: PDF (written with
pypdf's own writer: a page's text is a Helvetica text object), DOCX (written with
python-docx), a mixed directory (what is skipped, and why), standard input, a plain
text's dateline and title, `--date` by pattern and by CSV, and the one line that names
the extra to install when a library is missing. The PDF and DOCX tests run when pypdf
and python-docx are installed (`pip install -e '.[pdf,docx]'`), and skip otherwise."""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

import pytest

from extractor.cli import extract as extract_cli
from extractor.cli import inputs
from extractor.cli.main import main
from extractor.errors import ConfigError
from extractor.inputs import dates, documents, extras
from extractor.pipeline import articles

PAGE_ONE = "Ministers agree on the budget\nThe finance minister said (on Monday) the deal holds."
PAGE_TWO = "The opposition rejected the plan and called for a vote."


def make_pdf(pages: list[str], title: str | None = None) -> bytes:
    """A PDF of one page per string (each line a line of Helvetica); "" makes a page
    without text, as a scan without OCR has."""
    pypdf = pytest.importorskip("pypdf")
    from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject

    writer = pypdf.PdfWriter()
    font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )
    for text in pages:
        page = writer.add_blank_page(612, 792)
        if not text:
            continue
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 720 Td"]
        for line in text.split("\n"):
            escaped = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops.append(f"({escaped}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("latin-1"))
        fonts = DictionaryObject({NameObject("/F1"): font})
        page[NameObject("/Resources")] = DictionaryObject({NameObject("/Font"): fonts})
        page.replace_contents(stream)
    if title:
        writer.add_metadata({"/Title": title})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def make_docx(path: Path, title: str | None, paragraphs: list[str]) -> None:
    docx = pytest.importorskip("docx")
    doc = docx.Document()
    if title:
        doc.core_properties.title = title
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.add_paragraph("")  # an empty paragraph: left out
    table = doc.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Vote"
    table.rows[0].cells[1].text = "52 to 48"
    doc.save(str(path))


def test_pdf_text_keeps_page_breaks_and_title(tmp_path: Path) -> None:
    path = tmp_path / "budget_2024-05-02.pdf"
    path.write_bytes(make_pdf([PAGE_ONE, PAGE_TWO], title="Budget deal"))
    (article,) = articles.load([str(path)])
    assert article.error is None and article.source == "pdf"
    assert article.text == PAGE_ONE + documents.PAGE_BREAK + PAGE_TWO
    assert article.title == "Budget deal" and article.date == "2024-05-02"
    start = article.text.index("The opposition")  # offsets index the extracted text
    assert article.text[start : start + 14] == "The opposition"


def test_a_scanned_pdf_is_skipped_with_one_warning(tmp_path: Path) -> None:
    (tmp_path / "scan.pdf").write_bytes(make_pdf(["", ""]))
    skipped: list[tuple[str, str]] = []
    assert (
        list(articles.load([str(tmp_path / "scan.pdf")], on_skip=lambda *s: skipped.append(s)))
        == []
    )
    ((where, why),) = skipped
    assert where.endswith("scan.pdf") and why.startswith("no text layer (2 pages")
    assert "run OCR first" in why


def test_a_damaged_pdf_is_an_invalid_input_record(tmp_path: Path) -> None:
    pytest.importorskip("pypdf")
    (tmp_path / "cut.pdf").write_bytes(make_pdf([PAGE_ONE])[:200])
    (article,) = articles.load([str(tmp_path / "cut.pdf")])
    assert article.error is not None and article.error.kind == "invalid_input"
    assert "not a readable PDF" in str(article.error)


def test_docx_paragraphs_and_table_rows_in_order(tmp_path: Path) -> None:
    path = tmp_path / "draft.docx"
    make_docx(path, "Council draft", ["The council backs the port plan.", "Lund objects."])
    (article,) = articles.load([str(path)])
    assert article.error is None and article.source == "docx"
    assert article.text == "The council backs the port plan.\n\nLund objects.\n\nVote\t52 to 48"
    assert article.title == "Council draft"


def test_a_mixed_folder_reports_what_it_skipped_and_why(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Port vote\nThe council backs the plan.\n")
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (tmp_path / "scan.pdf").write_bytes(make_pdf([""]))
    (tmp_path / "b.pdf").write_bytes(make_pdf([PAGE_TWO]))
    make_docx(tmp_path / "c.docx", None, ["Lund objects to the plan."])
    (tmp_path / ".hidden.png").write_bytes(b"x")  # hidden files are not mentioned
    skipped: dict[str, str] = {}
    loaded = list(articles.load([str(tmp_path)], on_skip=lambda p, why: skipped.update({p: why})))
    assert [(a.id, a.source) for a in loaded] == [("a", "text"), ("b", "pdf"), ("c", "docx")]
    assert {Path(p).name: why.split(" (")[0] for p, why in skipped.items()} == {
        "photo.png": "not an article file",
        "scan.pdf": "no text layer",
    }


def test_the_cli_prints_one_line_per_kind_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "a.txt").write_text("The council backs the plan.\n")
    for name in ("x.png", "y.png", "z.png", "w.png"):
        (tmp_path / name).write_bytes(b"\x89PNG")
    assert (
        main(["extract", str(tmp_path), "--dry-run", "--base-url", "http://x/v1", "--model", "m"])
        == 0
    )
    err = capsys.readouterr().err
    assert f"extractor: skipped 4 (not an article file (.png)): {tmp_path}/w.png" in err
    assert "and 1 more" in err


def test_a_missing_extra_names_the_pip_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """pypdf made unimportable: a PDF named on its own stops the run with one line, a
    folder of PDFs says the same, and in a mixed folder the PDFs are skipped, saying so."""
    monkeypatch.setitem(sys.modules, "pypdf", None)  # import pypdf raises ImportError
    pdf = tmp_path / "only" / "release.pdf"
    pdf.parent.mkdir()
    pdf.write_bytes(b"%PDF-1.4 whatever")
    assert extras.missing("pdf")
    code = main(["extract", str(pdf), "--dry-run", "--base-url", "http://x/v1", "--model", "m"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "Traceback" not in err
    assert err.endswith("reading PDF files needs pypdf: run pip install 'extractor[pdf]'.")
    with pytest.raises(ConfigError, match=r"no articles here .*pip install 'extractor\[pdf\]'"):
        list(articles.load([str(pdf.parent)]))
    (tmp_path / "a.txt").write_text("The council backs the plan.\n")
    skipped: list[str] = []
    loaded = list(articles.load([str(tmp_path)], on_skip=lambda p, why: skipped.append(why)))
    assert [a.id for a in loaded] == ["a"]
    assert skipped == [".pdf needs pip install 'extractor[pdf]'"]


def test_doctor_lists_the_optional_inputs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "feedparser", None)
    lines = {name: (ok, detail) for ok, name, detail in extras.report()}
    assert set(lines) == {"feeds", "pdf", "docx"}
    assert lines["feeds"] == (
        False,
        "RSS and Atom feeds need feedparser: pip install 'extractor[feeds]'",
    )


@pytest.mark.parametrize(
    ("text", "title", "date"),
    [
        (
            "Budget passes.\nPublished 3 May 2024\nThe budget passed.",
            "Budget passes.",
            "2024-05-03",
        ),
        (
            "Is the deal off?\nUpdated: March 4, 2024 10:02 GMT | Posted March 3\nText.",
            "Is the deal off?",
            "2024-03-04",
        ),
        ("WASHINGTON, Oct. 25, 2016 (Reuters) - The Senate voted.\nMore.", None, "2016-10-25"),
        ("Port vote\nMonday, 4 March 2024\nThe council voted.", "Port vote", "2024-03-04"),
        ("Port vote\n03/04/2024\nThe council voted.", "Port vote", None),  # March or April?
        ("Port vote\nUpdated 2 hours ago\nThe council voted.", "Port vote", None),
        ("Port vote\nThe council met.\nIt voted on 4 March 2024.", "Port vote", None),  # body
        ("A\nB\nC\nD\nE\nPublished 3 May 2024\nText.", "A", None),  # below the top lines
    ],
)
def test_a_plain_texts_dateline_and_title(text: str, title: str | None, date: str | None) -> None:
    article = articles.from_text(text)
    assert (article.title, article.date) == (title, date)


def test_a_date_in_the_file_name_comes_before_the_dateline(tmp_path: Path) -> None:
    path = tmp_path / "story_2016-10-30.txt"
    path.write_text("Headline\nPublished 3 May 2024\nText.\n")
    (article,) = articles.load([str(path)])
    assert article.date == "2016-10-30"
    assert dates.dateline(path.read_text()) == (1, "2024-05-03")


def test_standard_input_one_article_or_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    def stdin(data: bytes) -> None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))

    stdin(b"Port vote\nPublished 3 May 2024\nThe council backs the plan.\n")
    (article,) = articles.load(["-"])
    assert (article.id, article.path, article.title, article.date) == (
        "stdin",
        "-",
        "Port vote",
        "2024-05-03",
    )
    stdin(b'{"id": "x", "text": "One.", "date": "2024-01-02"}\n{"text": "Two."}\n')
    loaded = list(articles.load(["-"], stdin_jsonl=True))
    assert [(a.id, a.path, a.date) for a in loaded] == [
        ("x", "stdin:1", "2024-01-02"),
        ("stdin-2", "stdin:2", None),
    ]
    stdin(b"   \n")
    (empty,) = articles.load(["-"])
    assert empty.error is not None and "empty" in str(empty.error)


def _read(argv: list[str]) -> list[articles.Article]:
    parser = argparse.ArgumentParser()
    extract_cli.add_arguments(parser)
    return inputs.read(parser.parse_args([*argv, "--no-cache", "-q"]))


def test_date_by_pattern_and_by_csv(tmp_path: Path) -> None:
    for name in ("nyt-1.txt", "nyt-2.txt", "wapo-1.txt"):
        (tmp_path / name).write_text(f"{name} says the council backs the plan.\n")
    dated = {a.id: a.date for a in _read([str(tmp_path), "--date", "nyt-*=2016-10-02"])}
    assert dated == {"nyt-1": "2016-10-02", "nyt-2": "2016-10-02", "wapo-1": None}
    table = tmp_path / "dates.csv"
    table.write_text(f"path,date\nwapo-1.txt,2016-10-05\n{tmp_path}/nyt-2.txt,2016-10-03\n")
    argv = [str(tmp_path), "--date", "nyt-*=2016-10-02", "--date", str(table)]
    assert {a.id: a.date for a in _read(argv)} == {
        "nyt-1": "2016-10-02",
        "nyt-2": "2016-10-03",  # the later --date wins
        "wapo-1": "2016-10-05",
    }
    with pytest.raises(ConfigError, match="no article's path or name matches 'ap-\\*'"):
        _read([str(tmp_path), "--date", "ap-*=2016-10-02"])
    table.write_text("wapo-1.txt,5 October\n")
    with pytest.raises(ConfigError, match="row 1: '5 October' is not a date"):
        _read([str(tmp_path), "--date", str(table)])


def test_no_input_at_all_says_what_to_pass(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["extract", "--dry-run"]) == 2
    assert "pass files, directories, URLs, - for standard input" in capsys.readouterr().err
