"""The guard that keeps tests off remote models really blocks, and loopback still works."""

from __future__ import annotations

import socket
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from netguard import RemoteCallBlocked


def test_remote_connection_is_refused_before_it_leaves() -> None:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    with pytest.raises(RemoteCallBlocked, match="remote calls are forbidden"):
        sock.connect(("203.0.113.7", 443))  # TEST-NET-3: never routable
    sock.close()


def test_openai_client_against_remote_url_fails_loudly() -> None:
    openai = pytest.importorskip("openai")
    client = openai.OpenAI(api_key="sk-test", base_url="https://203.0.113.7/v1", max_retries=0, timeout=2)
    with pytest.raises((RemoteCallBlocked, openai.APIConnectionError)) as info:
        client.models.list()
    blocked = info.value
    while blocked is not None and not isinstance(blocked, RemoteCallBlocked):
        blocked = blocked.__cause__ or blocked.__context__
    assert isinstance(blocked, RemoteCallBlocked)


def test_loopback_is_allowed() -> None:
    class Hello(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"hi")

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hello)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    with socket.create_connection(server.server_address, timeout=5) as conn:
        conn.sendall(b"GET / HTTP/1.0\r\n\r\n")
        reply = b""
        while chunk := conn.recv(1024):
            reply += chunk
        assert reply.endswith(b"hi")
    thread.join(5)
    server.server_close()
