"""Reading a run: the JSONL that `extractor extract` writes, one ArticleResult per line."""

from __future__ import annotations

from pathlib import Path

from pydantic import ValidationError

from extractor.errors import ConfigError
from extractor.schemas import ArticleResult

_WHAT = "Pass the JSONL that `extractor extract -o FILE` writes."


def load_run(path: str | Path) -> list[ArticleResult]:
    """Every ArticleResult in the run file; a bad line is a ConfigError naming its number."""
    p = Path(path)
    if not p.is_file():
        problem = "a directory, not a run file" if p.is_dir() else "no such file"
        raise ConfigError(f"{path}: {problem}. {_WHAT}")
    try:
        lines = p.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read it ({exc}). {_WHAT}") from exc
    results: list[ArticleResult] = []
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            results.append(ArticleResult.model_validate_json(line))
        except ValidationError as exc:
            raise ConfigError(
                f"{path}:{n}: not an ArticleResult line ({_first_error(exc)}). {_WHAT}"
            ) from exc
    if not results:
        raise ConfigError(f"{path}: no records in this file. {_WHAT}")
    return results


def load_runs(paths: list[str]) -> list[ArticleResult]:
    return [result for path in paths for result in load_run(path)]


def _first_error(exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(part) for part in err["loc"])
    return f"{where}: {err['msg']}" if where else err["msg"]
