"""`extract`'s inputs: the PATH arguments (files, directories, URLs, "-"), `--urls FILE`,
`--jsonl`, `--ignore-robots` and `--date`; `read(args)` loads the articles they name,
prints one line per kind of file skipped (unless -q), and applies the dates.

`--date` takes a date for a single article (YYYY-MM-DD), `PATTERN=YYYY-MM-DD` for every
article whose path or file name matches the glob PATTERN, or a CSV file of `path,date`
rows (a header row is allowed; a row's path matches an article's path, its file name or
its id). Given more than once, a later one wins. Web pages are cached in `pages.sqlite`
beside the answer cache (none with --no-cache) and, with --resume, read from there.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import fnmatch
import sys
from collections import defaultdict
from pathlib import Path

from extractor.errors import ConfigError
from extractor.pipeline import articles
from extractor.pipeline.articles import Article
from extractor.runtime.cache import default_path


def add_arguments(ex: argparse.ArgumentParser) -> None:
    ex.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="article files (.txt .md .html .jsonl .pdf .docx .rss .atom) or directories of "
        "them, web pages or feeds by URL (http:// or https://), or - for standard input",
    )
    ex.add_argument("--urls", metavar="FILE", help="a file of URLs to read, one a line")
    ex.add_argument(
        "--jsonl", action="store_true", help="standard input (-) is JSONL, one article a line"
    )
    ex.add_argument(
        "--ignore-robots",
        action="store_true",
        help="fetch pages a site's robots.txt forbids (only with the site's permission)",
    )
    ex.add_argument(
        "--date",
        action="append",
        metavar="DATE",
        help="publication dates, overriding the input's: YYYY-MM-DD for a single article, "
        "PATTERN=YYYY-MM-DD for the articles whose path or file name matches the glob, or a "
        "CSV file of path,date rows",
    )


def read(args: argparse.Namespace) -> list[Article]:
    from extractor.inputs.web import PAGES_FILE, Fetcher  # httpx: only when reading

    paths = list(args.paths) + (_url_lines(args.urls) if args.urls else [])
    if not paths:
        raise ConfigError(
            "extract needs articles: pass files, directories, URLs, - for standard input, "
            "or --urls FILE."
        )
    skipped: dict[str, list[str]] = defaultdict(list)
    pages = None if args.no_cache else Path(args.cache or default_path()).with_name(PAGES_FILE)
    with Fetcher(robots=not args.ignore_robots, cache=pages, reuse=args.resume) as fetcher:
        items = list(
            articles.load(
                paths,
                fetcher=fetcher,
                stdin_jsonl=args.jsonl,
                on_skip=lambda path, why: skipped[why].append(path),
            )
        )
    if not args.quiet:
        for why, where in skipped.items():
            shown = ", ".join(where[:3]) + (f" and {len(where) - 3} more" if len(where) > 3 else "")
            print(f"extractor: skipped {len(where)} ({why}): {shown}", file=sys.stderr)
    for value in args.date or []:
        items = _dated(items, value)
    return items


def _url_lines(name: str) -> list[str]:
    try:
        lines = Path(name).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"--urls {name}: cannot read it ({exc}). Check the path.") from exc
    urls = [u.strip() for u in lines if u.strip() and not u.lstrip().startswith("#")]
    bad = [u for u in urls if not u.lower().startswith(("http://", "https://"))]
    if bad:
        raise ConfigError(f"--urls {name}: {bad[0]!r} is not a URL; write one http(s) URL a line.")
    return urls


def _dated(items: list[Article], value: str) -> list[Article]:
    if value.lower().endswith(".csv") and "=" not in value:
        return _dated_by_csv(items, value)
    if "=" in value:
        pattern, _, when = value.rpartition("=")
        date = _date(when, f"--date {pattern}=")
        hits = [_matches(a, pattern) for a in items]
        if not any(hits):
            raise ConfigError(f"--date {value!r}: no article's path or name matches {pattern!r}.")
        return [
            dataclasses.replace(a, date=date) if hit else a
            for a, hit in zip(items, hits, strict=True)
        ]
    date = _date(value, "--date")
    if len(items) != 1:
        raise ConfigError(
            f"--date dates one article, and these paths hold {len(items)}: pass one file, "
            "PATTERN=YYYY-MM-DD or a CSV of path,date (or give each article its date: a "
            '"date" in JSONL, YYYY-MM-DD in the file name, a dateline).'
        )
    return [dataclasses.replace(items[0], date=date)]


def _dated_by_csv(items: list[Article], name: str) -> list[Article]:
    try:
        with open(name, encoding="utf-8-sig", newline="") as f:
            rows = [r for r in csv.reader(f) if r and any(c.strip() for c in r)]
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError(f"--date {name}: cannot read it as CSV ({exc}).") from exc
    if rows and articles.iso_date(rows[0][-1]) is None and rows[0][0].strip().lower() == "path":
        rows = rows[1:]  # a header
    dates: dict[str, str] = {}
    for n, row in enumerate(rows, 1):
        if len(row) != 2:
            raise ConfigError(f"--date {name}: row {n} is not path,date.")
        dates[row[0].strip()] = _date(row[1], f"--date {name}: row {n}")
    used: set[str] = set()
    out = []
    for a in items:
        key = next((k for k in (a.path, Path(a.path).name, a.id) if k in dates), None)
        if key is not None:
            used.add(key)
            a = dataclasses.replace(a, date=dates[key])
        out.append(a)
    if unused := [k for k in dates if k not in used]:
        print(
            f"extractor: --date {name}: {len(unused)} rows name no article (first: {unused[0]})",
            file=sys.stderr,
        )
    return out


def _matches(article: Article, pattern: str) -> bool:
    return any(
        fnmatch.fnmatchcase(s, pattern) for s in (article.path, Path(article.path).name, article.id)
    )


def _date(value: str, where: str) -> str:
    date = articles.iso_date(value)
    if date is None:
        raise ConfigError(f"{where}: {value.strip()!r} is not a date; write it as YYYY-MM-DD.")
    return date
