"""A real HTTP server on 127.0.0.1 that misbehaves on request, for feed and worker tests."""
from __future__ import annotations

import email.utils
import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    """Serves `self.body` at any path; `self.fault` picks a misbehaviour (None: a good answer).

    The good answer honours If-None-Match / If-Modified-Since with 304 when `etag`/`last_modified`
    are set. `requests` logs every request as (method, path, headers).
    """

    def __init__(self):
        self.body = b""
        self.content_type = "text/calendar; charset=utf-8"
        self.etag = ""
        self.last_modified = ""
        self.fault: str | None = None
        self.fault_arg = None
        self.date_offset = 0.0  # seconds the Date header is ahead of the real clock
        self.requests: list[tuple[str, str, dict]] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # quiet
                pass

            def date_time_string(self, timestamp=None):
                return email.utils.formatdate((timestamp or time.time()) + owner.date_offset, usegmt=True)

            def do_GET(self):
                owner.requests.append(("GET", self.path, dict(self.headers)))
                try:
                    owner._answer(self)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/agenda.ics"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    # -- answers ---------------------------------------------------------------------------------

    def _answer(self, h: BaseHTTPRequestHandler) -> None:
        fault, arg = self.fault, self.fault_arg
        if fault is None:
            return self._good(h)
        if fault == "status":  # arg: (code, extra headers)
            code, headers = arg
            return self._send(h, code, b"<html>error</html>", "text/html", headers)
        if fault == "hang":  # say nothing for arg seconds
            time.sleep(arg)
            return self._send(h, 200, self.body, self.content_type)
        if fault == "reset":  # close with a TCP RST before answering
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            return None
        if fault == "trickle":  # headers at once, then one byte every arg seconds
            h.send_response(200)
            h.send_header("Content-Type", self.content_type)
            h.send_header("Content-Length", str(len(self.body)))
            h.end_headers()
            for i in range(len(self.body)):
                h.wfile.write(self.body[i:i + 1])
                h.wfile.flush()
                time.sleep(arg)
            return None
        if fault == "truncated":  # Content-Length promises more than is sent
            h.send_response(200)
            h.send_header("Content-Type", self.content_type)
            h.send_header("Content-Length", str(len(self.body) + 5000))
            h.end_headers()
            h.wfile.write(self.body[: len(self.body) // 2])
            h.wfile.flush()
            h.close_connection = True
            return None
        if fault == "chunked":  # arg bytes without a Content-Length, in chunks
            h.send_response(200)
            h.send_header("Content-Type", self.content_type)
            h.send_header("Transfer-Encoding", "chunked")
            h.end_headers()
            piece = b"X" * 65536
            sent = 0
            while sent < arg:
                h.wfile.write(b"%x\r\n%s\r\n" % (len(piece), piece))
                sent += len(piece)
            h.wfile.write(b"0\r\n\r\n")
            return None
        if fault == "body":  # arg: (body, content type), served with 200
            body, content_type = arg
            return self._send(h, 200, body, content_type)
        raise ValueError(fault)

    def _good(self, h: BaseHTTPRequestHandler) -> None:
        if self.etag and h.headers.get("If-None-Match") == self.etag:
            return self._send(h, 304, b"", None, self._validators())
        if self.last_modified and h.headers.get("If-Modified-Since") == self.last_modified:
            return self._send(h, 304, b"", None, self._validators())
        return self._send(h, 200, self.body, self.content_type, self._validators())

    def _validators(self) -> dict:
        found = {}
        if self.etag:
            found["ETag"] = self.etag
        if self.last_modified:
            found["Last-Modified"] = self.last_modified
        return found

    @staticmethod
    def _send(h, code: int, body: bytes, content_type: str | None, headers: dict | None = None) -> None:
        h.send_response(code)
        if content_type:
            h.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        if code != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if code != 304:
            h.wfile.write(body)
