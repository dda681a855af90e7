"""A loopback fake of the OpenAI Batch API, for the real openai SDK to talk to.

Routes: files (upload as multipart, retrieve, content), batches (create, retrieve, list,
cancel) and chat completions (for `extract` and `collect --reask`). A batch stays
`validating` until the test scripts its end with `finish(...)`: its state, and which
answers its output and error files hold (in another order, duplicated, partly, cut off).
Answers come from `answer(body) -> Reply`, the same responders the chat route uses
(tests.support.fakeserver). Hand-made: it implements the documented shapes of the Batch API
objects and result lines (platform.openai.com/docs/api-reference/batch), not a recording.
"""

from __future__ import annotations

import email.parser
import email.policy
import itertools
import json
import random
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from tests.support.fakeserver import Reply

Answer = Callable[[dict[str, Any]], Reply]


@dataclass
class Script:
    """How `finish` ends a batch."""

    state: str = "completed"  # completed, expired, cancelled, failed
    keep: int | None = None  # only the first N requests are answered (expired, cancelled)
    shuffle: bool = False  # output lines in another order than the input
    duplicate: int = 0  # the first N output lines appear twice
    foreign: bool = False  # one extra line with a custom_id the input never had
    errors_only: bool = False  # output_file_id null; every line in the error file
    cut: int | None = None  # the output file's content stops after N bytes (mid-line)
    validation_errors: list[dict[str, Any]] = field(default_factory=list)  # for "failed"


class BatchAPI:
    def __init__(self, answer: Answer) -> None:
        self.answer = answer
        self.files: dict[str, tuple[dict[str, Any], bytes]] = {}
        self.batches: dict[str, dict[str, Any]] = {}
        self.cuts: dict[str, int] = {}  # file id -> bytes served before the cut (once)
        self.calls: list[str] = []  # "POST /v1/files", ... in order
        self.block: Callable[[str], None] | None = None  # called before each route runs
        self.chat_requests: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        api = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:
                pass

            def do_GET(self) -> None:
                self._route("GET")

            def do_POST(self) -> None:
                self._route("POST")

            def _route(self, method: str) -> None:
                length = int(self.headers.get("content-length") or 0)
                data = self.rfile.read(length)
                path = self.path.split("?")[0]
                with api._lock:
                    api.calls.append(f"{method} {path}")
                if api.block is not None:
                    api.block(f"{method} {path}")
                status, body = api.handle(method, path, data, self.headers.get("content-type", ""))
                out = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", "application/json")
                self.send_header("content-length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: Any, client_address: Any) -> None:
                pass  # a client killed mid-request (the submit test): not the test's output

        self._httpd = Server(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/v1"

    def __enter__(self) -> BatchAPI:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _id(self, prefix: str) -> str:
        return f"{prefix}-{next(self._ids):04d}"

    # routes
    def handle(self, method: str, path: str, data: bytes, ctype: str) -> tuple[int, Any]:
        parts = path.strip("/").split("/")[1:]  # without "v1"
        if parts == ["chat", "completions"]:
            body = json.loads(data)
            self.chat_requests.append(body)
            reply = self.answer(body)
            return reply.status, reply.body or {}
        if parts == ["files"] and method == "POST":
            return 200, self._upload(data, ctype)
        if parts[:1] == ["files"] and len(parts) == 2:
            return (200, self.files[parts[1]][0]) if parts[1] in self.files else _missing()
        if parts[:1] == ["files"] and parts[2:] == ["content"]:
            if parts[1] not in self.files:
                return _missing()
            content = self.files[parts[1]][1]
            cut = self.cuts.pop(parts[1], None)
            return 200, content if cut is None else content[:cut]
        if parts == ["batches"] and method == "POST":
            return 200, self._create(json.loads(data))
        if parts == ["batches"]:
            data_ = sorted(self.batches.values(), key=lambda b: b["created_at"], reverse=True)
            return 200, {"object": "list", "data": data_, "has_more": False}
        if parts[:1] == ["batches"] and parts[1] in self.batches:
            batch = self.batches[parts[1]]
            if parts[2:] == ["cancel"]:
                batch["status"] = "cancelling"
            return 200, batch
        return _missing()

    def _upload(self, data: bytes, ctype: str) -> dict[str, Any]:
        message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
            f"content-type: {ctype}\r\n\r\n".encode() + data
        )
        fields = {
            p.get_param("name", header="content-disposition"): p for p in message.iter_parts()
        }
        content = fields["file"].get_payload(decode=True)
        purpose = fields["purpose"].get_payload(decode=True).decode()
        return self._file(content, fields["file"].get_filename() or "upload.jsonl", purpose)

    def _file(self, content: bytes, name: str, purpose: str) -> dict[str, Any]:
        fid = self._id("file")
        meta = {
            "id": fid,
            "object": "file",
            "bytes": len(content),
            "created_at": int(time.time()),
            "filename": name,
            "purpose": purpose,
            "status": "processed",
        }
        self.files[fid] = (meta, content)
        return meta

    def _create(self, req: dict[str, Any]) -> dict[str, Any]:
        bid = self._id("batch")
        self.batches[bid] = {
            "id": bid,
            "object": "batch",
            "endpoint": req["endpoint"],
            "errors": None,
            "input_file_id": req["input_file_id"],
            "completion_window": req["completion_window"],
            "status": "validating",
            "output_file_id": None,
            "error_file_id": None,
            "created_at": time.time_ns(),  # orders batches; the SDK takes any int
            "request_counts": {"total": 0, "completed": 0, "failed": 0},
            "metadata": req.get("metadata"),
        }
        return self.batches[bid]

    # scripting
    def inputs(self, batch_id: str) -> list[dict[str, Any]]:
        content = self.files[self.batches[batch_id]["input_file_id"]][1]
        return [json.loads(line) for line in content.splitlines() if line.strip()]

    def finish(self, batch_id: str, script: Script | None = None) -> None:
        s = script or Script()
        batch = self.batches[batch_id]
        batch["status"] = s.state
        lines = self.inputs(batch_id)
        batch["request_counts"]["total"] = len(lines)
        if s.state == "failed":
            batch["errors"] = {"object": "list", "data": s.validation_errors}
            return
        answered = lines if s.keep is None else lines[: s.keep]
        outputs, errors = [], []
        for n, line in enumerate(answered):
            reply = self.answer(line["body"])
            result = {
                "id": f"batch_req_{n}",
                "custom_id": line["custom_id"],
                "response": {
                    "status_code": reply.status,
                    "request_id": f"req_{n}",
                    "body": reply.body,
                },
                "error": None,
            }
            (outputs if reply.status == 200 and not s.errors_only else errors).append(result)
        for line in lines[len(answered) :]:
            errors.append(
                {
                    "id": "batch_req_x",
                    "custom_id": line["custom_id"],
                    "response": None,
                    "error": {
                        "code": f"batch_{s.state}",
                        "message": f"This request was {s.state}.",
                    },
                }
            )
        batch["request_counts"]["completed"] = len(outputs)
        batch["request_counts"]["failed"] = len(errors)
        if s.shuffle:
            random.Random(7).shuffle(outputs)
        outputs += outputs[: s.duplicate]
        if s.foreign:
            outputs.append({**outputs[0], "custom_id": "r9-a999-notours"})
        if outputs:
            meta = self._file(_jsonl(outputs), f"{batch_id}_output.jsonl", "batch_output")
            batch["output_file_id"] = meta["id"]
            if s.cut is not None:
                self.cuts[meta["id"]] = s.cut
        if errors:
            meta = self._file(_jsonl(errors), f"{batch_id}_error.jsonl", "batch_output")
            batch["error_file_id"] = meta["id"]

    def finish_all(self, script: Script | None = None) -> None:
        for bid, batch in list(self.batches.items()):
            if batch["status"] in ("validating", "in_progress"):
                self.finish(bid, script)


def _jsonl(rows: list[dict[str, Any]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def _missing() -> tuple[int, Any]:
    return 404, {"error": {"message": "No such object", "type": "invalid_request_error"}}
