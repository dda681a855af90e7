"""What the installed llama-cpp-python was built with, and whether this CPU can run it.

- `recorded_cmake_args()`: the CMAKE_ARGS the Makefile built the wheel with, which it
  records in the virtual environment (`<venv>/.llama-cmake-args`); found through
  `sys.prefix`, so any program running in that environment can read them.
- `system_info()`: llama.cpp's own line of the CPU features compiled in
  (`llama_cpp.llama_print_system_info()`), e.g. "CPU : SSE3 = 1 | AVX = 1 | AVX2 = 1 | ...".
- `missing_features()`: the compiled-in features that /proc/cpuinfo does not list. A build
  that uses one of them dies with SIGILL (illegal instruction) when it reaches that code:
  a native build on a CPU listing AMX executed `tileloadd` on the first prompt.

Importing llama_cpp loads its shared library but runs none of its kernels, so asking is
safe on a CPU the build does not fit.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

CMAKE_ARGS_FILE = ".llama-cmake-args"  # written by the Makefile next to pyvenv.cfg

# llama.cpp's feature names -> the flag /proc/cpuinfo lists for it (x86-64)
_CPUINFO_FLAG = {
    "SSE3": "pni",
    "SSSE3": "ssse3",
    "AVX": "avx",
    "AVX2": "avx2",
    "AVX_VNNI": "avx_vnni",
    "F16C": "f16c",
    "FMA": "fma",
    "BMI2": "bmi2",
    "AVX512": "avx512f",
    "AVX512_VBMI": "avx512vbmi",
    "AVX512_VNNI": "avx512_vnni",
    "AVX512_BF16": "avx512_bf16",
    "AMX_INT8": "amx_int8",
}


def recorded_cmake_args() -> tuple[str, Path] | None:
    """The CMAKE_ARGS the Makefile recorded for this environment, and the file they are
    in; None when this environment was not made by the Makefile."""
    path = Path(sys.prefix) / CMAKE_ARGS_FILE
    try:
        return path.read_text(encoding="utf-8").strip(), path
    except OSError:
        return None


def system_info() -> str:
    """llama.cpp's line of compiled-in CPU features (imports llama_cpp)."""
    import llama_cpp

    raw = llama_cpp.llama_print_system_info()
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    return " ".join(text.split()).rstrip(" |")


def compiled_features(info: str) -> set[str]:
    """The feature names set to 1 in a system-info line."""
    return {name for name, on in re.findall(r"([A-Z][A-Z0-9_]*) = (\d)", info) if on == "1"}


def cpu_flags(cpuinfo: Path = Path("/proc/cpuinfo")) -> set[str] | None:
    """The flags of the first CPU in /proc/cpuinfo; None where there is no such file."""
    try:
        text = cpuinfo.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        if line.startswith("flags"):
            return set(line.split(":", 1)[1].split())
    return None


def missing_features(info: str, flags: set[str]) -> list[str]:
    """Compiled-in features (of those this module knows) that the CPU does not list."""
    return sorted(
        name
        for name in compiled_features(info)
        if name in _CPUINFO_FLAG and _CPUINFO_FLAG[name] not in flags
    )
