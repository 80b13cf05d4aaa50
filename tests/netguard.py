"""Socket guard: connections to anything but this machine raise RemoteCallBlocked."""

from __future__ import annotations

import ipaddress
import socket
from typing import Any


class RemoteCallBlocked(RuntimeError):
    """A test tried to reach a host that is not this machine."""


def _is_loopback(address: Any) -> bool:
    if not isinstance(address, tuple) or not address:
        return True  # AF_UNIX paths and the like
    host = str(address[0])
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _guarded_connect(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise RemoteCallBlocked(f"test tried to reach {address!r}: remote calls are forbidden in tests")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: Any) -> Any:
    if not _is_loopback(address):
        raise RemoteCallBlocked(f"test tried to reach {address!r}: remote calls are forbidden in tests")
    return _real_connect_ex(self, address)
