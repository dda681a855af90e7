"""The quality benchmark: `make quality` (or `.venv/bin/python benchmarks/quality.py`).

Not a test: it runs real models for minutes to hours. Contract:

- Articles: those that have gold (tests/fixtures/seed.gold.jsonl and every file under
  tests/fixtures/gold/), read from the paths the gold gives (relative to the repository;
  PolNeAR texts are read in place from ../shared) and used only when the text has the
  gold's sha256. `--articles ID,ID` keeps some (article id = file stem);
  `--limit-chars N` leaves out articles longer than N characters.
- Model: `--gguf PATH` (or $EXTRACTOR_PROBE_GGUF), else the embedded SmolLM2-135M.
- Systems (`--strategies`, default agenda,sentences,article,langextract; any subset):
  each of our strategies through the library, `Extractor(gguf=..., strategy=...,
  cache=...)`, one embedded server per strategy; `langextract` is google/langextract's
  OpenAI-compatible provider on one `EmbeddedServer` of the same GGUF (benchmarks/lxrow.py).
  A strategy this installed extractor does not know, or LangExtract not installed, is
  skipped with a message saying so.
- Scores with the project's own code: extractor/evaluate.py against the gold (stance
  P/R/F1, condition recall, claim P/R) and extractor/polnear.py against PolNeAR
  attributions (source + content, on the PolNeAR articles of the same set); plus evidence
  exactness (share of evidence items whose match is "exact"), requests, tokens, wall time
  and seconds per 3,000 characters.
- Writes benchmarks/QUALITY.md (tables, machine, model, date, command; notes below the
  table are kept) and the raw runs under test-artifacts/quality/: SYSTEM.jsonl (our
  ArticleResult lines), SYSTEM.score.json, langextract/*.json (its raw extractions).
- Reruns cost nothing: our answers are in the SQLite cache (`--cache`), LangExtract's
  outcomes in test-artifacts/quality/langextract/. Requests, tokens and seconds of an
  article answered from the cache are those measured when it was first run (kept in
  test-artifacts/quality/ledger.jsonl); the table says how many came from the cache.
  Failures are never cached; a failed article counts with what it extracted (nothing).
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import importlib.metadata
import json
import logging
import os
import platform
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from extractor import strategies
from extractor.api import EMBEDDED_TIMEOUT, Extractor
from extractor.backends.embedded import EmbeddedServer, bundled_gguf
from extractor.errors import ConfigError
from extractor.evaluation.evaluate import Evaluation, Score, evaluate
from extractor.evaluation.gold import GoldArticle, load_gold
from extractor.evaluation.polnear import evaluate_polnear
from extractor.pipeline import articles as article_io
from extractor.pipeline.articles import Article
from extractor.runtime.attempt import article_result
from extractor.schemas import ArticleResult, Usage
from extractor.strategies.parsed import Reading, with_parse
from extractor.strategies.plan import Records

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
ARTIFACTS = ROOT / "test-artifacts" / "quality"
GOLD = [ROOT / "tests/fixtures/seed.gold.jsonl", ROOT / "tests/fixtures/gold"]
POLNEAR = ROOT.parent / "shared/benchmarks/polnear-test"
SYSTEMS = "agenda,sentences,article,langextract"
# `parse`: the stances the parse reads (extractor.reading), no model at all.
THRESHOLDS = (0.0, 0.5, 0.7, 0.9)  # an `agenda` run is also scored at each of these


@dataclass
class Run:
    """One system over the articles: results, and what it cost."""

    system: str
    results: list[ArticleResult] = field(default_factory=list)
    seconds: list[float] = field(default_factory=list)
    cached: int = 0  # articles answered from the cache (figures from the ledger)
    unmeasured: int = 0  # cached articles whose first run is not in the ledger
    dropped: int = 0  # LangExtract extractions without interval or actor
    unparsed: int = 0  # LangExtract answers that were not its JSON


def gold_articles(
    names: set[str] | None, limit_chars: int | None, gold_paths: list[Path] | None = None
) -> list[tuple[Article, GoldArticle]]:
    out = []
    for gold in (g for path in gold_paths or GOLD for g in load_gold(path)):
        path = ROOT / (gold.article.path or "")
        name = Path(gold.article.path or gold.label).stem
        if names is not None and name not in names and gold.label not in names:
            continue
        if not path.is_file():
            print(f"quality: {gold.label}: {path} not found, left out", file=sys.stderr)
            continue
        article = next(article_io.load([str(path)]))
        if article.error or article.sha256 != gold.article.sha256:
            print(
                f"quality: {gold.label}: text differs from the gold's sha256, left out",
                file=sys.stderr,
            )
            continue
        if limit_chars and len(article.text) > limit_chars:
            continue
        out.append((article, gold))
    return out


def run_ours(
    strategy: str,
    items: list[Article],
    gguf: Path | None,
    cache: Path,
    timeout: float,
    ledger: Ledger,
    gguf_sha: str,
) -> Run:
    run = Run(strategy)
    with Extractor(
        gguf=gguf,
        strategy=strategy,
        cache=cache,
        timeout=timeout,
        min_confidence=0.0,  # every stance; `at_threshold` scores the thresholds
    ) as ex:
        for article in items:
            started = time.perf_counter()
            result = ex.run(article)
            seconds = time.perf_counter() - started
            key = (strategy, gguf_sha[:16], result.prompt_version, article.sha256)
            if result.usage.requests == 0 and result.error is None:
                run.cached += 1
                seen = ledger.get(key)
                if seen is None:
                    run.unmeasured += 1
                else:
                    result.usage = result.usage.model_validate(seen["usage"])
                    seconds = seen["seconds"]
            else:
                ledger.put(key, result.usage.model_dump(), seconds)
            run.results.append(result)
            run.seconds.append(seconds)
            _progress(strategy, article, result, seconds)
    return run


def run_parse(items: list[Article]) -> Run:
    """The parse's stances and claims alone: no model."""
    run = Run("parse")
    reading = Reading(parse=True)
    for article in items:
        started = time.perf_counter()
        stances, claims = with_parse(reading, article.text, [], [])
        records = Records(stances=stances, claims=claims, warnings=[])
        seconds = time.perf_counter() - started
        result = article_result(article, records, Usage(), None, "none", "agenda", "parse")
        run.results.append(result)
        run.seconds.append(seconds)
        _progress("parse", article, result, seconds)
    return run


def at_threshold(run: Run, threshold: float) -> Run:
    """`run` with only the stances of confidence `threshold` or more."""
    out = Run(
        f"{run.system} >={threshold:.1f}",
        seconds=run.seconds,
        cached=run.cached,
        unmeasured=run.unmeasured,
    )
    for r in run.results:
        out.results.append(
            r.model_copy(update={"stances": [s for s in r.stances if s.confidence >= threshold]})
        )
    return out


def run_langextract(
    python: Path, items: list[Article], gguf: Path | None, gguf_sha: str, timeout: float
) -> Run:
    import lxrow

    server = EmbeddedServer(gguf)
    run = Run("langextract")
    try:
        outcomes = lxrow.run_langextract(
            python,
            items,
            lambda: server.start().base_url,
            server.model,
            gguf_sha,
            ARTIFACTS / "langextract",
            timeout,
        )
    finally:
        server.stop()
    for article, outcome in zip(items, outcomes, strict=True):
        converted = lxrow.to_result(article, outcome, server.model)
        run.results.append(converted.result)
        run.seconds.append(outcome.seconds)
        run.cached += outcome.cached
        run.dropped += converted.dropped
        run.unparsed += outcome.unparsed
        _progress("langextract", article, converted.result, outcome.seconds)
    return run


class Ledger:
    """What each article cost when it was first run: JSON lines, the last entry wins."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: dict[str, dict[str, Any]] = {}
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                entry = json.loads(line)
                self.seen[entry["key"]] = entry

    def get(self, key: tuple[str, ...]) -> dict[str, Any] | None:
        return self.seen.get("|".join(key))

    def put(self, key: tuple[str, ...], usage: dict[str, int], seconds: float) -> None:
        entry = {
            "key": "|".join(key),
            "usage": usage,
            "seconds": round(seconds, 2),
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        }
        self.seen[entry["key"]] = entry
        with self.path.open("a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")


def _progress(system: str, article: Article, result: ArticleResult, seconds: float) -> None:
    failed = f" FAILED ({result.error.kind})" if result.error else ""
    print(
        f"quality: {system} {article.id}: {len(result.stances)} stances, "
        f"{len(result.claims)} claims, {result.usage.requests} requests, "
        f"{seconds:.0f} s{failed}",
        file=sys.stderr,
    )


@dataclass
class Row:
    run: Run
    gold: Evaluation
    polnear: Score | None
    polnear_by_name: Score | None
    chars: int

    def cells(self) -> list[str]:
        r, t = self.run, self.gold.total
        usage = [x.usage for x in r.results]
        evidence = [e for x in r.results for e in _evidence(x)]
        exact = sum(e.match == "exact" for e in evidence)
        failed = sum(x.error is not None for x in r.results)
        secs = sum(r.seconds)
        return [
            r.system,
            f"{len(r.results)}" + (f" ({failed} failed)" if failed else ""),
            _prf(t.stances),
            f"{_rate(t.conditions.recall, t.conditions.gold)} "
            f"({t.conditions.matched}/{t.conditions.gold}); "
            f"{_rate(t.matched_conditions.recall, t.matched_conditions.gold)} "
            f"({t.matched_conditions.matched}/{t.matched_conditions.gold})",
            f"{_rate(t.claims.precision, t.claims.predicted)} / "
            f"{_rate(t.claims.recall, t.claims.gold)} "
            f"({t.claims.matched}/{t.claims.predicted}/{t.claims.gold})",
            f"{_prf(self.polnear)}; {self.polnear_by_name.f1:.2f}"
            if self.polnear and self.polnear_by_name
            else "n/a",
            f"{_rate(exact / len(evidence) if evidence else 0, len(evidence))} ({len(evidence)})",
            str(sum(u.requests for u in usage)),
            f"{sum(u.prompt_tokens for u in usage):,} + "
            f"{sum(u.completion_tokens for u in usage):,}",
            f"{secs:.0f}",
            f"{secs / self.chars * 3000:.0f}" if self.chars else "n/a",
        ]


HEAD = [
    "system",
    "articles",
    "stances P / R / F1 (m/x/g)",
    "conditions R (m/g); of matched stances",
    "claims P / R (m/x/g)",
    "PolNeAR source+content P / R / F1 (m/x/g); F1 by name only",
    "evidence exact",
    "requests",
    "tokens prompt + completion",
    "wall s",
    "s / 3,000 chars",
]


def _evidence(result: ArticleResult) -> list[Any]:
    items = [e for s in result.stances for e in s.evidence]
    items += [e for s in result.stances for c in s.conditions for e in c.evidence]
    return items + [e for c in result.claims for e in c.evidence]


def _rate(value: float, denominator: int) -> str:
    return f"{value:.2f}" if denominator else "n/a"


def _prf(s: Score) -> str:
    return (
        f"{_rate(s.precision, s.predicted)} / {_rate(s.recall, s.gold)} / {s.f1:.2f} "
        f"({s.matched}/{s.predicted}/{s.gold})"
    )


def score(run: Run, pairs: list[tuple[Article, GoldArticle]], polnear: Path) -> Row:
    texts = {a.sha256: a.text for a, _ in pairs}
    gold = evaluate(run.results, [g for _, g in pairs], lambda r, g: texts.get(r.article.sha256))
    pn: Score | None
    by_name: Score | None
    try:
        found = evaluate_polnear(run.results, polnear)
        pn, by_name = found.total("attributions"), found.total("by_name")
    except ConfigError:  # no PolNeAR article in this set
        pn = by_name = None
    (ARTIFACTS / f"{run.system}.jsonl").write_text(
        "".join(r.model_dump_json() + "\n" for r in run.results), "utf-8"
    )
    (ARTIFACTS / f"{run.system}.score.json").write_text(
        json.dumps(
            {
                "gold": gold.as_dict(),
                "polnear": pn and pn.as_dict(),
                "polnear_by_name": by_name and by_name.as_dict(),
                "seconds": run.seconds,
                "cached": run.cached,
                "dropped": run.dropped,
                "unparsed": run.unparsed,
            },
            indent=2,
        ),
        "utf-8",
    )
    return Row(run, gold, pn, by_name, sum(len(a.text) for a, _ in pairs))


def per_article(rows: list[Row], pairs: list[tuple[Article, GoldArticle]]) -> str:
    lines = [
        "| article | chars | " + " | ".join(r.run.system for r in rows) + " |",
        "|---|---|" + "---|" * len(rows),
    ]
    for i, (article, _) in enumerate(pairs):
        cells = []
        for row in rows:
            a = next((s for s in row.gold.articles if s.sha256 == article.sha256), None)
            res = row.run.results[i]
            cell = "failed: " + res.error.kind if res.error else ""
            if a is not None:
                cell = (
                    f"st {a.stances.matched}/{a.stances.predicted}/{a.stances.gold}, "
                    f"cond {a.conditions.matched}/{a.conditions.gold}, "
                    f"cl {a.claims.matched}/{a.claims.predicted}/{a.claims.gold}, "
                    f"{row.run.seconds[i]:.0f} s" + (f"; {cell}" if cell else "")
                )
            cells.append(cell)
        lines.append(f"| {article.id} | {len(article.text):,} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEAD) + " |", "|" + "---|" * len(HEAD)]
    lines += ["| " + " | ".join(r.cells()) + " |" for r in rows]
    return "\n".join(lines)


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown CPU",
    )
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    return (
        f"{os.cpu_count()} cores (nproc; {cpu}), Python {platform.python_version()}, "
        f"load average {load} at the end"
    )


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def version(package: str) -> str:
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def known(system: str, lx_python: Path) -> str | None:
    """Why this system cannot run here, or None when it can."""
    if system == "parse":
        return None
    if system == "langextract":
        if not lx_python.is_file():
            return f"no LangExtract venv at {lx_python} (`make quality` creates .venv-bench)"
        return None
    if system not in strategies.names():
        return (
            f"this extractor does not know the strategy {system!r} "
            f"(it knows {', '.join(strategies.names())})"
        )
    return None


def write(
    path: Path,
    rows: list[Row],
    pairs: list[tuple[Article, GoldArticle]],
    header: str,
    notes: list[str],
) -> None:
    body = path.read_text("utf-8") if path.exists() else ""
    kept = body.split("<!-- table end -->", 1)[1] if "<!-- table end -->" in body else "\n"
    path.write_text(
        "# Quality benchmark results\n\n"
        + header
        + "\n\n<!-- table start -->\n"
        + table(rows)
        + "\n\nPer article (stances / claims matched/extracted/gold, "
        "conditions matched/gold):\n\n"
        + per_article(rows, pairs)
        + "\n\n"
        + "\n".join(f"- {n}" for n in notes)
        + "\n<!-- table end -->"
        + kept,
        "utf-8",
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--gguf",
        default=os.environ.get("EXTRACTOR_PROBE_GGUF"),
        help="GGUF model (default $EXTRACTOR_PROBE_GGUF, else SmolLM2-135M)",
    )
    parser.add_argument("--strategies", default=SYSTEMS, help=f"systems to run ({SYSTEMS})")
    parser.add_argument("--articles", help="article ids (file stems) to keep, comma-separated")
    parser.add_argument("--limit-chars", type=int, help="leave out longer articles")
    parser.add_argument(
        "--cache",
        default=str(ARTIFACTS / "answers.sqlite"),
        help="answer cache of our strategies (SQLite)",
    )
    parser.add_argument(
        "--timeout",
        type=float,
        default=EMBEDDED_TIMEOUT,
        help="seconds per request, for every system (default %(default)s)",
    )
    parser.add_argument("--polnear", default=str(POLNEAR), help="PolNeAR test directory")
    parser.add_argument(
        "--langextract-python",
        default=str(ROOT / ".venv-bench/bin/python"),
        help="interpreter of the venv that has langextract (default %(default)s)",
    )
    parser.add_argument(
        "--gold",
        action="append",
        help="gold file or directory (repeatable; default the seed's gold and tests/fixtures/"
        "gold; tests/fixtures/gold-heldout holds articles never used while developing)",
    )
    parser.add_argument("--write", default=str(HERE / "QUALITY.md"), help="results file")
    args = parser.parse_args()
    logging.getLogger("instructor").setLevel(logging.CRITICAL)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    names = set(args.articles.split(",")) if args.articles else None
    gold_paths = [Path(g) for g in args.gold] if args.gold else None
    try:
        pairs = gold_articles(names, args.limit_chars, gold_paths)
    except ConfigError as exc:
        print(f"quality: {exc}", file=sys.stderr)
        return 2
    if not pairs:
        print("quality: no article left to run (check --articles / --limit-chars)", file=sys.stderr)
        return 2
    gguf = Path(args.gguf) if args.gguf else None
    model_file = gguf or bundled_gguf()
    gguf_sha = sha256_of(model_file)
    items = [a for a, _ in pairs]
    ledger = Ledger(ARTIFACTS / "ledger.jsonl")
    rows, notes = [], []
    commit = _commit()  # the code that runs, not what HEAD is when the run ends
    started = time.perf_counter()
    for system in [s.strip() for s in args.strategies.split(",") if s.strip()]:
        why = known(system, Path(args.langextract_python))
        if why:
            print(f"quality: skipping {system}: {why}", file=sys.stderr)
            notes.append(f"{system}: skipped, {why}")
            continue
        if system == "langextract":
            run = run_langextract(
                Path(args.langextract_python), items, gguf, gguf_sha, args.timeout
            )
        elif system == "parse":
            run = run_parse(items)
        else:
            run = run_ours(system, items, gguf, Path(args.cache), args.timeout, ledger, gguf_sha)
        if system in ("agenda", "parse"):  # every stance kept, scored at each threshold
            rows += [score(at_threshold(run, t), pairs, Path(args.polnear)) for t in THRESHOLDS]
        else:
            rows.append(score(run, pairs, Path(args.polnear)))
        notes.append(_note(run))
    took = time.perf_counter() - started
    if not rows:
        print("quality: no system ran", file=sys.stderr)
        return 2
    command = "benchmarks/quality.py " + " ".join(sys.argv[1:])
    header = (
        f"Measured {datetime.date.today()} ({took:.0f} s for this run) with `{command}` on "
        f"{machine()}.\n\nModel: `{model_file.name}` (sha256 {gguf_sha[:12]}, "
        f"{model_file.stat().st_size / 1e6:,.0f} MB) on llama-cpp-python "
        f"{version('llama-cpp-python')}'s server, one request at a time, timeout "
        f"{args.timeout:.0f} s per request. extractor at {commit}"
        + _lx_version(rows, Path(args.langextract_python))
        + f".\n\nArticles: {len(pairs)} with gold "
        f"({sum(len(a.text) for a, _ in pairs):,} characters): "
        + ", ".join(a.id for a, _ in pairs)
        + ". Matching rules: extractor/evaluate.py "
        "(gold) and extractor/polnear.py (PolNeAR, first annotator, PolNeAR articles only). "
        "m/x/g = matched / extracted / gold."
    )
    write(Path(args.write), rows, pairs, header, notes)
    print(table(rows))
    print(f"wrote {args.write} and {ARTIFACTS}/", file=sys.stderr)
    return 0


def _lx_version(rows: list[Row], python: Path) -> str:
    import lxrow

    if not any(r.run.system == "langextract" for r in rows):
        return ""
    d = lxrow.describe(python)
    return f"; langextract {d['langextract']} with {json.dumps(d['settings'])}"


def _note(run: Run) -> str:
    text = f"{run.system}: {run.cached} of {len(run.results)} articles from the cache"
    if run.unmeasured:
        text += f" ({run.unmeasured} without a recorded first run: their cost counts as 0)"
    if run.system == "langextract":
        text += (
            f"; {run.dropped} extractions dropped (no char interval or no actor); "
            f"{run.unparsed} answers LangExtract could not parse (it skips those chunks)"
        )
    errors = {r.article.id: r.error.message[:160] for r in run.results if r.error}
    for article_id, message in errors.items():
        text += f"; {article_id} failed: {message}"
    return text


def _commit() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "extractor"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        return out + (" (extractor/ modified)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown commit"


if __name__ == "__main__":
    sys.exit(main())
