"""One HTTP path to every model: the openai client, wrapped by instructor.

Two retry loops, kept apart. Transport (tenacity, around the raw HTTP call): connection
errors, timeouts, 429 (honouring Retry-After) and 5xx; never other 4xx. Output
(instructor's `max_retries`): a draft that fails validation, including an invented quote
or actor, is re-asked with the error. The openai SDK's own retries are off so the two do
not multiply.

A dead embedded server is not a network problem: given `crashed` (the embedded server's
`crash`), the client asks it before each HTTP attempt and when a connection fails, and
raises its `ModelCrashed`, which no loop retries.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime
import email.utils
import functools
import json
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import instructor
import openai
import tenacity
from instructor.core.exceptions import IncompleteOutputException, InstructorRetryException
from instructor.processing import handle_response_model
from pydantic import BaseModel, ValidationError

from extractor.backends.redact import redact, remember_key
from extractor.errors import (
    ConfigError,
    InvalidOutput,
    ModelCrashed,
    ModelError,
    RateLimited,
    Refused,
    ServerFailed,
    ServerUnreachable,
    Timeout,
    Truncated,
    first_error,
    on_command_line,
    option,
)
from extractor.schemas import Usage
from extractor.validation import validating

DEFAULT_OPENAI_MODEL = "gpt-4.1-mini"
MODES = {
    "tools": instructor.Mode.TOOLS,
    "json": instructor.Mode.JSON,
    "md_json": instructor.Mode.MD_JSON,
    "json_schema": instructor.Mode.JSON_SCHEMA,
    # llama.cpp: the schema goes in response_format as {"type": "json_object", "schema": ...},
    # which its server turns into a grammar (it rejects "json_schema"); see Backend.extra_body
    "json_grammar": instructor.Mode.JSON_SCHEMA,
}


class BadBody(ServerFailed):
    """A response that is not JSON at all: a proxy's error page, a cut-off body."""


_TRANSIENT = (openai.APIConnectionError, openai.RateLimitError, openai.InternalServerError, BadBody)
_NO_TEMPERATURE = re.compile(r"^(o\d|gpt-5)")  # reasoning models reject temperature
# Seconds a server process whose connection just dropped gets to finish exiting.
EXIT_GRACE = 0.5
# Asked whether the server process has died: the embedded server's `crash(wait)`.
CrashCheck = Callable[[float], ModelCrashed | None]
# Wraps the SDK's raw `create`, under the retry and usage loops: the batch path answers
# requests from downloaded batch results this way (extractor.batchjobs.answers).
CreateWrapper = Callable[[Callable[..., Any]], Callable[..., Any]]

T = TypeVar("T", bound=BaseModel)


@dataclass(frozen=True)
class Backend:
    """Where requests go and how the answer is constrained."""

    model: str
    base_url: str | None = None  # None: api.openai.com
    api_key: str = field(default="not-needed", repr=False)
    mode: str = "tools"
    timeout: float = 120.0
    embedded: bool = False  # the program's own loopback server, not one the user named

    @property
    def where(self) -> str:
        """The server, as error messages name it."""
        if self.embedded:
            return f"The embedded model server ({self.base_url})"
        return self.base_url or "api.openai.com"


@dataclass(frozen=True)
class Ping:
    """A one-token completion: how long it took, and what came back."""

    seconds: float
    text: str


def openai_backend(
    model: str | None, mode: str | None, timeout: float, api_key: str | None = None
) -> Backend:
    key = api_key or os.environ.get("OPENAI_API_KEY", "")
    if api_key:
        remember_key(api_key)
    if not key:
        name = model or DEFAULT_OPENAI_MODEL
        if on_command_line():
            raise ConfigError(
                f"Model {name!r} needs OPENAI_API_KEY: set it, or pass --base-url for another "
                "server, or leave out --model to use the embedded model."
            )
        raise ConfigError(
            f"Model {name!r} needs an OpenAI key: set OPENAI_API_KEY or pass api_key=, or "
            "choose another backend ('http://HOST/v1#MODEL' for a server, 'embedded')."
        )
    return Backend(
        model=model or DEFAULT_OPENAI_MODEL, api_key=key, mode=mode or "tools", timeout=timeout
    )


def server_backend(
    base_url: str, model: str | None, mode: str | None, timeout: float, api_key: str | None = None
) -> Backend:
    if not model:
        raise ConfigError(
            f"{option('base_url')} needs {option('model')}: the name the server knows the "
            "model by (`extractor models --base-url URL` lists them)."
        )
    key = api_key or os.environ.get("OPENAI_API_KEY") or "not-needed"
    if api_key:
        remember_key(api_key)
    return Backend(
        model=model, base_url=base_url, api_key=key, mode=mode or "json", timeout=timeout
    )


class LLM:
    """A validated-extraction client for one backend, sync (`ask`) and async (`aask`)."""

    def __init__(
        self,
        backend: Backend,
        *,
        reasks: int = 1,
        transport_attempts: int = 4,
        max_wait: float = 30.0,
        crashed: CrashCheck | None = None,
        answers: CreateWrapper | None = None,
    ) -> None:
        if backend.mode not in MODES:
            raise ConfigError(
                f"{option('mode')} {backend.mode!r}: choose one of {', '.join(MODES)}."
            )
        self.backend = backend
        self.reasks = reasks
        self._crashed = crashed
        self._answers = answers
        self._retry: dict[str, Any] = {
            "stop": tenacity.stop_after_attempt(transport_attempts),
            "wait": _wait(max_wait),
            "retry": tenacity.retry_if_exception_type(_TRANSIENT),
            "reraise": True,
        }
        # Each client is built on first use (building one loads the TLS certificates, tens
        # of milliseconds); the async one per event loop, as its connections belong to the
        # loop that opened them.
        self._sync: openai.OpenAI | None = None
        self._async: tuple[asyncio.AbstractEventLoop, openai.AsyncOpenAI] | None = None

    def ask(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        context: dict[str, Any],
        max_tokens: int,
        *,
        usage: Usage | None = None,
    ) -> T:
        """The validated answer; after the re-asks run out, the last answer parsed without
        the grounding checks (the caller grounds it and drops what is not there). Each
        HTTP attempt and its tokens are added to `usage`."""
        request = self._request(messages, response_model, max_tokens)
        create = self._create(usage)
        try:
            with validating(context):
                answer: T = create(**request)
            return answer
        except Exception as exc:  # shape-only: no context now
            return self._recover(exc, response_model, max_tokens)

    async def aask(
        self,
        messages: list[dict[str, str]],
        response_model: type[T],
        context: dict[str, Any],
        max_tokens: int,
        *,
        usage: Usage | None = None,
        limit: asyncio.Semaphore | None = None,
    ) -> T:
        """`ask` on the running event loop: the same request through the async client.
        `limit` bounds the HTTP requests in flight (a slot is held for the request alone,
        not while the answer is validated)."""
        request = self._request(messages, response_model, max_tokens)
        create = self._acreate(usage, limit)
        try:
            with validating(context):
                answer: T = await create(**request)
            return answer
        except Exception as exc:  # shape-only: no context now
            return self._recover(exc, response_model, max_tokens)

    def ping(self) -> Ping:
        """One chat completion of one token, sent once (no retries, no instructor)."""
        b = self.backend
        limit = (
            {"max_completion_tokens": 16}  # reasoning models: no max_tokens, no temperature
            if _NO_TEMPERATURE.match(b.model)
            else {"max_tokens": 1, "temperature": 0}
        )
        client = openai.OpenAI(**self._connection())
        started = time.perf_counter()
        try:
            response = _counted(client.chat.completions.create, self._crashed)(
                model=b.model, messages=[{"role": "user", "content": "Say OK."}], **limit
            )
        except openai.APIError as exc:
            raise _model_error(exc, b) from exc
        finally:
            client.close()
        seconds = time.perf_counter() - started
        return Ping(seconds, response.choices[0].message.content or "")

    async def aclose(self) -> None:
        """Close the async client's connections (call on the loop that used them)."""
        held, self._async = self._async, None
        if held is not None and held[0] is asyncio.get_running_loop():
            await held[1].close()

    def _request(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int
    ) -> dict[str, Any]:
        # No `context=` for instructor: it would also render the messages as Jinja
        # templates, compiling the article. The drafts read `grounding_context` instead.
        b = self.backend
        kwargs: dict[str, Any] = {"max_tokens": max_tokens}
        if not _NO_TEMPERATURE.match(b.model):
            kwargs["temperature"] = 0
        if b.mode == "json_grammar":
            schema = response_model.model_json_schema()
            kwargs["extra_body"] = {"response_format": {"type": "json_object", "schema": schema}}
        return {
            "model": b.model,
            "messages": messages,
            "response_model": _wrapped(response_model),
            "max_retries": self.reasks,
            **kwargs,
        }

    def body(
        self, messages: list[dict[str, str]], response_model: type[T], max_tokens: int
    ) -> dict[str, Any]:
        """The JSON body `ask` sends first for this question, built without sending it
        (instructor's own request preparation for the mode): what a batch file holds."""
        request = self._request(messages, response_model, max_tokens)
        model = request.pop("response_model")
        del request["max_retries"]
        _, kwargs = handle_response_model(model, mode=MODES[self.backend.mode], **request)
        return request_body(kwargs)

    def _recover(self, exc: Exception, response_model: type[T], max_tokens: int) -> T:
        """A failed call as the project's error, or the last answer parsed for shape only."""
        b = self.backend
        if isinstance(exc, IncompleteOutputException):
            raise Truncated(
                f"The model stopped at max_tokens ({max_tokens}) before finishing its answer."
            ) from exc
        if isinstance(exc, InstructorRetryException):
            cause = exc.__cause__
            if isinstance(cause, openai.APIError):
                raise _model_error(cause, b) from cause
            if isinstance(cause, ModelError):  # raised by _counted: a broken response
                raise cause from exc
            failed = exc.failed_attempts[-1].exception if exc.failed_attempts else cause
            return _parse_last(exc.last_completion, response_model, failed)
        if isinstance(exc, openai.APIError):
            raise _model_error(exc, b) from exc
        raise exc

    def _create(self, usage: Usage | None) -> Callable[..., Any]:
        """instructor over the sync client's `create`, counting into `usage`."""
        if self._sync is None:
            self._sync = openai.OpenAI(**self._connection())
        source = self._sync.chat.completions.create
        counted = _counted(self._answered(source), self._crashed, usage)
        return self._instructed(tenacity.Retrying(**self._retry).wraps(counted))

    def _acreate(self, usage: Usage | None, limit: asyncio.Semaphore | None) -> Callable[..., Any]:
        """`_create` for the async client of the running loop, `limit` bounding the
        requests in flight."""
        loop = asyncio.get_running_loop()
        if self._async is None or self._async[0] is not loop:
            self._async = (loop, openai.AsyncOpenAI(**self._connection()))
        source = self._async[1].chat.completions.create
        counted = _acounted(self._answered(source), self._crashed, usage, limit)
        return self._instructed(tenacity.AsyncRetrying(**self._retry).wraps(counted))

    def _answered(self, source: Callable[..., Any]) -> Callable[..., Any]:
        return source if self._answers is None else self._answers(source)

    def _instructed(self, create: Callable[..., Any]) -> Callable[..., Any]:
        """instructor over `create`. The transport loop goes under instructor (each re-ask
        gets its own retries), and the usage counter under the transport loop (each HTTP
        attempt counts)."""
        patched: Callable[..., Any] = instructor.patch(create=create, mode=MODES[self.backend.mode])
        return patched

    def _connection(self) -> dict[str, Any]:
        b = self.backend  # the SDK's own retries are off: tenacity retries (see the top)
        return dict(base_url=b.base_url, api_key=b.api_key, max_retries=0, timeout=b.timeout)


def request_body(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON body the SDK sends for these `create` keywords: `extra_body` merged in."""
    body = {k: v for k, v in kwargs.items() if k != "extra_body"}
    return {**body, **(kwargs.get("extra_body") or {})}


@functools.cache
def _wrapped(model: type[T]) -> type[T]:
    """The response model wrapped the way instructor wraps it, once per model: given a
    plain model, instructor builds a new wrapped class (and its JSON schema) on every
    request, several milliseconds each. The request is the same either way."""
    return instructor.openai_schema(model)


def _counted(
    create: Callable[..., Any],
    crashed: CrashCheck | None = None,
    usage: Usage | None = None,
    *,
    sent: bool = False,
) -> Callable[..., Any]:
    """Add each HTTP attempt and its tokens to `usage`. With
    `crashed`: nothing is sent to a server whose process has died, and a dropped
    connection to one raises its ModelCrashed. `sent`: the request has already gone out
    (the async path replays its outcome here)."""

    def call(*args: Any, **kwargs: Any) -> Any:
        if crashed is not None and not sent:
            _raise_if_dead(crashed, 0.0, None)
        if usage is not None:
            usage.requests += 1
        try:
            response = create(*args, **kwargs)
        except json.JSONDecodeError as exc:  # HTTP 200 with an HTML error page, say
            raise BadBody(f"The server answered with a body that is not JSON ({exc.msg}).") from exc
        except openai.APIConnectionError as exc:
            if crashed is not None and not isinstance(exc, openai.APITimeoutError):
                _raise_if_dead(crashed, EXIT_GRACE, exc)
            raise
        if not getattr(response, "choices", None):
            raise InvalidOutput("The server answered with no choices: nothing to read.")
        if usage is not None and getattr(response, "usage", None):
            usage.prompt_tokens += response.usage.prompt_tokens or 0
            usage.completion_tokens += response.usage.completion_tokens or 0
        return response

    return call


def _raise_if_dead(crashed: CrashCheck, wait: float, cause: BaseException | None) -> None:
    dead = crashed(wait)
    if dead is not None:  # a copy: tasks on several threads may raise it at once
        raise ModelCrashed(str(dead), how=dead.how) from cause


def _acounted(
    create: Callable[..., Awaitable[Any]],
    crashed: CrashCheck | None = None,
    usage: Usage | None = None,
    limit: asyncio.Semaphore | None = None,
) -> Callable[..., Awaitable[Any]]:
    """`_counted` for the async client: await the response, then run the same checks and
    counting on it, so both paths treat a response alike."""

    async def call(*args: Any, **kwargs: Any) -> Any:
        response: Any = None
        failure: Exception | None = None
        try:
            async with limit or contextlib.nullcontext():
                if crashed is not None:  # checked once a slot is free, just before sending
                    _raise_if_dead(crashed, 0.0, None)
                response = await create(*args, **kwargs)
        except ModelCrashed:
            raise
        except Exception as exc:  # re-raised inside `_counted`, which counts the attempt
            failure = exc

        def replay(*_: Any, **__: Any) -> Any:
            if failure is not None:
                raise failure
            return response

        return _counted(replay, crashed, usage, sent=True)()

    return call


def retry_after_seconds(value: str, now: float | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds ("1.5") or an HTTP-date
    ("Wed, 21 Oct 2026 07:28:00 GMT"; a date in the past is 0). None when it is neither."""
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:  # RFC 9110: HTTP-dates are GMT
        when = when.replace(tzinfo=datetime.UTC)
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def _wait(max_wait: float) -> Callable[[tenacity.RetryCallState], float]:
    """Sleep between transport attempts: a server's Retry-After (seconds or an HTTP-date),
    capped at `max_wait`; otherwise exponential backoff with jitter."""
    backoff = tenacity.wait_exponential_jitter(multiplier=0.5, max=max_wait, jitter=0.5)

    def wait(state: tenacity.RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, openai.APIStatusError):
            after = exc.response.headers.get("retry-after")
            seconds = retry_after_seconds(after) if after is not None else None
            if seconds is not None:
                return min(seconds, max_wait)
        return backoff(state)

    # retrying counts attempts itself; this only says how long to sleep between them
    return wait


def _parse_last(completion: Any, model: type[T], failed: BaseException | None) -> T:
    """The last answer, checked for shape only (no grounding context)."""
    try:
        message = completion.choices[0].message
        if message.tool_calls:
            raw = message.tool_calls[0].function.arguments
        else:
            raw = message.content or ""
            fenced = re.search(r"```(?:json)?\s*(.*?)```", raw, re.DOTALL)
            raw = fenced.group(1) if fenced else raw
        return model.model_validate(json.loads(raw))
    except (AttributeError, IndexError, TypeError, ValueError, ValidationError) as exc:
        raise InvalidOutput(
            f"The model's answer does not fit the schema ({_first_error(failed or exc)}): "
            "try a stronger model, or more --reasks."
        ) from exc


def _first_error(exc: BaseException) -> str:
    unnamed = exc.title if isinstance(exc, ValidationError) else ""
    return first_error(exc, unnamed=unnamed)[:200]


def _model_error(exc: openai.APIError, b: Backend) -> ModelError:
    """The project's error for a failed request. The messages of per-article failures
    are recorded in the output, so they read the same from the CLI and the library (the
    CLI's option names); only a fatal one, raised to the caller, names its options."""
    where = b.where
    if isinstance(exc, openai.APITimeoutError):
        return Timeout(f"{where} did not answer within {b.timeout:g} s: raise --timeout or retry.")
    if isinstance(exc, openai.APIConnectionError):
        if b.embedded:  # its process was alive when the connection failed
            return ServerUnreachable(
                f"{where} refused or dropped the connection while its process was still "
                "running: run `extractor doctor` to check the embedded model."
            )
        if b.base_url is None and os.environ.get("OPENAI_BASE_URL"):  # the SDK reads it
            return ServerUnreachable(
                f"Cannot reach {os.environ['OPENAI_BASE_URL']} (connection refused or dropped), "
                "the OPENAI_BASE_URL set in the environment: is it right?"
            )
        if b.base_url is None:  # OpenAI: the user gave no URL, only a model or a key
            return ServerUnreachable(
                f"Cannot reach {where} (connection refused or dropped): check this machine's "
                "internet connection (and HTTPS_PROXY, where a proxy is needed)."
            )
        return ServerUnreachable(
            f"Cannot reach {where} (connection refused or dropped): is the server running? "
            "Check --base-url."
        )
    if isinstance(exc, openai.RateLimitError):
        return RateLimited(
            f"{where} kept answering 429 (rate limited): retry later, or lower --concurrency."
        )
    if isinstance(exc, openai.InternalServerError):
        return ServerFailed(f"{where} failed with HTTP {exc.status_code}: {_short(exc)}")
    if isinstance(exc, openai.AuthenticationError):
        return Refused(f"{where} refused the API key (401): check OPENAI_API_KEY.", fatal=True)
    if isinstance(exc, openai.PermissionDeniedError):
        return Refused(
            f"{where} denied access (403): check the key's permissions for {b.model!r}.", fatal=True
        )
    if isinstance(exc, openai.NotFoundError):
        check = option("model") + (f" and {option('base_url')}" if b.base_url else "")
        return Refused(f"{where} has no model {b.model!r} (404): check {check}.", fatal=True)
    if isinstance(exc, openai.APIStatusError):
        return Refused(f"{where} refused the request (HTTP {exc.status_code}): {_short(exc)}")
    return ModelError(f"{where}: {_short(exc)}")


def _short(exc: Exception) -> str:
    return redact(" ".join(str(exc).split()))[:300]  # servers echo keys in 401 bodies
