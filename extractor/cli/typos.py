"""Did you mean: the known command, option, choice or settings key a typo stands for."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def closest(word: str, known: Iterable[str]) -> str | None:
    """The known word `word` is most likely a typo of, or None: difflib's close matches
    (the standard library suffices), the one with the same letters first, as difflib
    ranks "--mode" above "--model" for "--modle"."""
    close = difflib.get_close_matches(word, list(known), 3, 0.6)
    same = [c for c in close if sorted(c) == sorted(word)]
    return (same or close)[0] if close else None
