"""Request bodies as batch lines, and the key that finds a body's answer again.

A body is keyed by the SHA-256 of its canonical JSON (sorted keys, no spaces), so the body
`prepare` renders and the one `extract`'s code path would send (seen again by `collect`)
meet on the same key, whatever their order of keys.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

URL = "/v1/chat/completions"


def canonical(body: dict[str, Any]) -> str:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def body_sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def custom_id(round: int, article: int, sha: str) -> str:
    """Unique within a batch directory: the round, the article's place in the input, and
    the body's key."""
    return f"r{round}-a{article}-{sha[:20]}"


def batch_line(cid: str, body_json: str) -> bytes:
    """One line of an OpenAI batch input file (also what `vllm run-batch -i` reads)."""
    head = json.dumps({"custom_id": cid, "method": "POST", "url": URL})
    return f'{head[:-1]}, "body": {body_json}}}\n'.encode()
