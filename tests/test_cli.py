"""The command line: help without any key or server, and one-line errors a user can act on."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from extractor.cli.main import main

EXTRACTOR = [sys.executable, "-m", "extractor.cli.main"]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*EXTRACTOR, *args], capture_output=True, text=True, timeout=120, env=env)


@pytest.mark.parametrize("args", [["--help"], ["extract", "--help"], ["schema", "--help"]])
def test_help_needs_no_key_or_server(args: list[str]) -> None:
    proc = _cli(*args, env={"PATH": "/usr/bin:/bin"})
    assert proc.returncode == 0, proc.stderr
    assert "usage: extractor" in proc.stdout


def test_schema_prints_json() -> None:
    proc = _cli("schema")
    assert proc.returncode == 0
    assert json.loads(proc.stdout)["title"] == "ArticleResult"


def _one_line_error(
    capsys: pytest.CaptureFixture[str], code: int, expected: int, *needles: str
) -> None:
    err = capsys.readouterr().err.strip()
    assert code == expected, err
    assert "Traceback" not in err
    last = err.splitlines()[-1]
    assert last.startswith("extractor: ")
    for needle in needles:
        assert needle in last


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code = main(["extract", str(tmp_path / "nope.txt")])
    _one_line_error(capsys, code, 2, "no such file or directory", "Check the path")


def test_directory_without_articles(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    (tmp_path / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code = main(["extract", str(tmp_path)])
    _one_line_error(capsys, code, 2, "no articles here", "skipped 1: not an article file (.png)")


def test_missing_gguf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    code = main(["extract", str(art), "--gguf", str(tmp_path / "model.gguf")])
    _one_line_error(capsys, code, 2, "no such file", "--gguf")


def test_openai_model_without_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    code = main(["extract", str(art), "--model", "gpt-4.1-mini"])
    _one_line_error(capsys, code, 2, "OPENAI_API_KEY")


def test_base_url_without_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    code = main(["extract", str(art), "--base-url", "http://127.0.0.1:9/v1"])
    _one_line_error(capsys, code, 2, "--model")


def test_unreachable_base_url(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "extract",
            str(art),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "-o",
            str(out),
            "--timeout",
            "2",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    assert "Cannot reach http://127.0.0.1:9/v1" in err and "--base-url" in err
    (line,) = out.read_text().splitlines()
    assert json.loads(line)["error"]["kind"] == "unreachable"


@pytest.mark.parametrize(
    "name, data, needle",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t \n", "empty"),
        ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data"),
        ("latin1.txt", "Caf\xe9 cr\xe8me".encode("latin-1"), "not UTF-8"),
    ],
)
def test_bad_article_is_recorded_and_others_go_on(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, data: bytes, needle: str
) -> None:
    """One bad file fails alone: the good one is still attempted (here against a dead
    server, so it fails too, but with its own error), and the exit code is 1."""
    (tmp_path / name).write_bytes(data)
    (tmp_path / "good.txt").write_text("Officials agreed to the plan.\n")
    out = tmp_path / "out.jsonl"
    code = main(
        [
            "extract",
            str(tmp_path),
            "-o",
            str(out),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
            "--timeout",
            "2",
            "-q",
        ]
    )
    err = capsys.readouterr().err
    assert code == 1 and "Traceback" not in err
    lines = {
        json.loads(line)["article"]["id"]: json.loads(line) for line in out.read_text().splitlines()
    }
    assert set(lines) == {Path(name).stem, "good"}
    bad = lines[Path(name).stem]
    assert bad["error"]["kind"] == "invalid_input" and needle in bad["error"]["message"]
    assert lines["good"]["error"]["kind"] == "unreachable"


def test_unwritable_output(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    art = tmp_path / "a.txt"
    art.write_text("Officials agreed to the plan.\n")
    blocker = tmp_path / "file"
    blocker.write_text("")
    code = main(
        [
            "extract",
            str(art),
            "-o",
            str(blocker / "out.jsonl"),
            "--base-url",
            "http://127.0.0.1:9/v1",
            "--model",
            "m",
        ]
    )
    _one_line_error(capsys, code, 2, "cannot write")
