"""One article's run: its usage counted, its failure recorded (unless it dooms the run)."""

from __future__ import annotations

from types import TracebackType

from extractor.backends.client import current_usage
from extractor.errors import ExtractorError, Refused
from extractor.pipeline.questions import Records
from extractor.schemas import Usage


class Attempt:
    """`with Attempt() as a: a.records = ...`. Every request made inside counts in `a.usage`
    (also from tasks started inside: they share it through a context variable). An
    ExtractorError ends the block and is kept in `a.failure`; a fatal one (bad key, no
    such model: every article would fail) propagates."""

    def __init__(self) -> None:
        self.usage = Usage()
        self.records = Records(stances=[], claims=[], warnings=[])
        self.failure: ExtractorError | None = None

    def __enter__(self) -> Attempt:
        self._token = current_usage.set(self.usage)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> bool:
        current_usage.reset(self._token)
        if not isinstance(exc, ExtractorError) or (isinstance(exc, Refused) and exc.fatal):
            return False
        self.failure = exc
        return True
