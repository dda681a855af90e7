"""`extractor batch` against the loopback Batch API fake (tests/batch_fake.py) through the
real openai SDK: the edges real batch users hit, each a test. Answers come from
`quote_back` (records quoting the request's own text, so every record grounds), and each
batch run is compared with `extract` on the same answers.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from conftest import ROOT

from extractor.batchjobs.manifest import Manifest
from extractor.batchjobs.results import parse_line
from extractor.cli.main import main
from tests.support.batch_fake import BatchAPI, Script
from tests.support.fakeanswers import quote_back, synthetic_article
from tests.support.fakeserver import FakeServer, Reply

OPTIONS = ["--model", "m", "--mode", "tools", "--strategy", "article"]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for i in range(4):
        (folder / f"{i}.txt").write_text(synthetic_article(i, 1200), "utf-8")
    return folder


def _prepare(api: BatchAPI, corpus: Path, batch: Path, *extra: str) -> int:
    argv = ["batch", "prepare", str(corpus), "--dir", str(batch), *OPTIONS]
    return main([*argv, "--base-url", api.base_url, "-q", *extra])


def _collect(batch: Path, out: Path, *extra: str) -> tuple[int, list[dict[str, Any]]]:
    code = main(["batch", "collect", "--dir", str(batch), "-o", str(out), *extra])
    return code, [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def _extract(base_url: str, corpus: Path, out: Path) -> list[dict[str, Any]]:
    argv = ["extract", str(corpus), "--base-url", base_url, *OPTIONS, "-o", str(out), "-q"]
    assert main([*argv, "--no-cache"]) == 0
    return [json.loads(line) for line in out.read_text("utf-8").splitlines()]


def _records(results: list[dict[str, Any]]) -> list[Any]:
    return [(r["article"], r["stances"], r["claims"], r["warnings"], r["error"]) for r in results]


# result lines ------------------------------------------------------------------------------


def test_result_lines_openai_and_vllm() -> None:
    """Success is decided by response.status_code. Hand-written lines in the documented
    shapes of OpenAI's output file and vLLM's run-batch output."""
    ok = {"choices": [{"message": {"content": "{}"}}]}
    line = parse_line(
        json.dumps({"custom_id": "a", "response": {"status_code": 200, "body": ok}, "error": None})
    )
    assert line.response is not None and line.response.ok
    refused = {
        "custom_id": "b",
        "response": {
            "status_code": 400,
            "body": {"error": {"message": "bad schema", "code": "invalid"}},
        },
        "error": None,  # OpenAI: a 4xx inside response, error null
    }
    line = parse_line(json.dumps(refused))
    assert line.response is not None and not line.response.ok
    assert line.response.status == 400 and "bad schema" in (line.response.error or "")
    vllm = {
        "custom_id": "c",
        "response": {"status_code": 400, "request_id": "x", "body": None},
        "error": "Invalid request: unknown field",
    }  # vLLM: the error, no body
    line = parse_line(json.dumps(vllm))
    assert line.response is not None and not line.response.ok and line.response.status == 400
    assert "unknown field" in (line.response.error or "")
    expired = {
        "custom_id": "d",
        "response": None,
        "error": {"code": "batch_expired", "message": "late"},
    }
    line = parse_line(json.dumps(expired))
    assert (
        line.response is not None
        and line.response.status == 0
        and "batch_expired" in (line.response.error or "")
    )
    assert parse_line(b'{"custom_id": "e", "response": {"status_c').unreadable


# prepare ---------------------------------------------------------------------------------------


def test_prepare_shards_under_the_limits_and_skips_cached(corpus: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch, "--max-requests", "3") == 0
        manifest = Manifest.load(batch)
        assert [s.requests for s in manifest.shards] == [3, 1]
        for shard in manifest.shards:
            lines = (batch / shard.file).read_bytes().splitlines()
            assert len(lines) == shard.requests
            for raw in lines:
                line = json.loads(raw)
                assert set(line) == {"custom_id", "method", "url", "body"}
                assert line["url"] == "/v1/chat/completions" and line["body"]["model"] == "m"
        assert manifest.articles == 4 and manifest.prompt_version and manifest.schema_version
        # a byte limit too: each shard stays under it
        size = max(
            len(r) for s in manifest.shards for r in (batch / s.file).read_bytes().splitlines(True)
        )
        assert _prepare(api, corpus, tmp_path / "b2", "--max-bytes", str(size * 2)) == 0
        shards = Manifest.load(tmp_path / "b2").shards
        assert len(shards) == 2 and all(s.bytes <= size * 2 for s in shards)
        # requests the cache answers are not written: extract fills the cache first
        argv = [
            "extract",
            str(corpus),
            "--base-url",
            api.base_url,
            *OPTIONS,
            "-o",
            str(tmp_path / "x.jsonl"),
        ]
        assert main([*argv, "-q"]) == 0
        assert _prepare(api, corpus, tmp_path / "b3") == 0
        assert Manifest.load(tmp_path / "b3").shards == []


def test_dry_run_counts_and_prices_at_batch_rates(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = [
        "batch",
        "prepare",
        str(corpus),
        "--dir",
        str(tmp_path / "b"),
        "--model",
        "gpt-4.1-mini",
    ]
    assert main([*argv, "--dry-run"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["requests"] == 4 and report["prices"] == "batch"
    # gpt-4.1-mini: 0.40 / 1.60 USD per million at list price, half in a batch
    assert report["cost_usd"]["min"] == pytest.approx(report["prompt_tokens"] * 0.2 / 1e6, abs=1e-4)
    assert not (tmp_path / "b").exists()


def test_prepared_body_is_what_extract_sends(corpus: Path, tmp_path: Path) -> None:
    for mode in ("tools", "json", "json_schema", "json_grammar"):
        with FakeServer(quote_back) as server:
            options = [
                "--model",
                "m",
                "--mode",
                mode,
                "--strategy",
                "sentences",
                "--base-url",
                server.base_url,
            ]
            argv = [
                "extract",
                str(corpus / "0.txt"),
                *options,
                "-o",
                str(tmp_path / f"{mode}.jsonl"),
                "--no-cache",
            ]
            assert main([*argv, "-q"]) == 0
            batch = tmp_path / f"batch-{mode}"
            argv = ["batch", "prepare", str(corpus / "0.txt"), "--dir", str(batch), *options]
            assert main([*argv, "--no-cache", "-q"]) == 0
            shard = Manifest.load(batch).shards[0]
            bodies = [json.loads(r)["body"] for r in (batch / shard.file).read_bytes().splitlines()]
            assert bodies == server.requests, mode


# the edges of real batches -------------------------------------------------------------


def test_a_4xx_inside_the_response_is_a_failure_listed_and_reasked(
    corpus: Path, tmp_path: Path
) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    first: list[str] = []

    def answer(body: dict[str, Any]) -> Reply:
        user = body["messages"][-1]["content"]
        if not first or first[0] == user:  # the first article's request is refused, once
            first[:1] = [user]
            if len(first) == 1 and not api.chat_requests:
                return Reply(
                    400, {"error": {"message": "schema rejected", "code": "invalid_request"}}
                )
        return quote_back(body)

    with BatchAPI(answer) as api:
        assert _prepare(api, corpus, batch) == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        api.finish_all()
        code, results = _collect(batch, out)
        assert code == 1
        assert (
            results[0]["error"]["kind"] == "refused"
            and "schema rejected" in results[0]["error"]["message"]
        )
        assert all(r["error"] is None for r in results[1:])
        listed = [json.loads(x) for x in (batch / "problems.jsonl").read_text().splitlines()]
        assert [p["problem"] for p in listed] == ["refused"]
        code, results = _collect(batch, out, "--reask")  # sent synchronously, same backend
        assert code == 0 and len(api.chat_requests) == 1
        expected = _extract(api.base_url, corpus, tmp_path / "extract.jsonl")
    assert _records(results) == _records(expected)


def test_completed_with_only_an_error_file(corpus: Path, tmp_path: Path) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with BatchAPI(lambda body: Reply(400, {"error": {"message": "model not allowed"}})) as api:
        assert _prepare(api, corpus, batch) == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        api.finish_all()
        batch_id = Manifest.load(batch).shards[0].batch_id
        assert batch_id is not None
        assert (
            api.batches[batch_id]["output_file_id"] is None
            and api.batches[batch_id]["error_file_id"]
        )
        code, results = _collect(batch, out)
    assert code == 1
    assert [r["error"]["kind"] for r in results] == ["refused"] * 4
    assert all("model not allowed" in r["error"]["message"] for r in results)


@pytest.mark.parametrize("state", ["expired", "cancelled"])
def test_expired_or_cancelled_with_part_of_the_output(
    corpus: Path, tmp_path: Path, state: str, capsys: pytest.CaptureFixture[str]
) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch) == 0
        capsys.readouterr()
        assert main(["batch", "status", "--dir", str(batch)]) == 4  # not submitted
        shown = capsys.readouterr()
        assert "not submitted" in shown.out and shown.err == ""  # the table is data: stdout
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        assert main(["batch", "status", "--dir", str(batch)]) == 3  # running
        api.finish_all(Script(state=state, keep=1))
        assert main(["batch", "status", "--dir", str(batch)]) == 1  # ended without completing
        code, results = _collect(batch, out)
        assert code == 1
        assert results[0]["error"] is None
        assert [r["error"]["kind"] for r in results[1:]] == ["not_answered"] * 3
        assert all(r["stances"] == [] and r["claims"] == [] for r in results[1:])
        # the next round asks just the three that were not answered
        assert main(["batch", "prepare", "--dir", str(batch), "-q"]) == 0
        shards = Manifest.load(batch).shards
        assert [(s.round, s.requests) for s in shards] == [(1, 4), (2, 3)]
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        api.finish_all()
        code, results = _collect(batch, out)
        assert code == 0
        expected = _extract(api.base_url, corpus, tmp_path / "extract.jsonl")
    assert results == expected  # usage too: the first round's answer counts in the second


def test_failed_at_validation(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch) == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        error = {
            "code": "invalid_json_line",
            "message": "This line is not parseable as valid JSON.",
            "line": 2,
        }
        api.finish_all(Script(state="failed", validation_errors=[error]))
        assert main(["batch", "status", "--dir", str(batch)]) == 1
        assert "invalid_json_line" in capsys.readouterr().out  # the status table: stdout
        assert Manifest.load(batch).shards[0].errors == [
            "invalid_json_line: This line is not parseable as valid JSON. (line 2)"
        ]
        code, results = _collect(batch, out)
        assert code == 1 and {r["error"]["kind"] for r in results} == {"not_answered"}
        assert main(["batch", "prepare", "--dir", str(batch), "-q"]) == 0
        assert Manifest.load(batch).shards[-1].requests == 4  # all asked again


def test_output_reordered_duplicated_and_foreign(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch) == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        api.finish_all(Script(shuffle=True, duplicate=2, foreign=True))
        capsys.readouterr()
        code, results = _collect(batch, out)
        err = capsys.readouterr().err
        assert code == 0
        assert "2 duplicated, 1 not of this batch" in err
        expected = _extract(api.base_url, corpus, tmp_path / "extract.jsonl")
    assert results == expected  # in input order


def test_a_cut_off_download_is_fetched_again(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch) == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        api.finish_all()
        output = next(iter(api.batches.values()))["output_file_id"]
        content = api.files[output][1]
        api.cuts[output] = content.index(b"\n", len(content) // 2) + 20  # mid-line
        code, results = _collect(batch, out)
        assert code == 1 and "cut off" in capsys.readouterr().err
        assert any(r["error"] is None for r in results)
        assert any(r["error"] and r["error"]["kind"] == "not_answered" for r in results)
        code, results = _collect(batch, out)  # the whole file this time
        assert code == 0
        expected = _extract(api.base_url, corpus, tmp_path / "extract.jsonl")
    assert results == expected


def test_a_manifest_of_another_prompt_version_is_refused(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    batch = tmp_path / "batch"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch) == 0
    data = json.loads((batch / "manifest.json").read_text())
    data["prompt_version"] = "0123456789ab"
    (batch / "manifest.json").write_text(json.dumps(data))
    capsys.readouterr()
    assert main(["batch", "collect", "--dir", str(batch), "-o", str(tmp_path / "o.jsonl")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "prompt version 0123456789ab" in err[0] and "new --dir" in err[0]


def test_vllm_results_files(corpus: Path, tmp_path: Path) -> None:
    """`collect --results` reads what `vllm run-batch -o` writes (hand-written here in its
    documented line shape from our own shards; a failed request has no body)."""
    batch, out = tmp_path / "batch", tmp_path / "out.jsonl"
    with FakeServer(quote_back) as server:
        argv = [
            "batch",
            "prepare",
            str(corpus),
            "--dir",
            str(batch),
            "--model",
            "m",
            "--mode",
            "json_schema",
        ]
        assert main([*argv, "--strategy", "article", "--base-url", server.base_url, "-q"]) == 0
        shard = Manifest.load(batch).shards[0]
        results = tmp_path / "vllm.out.jsonl"
        with results.open("w") as fh:
            for n, raw in enumerate((batch / shard.file).read_bytes().splitlines()):
                line = json.loads(raw)
                response: dict[str, Any] = {
                    "status_code": 200,
                    "request_id": f"vllm-{n}",
                    "body": None,
                }
                error = None
                if n == 3:
                    response["status_code"], error = 400, "The model `m` does not exist."
                else:
                    response["body"] = quote_back(line["body"]).body
                fh.write(
                    json.dumps(
                        {
                            "id": f"vllm-{n}",
                            "custom_id": line["custom_id"],
                            "response": response,
                            "error": error,
                        }
                    )
                    + "\n"
                )
        code, got = _collect(batch, out, "--results", str(results))
        assert code == 1
        assert [r["error"] and r["error"]["kind"] for r in got] == [None, None, None, "refused"]
        assert "does not exist" in got[3]["error"]["message"]
        argv = [
            "extract",
            str(corpus),
            "--base-url",
            server.base_url,
            "--model",
            "m",
            "--mode",
            "json_schema",
        ]
        assert (
            main(
                [
                    *argv,
                    "--strategy",
                    "article",
                    "-o",
                    str(tmp_path / "e.jsonl"),
                    "-q",
                    "--no-cache",
                ]
            )
            == 0
        )
        expected = [json.loads(x) for x in (tmp_path / "e.jsonl").read_text().splitlines()]
    assert got[:3] == expected[:3]


# submit: resumable, never twice ---------------------------------------------------------


def test_a_kill_between_two_submits(corpus: Path, tmp_path: Path) -> None:
    batch = tmp_path / "batch"
    reached, killed = threading.Event(), threading.Event()

    def block(call: str) -> None:
        uploads = sum(c == "POST /v1/files" for c in api.calls)
        if call == "POST /v1/files" and uploads == 2 and not reached.is_set():
            reached.set()
            killed.wait(30)  # the client is killed while waiting for this answer

    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch, "--max-requests", "1") == 0
        assert len(Manifest.load(batch).shards) == 4
        api.block = block
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        proc = subprocess.Popen(
            [sys.executable, "-m", "extractor.cli", "batch", "submit", "--dir", str(batch)],
            env=env,
            stderr=subprocess.PIPE,
        )
        try:
            assert reached.wait(60), "the submit never reached the second upload"
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            killed.set()
        finally:
            killed.set()
            if proc.poll() is None:
                proc.kill()
        shards = Manifest.load(batch).shards
        assert shards[0].batch_id and not shards[1].batch_id
        api.block = None
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        shards = Manifest.load(batch).shards
        made_from = [b["input_file_id"] for b in api.batches.values()]
        assert len(api.batches) == 4 and len(set(made_from)) == 4
        assert sorted(made_from) == sorted(s.input_file_id for s in shards)
        # the killed upload of shard 2 may have arrived: it is a stray file, never a batch
        assert all(s.batch_id in api.batches for s in shards)


def test_a_batch_created_but_not_recorded_is_not_created_again(
    corpus: Path, tmp_path: Path
) -> None:
    """A kill after batches.create answered and before the manifest was saved."""
    batch = tmp_path / "batch"
    with BatchAPI(quote_back) as api:
        assert _prepare(api, corpus, batch, "--max-requests", "2") == 0
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        data = json.loads((batch / "manifest.json").read_text())
        lost = data["shards"][1]["batch_id"]
        data["shards"][1]["batch_id"] = None
        (batch / "manifest.json").write_text(json.dumps(data))
        assert main(["batch", "submit", "--dir", str(batch)]) == 0
        assert len(api.batches) == 2
        assert Manifest.load(batch).shards[1].batch_id == lost


def test_the_parse_strategy_needs_no_api_and_no_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # `--strategy parse` asks no model: prepare writes no shard, and submit and collect
    # must not ask for OPENAI_API_KEY or reach any API (no --base-url, no key set here).
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    seed = ROOT / "seeds" / "000_792bd40e83e483ac.txt"
    batch, out = tmp_path / "b", tmp_path / "out.jsonl"
    argv = ["batch", "prepare", str(seed), "--dir", str(batch), "--model", "m"]
    assert main([*argv, "--strategy", "parse", "-q"]) == 0
    assert main(["batch", "submit", "--dir", str(batch)]) == 0
    assert "nothing to submit" in capsys.readouterr().err
    code, records = _collect(batch, out, "-q")
    assert code == 0
    (record,) = records
    assert record["error"] is None and record["stances"] and record["usage"]["requests"] == 0
    assert record["model"].startswith("spaCy ")  # what read them, not the unused "m"
