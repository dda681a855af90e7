"""The project's exceptions. Each message says what to do; the CLI prints it as one line.

`kind` is what lands in an article's `error.kind` when the failure is per article.

Errors raised to the caller name options the way the user gave them: `option("base_url")`
is `--base-url` while the command line runs (`command_line()`), and `base_url=` for a
library caller. Messages recorded in the output (an article's `error`, its warnings) are
the same from both, so a run's records do not depend on who ran it.
An article recorded without being run (the server had died, or stopped answering) has
a message that starts with NOT_RUN.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from pydantic import ValidationError

NOT_RUN = "Not run: "
_CLI: contextvars.ContextVar[bool] = contextvars.ContextVar("extractor_cli", default=False)


@contextlib.contextmanager
def command_line() -> Iterator[None]:
    """Inside this block messages name options as the command line spells them."""
    token = _CLI.set(True)
    try:
        yield
    finally:
        _CLI.reset(token)


def on_command_line() -> bool:
    return _CLI.get()


def option(name: str) -> str:
    """The option `name` (a library keyword, e.g. "base_url") as the user writes it."""
    return f"--{name.replace('_', '-')}" if _CLI.get() else f"{name}="


def first_error(exc: BaseException, *, unnamed: str = "") -> str:
    """The first problem of a validation error, `where: what` (`unnamed` stands for a
    whole-model error's empty location), or the first line of any other exception."""
    if isinstance(exc, ValidationError) and exc.errors():
        err = exc.errors()[0]
        where = ".".join(str(part) for part in err["loc"]) or unnamed
        return f"{where}: {err['msg']}" if where else err["msg"]
    return (str(exc).strip().splitlines() or [exc.__class__.__name__])[0]


class ExtractorError(Exception):
    """Base class: a failure the user can act on."""

    kind = "error"
    exit_code = 1


class ConfigError(ExtractorError):
    """Bad options, missing model, missing key: nothing can run."""

    kind = "config"
    exit_code = 2


class OutputError(ExtractorError):
    """The output cannot be written (disk full, unwritable file): nothing more can run."""

    kind = "output"
    exit_code = 2


class InputError(ExtractorError):
    """An article that cannot be read as text."""

    kind = "invalid_input"


class ModelError(ExtractorError):
    """The model server failed or answered with something unusable."""

    kind = "model_error"


class ServerUnreachable(ModelError):
    kind = "unreachable"


class ServerDown(ServerUnreachable):
    """Several articles in a row could not reach the server: the run stops, and every
    article not finished is recorded with kind `unreachable` without a request."""

    def __init__(self, message: str, *, where: str, streak: int) -> None:
        super().__init__(message)
        self.where = where
        self.streak = streak

    def not_run(self) -> ServerDown:
        return ServerDown(
            f"{NOT_RUN}{self.where} could not be reached by {self.streak} articles in a row; "
            "once it answers, run them again (--resume).",
            where=self.where,
            streak=self.streak,
        )


class ModelCrashed(ModelError):
    """The embedded model server's process has exited (a signal such as SIGILL or SIGKILL,
    or an exit code). Never retried: the run stops, and every article not finished is
    recorded with this kind. `how` says how the process ended, in a few words."""

    kind = "model_crashed"

    def __init__(self, message: str, *, how: str) -> None:
        super().__init__(message)
        self.how = how

    def not_run(self) -> ModelCrashed:
        """The error of an article that was not run because the server had died."""
        return ModelCrashed(
            f"{NOT_RUN}the embedded model server had died earlier in this run, {self.how}; "
            "the first article that failed with model_crashed says why and what to do.",
            how=self.how,
        )


class RateLimited(ModelError):
    kind = "rate_limited"


class ServerFailed(ModelError):
    kind = "server_error"


class Timeout(ModelError):
    kind = "timeout"


class Refused(ModelError):
    """4xx: retrying will not help. 401/403/404 are `fatal`: every article would fail."""

    kind = "refused"

    def __init__(self, message: str, *, fatal: bool = False) -> None:
        super().__init__(message)
        self.fatal = fatal
        self.exit_code = 2 if fatal else 1


class InvalidOutput(ModelError):
    kind = "invalid_output"


class Truncated(InvalidOutput):
    """The answer hit max_tokens (finish_reason "length")."""

    kind = "truncated"
