"""A scripted server that speaks the OpenAI HTTP protocol on 127.0.0.1, for tests.

The real ``openai`` / ``langchain-openai`` clients talk to it over real HTTP, so the client code
under test runs exactly as it would against a remote endpoint. It serves ``/v1/embeddings``
(deterministic vectors derived from the text) and records every request it receives.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Iterator
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
class ScriptedOpenAI:
    """The running server: its base URL and the requests it saw."""

    base_url: str
    requests: list[dict[str, Any]] = field(default_factory=list)
    require_key: str = "sk-test-local"


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
            payload = json.loads(self.rfile.read(length) or b"{}")
            state.requests.append({"path": self.path, "body": payload, "auth": self.headers.get("Authorization")})
            if self.headers.get("Authorization") != f"Bearer {state.require_key}":
                self._reply(401, {"error": {"message": "bad key", "type": "invalid_request_error"}})
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
