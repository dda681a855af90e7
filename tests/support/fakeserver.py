"""A real OpenAI-compatible HTTP server on loopback, scripted per request, for tests and
benchmarks: `with FakeServer(responder) as server: ... server.base_url ...`.

The responder gets each request's JSON body and returns a `Reply`: a status, a body
(a dict sent as JSON, or raw bytes), headers, a delay before answering, `drop=True` to
close the connection without an answer, or `cut=N` to stop after N bytes of the body.
`server.kill()` plays a server that died: the listening socket closes (new connections
are refused) and requests on connections still open are dropped unanswered.
`completion()` builds a chat completion whose answer is JSON content (JSON modes) or a
tool call (tools mode), whichever the request asked for.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] | bytes | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    drop: bool = False  # close the connection without answering
    cut: int | None = None  # send the headers and only this many bytes of the body, then close


Responder = Callable[[dict[str, Any]], Reply]


def completion(
    request: dict[str, Any],
    answer: dict[str, Any] | str,
    finish_reason: str = "stop",
    usage: tuple[int, int] = (100, 20),
) -> dict[str, Any]:
    """A chat completion carrying `answer` the way the request's mode expects it."""
    text = answer if isinstance(answer, str) else json.dumps(answer)
    message: dict[str, Any] = {"role": "assistant", "content": text}
    tools = request.get("tools")
    if tools:
        name = tools[0]["function"]["name"]
        message = {
            "role": "assistant",
            "content": None,
            "tool_calls": [
                {"id": "call_0", "type": "function", "function": {"name": name, "arguments": text}}
            ],
        }
    return {
        "id": "chatcmpl-fake",
        "object": "chat.completion",
        "created": 0,
        "model": request.get("model", "fake"),
        "choices": [{"index": 0, "message": message, "finish_reason": finish_reason}],
        "usage": {
            "prompt_tokens": usage[0],
            "completion_tokens": usage[1],
            "total_tokens": usage[0] + usage[1],
        },
    }


class _Server(ThreadingHTTPServer):
    # the default listen backlog (5) drops connections when many clients connect at once
    # (a concurrent run opens one per request in flight), and each drop costs a 1 s retry
    request_queue_size = 128


class FakeServer:
    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []  # request headers, in the same order
        self._lock = threading.Lock()
        self.killed = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def setup(self) -> None:
                super().setup()
                # Headers and body go out in two writes: without this, Nagle's algorithm
                # and delayed ACKs add ~40 ms to every answer.
                self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

            def do_GET(self) -> None:
                self._send(
                    Reply(body={"object": "list", "data": [{"id": "fake", "object": "model"}]})
                )

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                if server.killed:
                    self._send(Reply(drop=True))
                    return
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                self._send(server.responder(body))

            def _send(self, reply: Reply) -> None:
                if reply.delay:
                    time.sleep(reply.delay)
                if reply.drop:
                    self.close_connection = True
                    self.connection.close()
                    return
                data = (
                    reply.body
                    if isinstance(reply.body, bytes)
                    else json.dumps(reply.body or {}).encode()
                )
                self.send_response(reply.status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(data)))
                for key, value in reply.headers.items():
                    self.send_header(key, value)
                self.end_headers()
                if reply.cut is not None:
                    self.wfile.write(data[: reply.cut])
                    self.wfile.flush()
                    self.close_connection = True
                    self.connection.shutdown(2)  # SHUT_RDWR: the client sees a cut-off body
                    return
                self.wfile.write(data)

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> FakeServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def kill(self) -> None:
        """From now on, connections are refused and open ones dropped (call it from a
        responder, or from the test)."""
        self.killed = True
        self._httpd.shutdown()
        self._httpd.server_close()
