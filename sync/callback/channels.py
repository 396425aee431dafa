"""The channels that carry a callback request to the volunteers: a webhook (HTTP POST) and e-mail (SMTP, STARTTLS).

Each channel's `send` raises `DeliveryRejected` (refused for good: keep the request for the admin
screen) or `DeliveryUnavailable` (retry later, with backoff, or after the receiver's Retry-After);
`check` (for `main.py check`) reaches the receiver without sending anything. `requests` and `smtplib`
exceptions never leave this module.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import json
import smtplib
import ssl
from typing import Protocol

import requests

from sync import backoff, deadline
from sync.callback.config import DeliveryConfig, EmailConfig, WebhookConfig
from sync.callback.message import message, payload
from sync.callback.outbox import CallbackRequest
from sync.errors import DeliveryRejected, DeliveryUnavailable


class Channel(Protocol):
    name: str

    def send(self, request: CallbackRequest, house: str, tz: dt.tzinfo) -> None: ...


class Webhook:
    name = "webhook"

    def __init__(self, config: WebhookConfig, session: requests.Session | None = None):
        self.config = config
        self.session = session or deadline.session()  # one deadline over each exchange, headers included

    def _headers(self) -> dict:
        headers = {"User-Agent": "wijkkiosk"}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        return headers

    def _exchange(self, method: str, **kwargs) -> requests.Response:
        """One request and its answer within the configured timeout, headers and body together."""
        limit = deadline.Deadline(self.config.timeout)
        try:
            with limit:
                response = self.session.request(method, self.config.url, timeout=self.config.timeout,
                                                allow_redirects=False, **kwargs)
                response.close()
        except deadline.TRANSPORT_ERRORS as exc:
            if limit.expired:
                raise DeliveryUnavailable(f"webhook: no answer within {self.config.timeout:g} s") from None
            raise DeliveryUnavailable(f"webhook unreachable: {type(exc).__name__}") from None
        return response

    def check(self) -> str:
        """Reach the receiver without sending a request (HEAD); raise a DeliveryError if it fails."""
        response = self._exchange("HEAD", headers=self._headers())
        if response.status_code in (401, 403):
            raise DeliveryRejected(f"webhook refuses the token (HTTP {response.status_code})")
        if response.status_code in (502, 503, 504):  # 405 or 501 only say HEAD is not served
            raise DeliveryUnavailable(f"webhook answered HTTP {response.status_code}")
        return f"reachable (HTTP {response.status_code} to HEAD)"

    def send(self, request: CallbackRequest, house: str, tz: dt.tzinfo) -> None:
        self.post(payload(request, house, tz), request.id)

    def post(self, document: dict, idempotency_key: str) -> None:
        """POST `document` as JSON (also the daily figures, sync.monitoring.figurespush)."""
        headers = {**self._headers(), "Content-Type": "application/json", "Idempotency-Key": idempotency_key}
        body = json.dumps(document, ensure_ascii=False).encode()
        response = self._exchange("POST", data=body, headers=headers)
        code = response.status_code
        if 200 <= code < 300:
            return
        if code in (408, 429) or code >= 500:
            retry_after = backoff.retry_after(response.headers.get("Retry-After"), dt.datetime.now(dt.timezone.utc))
            raise DeliveryUnavailable(f"webhook answered HTTP {code}", retry_after=retry_after)
        raise DeliveryRejected(f"webhook answered HTTP {code}")


SMTP_SESSION_STEPS = 3  # a whole SMTP session may take this many times the (per step) timeout


class _WatchedSMTP(smtplib.SMTP):
    """smtplib.SMTP whose connection obeys the current deadline (sync.deadline): a server that sends its
    greeting or answers a byte at a time is cut off."""

    def _get_socket(self, host, port, timeout):
        sock = super()._get_socket(host, port, timeout)
        deadline.watch(sock)
        return sock


class Email:
    name = "email"

    def __init__(self, config: EmailConfig):
        self.config = config
        self.context = ssl.create_default_context()  # verifies the certificate and the host name, always
        if config.ca_file:
            self.context.load_verify_locations(cafile=config.ca_file)  # trusted besides the system's CAs

    @contextlib.contextmanager
    def _session(self):
        """A logged-in SMTP session over STARTTLS (certificate verified), within its deadline."""
        limit = deadline.Deadline(SMTP_SESSION_STEPS * self.config.timeout)
        try:
            with limit, self._connected() as smtp:
                yield smtp
        except (smtplib.SMTPException, OSError):
            if limit.expired:
                raise DeliveryUnavailable(f"mail server: no answer within "
                                          f"{SMTP_SESSION_STEPS * self.config.timeout:g} s") from None
            raise

    @contextlib.contextmanager
    def _connected(self):
        with _WatchedSMTP(self.config.host, self.config.port, timeout=self.config.timeout) as smtp:
            smtp.ehlo()
            if not smtp.has_extn("starttls"):
                raise DeliveryUnavailable("the mail server does not offer STARTTLS")
            smtp.starttls(context=self.context)
            smtp.ehlo()
            if self.config.user:
                smtp.login(self.config.user, self.config.password)
            yield smtp

    def check(self) -> str:
        """Connect, STARTTLS and log in, send nothing; raise a DeliveryError if it fails."""
        try:
            with self._session():
                pass
        except smtplib.SMTPResponseException as exc:
            raise _smtp_error(exc.smtp_code, "the mail server refused") from None
        except (smtplib.SMTPException, OSError) as exc:
            raise DeliveryUnavailable(f"mail server unreachable: {type(exc).__name__}") from None
        return "STARTTLS and login work"

    def send(self, request: CallbackRequest, house: str, tz: dt.tzinfo) -> None:
        mail = message(request, house, tz, self.config.sender, self.config.to)
        try:
            with self._session() as smtp:
                smtp.send_message(mail, from_addr=self.config.sender, to_addrs=list(self.config.to))
        except smtplib.SMTPRecipientsRefused as exc:
            codes = [code for code, _text in exc.recipients.values()]
            raise _smtp_error(min(codes) if codes else 550, "all recipients refused") from None
        except smtplib.SMTPResponseException as exc:
            raise _smtp_error(exc.smtp_code, "the mail server refused") from None
        except (smtplib.SMTPException, OSError) as exc:  # disconnects, timeouts, TLS and certificate errors
            raise DeliveryUnavailable(f"mail server unreachable: {type(exc).__name__}") from None


def _smtp_error(code: int, what: str):
    if 400 <= code < 500:
        return DeliveryUnavailable(f"{what} (SMTP {code})")
    return DeliveryRejected(f"{what} (SMTP {code})")


def channels_for(config: DeliveryConfig) -> list[Channel]:
    found: list[Channel] = []
    if config.webhook is not None:
        found.append(Webhook(config.webhook))
    if config.email is not None:
        found.append(Email(config.email))
    return found
