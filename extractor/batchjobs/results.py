"""Reading the lines of batch output and error files, from OpenAI or `vllm run-batch`.

Both write one JSON object per line: `{"id", "custom_id", "response": {"status_code",
"request_id", "body"}, "error"}`. Success is decided by `response.status_code`, never by
`error` alone: OpenAI puts a refused request (HTTP 400) inside `response` with its error
body while the line's `error` is null; vLLM puts a failed request in `error` with no
response body (`response` null, or a body of null). Lines come in any order.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from extractor.batchjobs.manifest import Response


@dataclass(frozen=True)
class Line:
    """One parsed line: its custom_id and what it says, or why it could not be read."""

    custom_id: str | None
    response: Response | None
    unreadable: str | None = None  # not JSON (a cut-off download), or not a batch line


def parse_line(raw: bytes | str) -> Line:
    try:
        obj = json.loads(raw)
    except ValueError as exc:
        return Line(None, None, f"not JSON ({exc})")
    if not isinstance(obj, dict) or not isinstance(obj.get("custom_id"), str):
        return Line(None, None, "no custom_id")
    custom_id = obj["custom_id"]
    given = obj.get("response")
    response: dict[str, Any] = given if isinstance(given, dict) else {}
    status = response.get("status_code")
    given = response.get("body")
    body: dict[str, Any] = given if isinstance(given, dict) else {}
    error = _error_text(obj.get("error")) or _error_text(body.get("error"))
    if isinstance(status, int) and status == 200 and body.get("choices"):
        return Line(custom_id, Response(custom_id, 200, json.dumps(body), None))
    if isinstance(status, int) and status == 200:  # a 200 without choices is no answer
        error = error or "HTTP 200 with no choices"
    code = status if isinstance(status, int) else 0
    text = error or (f"HTTP {code}" if code else "no response")
    return Line(custom_id, Response(custom_id, code, None, text))


def _error_text(error: Any) -> str | None:
    """`{"code": ..., "message": ...}` (OpenAI), a string, or a nested `error` (vLLM)."""
    if error is None:
        return None
    if isinstance(error, str):
        return error[:300]
    if isinstance(error, dict):
        message = error.get("message") or error.get("error") or json.dumps(error)
        code = error.get("code") or error.get("type")
        text = f"{code}: {message}" if code else str(message)
        return text[:300]
    return str(error)[:300]
