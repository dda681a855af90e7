"""Remember one of instructor's per-request checks instead of redoing it.

instructor (1.17) checks the response model for async validators, which it refuses, seven
times per request, walking every attribute of the model's classes each time: about a
third of the client-side time of a request against a fast server. The answer for a
given class never changes, so a class that passed once is not walked again; anything else
(a class that fails, a non-class) still gets instructor's own check. If instructor moves
the function, nothing is patched and everything works as before, only slower.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

BOUND_AT_IMPORT = ("instructor.v2.core.patch", "instructor.v2.validation")


def remember_async_validator_check() -> None:
    try:
        from instructor.v2.validation import async_validators as module
    except ImportError:  # another instructor layout: leave it alone
        return
    check: Callable[[Any], None] | None = getattr(module, "reject_async_validators", None)
    if check is None or getattr(check, "_remembered", False):
        return
    passed: set[type] = set()

    @functools.wraps(check)
    def remembered(response_model: Any) -> None:
        if isinstance(response_model, type) and response_model in passed:
            return
        check(response_model)  # raises for a model with async validators
        if isinstance(response_model, type):
            passed.add(response_model)

    remembered._remembered = True  # type: ignore[attr-defined]
    # the module itself (most callers import from it when called) and the modules that
    # bound the name when they were imported
    for name in (module.__name__, *BOUND_AT_IMPORT):
        held = sys.modules.get(name)
        if held is not None and getattr(held, "reject_async_validators", None) is check:
            held.reject_async_validators = remembered  # type: ignore[attr-defined]
