"""Review fixtures: expected ArticleResult lines kept in the repository.

FIXTURES is a JSONL file, or a directory of them (searched recursively, sorted). Updating
replaces each fixture line that a run article pairs with (extractor/review.py), keeps the
others, and adds articles that had no fixture: appended to the file, or in a directory as
`<id>.<strategy>.jsonl`. A path that does not exist yet is created: a file when it ends
in .jsonl, else a directory.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from extractor.errors import ConfigError
from extractor.results.jsonl import load_run
from extractor.review.diff import pair_articles
from extractor.schemas import ArticleResult


@dataclass
class Fixtures:
    root: Path
    results: list[ArticleResult]
    files: list[Path]  # the file each result came from, same order


def load_fixtures(path: str | Path) -> Fixtures:
    root = Path(path)
    if root.is_dir():
        files = sorted(f for f in root.rglob("*.jsonl") if f.is_file())
        if not files:
            raise ConfigError(
                f"{path}: no .jsonl fixtures in this directory. "
                "Write them from a run with `extractor review RUN --against DIR --update`."
            )
    elif root.is_file():
        files = [root]
    else:
        raise ConfigError(
            f"{path}: no such fixture file or directory. Check the path, or create it "
            "from a run with `extractor review RUN --against PATH --update`."
        )
    results, origins = [], []
    for f in files:
        for result in load_run(f):
            results.append(result)
            origins.append(f)
    return Fixtures(root, results, origins)


def update_fixtures(path: str | Path, run: list[ArticleResult]) -> list[Path]:
    """Rewrite the fixtures at `path` from `run`; returns the files written."""
    root = Path(path)
    fx = load_fixtures(root) if root.exists() else Fixtures(root, [], [])
    lines = list(fx.results)
    origins = list(fx.files)
    touched: set[Path] = set()
    for result, i in pair_articles(run, fx.results):
        if i is not None:
            lines[i] = result
            touched.add(origins[i])
            continue
        target = root if root.suffix == ".jsonl" and not root.is_dir() else _new_file(root, result)
        lines.append(result)
        origins.append(target)
        touched.add(target)
    written = []
    for f in sorted(touched):
        f.parent.mkdir(parents=True, exist_ok=True)
        body = "".join(
            r.model_dump_json() + "\n" for r, o in zip(lines, origins, strict=True) if o == f
        )
        try:
            f.write_text(body, encoding="utf-8")
        except OSError as exc:
            raise ConfigError(f"{f}: cannot write the fixture ({exc.strerror}).") from exc
        written.append(f)
    return written


def _new_file(root: Path, result: ArticleResult) -> Path:
    stem = re.sub(r"[^\w.-]+", "_", result.article.id) or "article"
    return root / f"{stem}.{result.strategy}.jsonl"
