"""`extractor doctor`: one line per check, exit 0 only when the selected model answers.

Against a real loopback server (tests.support.fakeserver) for `--base-url`, and (live) against
the real embedded server; the build checks read llama.cpp's real system-info line.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from conftest import NEEDS_EMBEDDED_MODEL

from extractor.backends.build import compiled_features, cpu_flags, missing_features
from extractor.cli.main import main
from tests.support.fakeserver import FakeServer, Reply, completion

# llama.cpp's system-info line of a native build on a CPU that lists AMX (the shape
# llama_print_system_info() prints)
NATIVE_AMX = (
    "CPU : SSE3 = 1 | SSSE3 = 1 | AVX = 1 | AVX2 = 1 | F16C = 1 | FMA = 1 | BMI2 = 1 | "
    "AVX512 = 1 | AVX512_VNNI = 1 | AMX_INT8 = 1 | LLAMAFILE = 1 | OPENMP = 1 | REPACK = 1"
)


def test_features_this_cpu_lacks_are_named() -> None:
    assert {"AVX2", "AMX_INT8", "OPENMP"} <= compiled_features(NATIVE_AMX)
    avx512_no_amx = {"pni", "ssse3", "avx", "avx2", "f16c", "fma", "bmi2", "avx512f"}
    assert missing_features(NATIVE_AMX, avx512_no_amx) == ["AMX_INT8", "AVX512_VNNI"]
    assert missing_features(NATIVE_AMX, avx512_no_amx | {"avx512_vnni", "amx_int8"}) == []


def test_cpu_flags_read_from_cpuinfo(tmp_path: Path) -> None:
    cpuinfo = tmp_path / "cpuinfo"
    cpuinfo.write_text("processor\t: 0\nflags\t\t: fpu avx avx2 fma\n\nprocessor\t: 1\n")
    assert cpu_flags(cpuinfo) == {"fpu", "avx", "avx2", "fma"}
    assert cpu_flags(tmp_path / "missing") is None


def _lines(out: str) -> dict[str, str]:
    """check name -> its line"""
    found = (re.match(r"(\S+) +([^:]+):", line) for line in out.splitlines())
    return {m.group(2): m.string for m in found if m}


def test_doctor_base_url_answers(capsys: pytest.CaptureFixture[str]) -> None:
    def one_token(request: dict[str, Any]) -> Reply:
        assert request["max_tokens"] == 1
        return Reply(body=completion(request, "OK"))

    with FakeServer(one_token) as server:
        code = main(["doctor", "--base-url", server.base_url, "--model", "m"])
    captured = capsys.readouterr()
    assert code == 0, captured
    checks = _lines(captured.out)
    assert list(checks) == ["model", "strategy", "answer", "feeds input", "pdf input", "docx input"]
    assert checks["model"] == f"info  model: m at {server.base_url} (mode json)"
    assert checks["strategy"] == (  # from the registry of strategies
        "info  strategy: article (the default for this model); "
        "the choices: agenda, article, sentences, parse"
    )
    assert re.fullmatch(r"ok    answer: one token in \d+\.\d\d s \('OK'\)", checks["answer"])


def test_doctor_fails_when_nothing_answers(capsys: pytest.CaptureFixture[str]) -> None:
    with FakeServer(lambda request: Reply()) as server:
        url = server.base_url  # closed when the block ends: nothing listens there any more
    code = main(["doctor", "--base-url", url, "--model", "m", "--timeout", "5"])
    captured = capsys.readouterr()
    assert code == 1
    answer = _lines(captured.out)["answer"]
    assert answer.startswith("FAIL  answer: Cannot reach http://127.0.0.1:")
    assert "Traceback" not in captured.err
    assert captured.err.strip() == "extractor doctor: 1 check failed: see the FAIL line."


def test_doctor_without_a_model_says_what_to_do(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["doctor", "--base-url", "http://127.0.0.1:9/v1"]) == 1
    assert _lines(capsys.readouterr().out)["model"] == (
        "FAIL  model: --base-url needs --model: the name the server knows the model by "
        "(`extractor models --base-url URL` lists them)."
    )


@pytest.mark.live
@NEEDS_EMBEDDED_MODEL
def test_doctor_embedded_shows_build_threads_and_latency() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "extractor.cli.main", "doctor", "--threads", "1"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    checks = _lines(proc.stdout)
    assert list(checks) == [
        "model",
        "strategy",
        "embedded model",
        "gguf",
        "llama-cpp-python",
        "build flags",
        "compiled in",
        "threads",
        "server",
        "answer",
        "feeds input",
        "pdf input",
        "docx input",
    ]
    assert checks["strategy"].startswith(
        "info  strategy: agenda (the default for this model, reading the parse with en_core_web_sm)"
    )
    assert "SmolLM2-135M-Instruct.Q4_1.gguf" in checks["gguf"] and " MB)" in checks["gguf"]
    assert re.search(r"ok    llama-cpp-python: \d+\.\d+\.\d+$", checks["llama-cpp-python"])
    assert "CPU : " in checks["compiled in"] and "AVX2 = 1" in checks["compiled in"]
    assert checks["compiled in"].startswith("ok")  # the portable build fits this CPU
    assert checks["threads"].startswith("info  threads: 1 for generation and prompt")
    assert re.search(r"ok    answer: one token in \d+\.\d\d s", checks["answer"])
