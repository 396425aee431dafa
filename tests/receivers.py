"""Real receivers on loopback for delivery tests: an HTTP webhook and an SMTP server (STARTTLS + AUTH)."""
from __future__ import annotations

import json
import socket
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class LoopbackHTTP:
    """An HTTP server on 127.0.0.1 serving `handler` on its own thread, as a context manager."""

    def _serve(self, handler: type[BaseHTTPRequestHandler]) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class WebhookReceiver(LoopbackHTTP):
    """Answers POSTs with scripted (status, headers) replies, then 200; records every request."""

    def __init__(self, replies: list[tuple[int, dict]] | None = None):
        self.replies = list(replies or [])
        self.received: list[dict] = []  # {"headers": {...}, "body": {...}}
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver.lock:
                    status, headers = receiver.next_reply()
                    receiver.received.append({"headers": dict(self.headers), "body": json.loads(body),
                                              "status": status})
                self.send_response(status)
                for name, value in headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self._serve(Handler)
        self.url = f"{self.base}/callback"

    def next_reply(self) -> tuple[int, dict]:
        """Called under the lock, once per request."""
        return self.replies.pop(0) if self.replies else (200, {})

    def keys(self) -> list[str]:
        return [r["headers"].get("Idempotency-Key") for r in self.received if r["status"] < 300]


def self_signed(directory: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 and localhost, made with the openssl command line."""
    cert, key = directory / "cert.pem", directory / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True, timeout=60)
    return cert, key


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpReceiver:
    """aiosmtpd on loopback: STARTTLS required, AUTH (user/password) required, scripted DATA replies."""

    def __init__(self, cert: Path, key: Path, user: str = "kiosk", password: str = "pw",
                 replies: list[str] | None = None):
        import ssl

        from aiosmtpd.controller import Controller
        from aiosmtpd.smtp import AuthResult

        self.replies = list(replies or [])
        self.messages = []  # (envelope rcpt_tos, email.message.Message)
        receiver = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):
                reply = receiver.replies.pop(0) if receiver.replies else "250 OK"
                if reply.startswith("250"):
                    import email

                    receiver.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
                return reply

        def authenticator(server, session, envelope, mechanism, auth_data):
            ok = auth_data.login == user.encode() and auth_data.password == password.encode()
            return AuthResult(success=ok, handled=False)

        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert), str(key))
        self.port = free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, tls_context=context,
                                     require_starttls=True, auth_required=True, authenticator=authenticator)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()


class PingReceiver(LoopbackHTTP):
    """A push monitor on loopback (Healthchecks or Uptime Kuma): records every request, answers `status`."""

    def __init__(self, status: int = 200):
        self.status = status
        self.received: list[dict] = []  # {"method", "path" (with the query), "body"}
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def _record(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append({"method": self.command, "path": self.path, "body": body.decode()})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"OK")

            do_GET = do_POST = _record

            def log_message(self, *args):
                pass

        self._serve(Handler)
