"""Idle keep-alive connections of the real server: open past uvicorn's 5 s (a client pausing about that long
lost requests sent just as the server closed the connection: bench/load.py's dropped connections, issue 15),
closed after `web_keep_alive` seconds."""

from __future__ import annotations

import os
import socket
import time
from urllib.parse import urlsplit

from tests.conftest import running_server


def _get(sock: socket.socket) -> bytes:
    """One GET /healthz on `sock` -> the raw response (b"" when the server has closed the connection)."""
    sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        part = sock.recv(65536)
        if not part:
            return data
        data += part
    head, _, body = data.partition(b"\r\n\r\n")
    length = next(int(line.split(b":")[1]) for line in head.split(b"\r\n") if line.lower().startswith(b"content-length"))
    while len(body) < length:
        body += sock.recv(65536)
    return head


def _idle_then_get(base: str, idle: float) -> bytes:
    u = urlsplit(base)
    with socket.create_connection((u.hostname, u.port), timeout=10) as sock:
        assert _get(sock).startswith(b"HTTP/1.1 200")
        time.sleep(idle)
        try:
            return _get(sock)
        except ConnectionResetError:
            return b""


def test_an_idle_connection_outlives_a_five_second_pause(live_server):
    assert _idle_then_get(live_server, 6.0).startswith(b"HTTP/1.1 200")


def test_the_setting_closes_idle_connections(zw_env):
    with running_server(dict(os.environ) | {"ZHENGWU_WEB_KEEP_ALIVE": "2"}) as base:
        assert _idle_then_get(base, 0.5).startswith(b"HTTP/1.1 200")
        assert _idle_then_get(base, 3.5) == b""
