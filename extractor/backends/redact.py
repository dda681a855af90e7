"""Keep API keys out of everything the program writes: logs, error messages, dumps.

Redacted: the configured keys themselves (OPENAI_API_KEY, keys passed to the library),
`sk-...` keys, and the value after `Bearer` or `api_key=` / `api-key:` when it is
key-shaped: one run of token characters, 8 or more with a digit, or 20 or more. Ordinary
words are never redacted ("OPENAI_API_KEY: set it" stays as it is): a test runs every
message the package can print through `redact` and expects it back unchanged.
"""

from __future__ import annotations

import logging
import os
import re

_TOKEN = r"[A-Za-z0-9_\-.~+/=*]"
# a key-shaped value: 8+ token characters with a digit among them, or 20+ of any
_KEYLIKE = rf"(?={_TOKEN}*\d){_TOKEN}{{8,}}|{_TOKEN}{{20,}}"
_PATTERNS = [
    re.compile(r"sk-[A-Za-z0-9_\-*]{8,}"),  # OpenAI-style keys (also partly masked ones)
    re.compile(rf"(?i)(bearer\s+)(?:{_KEYLIKE})"),
    re.compile(rf"(?i)(api[_-]?key['\"]?\s*[:=]\s*['\"]?)(?:{_KEYLIKE})"),
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
