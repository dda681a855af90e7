"""`extractor schema`: print or write the JSON Schema of the records."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from extractor.results.schemafiles import write_schemas
from extractor.schemas import ArticleResult

HELP = "print or write the JSON Schema of the records"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--write", metavar="DIR", help="write the schema files into DIR")


def run(args: argparse.Namespace) -> int:
    if args.write:
        for path in write_schemas(Path(args.write)):
            print(path, file=sys.stderr)
    else:
        print(json.dumps(ArticleResult.model_json_schema(), indent=2))
    return 0
