"""The project's exceptions. Each message says what to do; the CLI prints it as one line.

`kind` is what lands in an article's `error.kind` when the failure is per article.
"""

from __future__ import annotations


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
