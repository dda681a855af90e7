"""Keep API keys out of everything the program writes: logs, error messages, dumps."""

from __future__ import annotations

import logging
import os
import re

_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_\-*]{8,}"),  # OpenAI-style keys (also partly masked ones)
    re.compile(r"(?i)(bearer\s+)[^\s'\",]+"),
    re.compile(r"(?i)(api[_-]?key['\"]?\s*[:=]\s*['\"]?)[^\s'\",]+"),
]


_KEYS: set[str] = set()  # keys passed to the library directly (Extractor(api_key=...))


def remember_key(key: str) -> None:
    """Redact `key` too from now on (for a key that is not in the environment)."""
    if len(key) >= 8:
        _KEYS.add(key)


def redact(text: str) -> str:
    """`text` with the configured keys and anything key-shaped replaced by `***`."""
    for key in (os.environ.get("OPENAI_API_KEY", ""), *_KEYS):
        if len(key) >= 8:
            text = text.replace(key, "***")
    for pattern in _PATTERNS:
        text = pattern.sub(lambda m: (m.group(1) if m.groups() else "") + "***", text)
    return text


class RedactingFilter(logging.Filter):
    """A logging filter that redacts each record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.getMessage())
        record.args = None
        return True
