"""The project's exceptions. Each message says what to do; the CLI prints it as one line.

`kind` is what lands in an article's `error.kind` when the failure is per article.
"""

from __future__ import annotations

from pydantic import ValidationError


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


class InputError(ExtractorError):
    """An article that cannot be read as text."""

    kind = "invalid_input"


class ModelError(ExtractorError):
    """The model server failed or answered with something unusable."""

    kind = "model_error"


class ServerUnreachable(ModelError):
    kind = "unreachable"


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
            f"Not run: the embedded model server had died earlier in this run, {self.how}; "
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
