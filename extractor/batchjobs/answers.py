"""Batch answers served to `extract`'s own code path.

`collect` runs each article through `Extractor.run`, exactly as `extract` does, with one
difference: the SDK's `create` is wrapped (`Extractor.answer_with`) so that a request
whose body a batch answered gets that answer, as the chat completion the SDK would have
returned. instructor then parses and validates it with the same response model and
validation context, re-asks on the same errors, and the answer cache, grounding and merge
run unchanged; usage counts the answered requests as `extract` counts sent ones.

A request the batch did not answer (not yet, failed, or a re-ask that no batch has
asked) is either sent for real (`--reask`: the same backend `extract` uses) or recorded:
a failed one fails its article (`refused`, as an HTTP 4xx does in `extract`), a missing
one is noted for the next `prepare` round and marks its article `not_answered`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from openai.types.chat import ChatCompletion
from pydantic import ValidationError

from extractor.backends.client import request_body
from extractor.batchjobs.bodies import body_sha, canonical
from extractor.batchjobs.manifest import Index, Response
from extractor.errors import InvalidOutput, Refused


class NotAnswered(InvalidOutput):
    """No batch has answered this request yet. An InvalidOutput, so that a sentence's
    missing answer does not stop its article's other questions from being looked up
    (the article is marked `not_answered` all the same)."""

    kind = "not_answered"


class BatchRefused(Refused):
    """The batch answered this request with an error."""


@dataclass(frozen=True)
class Problem:
    custom_id: str  # "-" for a request no round has written (a re-ask)
    article: int
    what: str  # refused (4xx), failed (expired, 5xx...), missing (not answered yet), reask
    detail: str


class BatchAnswers:
    """A `CreateWrapper` answering from the index; `begin(article)` before each article."""

    def __init__(self, index: Index, *, reask: bool) -> None:
        self.index = index
        self.reask = reask
        self.article = -1
        self.problems: list[Problem] = []  # of the current article
        self.sent = 0  # requests sent for real (--reask)

    def begin(self, article: int) -> None:
        self.article = article
        self.problems = []

    @property
    def missing(self) -> bool:
        """Some request of the current article waits for a later round."""
        return any(p.what != "refused" for p in self.problems)

    def _note(self, cid: str, what: str, detail: str) -> None:
        self.problems.append(Problem(cid, self.article, what, detail))

    def __call__(self, create: Callable[..., Any]) -> Callable[..., Any]:
        def call(*args: Any, **kwargs: Any) -> Any:
            body = canonical(request_body(kwargs))
            sha = body_sha(body)
            stored = self.index.response(sha)
            if stored is not None and stored.ok:
                assert stored.body is not None
                try:
                    return ChatCompletion.model_validate_json(stored.body)
                except ValidationError as exc:
                    stored = type(stored)(stored.custom_id, 0, None, f"not a completion: {exc}")
            if self.reask:  # asked now; kept with the batch's answers for later collects
                self.sent += 1
                response = create(*args, **kwargs)
                self.index.put_response(
                    sha, Response("live", 200, response.model_dump_json(), None)
                )
                return response
            if stored is not None and 400 <= stored.status < 500:
                self._note(stored.custom_id, "refused", stored.error or "")
                raise BatchRefused(
                    f"The batch refused request {stored.custom_id} ({stored.error}): "
                    "`extractor batch collect --reask` sends it again now, or the next "
                    "`prepare` round does."
                )
            self.index.put_pending(sha, self.article, body)
            if stored is not None:  # expired, cancelled, a server error: asked again
                self._note(stored.custom_id, "failed", stored.error or "")
            else:
                cid = self.index.custom_id_of(sha)
                self._note(cid or "-", "missing" if cid else "reask", f"body {sha[:12]}")
            raise NotAnswered(
                "Not answered by a batch yet: run `extractor batch prepare` for the next "
                "round (then submit and collect), or `collect --reask` to ask now."
            )

        return call
