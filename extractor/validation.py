"""The validation context of the request in flight: the article an answer is checked
against, `{"text", "window", "strict"}`. The model client sets it around each request
(extractor.backends.client); the drafts' validators read it (extractor.grounding.drafts).
It lives here, below both, so the transport does not import the domain. (Not instructor's
`context=`, which also renders the messages as Jinja templates, compiling the article.)
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

grounding_context: ContextVar[dict[str, Any] | None] = ContextVar("grounding_context", default=None)
