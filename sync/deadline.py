"""One deadline over a whole HTTP exchange (connect, TLS handshake, headers and body) or SMTP session.

requests' and urllib3's timeouts bound each wait for the next bytes, not the exchange: a server that
sends its headers one byte a second never trips them (urllib3's `Timeout` documentation says so).
A `session()` records every socket it uses on the current thread's `Deadline`; when the deadline
passes, a timer shuts those sockets down, the blocked read returns and requests raises. The caller
then reports the deadline (`Deadline.expired`) rather than the broken connection.

    with deadline.Deadline(30) as limit:
        response = session.get(url, timeout=(10, 30))
        ...  # read the body while limit.remaining() > 0
"""
from __future__ import annotations

import http.client
import socket
import threading
import time

import requests
import urllib3
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.poolmanager import ProxyManager

# what a request can raise when the network, the server or the deadline breaks it off
TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, http.client.HTTPException, OSError)

_current = threading.local()


class Deadline:
    """A context: the sockets a `session()` uses inside it are shut down `seconds` after it starts."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.expired = False
        self._end = 0.0
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True
        self._outer: Deadline | None = None

    def __enter__(self) -> Deadline:
        self._end = time.monotonic() + self.seconds
        self._outer = getattr(_current, "deadline", None)
        _current.deadline = self
        self._timer.start()
        return self

    def __exit__(self, *exc) -> None:
        self._timer.cancel()
        _current.deadline = self._outer

    def remaining(self) -> float:
        return max(0.0, self._end - time.monotonic())

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self.expired:
                _shut(sock)
            elif sock not in self._sockets:
                self._sockets.append(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    """End every read and write on `sock` from another thread (the plain socket's shutdown: an
    SSLSocket's own would drop its SSL object under the reading thread)."""
    try:
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
    except OSError:  # already closed
        pass


def watch(sock: socket.socket | None) -> None:
    """Put `sock` under the current thread's deadline, if there is one (e.g. an SMTP connection's)."""
    limit = getattr(_current, "deadline", None)
    if limit is not None and sock is not None:
        limit.watch(sock)


class _Watched:
    """Mixed into urllib3's connections: their sockets are watched by the current deadline."""

    sock: socket.socket | None

    def _new_conn(self) -> socket.socket:  # a new connection: watched before its TLS handshake
        sock = super()._new_conn()
        watch(sock)
        return sock

    def request(self, *args, **kwargs):  # a kept-alive connection, reused under a later deadline
        watch(self.sock)
        return super().request(*args, **kwargs)


class _WatchedHTTP(_Watched, HTTPConnection):
    pass


class _WatchedHTTPS(_Watched, HTTPSConnection):
    pass


class _WatchedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTP


class _WatchedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPS


_POOLS = {"http": _WatchedHTTPPool, "https": _WatchedHTTPSPool}


class _Adapter(HTTPAdapter):
    def init_poolmanager(self, *args, **kwargs) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _POOLS

    def proxy_manager_for(self, proxy, **proxy_kwargs):  # an HTTP(S) proxy from the environment
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        if isinstance(manager, ProxyManager):  # not SOCKS, whose pools are its own
            manager.pool_classes_by_scheme = _POOLS
        return manager


def session() -> requests.Session:
    """A requests Session whose connections obey the current thread's `Deadline`."""
    found = requests.Session()
    adapter = _Adapter()
    found.mount("http://", adapter)
    found.mount("https://", adapter)
    return found
