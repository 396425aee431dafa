"""The heartbeat: after each sync round one request to a push monitor (Healthchecks or Uptime Kuma).

    Healthchecks   success: GET  <ping_url>          failure: POST <ping_url>/fail, the reason as the body
    Uptime Kuma    success: GET  <ping_url>?status=up&msg=OK
                   failure: GET  <ping_url>?status=down&msg=<reason>
A URL whose path holds /api/push/ is Uptime Kuma's; any other is taken as Healthchecks' (hc-ping.com
or a house's own instance). The reason names the failing sources and the kind of their error, from a
fixed list of words (`error_kind`), so no text from a feed or a visitor can reach the monitor.
A failing ping is logged once, and once more when it works again; it never raises.
"""
from __future__ import annotations

import dataclasses
import logging
import re
from typing import Iterable
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import requests

from sync import deadline
from sync.device.clocktrust import ClockStatus
from sync.schedule.poller import SourceStatus

log = logging.getLogger(__name__)

MAX_REASON = 200  # characters; a monitor shows it in a list


@dataclasses.dataclass(frozen=True)
class Ping:
    """One request to send: method, URL and body."""

    method: str
    url: str
    body: bytes = b""


def is_uptime_kuma(url: str) -> bool:
    return "/api/push/" in urlsplit(url).path


def ping_for(url: str, reason: str) -> Ping:
    """The request that signals success (`reason` empty) or failure with `reason` (pure)."""
    parts = urlsplit(url)
    if is_uptime_kuma(url):
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k not in ("status", "msg")]
        query += [("status", "down" if reason else "up"), ("msg", reason or "OK")]
        return Ping("GET", urlunsplit(parts._replace(query=urlencode(query))))
    if not reason:
        return Ping("GET", url)
    failure = parts._replace(path=parts.path.rstrip("/") + "/fail")
    return Ping("POST", urlunsplit(failure), reason.encode())


_KINDS = (  # (pattern in a source's error message, the kind the monitor is told)
    (r"HTTP (\d{3})", "HTTP {0}"),
    (r"no answer within|did not arrive within", "timeout"),
    (r"certificate", "certificate"),
    (r"cannot reach the server|connection broke|request failed|too many redirects|arrived incompletely",
     "unreachable"),
    (r"file not found|folder, not a file|cannot read ", "file missing"),
    (r"too large|larger than", "too large"),
    (r"unexpected error", "internal error"),
)


def error_kind(message: str) -> str:
    """A source error's kind in a few fixed words (pure): everything else is an invalid feed."""
    for pattern, kind in _KINDS:
        found = re.search(pattern, message)
        if found:
            return kind.format(*found.groups())
    return "invalid feed"


FAILURES_FOR_ALARM = 3  # consecutive failures of a source before the monitor hears of it (not one timeout)


def reason(sources: Iterable[SourceStatus], clock: ClockStatus | None, clock_settled: bool = True) -> str:
    """Why the kiosk is not well, or "" (pure): e.g. `source agenda: HTTP 503; source stad: timeout`.

    A source counts after FAILURES_FOR_ALARM failures in a row; an untrusted clock only once it had time
    to be set (`clock_settled`: after a boot the clock waits for the network time, that is normal)."""
    parts = [f"source {s.name}: {error_kind(s.last_error)}" for s in sources if s.failures >= FAILURES_FOR_ALARM]
    if clock is not None and not clock.trusted and clock_settled:
        parts.append("clock not trusted")
    text = "; ".join(parts)
    return text if len(text) <= MAX_REASON else text[:MAX_REASON - 1] + "…"


class Heartbeat:
    def __init__(self, url: str, timeout: float, session: requests.Session | None = None):
        self.url, self.timeout = url, timeout
        self.session = session or deadline.session()  # one deadline over the exchange, headers included
        self._failing = False

    def send(self, why: str) -> str:
        """Send one ping; the monitor's answer as a short text. Raises `PingFailed`."""
        ping = ping_for(self.url, why)
        headers = {"User-Agent": "wijkkiosk"}
        if ping.body:
            headers["Content-Type"] = "text/plain; charset=utf-8"
        limit = deadline.Deadline(self.timeout)
        try:
            with limit:
                response = self.session.request(ping.method, ping.url, data=ping.body or None, headers=headers,
                                                timeout=self.timeout, allow_redirects=False)
                response.close()
        except deadline.TRANSPORT_ERRORS as exc:
            if limit.expired:
                raise PingFailed(f"no answer within {self.timeout:g} s") from None
            raise PingFailed(f"unreachable: {type(exc).__name__}") from None
        if not 200 <= response.status_code < 300:
            raise PingFailed(f"answered HTTP {response.status_code}")
        return f"HTTP {response.status_code}"

    def beat(self, why: str) -> bool:
        """Ping after a round; never raises. A failure is logged once, a recovery once. True if it arrived."""
        try:
            self.send(why)
        except PingFailed as exc:
            if not self._failing:
                log.warning("heartbeat to the monitor failed: %s", exc)
            self._failing = True
            return False
        except Exception as exc:  # a bug here must not disturb the kiosk
            if not self._failing:
                log.warning("heartbeat failed unexpectedly: %s", type(exc).__name__)
            self._failing = True
            return False
        if self._failing:
            log.info("heartbeat to the monitor works again")
        self._failing = False
        return True


class PingFailed(Exception):
    """The monitor could not be reached or did not accept the ping."""
