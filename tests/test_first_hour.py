"""The first hour of a new user (issue 23), each failure run as a user meets it: the
command as a subprocess, its exit code, the exact line on stderr, and no traceback.

Servers are loopback only: FakeServer (tests/support), and for a server that is down a
loopback port with nothing listening on it. The articles are hand-written one-liners.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

import pytest
from conftest import NEEDS_EMBEDDED_MODEL, park_answer

from tests.support.fakeserver import FakeServer, Reply, completion

ROOT = Path(__file__).resolve().parent.parent
RUN_FIXTURE = ROOT / "tests" / "fixtures" / "timeline" / "expected.jsonl"
ARTICLE = "Mayor Ana Ruiz said the city backs the river park plan.\nVote {n}.\n"
GOOD = park_answer()


def cli(
    *args: str, env: dict[str, str] | None = None, **kw: Any
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "extractor", *args],
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, **(env or {})},
        **kw,
    )


def one_line(proc: subprocess.CompletedProcess[str], code: int) -> str:
    """The process's stderr, which must be one line, and its exit code `code`."""
    assert "Traceback" not in proc.stderr, proc.stderr
    assert proc.returncode == code, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1, proc.stderr
    return lines[0]


def corpus(tmp_path: Path, n: int) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(1, n + 1):
        (folder / f"a{i:02d}.txt").write_text(ARTICLE.format(n=i))
    return folder


def closed_port() -> str:
    """A loopback URL with nothing listening: connections are refused at once."""
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}/v1"


def server_args(url: str, *extra: str) -> list[str]:
    return ["--base-url", url, "-m", "m", "--strategy", "article", "--mode", "json", *extra]


def answer(request: dict[str, Any]) -> Reply:
    return Reply(body=completion(request, GOOD))


# -- the first message, and the advice naming what the user gave ---------------------


def test_keyless_first_message_is_not_redacted(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=1))
    line = one_line(cli("extract", str(tmp_path / "a.txt"), "--model", "gpt-4.1-mini"), 2)
    assert line == (
        "extractor: Model 'gpt-4.1-mini' needs OPENAI_API_KEY: set it, or pass --base-url for "
        "another server, or leave out --model to use the embedded model."
    )


def test_batch_keyless_message_is_not_redacted(tmp_path: Path) -> None:
    proc = cli("batch", "status", "--dir", str(tmp_path / "run1"))
    assert "***" not in proc.stderr and "Traceback" not in proc.stderr
    assert proc.returncode == 2


def test_openai_unreachable_advice_names_no_option_not_given(tmp_path: Path) -> None:
    """A key and no network: the advice is about the connection (here the SDK's
    OPENAI_BASE_URL, pointed at a closed port), never about a --base-url nobody gave."""
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=1))
    url = closed_port()
    env = {"OPENAI_API_KEY": "sk-test-0123456789abcdef", "OPENAI_BASE_URL": url}
    proc = cli("extract", str(tmp_path / "a.txt"), "-m", "gpt-4.1-mini", "-q", env=env)
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert "--base-url" not in proc.stderr
    assert f"Cannot reach {url} (connection refused or dropped), the OPENAI_BASE_URL" in (
        proc.stderr
    )


# -- a server that is down stops the run early -----------------------------------------


STOP = (
    "extractor: stopping: the {left} articles left are recorded as not run (unreachable): "
    "{url} could not be reached by 3 articles in a row; once it answers, run them again "
    "(--resume)."
)


@pytest.mark.parametrize("concurrency", ["1", "3"])
def test_dead_server_stops_the_run_and_resume_picks_up(tmp_path: Path, concurrency: str) -> None:
    src, out, url = corpus(tmp_path, 12), tmp_path / "run.jsonl", closed_port()
    args = ["extract", str(src), "-o", str(out), "--concurrency", concurrency]
    started = time.monotonic()
    proc = cli(*args, *server_args(url))
    took = time.monotonic() - started
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(records) == 12 and {r["error"]["kind"] for r in records} == {"unreachable"}
    tried = [r for r in records if not r["error"]["message"].startswith("Not run: ")]
    # sync: exactly 3 tried; concurrent: those already in flight finish their retries
    assert 3 <= len(tried) <= (3 if concurrency == "1" else 3 + 2 * 3)
    stops = [line for line in proc.stderr.splitlines() if "stopping" in line]
    assert stops == [STOP.format(left=12 - len(tried), url=url)]
    assert took < 40  # 12 articles x 4.4 s of retries each was 53 s
    with FakeServer(answer) as server:  # the server is back: --resume runs the rest
        again = cli(*args, *server_args(server.base_url), "--resume", "-q")
    assert again.returncode == 0, again.stderr
    done = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(done) == 12 and all(r["error"] is None for r in done)


@pytest.mark.parametrize("concurrency", ["1", "2"])
def test_server_killed_mid_run_stops_the_run(tmp_path: Path, concurrency: str) -> None:
    src, out = corpus(tmp_path, 10), tmp_path / "run.jsonl"
    served: list[int] = []

    with FakeServer(answer) as server:

        def answer_then_die(request: dict[str, Any]) -> Reply:
            served.append(1)
            if len(served) > 3:
                server.kill()
                return Reply(drop=True)
            return answer(request)

        server.responder = answer_then_die
        args = ["extract", str(src), "-o", str(out), "--concurrency", concurrency]
        proc = cli(*args, *server_args(server.base_url))
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    records = [json.loads(line) for line in out.read_text().splitlines()]
    ok = [r for r in records if r["error"] is None]
    assert len(records) == 10 and len(ok) == 3
    not_run = [r for r in records if r["error"] and r["error"]["message"].startswith("Not run")]
    assert not_run and {r["error"]["kind"] for r in not_run} == {"unreachable"}
    assert sum("extractor: stopping: " in line for line in proc.stderr.splitlines()) == 1


# -- pipes, full disks, unwritable files ------------------------------------------------


@pytest.fixture
def big_run(tmp_path: Path) -> Path:
    """A run file big enough that its report does not fit in a pipe's buffer."""
    path = tmp_path / "big.jsonl"
    path.write_text(RUN_FIXTURE.read_text() * 40)
    return path


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{run}", "--csv", "-"],
        ["table", "{run}", "--json"],
        ["timeline", "{run}", "--csv", "-"],
        [
            "eval",
            str(ROOT / "tests/fixtures/review/000_792bd40e83e483ac.article.jsonl"),
            "--gold",
            str(ROOT / "tests/fixtures/seed.gold.jsonl"),
            "--json",
        ],
        ["schema"],
    ],
)
def test_closed_pipe_ends_quietly(big_run: Path, args: list[str]) -> None:
    """`... | head`: the reader is gone before the command writes; exit 141 (as for
    SIGPIPE), nothing on stderr."""
    argv = [a.format(run=big_run) for a in args]
    proc = subprocess.Popen(
        [sys.executable, "-m", "extractor", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # like `head` that has read enough, before anything is written
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141, err
    assert "Traceback" not in err and "Exception ignored" not in err


def test_extract_to_a_closed_pipe_stops(tmp_path: Path) -> None:
    src = corpus(tmp_path, 3)
    with FakeServer(answer) as server:
        url = server.base_url
        proc = subprocess.Popen(
            [sys.executable, "-m", "extractor", "extract", str(src), "-q", *server_args(url)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        proc.stdout.close()
        _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141 and err == ""


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["report", "{run}", "--html", "/dev/full"],
            "extractor: --html /dev/full: cannot write (No space left on device). "
            "Check the path and free space.",
        ),
        (
            ["report", "{run}", "--csv", "/dev/full"],
            "extractor: --csv /dev/full: cannot write (No space left on device). "
            "Check the path and free space.",
        ),
        (
            ["timeline", "{run}", "--html", "/dev/full"],
            "extractor: --html /dev/full: cannot write (No space left on device). "
            "Check the path and free space.",
        ),
    ],
)
def test_full_disk_is_one_line(tmp_path: Path, args: list[str], line: str) -> None:
    run = tmp_path / "run.jsonl"
    run.write_text(RUN_FIXTURE.read_text())
    text_dir = ["--text-dir", str(ROOT)] if args[0] == "report" else []
    proc = cli(*[a.format(run=run) for a in args], *text_dir, cwd=ROOT)
    assert one_line(proc, 2) == line


def test_full_stdout_is_one_line(tmp_path: Path) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "extractor", "table", str(RUN_FIXTURE), "--csv"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            timeout=120,
        )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip() == (
        "extractor: cannot write to standard output (No space left on device)."
    )


def test_extract_to_dev_full(tmp_path: Path) -> None:
    src = corpus(tmp_path, 2)
    with FakeServer(answer) as server:
        proc = cli("extract", str(src), "-o", "/dev/full", "-q", *server_args(server.base_url))
    assert one_line(proc, 2) == (
        "extractor: -o /dev/full: cannot write (No space left on device); the 0 lines written "
        "before are whole. Free space (or choose another -o), then run the same command with "
        "--resume."
    )


def _file_size_limit(limit: int) -> Any:
    def limit_it() -> None:  # in the child: writes past `limit` fail (EFBIG), as on a full disk
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return limit_it


def test_disk_full_mid_run_leaves_whole_lines_and_resume_finishes(tmp_path: Path) -> None:
    """The disk fills after two and a half records: the file is cut back to the two whole
    lines, the line says so, and --resume once there is room writes the other three."""
    src, out = corpus(tmp_path, 5), tmp_path / "run.jsonl"
    with FakeServer(answer) as server:
        args = ["extract", str(src), "-o", str(out), "-q", *server_args(server.base_url)]
        first = cli(*args, "--no-cache")
        size = len(out.read_bytes().splitlines()[0]) + 1
        out.unlink()
        proc = cli(*args, "--no-cache", preexec_fn=_file_size_limit(int(size * 2.5)))
        assert one_line(proc, 2) == (
            f"extractor: -o {out}: cannot write (File too large); the 2 lines written before "
            "are whole. Free space (or choose another -o), then run the same command with "
            "--resume."
        )
        lines = out.read_bytes().split(b"\n")
        assert lines[-1] == b"" and len(lines) == 3 and all(json.loads(x) for x in lines[:2])
        again = cli(*args, "--resume")
    assert first.returncode == 0 and again.returncode == 0, again.stderr
    assert len(out.read_text().splitlines()) == 5


def test_unwritable_report_names_the_file(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    target = tmp_path / "file" / "report.html"
    proc = cli("report", str(RUN_FIXTURE), "--html", str(target), cwd=ROOT)
    assert one_line(proc, 2).startswith(f"extractor: --html {target}: cannot write (")


# -- Ctrl-C -------------------------------------------------------------------------------


def test_ctrl_c_says_at_once_it_is_stopping_and_how_to_resume(tmp_path: Path) -> None:
    src, out = corpus(tmp_path, 3), tmp_path / "run.jsonl"
    asked = threading.Event()

    def slow(request: dict[str, Any]) -> Reply:
        asked.set()
        return Reply(body=completion(request, GOOD), delay=20)

    with FakeServer(slow) as server:
        args = server_args(server.base_url)
        proc = subprocess.Popen(
            [sys.executable, "-m", "extractor", "extract", str(src), "-o", str(out), *args],
            stderr=subprocess.PIPE,
            text=True,
        )
        assert asked.wait(60)
        proc.send_signal(signal.SIGINT)
        sent = time.monotonic()
        assert proc.stderr is not None
        first = proc.stderr.readline()
        said = time.monotonic() - sent
        rest = proc.stderr.read()
        proc.wait(timeout=60)
    assert first == "extractor: stopping (Ctrl-C; once more to quit at once) ...\n"
    assert said < 2.0
    assert proc.returncode == 130 and "Traceback" not in rest
    assert rest.strip().splitlines()[-1] == (
        f"extractor: interrupted; 0 of 3 articles done; the lines in {out} are whole. Run the "
        "same command with --resume to do the rest."
    )


@NEEDS_EMBEDDED_MODEL
def test_ctrl_c_kills_the_embedded_server_instead_of_waiting_for_it() -> None:
    """After Ctrl-C nobody reads the answer the embedded server is generating: it is
    killed, not asked to finish (its graceful shutdown waited for that answer: 8 s). A
    process that ignores SIGTERM stands in for a server busy answering."""
    from extractor import Extractor

    busy = subprocess.Popen(["sh", "-c", "trap '' TERM; sleep 60"])
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), Extractor() as ex:
        assert ex.embedded is not None
        ex.embedded._proc = busy
        raise KeyboardInterrupt
    assert time.monotonic() - started < 3 and busy.poll() == -signal.SIGKILL


# -- output conventions ---------------------------------------------------------------


def test_table_goes_to_stdout(tmp_path: Path) -> None:
    proc = cli("table", str(RUN_FIXTURE))
    assert proc.returncode == 0 and proc.stderr == ""
    assert "positions across" in proc.stdout


def test_files_of_other_types_are_named_and_counted(tmp_path: Path) -> None:
    src = corpus(tmp_path, 1)
    (src / "scan.odt").write_bytes(b"PK\x03\x04")
    (src / "photo.png").write_bytes(b"\x89PNG")
    with FakeServer(answer) as server:
        proc = cli(
            "extract", str(src), "-o", str(tmp_path / "o.jsonl"), *server_args(server.base_url)
        )
    assert proc.returncode == 0, proc.stderr
    skipped = [line for line in proc.stderr.splitlines() if line.startswith("extractor: skipped")]
    # one line per kind of file, each naming its files (extractor/cli/inputs.py)
    assert any(f"{src}/photo.png" in line for line in skipped), proc.stderr
    assert any(f"{src}/scan.odt" in line for line in skipped), proc.stderr


def test_binary_file_is_named_once(tmp_path: Path) -> None:
    path = tmp_path / "docs" / "article.bin"
    path.parent.mkdir()
    path.write_bytes(b"\x00\x01binary")
    proc = cli("extract", str(path), "-o", str(tmp_path / "o.jsonl"), *server_args(closed_port()))
    assert proc.returncode == 1
    assert f"extractor: {path}: binary data, not text." in proc.stderr
    assert f"{path}: {path}" not in proc.stderr


# -- the conventions of llm, LangExtract and instructor ---------------------------------


def test_version_and_python_m() -> None:
    import importlib.metadata

    proc = cli("--version")
    assert proc.returncode == 0
    assert proc.stdout == f"extractor {importlib.metadata.version('extractor')}\n"
    assert cli("--help").stdout.startswith("usage: extractor")


@pytest.mark.parametrize(
    "args, line",
    [
        (
            ["extract", "seeds/", "--modle", "x"],
            "extractor extract: error: unrecognized option --modle; did you mean --model?",
        ),
        (
            ["extrat", "seeds/"],
            "extractor: error: argument COMMAND: invalid choice: 'extrat' (choose from "
            "'extract', 'batch', 'schema', 'report', 'review', 'eval', 'table', 'timeline', "
            "'doctor', 'models'); did you mean 'extract'?",
        ),
        (
            ["extract", "seeds/", "--strategy", "agnda"],
            "extractor extract: error: argument --strategy: invalid choice: 'agnda' (choose "
            "from 'agenda', 'article', 'sentences', 'parse'); did you mean 'agenda'?",
        ),
        (
            ["batch", "prepare", "--dri", "x"],
            "extractor batch prepare: error: unrecognized option --dri; did you mean --dir?",
        ),
    ],
)
def test_did_you_mean(args: list[str], line: str) -> None:
    proc = cli(*args, cwd=ROOT)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.strip().splitlines()[-1] == line
    assert proc.stderr.startswith("usage: extractor " + (args[0] if args[0] != "extrat" else ""))


def test_dash_m_is_model(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=1))
    with FakeServer(answer) as server:
        proc = cli("extract", str(tmp_path / "a.txt"), "--base-url", server.base_url, "-m", "qwen")
        assert proc.returncode == 0, proc.stderr
        assert {r["model"] for r in server.requests} == {"qwen"}


def test_models_lists_embedded_gguf_and_server(tmp_path: Path) -> None:
    gguf = tmp_path / "tiny.gguf"
    gguf.write_bytes(b"GGUF" + b"\0" * 2_000_000)
    with FakeServer(answer) as server:
        proc = cli("models", "--base-url", server.base_url, "--gguf", str(gguf), "--json")
        text = cli("models", "--base-url", server.base_url)
    assert proc.returncode == 0, proc.stderr
    listed = json.loads(proc.stdout)
    assert listed[0]["source"] == "embedded"
    assert {"source": "gguf", "model": "tiny", "use": f"--gguf {gguf}"}.items() <= listed[1].items()
    assert listed[1]["detail"] == f"{gguf}, 2.0 MB"
    served = [x for x in listed if x["source"] == server.base_url]
    assert served == [
        {
            "source": server.base_url,
            "model": "fake",
            "use": f"--base-url {server.base_url} --model fake",
            "detail": "",
        }
    ]
    assert f"--base-url {server.base_url} --model fake" in text.stdout


def test_models_with_a_dead_server_is_one_line_and_lists_the_rest() -> None:
    url = closed_port()
    proc = cli("models", "--base-url", url)
    assert one_line(proc, 1) == (
        f"extractor: {url}/models: cannot reach it: is the server running? Check --base-url {url}."
    )
    assert proc.stdout.startswith("embedded")


def test_models_lists_openai_models_with_a_key() -> None:
    with FakeServer(answer) as server:  # OpenAI's API played by a loopback server
        env = {"OPENAI_API_KEY": "sk-test-0123456789abcdef", "OPENAI_BASE_URL": server.base_url}
        proc = cli("models", env=env)
    assert proc.returncode == 0, proc.stderr
    assert ["openai", "fake", "--model", "fake"] in [
        line.split() for line in proc.stdout.splitlines()
    ]


# -- the library ------------------------------------------------------------------------


def test_library_progress_default_cache_and_file_input(tmp_path: Path) -> None:
    from extractor import Extractor, extract, from_text

    path = tmp_path / "2016-10-12_park.txt"
    path.write_text(ARTICLE.format(n=1))
    calls: list[tuple[int, int]] = []
    with FakeServer(answer) as server:
        first = extract(
            path,
            base_url=server.base_url,
            model="m",
            strategy="article",
            progress=lambda done, total: calls.append((done, total)),
        )
        again = extract(path, base_url=server.base_url, model="m", strategy="article")
        seen: list[tuple[int, int | None]] = []
        items = [from_text(ARTICLE.format(n=i), id=f"a{i}") for i in (2, 3)]
        with Extractor(base_url=server.base_url, model="m", strategy="article") as ex:
            results = list(ex.run_many(items, progress=lambda d, t: seen.append((d, t))))
        asked = len(server.requests)
    assert first.article.id == "2016-10-12_park" and first.article.date == "2016-10-12"
    assert calls == [(1, 1)] and first.usage.requests == 1
    assert again.usage.requests == 0  # the CLI's default cache ($EXTRACTOR_CACHE here)
    assert Path(os.environ["EXTRACTOR_CACHE"]).is_file()
    assert seen == [(1, 2), (2, 2)] and all(r.error is None for r in results)
    assert asked == 3


def test_library_messages_name_library_options() -> None:
    from extractor import ConfigError, Extractor

    with pytest.raises(ConfigError) as caught:
        Extractor("openai:gpt-4.1-mini")
    assert str(caught.value) == (
        "Model 'gpt-4.1-mini' needs an OpenAI key: set OPENAI_API_KEY or pass api_key=, or "
        "choose another backend ('http://HOST/v1#MODEL' for a server, 'embedded')."
    )
    with pytest.raises(ConfigError, match=r"^base_url= needs model=: "):
        Extractor(base_url="http://127.0.0.1:9/v1")


def test_library_stops_early_on_a_dead_server() -> None:
    from extractor import Extractor, from_text

    items = [from_text(ARTICLE.format(n=i), id=f"a{i}") for i in range(5)]
    url = closed_port()
    with Extractor(
        base_url=url, model="m", strategy="article", cache=None, stop_after_unreachable=2
    ) as ex:
        results = list(ex.run_many(items))
    kinds = [(r.error.kind, r.error.message.startswith("Not run: ")) for r in results if r.error]
    assert kinds == [("unreachable", False)] * 2 + [("unreachable", True)] * 3
    assert sum(r.usage.requests for r in results) == 8  # 2 articles x 4 attempts, then none
    assert results[-1].error is not None and results[-1].error.message == (
        f"Not run: {url} could not be reached by 2 articles in a row; once it answers, run "
        "them again (--resume)."
    )


# -- the settings file ----------------------------------------------------------------


def test_settings_file_gives_defaults_and_the_command_line_wins(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=1))
    config = tmp_path / "config.toml"
    with FakeServer(answer) as server:
        config.write_text(
            f'base_url = "{server.base_url}"\nmodel = "from-file"\nstrategy = "article"\n'
            'mode = "json"\ncache = false\n'
        )
        env = {"EXTRACTOR_CONFIG": str(config)}
        assert cli("extract", str(tmp_path / "a.txt"), "-q", env=env).returncode == 0
        assert cli("extract", str(tmp_path / "a.txt"), "-q", "-m", "cli", env=env).returncode == 0
        models = [r["model"] for r in server.requests]
        doctor = cli("doctor", env=env)
    assert models == ["from-file", "cli"]  # cache = false: asked twice
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert doctor.stdout.splitlines()[0] == f"info  settings: {config}"
    assert "info  model: from-file at " in doctor.stdout and server.base_url in doctor.stdout


def test_settings_file_in_the_default_place(tmp_path: Path) -> None:
    (tmp_path / "xdg" / "extractor").mkdir(parents=True)
    (tmp_path / "xdg" / "extractor" / "config.toml").write_text('modle = "x"\n')
    env = {"XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    env_without = {k: v for k, v in os.environ.items() if k != "EXTRACTOR_CONFIG"}
    proc = subprocess.run(
        [sys.executable, "-m", "extractor", "doctor"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**env_without, **env},
    )
    assert one_line(proc, 2) == (
        f"extractor: {tmp_path}/xdg/extractor/config.toml: unknown key 'modle': did you mean "
        "'model'? The file may set model, base_url, mode, strategy, gguf, cache, concurrency, "
        "timeout, threads, context_tokens."
    )


@pytest.mark.parametrize(
    "body, needle",
    [
        (
            'strategy = "agnda"\n',
            "strategy = 'agnda': choose one of agenda, article, sentences, parse.",
        ),
        ("concurrency = 'four'\n", "concurrency = 'four': give a whole number."),
        ("model = \n", "not valid TOML"),
    ],
)
def test_bad_settings_are_one_line(tmp_path: Path, body: str, needle: str) -> None:
    config = tmp_path / "config.toml"
    config.write_text(body)
    (tmp_path / "a.txt").write_text(ARTICLE.format(n=1))
    proc = cli("extract", str(tmp_path / "a.txt"), env={"EXTRACTOR_CONFIG": str(config)})
    line = one_line(proc, 2)
    assert line.startswith(f"extractor: {config}: ") and needle in line


def test_missing_settings_file_named_by_the_environment(tmp_path: Path) -> None:
    proc = cli("doctor", env={"EXTRACTOR_CONFIG": str(tmp_path / "nope.toml")})
    assert one_line(proc, 2) == (
        f"extractor: EXTRACTOR_CONFIG={tmp_path / 'nope.toml'}: no such file. Fix the path, "
        "or unset EXTRACTOR_CONFIG."
    )
