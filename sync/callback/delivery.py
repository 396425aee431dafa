"""Deliver callback requests from the outbox: a webhook (HTTP POST) and/or e-mail (SMTP, STARTTLS).

Each channel's `send` raises `DeliveryRejected` (refused for good: keep the request for the admin
screen) or `DeliveryUnavailable` (retry later, with backoff, or after the receiver's Retry-After).
`requests` and `smtplib` exceptions never leave this module. Log lines name a request by its UUID
only, never by phone number or name.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import email.utils
import json
import logging
import random
import smtplib
import ssl
from email.message import EmailMessage
from typing import Protocol

import requests

from sync import backoff
from sync.callback import outbox
from sync.callback.config import DeliveryConfig, EmailConfig, WebhookConfig
from sync.errors import DeliveryRejected, DeliveryUnavailable
from sync.callback.outbox import CallbackRequest
from sync.callback.phone import national
from sync.store import Store

log = logging.getLogger(__name__)

PAYLOAD_VERSION = 1
MAX_RETRY_AFTER = 24 * 3600.0
MOMENT_NL = {outbox.MORNING: "ochtend", outbox.AFTERNOON: "middag", outbox.EVENING: "avond",
             outbox.ANY: "maakt niet uit"}  # for the volunteers, who read Dutch


class Channel(Protocol):
    name: str

    def send(self, request: CallbackRequest, house: str, tz: dt.tzinfo) -> None: ...


# -- pure parts ---------------------------------------------------------------------------------


def payload(request: CallbackRequest, house: str, tz: dt.tzinfo) -> dict:
    """The JSON body of the webhook (documented in docs/callback.md)."""
    return {
        "version": PAYLOAD_VERSION,
        "id": request.id,
        "created": request.created.astimezone(tz).isoformat(timespec="seconds"),
        "house": house,
        "topic": request.topic,
        "phone": request.phone,
        "phone_national": national(request.phone),
        "name": request.name or None,
        "moment": request.moment,
        "note": request.note or None,
    }


def message(request: CallbackRequest, house: str, tz: dt.tzinfo, sender: str, to: tuple[str, ...]) -> EmailMessage:
    """The e-mail to the coordinators (plain Dutch text; documented in docs/callback.md)."""
    created = request.created.astimezone(tz)
    mail = EmailMessage()
    mail["Subject"] = f"Terugbelverzoek: {request.topic} ({house})"
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = email.utils.format_datetime(created)
    mail["Message-ID"] = f"<{request.id}@wijkkiosk>"  # the same on every retry: a mail client can dedup
    mail["X-Wijkkiosk-Request"] = request.id
    lines = [
        "Iemand vroeg bij de kiosk om teruggebeld te worden.",
        "",
        f"Telefoon:  {national(request.phone)}  ({request.phone})",
        f"Naam:      {request.name or '(niet opgegeven)'}",
        f"Onderwerp: {request.topic}",
        f"Liefst:    {MOMENT_NL.get(request.moment, request.moment)}",
    ]
    if request.note:
        lines.append(f"Bij:       {request.note}")
    lines += [
        f"Gevraagd:  {created:%d-%m-%Y %H:%M}",
        f"Huis:      {house}",
        "",
        f"Kenmerk: {request.id}",
        "De kiosk heeft het nummer na verzending gewist.",
    ]
    mail.set_content("\n".join(lines) + "\n")
    return mail


# -- channels (the shell) ---------------------------------------------------------------------


class Webhook:
    name = "webhook"

    def __init__(self, config: WebhookConfig, session: requests.Session | None = None):
        self.config = config
        self.session = session or requests.Session()

    def _headers(self) -> dict:
        headers = {"User-Agent": "wijkkiosk"}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        return headers

    def check(self) -> str:
        """Reach the receiver without sending a request (HEAD); raise a DeliveryError if it fails."""
        try:
            response = self.session.head(self.config.url, headers=self._headers(), timeout=self.config.timeout,
                                         allow_redirects=False)
            response.close()
        except requests.RequestException as exc:
            raise DeliveryUnavailable(f"webhook unreachable: {type(exc).__name__}") from None
        if response.status_code in (401, 403):
            raise DeliveryRejected(f"webhook refuses the token (HTTP {response.status_code})")
        if response.status_code in (502, 503, 504):  # 405 or 501 only say HEAD is not served
            raise DeliveryUnavailable(f"webhook answered HTTP {response.status_code}")
        return f"reachable (HTTP {response.status_code} to HEAD)"

    def send(self, request: CallbackRequest, house: str, tz: dt.tzinfo) -> None:
        headers = {**self._headers(), "Content-Type": "application/json", "Idempotency-Key": request.id}
        body = json.dumps(payload(request, house, tz), ensure_ascii=False).encode()
        try:
            response = self.session.post(self.config.url, data=body, headers=headers,
                                         timeout=self.config.timeout, allow_redirects=False)
            response.close()
        except requests.RequestException as exc:
            raise DeliveryUnavailable(f"webhook unreachable: {type(exc).__name__}") from None
        code = response.status_code
        if 200 <= code < 300:
            return
        if code in (408, 429) or code >= 500:
            retry_after = backoff.retry_after(response.headers.get("Retry-After"), dt.datetime.now(dt.timezone.utc),
                                              cap=MAX_RETRY_AFTER)
            raise DeliveryUnavailable(f"webhook answered HTTP {code}", retry_after=retry_after)
        raise DeliveryRejected(f"webhook answered HTTP {code}")


class Email:
    name = "email"

    def __init__(self, config: EmailConfig):
        self.config = config
        self.context = ssl.create_default_context()  # verifies the certificate and the host name, always
        if config.ca_file:
            self.context.load_verify_locations(cafile=config.ca_file)  # trusted besides the system's CAs

    @contextlib.contextmanager
    def _session(self):
        """A logged-in SMTP session over STARTTLS (certificate verified)."""
        with smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout) as smtp:
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


# -- one round ------------------------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class RoundResult:
    delivered: int = 0
    retried: int = 0
    rejected: int = 0
    expired: int = 0


class Deliverer:
    """Attempts every due delivery once per round; remembers per channel whether it is failing."""

    def __init__(self, config: DeliveryConfig, channels: list[Channel], house: str, tz: dt.tzinfo,
                 retention_days: int, rand: random.Random | None = None):
        self.config = config
        self.channels = {c.name: c for c in channels}
        self.house, self.tz, self.retention_days = house, tz, retention_days
        self.rand = rand or random.Random()
        self._failing: dict[str, bool] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.channels)

    def run(self, store: Store, now: dt.datetime) -> RoundResult:
        delivered = retried = rejected = 0
        expired = outbox.expire(store, now, self.retention_days)  # never send what is past the cap
        if expired:
            log.warning("%d callback request(s) erased undelivered after %d days", expired, self.retention_days)
        erased = expired > 0
        for item in outbox.due(store, self.names, now):
            request, channel = item.request, self.channels[item.channel]
            try:
                try:
                    channel.send(request, self.house, self.tz)
                except (DeliveryRejected, DeliveryUnavailable):
                    raise
                except Exception as exc:  # a bug must not block the queue; the type only (no data)
                    raise DeliveryUnavailable(f"unexpected {type(exc).__name__}") from None
            except DeliveryUnavailable as exc:
                delay = backoff.delay(item.attempts + 1, self.rand, exc.retry_after,
                                      base=self.config.retry_base, cap=self.config.retry_max)
                outbox.mark_retry(store, request.id, channel.name, now + dt.timedelta(seconds=delay), str(exc))
                self._changed(channel.name, failing=True, detail=f"{exc}; retry in {delay:.0f} s")
                retried += 1
            except DeliveryRejected as exc:
                outbox.mark_rejected(store, request.id, channel.name, self.names, now, str(exc))
                log.warning("callback %s rejected by %s: %s", request.id, channel.name, exc)
                rejected += 1
            else:
                erased |= outbox.mark_delivered(store, request.id, channel.name, self.names, now)
                self._changed(channel.name, failing=False, detail="")
                log.info("callback %s delivered by %s", request.id, channel.name)
                delivered += 1
        if erased:
            outbox.wipe_free_pages(store)
        return RoundResult(delivered, retried, rejected, expired)

    def _changed(self, channel: str, failing: bool, detail: str) -> None:
        """Log a channel's state on change only: first failure, recovery."""
        before = self._failing.get(channel, False)
        self._failing[channel] = failing
        if failing and not before:
            log.warning("callback channel %s failing: %s", channel, detail)
        elif before and not failing:
            log.info("callback channel %s recovered", channel)
