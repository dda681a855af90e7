"""The embedded model server: bound to 127.0.0.1 on a free port, and never left behind,
whether the CLI ends on Ctrl-C, SIGTERM or even SIGKILL; and when the server itself dies
mid-run, the run stops at once and says so (live: starts the real server)."""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from conftest import NEEDS_EMBEDDED_MODEL, SEED

pytestmark = [pytest.mark.live, NEEDS_EMBEDDED_MODEL]


def _children(pid: int) -> list[int]:
    out = subprocess.run(
        ["pgrep", "-P", str(pid), "-f", "llama_cpp.server"], capture_output=True, text=True
    ).stdout
    return [int(p) for p in out.split()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return False
    return "\nState:\tZ" not in state  # a zombie has exited


def _wait_for(predicate, timeout: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


def _start(tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    cli = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "extractor.cli.main",
            "extract",
            str(SEED),
            "-o",
            str(tmp_path / "out.jsonl"),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert _wait_for(lambda: bool(_children(cli.pid)), 60), "the embedded server never started"
    (server,) = _children(cli.pid)
    return cli, server


def _listening_on(port: int) -> list[str]:
    """Local addresses with a socket listening on `port`, from /proc/net/tcp and tcp6."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hexport = local.split(":")
            if state != "0A" or int(hexport, 16) != port:  # 0A: LISTEN
                continue
            raw = bytes.fromhex(address)
            if len(raw) == 4:
                found.append(socket.inet_ntop(socket.AF_INET, raw[::-1]))
            else:  # tcp6: four 32-bit words, each little-endian
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, 16, 4))
                found.append(socket.inet_ntop(socket.AF_INET6, words))
    return found


def test_server_listens_on_loopback_only_with_every_core(tmp_path: Path) -> None:
    """Bound to 127.0.0.1 alone, which holds on any host, whatever its other addresses:
    the kernel lists one listener for the port, on 127.0.0.1 (not 0.0.0.0 or ::), and
    127.0.0.2 (loopback too, so it would answer for a socket bound to every address)
    refuses the connection while 127.0.0.1 accepts it. It runs a thread per core, whose
    OpenMP threads spin briefly before they sleep unless the user said how they wait."""
    cli, server = _start(tmp_path)
    try:
        environ = Path(f"/proc/{server}/environ").read_bytes().decode().split("\0")
        if not {"OMP_WAIT_POLICY", "GOMP_SPINCOUNT"} & set(os.environ):
            assert "GOMP_SPINCOUNT=3000" in environ
        args = Path(f"/proc/{server}/cmdline").read_text().split("\0")
        cores = str(len(os.sched_getaffinity(0)))  # llama-cpp-python's default: half of them
        assert args[args.index("--n_threads") + 1] == cores
        assert args[args.index("--n_threads_batch") + 1] == cores
        assert args[args.index("--host") + 1] == "127.0.0.1"
        port = int(args[args.index("--port") + 1])
        assert _wait_for(lambda: bool(_listening_on(port)), 60), "the server never listened"
        assert _listening_on(port) == ["127.0.0.1"]
        with socket.create_connection(("127.0.0.1", port), timeout=5):
            pass
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.2", port), timeout=5).close()
    finally:
        cli.send_signal(signal.SIGINT)
        cli.communicate(timeout=60)


@pytest.mark.parametrize(
    "sig, code", [(signal.SIGINT, 130), (signal.SIGTERM, 130), (signal.SIGKILL, -signal.SIGKILL)]
)
def test_no_server_left_behind(tmp_path: Path, sig: signal.Signals, code: int) -> None:
    cli, server = _start(tmp_path)
    # let it get going, past the first request's lazy imports (openai imports its
    # resources on first use): a SIGINT that lands in an import's module-lock callback is
    # "ignored" by Python itself, and the run then goes on (seen on a fresh clone)
    time.sleep(4.0)
    os.kill(cli.pid, sig)
    _, err = cli.communicate(timeout=60)
    assert cli.returncode == code, err[-1000:]
    if sig != signal.SIGKILL:
        assert "Traceback" not in err and "interrupted" in err
    assert _wait_for(lambda: not _alive(server), 20), f"server {server} outlived the CLI"


def _no_core_dump() -> None:
    """In the CLI before exec, inherited by its server: a SIGILL leaves no core file."""
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


@pytest.mark.parametrize(
    "sig, how, concurrency",
    [
        (signal.SIGILL, "SIGILL (illegal instruction)", 1),  # what a build this CPU cannot run does
        (signal.SIGKILL, "SIGKILL", 2),  # what the out-of-memory killer does
    ],
)
def test_server_killed_mid_run_stops_the_run(
    tmp_path: Path, sig: signal.Signals, how: str, concurrency: int
) -> None:
    """The embedded server dies after the first article: the run stops at once, says how
    the server ended and what to do, and records every other article as model_crashed
    without sending it anything."""
    corpus = tmp_path / "articles"
    corpus.mkdir()
    for n in range(1, 9):
        (corpus / f"a{n}.txt").write_text(  # a stance noun without a target, no claim the
            # parse reads: one question (agenda strategy)
            f"Governor Maria Lopez voiced her support on day {n} of the session.\n",
            encoding="utf-8",
        )
    out = tmp_path / "out.jsonl"
    argv = ["extract", str(corpus), "-o", str(out), "--concurrency", str(concurrency)]
    cli = subprocess.Popen(
        [sys.executable, "-m", "extractor.cli.main", *argv],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_no_core_dump,
    )
    try:
        assert _wait_for(lambda: bool(_children(cli.pid)), 60), "the embedded server never started"
        (server,) = _children(cli.pid)
        assert _wait_for(lambda: out.exists() and out.read_text().count("\n") >= 1, 300), (
            "no article was written within 300 s"
        )
        os.kill(server, sig)
        _, err = cli.communicate(timeout=60)
    finally:
        if cli.poll() is None:
            cli.kill()
            cli.communicate()

    assert cli.returncode == 1, err[-2000:]  # some article failed (README: exit codes)
    assert "Traceback" not in err
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [r["article"]["id"] for r in records] == [f"a{n}" for n in range(1, 9)]
    assert records[0]["error"] is None
    kinds = [r["error"] and r["error"]["kind"] for r in records]
    first = kinds.index("model_crashed")  # the first article the dead server failed
    assert all(kind is None for kind in kinds[:first])
    assert kinds[first:] == ["model_crashed"] * (8 - first)
    crashed = records[first:]
    # no retry against a dead process (that would be 4 attempts): the request in flight,
    # after at most one re-ask that came back before the crash
    assert all(r["usage"]["requests"] <= 2 for r in crashed), [r["usage"] for r in records]
    assert crashed[-1]["usage"]["requests"] == 0  # not run at all
    assert crashed[-1]["error"]["message"].startswith("Not run: the embedded model server")

    # the message: one line naming the server, how it ended, its log and what to do
    message = next(line for line in err.splitlines() if "died while answering" in line)
    assert "The embedded model server (llama-cpp-python, SmolLM2-135M" in message
    assert f": {how}." in message and "Its log ends: " in message
    if sig == signal.SIGILL:
        assert "CMAKE_ARGS" in message or "portable flags" in message
    assert "--base-url" not in err and "Cannot reach" not in err
    assert f"{8 - first} of them model_crashed" in err  # the summary says how many
    assert _wait_for(lambda: not _alive(server), 20)


def test_server_settings_are_not_taken_from_unrelated_variables(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """llama_cpp.server reads its settings from the environment (pydantic-settings): a
    user's `CACHE=/some/dir` made the embedded server exit at start ('Path to a config
    file to load' was the last line of its log). Those names are left out of its env."""
    pytest.importorskip("llama_cpp.server.settings")
    from extractor.backends.embedded import server_environment

    for name in ("CACHE", "model", "PORT", "N_CTX", "CONFIG_FILE"):
        monkeypatch.setenv(name, "/somewhere")
    monkeypatch.setenv("EXTRACTOR_UNRELATED", "kept")
    env = server_environment()
    assert not {"CACHE", "model", "PORT", "N_CTX", "CONFIG_FILE"} & set(env)
    assert env["EXTRACTOR_UNRELATED"] == "kept" and env["PATH"] == os.environ["PATH"]


def test_openmp_waiting_is_the_users_when_set() -> None:
    """A short spin by default (sleeping at once halved an idle machine's speed, spinning
    long made a busy one's 3 to 30 times slower); a user's own setting is left alone."""
    from extractor.backends.embedded import openmp_waiting

    assert openmp_waiting({"PATH": "/bin"}) == {"PATH": "/bin", "GOMP_SPINCOUNT": "3000"}
    for mine in ({"OMP_WAIT_POLICY": "ACTIVE"}, {"GOMP_SPINCOUNT": "0"}):
        assert openmp_waiting(mine) == mine
