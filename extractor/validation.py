"""The validation context of the request in flight: the article an answer is checked
against, `{"text", "window", "strict"}`. The model client validates each request's answer
inside `validating(context)` (extractor.backends.client), with the context it was passed;
the drafts' validators read it (extractor.grounding.drafts). It lives here, below both, so
the transport does not import the domain.

It is the one context variable left, and it bridges a third party: pydantic hands
validators the context given to `model_validate`, but instructor fills that from its own
`context=`, which also renders the messages as Jinja templates (compiling the article).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

grounding_context: ContextVar[dict[str, Any] | None] = ContextVar("grounding_context", default=None)


@contextlib.contextmanager
def validating(context: dict[str, Any]) -> Iterator[None]:
    """Answers validated inside are checked against `context`."""
    token = grounding_context.set(context)
    try:
        yield
    finally:
        grounding_context.reset(token)
