"""The embedded model server: bound to 127.0.0.1 on a free port, and never left behind,
whether the CLI ends on Ctrl-C, SIGTERM or even SIGKILL (live: starts the real server)."""

from __future__ import annotations

import os
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
            "extractor.cli",
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


def test_server_listens_on_loopback_only(tmp_path: Path) -> None:
    """Bound to 127.0.0.1 alone, which holds on any host, whatever its other addresses:
    the kernel lists one listener for the port, on 127.0.0.1 (not 0.0.0.0 or ::), and
    127.0.0.2 (loopback too, so it would answer for a socket bound to every address)
    refuses the connection while 127.0.0.1 accepts it."""
    cli, server = _start(tmp_path)
    try:
        args = Path(f"/proc/{server}/cmdline").read_text().split("\0")
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
    time.sleep(1.0)  # let it get going: loading, or the first requests
    os.kill(cli.pid, sig)
    _, err = cli.communicate(timeout=60)
    assert cli.returncode == code, err[-1000:]
    if sig != signal.SIGKILL:
        assert "Traceback" not in err and "interrupted" in err
    assert _wait_for(lambda: not _alive(server), 20), f"server {server} outlived the CLI"
