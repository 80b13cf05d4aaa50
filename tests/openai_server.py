"""A scripted server that speaks the OpenAI HTTP protocol on 127.0.0.1, for tests.

The real ``openai`` / ``langchain-openai`` clients talk to it over real HTTP, so the client code
under test runs exactly as it would against a remote endpoint. It serves ``/v1/embeddings``
(deterministic vectors derived from the text) and ``/v1/chat/completions`` (answers popped from
a queue of :class:`Reply` scripts: status codes, headers such as Retry-After, delays,
``finish_reason``; when the queue is empty, :func:`auto_answer` builds a valid answer from the
request's JSON Schema), and records every request it receives with the time it arrived.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

DIM = 16


def vector_for(text: str) -> list[float]:
    """A stable pseudo-embedding: words that share text share dimensions."""
    vec = [0.0] * DIM
    for word in text.lower().split():
        digest = hashlib.sha256(word.encode()).digest()
        vec[digest[0] % DIM] += 1.0
    return vec if any(vec) else [1.0] + [0.0] * (DIM - 1)


@dataclass
class Reply:
    """One scripted answer to a chat completion request."""

    content: str | None = None  # the message text; None: auto_answer fills it
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0  # sleep before answering (for client timeouts)
    finish_reason: str = "stop"
    error: str = "scripted failure"  # the error message of a non-200 reply
    edit: Callable[[dict[str, Any]], dict[str, Any]] | None = None  # change the auto answer


@dataclass
class ScriptedOpenAI:
    """The running server: its base URL, the chat script, and the requests it saw."""

    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    require_key: str = "sk-test-local"
    script: list[Reply] = field(default_factory=list)
    #: Reject a response_format of this type with a 400, as servers without it do.
    unsupported: set[str] = field(default_factory=set)

    @property
    def chats(self) -> list[dict[str, Any]]:
        """The chat completion requests received, oldest first."""
        return [r for r in self.requests if r["path"].rstrip("/").endswith("/chat/completions")]


# --- valid answers from a request's schema --------------------------------------------------

EARS = "When a user submits a question, the service shall return an answer with its sources."
_BLOCK = re.compile(r"^\[(E\d+)\] [^\n]*\n(.*?)(?=\n\n\[E\d+\] |\nEVIDENCE>>>|\Z)", re.DOTALL | re.MULTILINE)


def evidence_blocks(payload: dict[str, Any]) -> dict[str, str]:
    """E-id -> block text, read from the request's last user message."""
    users = [m["content"] for m in payload.get("messages", []) if m.get("role") == "user"]
    return {m.group(1): m.group(2) for m in _BLOCK.finditer(users[0] if users else "")}


def request_schema(payload: dict[str, Any]) -> dict[str, Any] | None:
    """The JSON Schema a request asks for: in response_format, else in the prompt text."""
    fmt = payload.get("response_format") or {}
    if fmt.get("type") == "json_schema":
        return fmt["json_schema"]["schema"]
    text = payload["messages"][-1]["content"]
    marker = "valid against this JSON Schema:\n"
    if marker in text:
        return json.loads(text.split(marker, 1)[1].split("\n", 1)[0])
    return None


def _instance(schema: dict[str, Any], defs: dict[str, Any], name: str, blocks: dict[str, str]) -> Any:
    if "$ref" in schema:
        return _instance(defs[schema["$ref"].rsplit("/", 1)[1]], defs, name, blocks)
    if "enum" in schema:
        return schema["enum"][0]
    if "anyOf" in schema:
        return _instance(schema["anyOf"][0], defs, name, blocks)
    kind = schema.get("type")
    if kind == "object":
        return {k: _instance(v, defs, k, blocks) for k, v in schema.get("properties", {}).items()}
    if kind == "array":
        return [_instance(schema["items"], defs, name, blocks)] * max(1, schema.get("minItems", 1))
    if kind == "string":
        if name == "statement":
            return EARS
        if name == "quote":
            first = next(iter(blocks.values()), "")
            line = next((ln.strip() for ln in first.splitlines() if ln.strip()), "")
            return " ".join(line.split()[:4])
        if name == "target":
            return ">= 0.90 on the held-out set"
        return f"A plain {name} written from the evidence."
    if kind in ("integer", "number"):
        return 1
    if kind == "boolean":
        return True
    return None


def auto_answer(payload: dict[str, Any]) -> dict[str, Any]:
    """A valid answer to the request's schema that cites its first evidence block."""
    schema = request_schema(payload)
    if schema is None:
        return {}
    return _instance(schema, schema.get("$defs", {}), "", evidence_blocks(payload))


def _handler(state: ScriptedOpenAI) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

        def _reply(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(length)
            payload = json.loads(raw or b"{}")
            state.requests.append(
                {
                    "path": self.path,
                    "body": payload,
                    "auth": self.headers.get("Authorization"),
                    "at": time.monotonic(),
                    "raw": raw.decode("utf-8", errors="replace"),
                }
            )
            if self.headers.get("Authorization") != f"Bearer {state.require_key}":
                self._reply(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
                return
            if self.path.rstrip("/").endswith("/chat/completions"):
                self._chat(payload)
                return
            if self.path.rstrip("/").endswith("/embeddings"):
                inputs = payload.get("input")
                texts = [inputs] if isinstance(inputs, str) else list(inputs)
                self._reply(
                    200,
                    {
                        "object": "list",
                        "model": payload.get("model"),
                        "data": [
                            {"object": "embedding", "index": i, "embedding": vector_for(str(t))}
                            for i, t in enumerate(texts)
                        ],
                        "usage": {"prompt_tokens": sum(len(str(t).split()) for t in texts), "total_tokens": 0},
                    },
                )
                return
            self._reply(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def _chat(self, payload: dict[str, Any]) -> None:
            fmt = (payload.get("response_format") or {}).get("type")
            if fmt in state.unsupported:
                message = f"response_format type {fmt} is not supported by this server"
                self._reply(400, {"error": {"message": message, "type": "invalid_request_error"}})
                return
            reply = state.script.pop(0) if state.script else Reply()
            if reply.delay_s:
                time.sleep(reply.delay_s)
            if reply.status != 200:
                data = json.dumps({"error": {"message": reply.error, "type": "scripted"}}).encode()
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
                return
            content = reply.content
            if content is None:
                answer = auto_answer(payload)
                content = json.dumps(reply.edit(answer) if reply.edit else answer)
                if fmt != "json_schema" and fmt != "json_object":
                    content = f"Here it is:\n```json\n{content}\n```"
            prompt_tokens = sum(len(str(m.get("content", "")).split()) for m in payload.get("messages", []))
            self._reply(
                200,
                {
                    "id": f"chatcmpl-{len(state.requests)}",
                    "object": "chat.completion",
                    "created": int(time.time()),
                    "model": payload.get("model"),
                    "choices": [
                        {
                            "index": 0,
                            "message": {"role": "assistant", "content": content},
                            "finish_reason": reply.finish_reason,
                        }
                    ],
                    "usage": {
                        "prompt_tokens": prompt_tokens,
                        "completion_tokens": len(content.split()),
                        "total_tokens": prompt_tokens + len(content.split()),
                    },
                },
            )

    return Handler


@contextmanager
def scripted_openai() -> Iterator[ScriptedOpenAI]:
    """Start the server on a free loopback port; stop it on exit."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    state = ScriptedOpenAI(base_url=f"http://127.0.0.1:{server.server_address[1]}/v1")
    server.RequestHandlerClass = _handler(state)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
