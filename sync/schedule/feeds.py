"""Read a schedule source: a local file or an http(s) URL. Errors are mapped to sync.errors.

HTTP: a conditional GET (If-None-Match / If-Modified-Since from the last good response), one
deadline for the whole request including the body, a size cap checked while streaming, redirects
limited. Every `requests`/`urllib3` exception becomes SourceUnavailable; a body that is not usable
text becomes SourceInvalid. Bodies are returned as UTF-8 (see `to_utf8` for the charset rule).
"""
from __future__ import annotations

import codecs
import dataclasses
import datetime as dt
import os
import stat
from typing import TYPE_CHECKING
from urllib.parse import urlparse

from sync import backoff
from sync.errors import SourceInvalid, SourceUnavailable

if TYPE_CHECKING:
    import requests

    from sync import deadline
# requests (with urllib3, about 7 MB and 150 modules) is imported when a URL is fetched: a house
# whose programme is a file (the demo) never needs it

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = 30.0  # seconds for a whole request: connect, headers and body
CONNECT_TIMEOUT = 10.0
USER_AGENT = "Wijkkiosk/0.1 (+schedule sync)"


@dataclasses.dataclass(frozen=True)
class Fetched:
    """A source's answer: a UTF-8 body, or None when the server says it has not changed (304)."""

    body: bytes | None
    etag: str = ""
    last_modified: str = ""
    server_skew: float | None = None  # the server's Date header minus our clock, in seconds

    @property
    def not_modified(self) -> bool:
        return self.body is None


def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def read(location: str, max_bytes: int = MAX_BYTES, timeout: float = TIMEOUT) -> bytes:
    """The whole body of a source as UTF-8; SourceUnavailable or SourceInvalid on failure."""
    return fetch(location, max_bytes=max_bytes, timeout=timeout).body


def fetch(location: str, etag: str = "", last_modified: str = "", max_bytes: int = MAX_BYTES,
          timeout: float = TIMEOUT) -> Fetched:
    """Read `location`; with `etag`/`last_modified` an unchanged URL gives Fetched(body=None)."""
    if is_url(location):
        return _fetch_url(location, etag, last_modified, max_bytes, timeout)
    return Fetched(to_utf8(_read_file(location, max_bytes)))


def _read_file(location: str, max_bytes: int) -> bytes:
    """A regular file's bytes, at most `max_bytes` (counted while reading: /proc and device files lie
    about their size); a folder, a FIFO or a device is refused before it is opened for reading."""
    try:
        mode = os.stat(location).st_mode
        if stat.S_ISDIR(mode):
            raise SourceUnavailable("this is a folder, not a file")
        if not stat.S_ISREG(mode):
            raise SourceUnavailable("not a regular file (a device, pipe or socket)")
        fd = os.open(location, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO swapped in meanwhile cannot block
        with os.fdopen(fd, "rb") as fp:
            if not stat.S_ISREG(os.fstat(fp.fileno()).st_mode):
                raise SourceUnavailable("not a regular file (a device, pipe or socket)")
            body = fp.read(max_bytes + 1)
    except FileNotFoundError:
        raise SourceUnavailable("file not found") from None
    except OSError as exc:
        raise SourceUnavailable(f"cannot read the file: {exc.strerror}") from None
    except ValueError:  # a NUL in the path
        raise SourceUnavailable("not a usable file name") from None
    if len(body) > max_bytes:
        raise SourceInvalid(f"the file is too large (more than {max_bytes} bytes)")
    return body


def _fetch_url(url: str, etag: str, last_modified: str, max_bytes: int, timeout: float) -> Fetched:
    from sync import deadline

    headers = {"User-Agent": USER_AGENT, "Accept": "text/calendar, application/json;q=0.9, */*;q=0.5"}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    limit = deadline.Deadline(timeout)
    try:
        with limit, deadline.session() as session:
            session.max_redirects = 5
            with session.get(url, headers=headers, stream=True, verify=True,
                             timeout=(min(CONNECT_TIMEOUT, timeout), timeout)) as response:
                status = response.status_code
                skew = _skew(response.headers.get("Date", ""))
                if status == 304 and (etag or last_modified):
                    return Fetched(None, etag, last_modified, skew)
                if not 200 <= status < 300:
                    wait = backoff.retry_after(response.headers.get("Retry-After", ""), _utcnow())
                    asks = f" (asks to wait {wait:.0f} s)" if wait else ""
                    raise SourceUnavailable(f"the server answered HTTP {status}{asks}", retry_after=wait)
                body = _body(response, max_bytes, limit, timeout)
                charset = response.encoding if "charset" in response.headers.get("Content-Type", "") else ""
                return Fetched(to_utf8(body, charset or ""), response.headers.get("ETag", ""),
                               response.headers.get("Last-Modified", ""), skew)
    except deadline.TRANSPORT_ERRORS as exc:
        raise SourceUnavailable(_failure(exc, limit, timeout)) from None


def _failure(exc: Exception, limit: deadline.Deadline, timeout: float) -> str:
    """What went wrong with a request, in one short line without the URL."""
    import requests

    if limit.expired or isinstance(exc, requests.Timeout):
        return f"no answer within {timeout:g} seconds"
    if isinstance(exc, requests.TooManyRedirects):
        return "too many redirects"
    if isinstance(exc, requests.exceptions.SSLError):
        return "the server's certificate could not be verified"
    if isinstance(exc, requests.ConnectionError):
        return f"cannot reach the server ({_reason(exc)})"
    if isinstance(exc, requests.RequestException):
        return f"the request failed ({type(exc).__name__})"
    return f"the connection broke ({type(exc).__name__})"


def _body(response: requests.Response, max_bytes: int, limit: deadline.Deadline, timeout: float) -> bytes:
    """Stream the body: stop early when it is too large or the whole request takes too long."""
    length = response.headers.get("Content-Length", "")
    if length.isascii() and length.isdigit() and int(length) > max_bytes:
        raise SourceInvalid(f"the feed is too large ({length} bytes, at most {max_bytes})")
    body = bytearray()
    raw = response.raw
    try:
        while True:
            if not limit.remaining():
                raise SourceUnavailable(f"the feed did not arrive within {timeout:g} seconds")
            chunk = raw.read1(64 * 1024, decode_content=True)
            if not chunk:
                break
            body += chunk
            if len(body) > max_bytes:
                raise SourceInvalid(f"the feed is larger than {max_bytes} bytes")
    except (SourceInvalid, SourceUnavailable):
        raise
    except Exception as exc:  # urllib3: IncompleteRead, ProtocolError, ReadTimeoutError, DecodeError
        name = type(exc).__name__
        if limit.expired:
            raise SourceUnavailable(f"the feed did not arrive within {timeout:g} seconds") from None
        if "Timeout" in name:
            raise SourceUnavailable(f"no answer within {timeout:g} seconds") from None
        raise SourceUnavailable(f"the feed arrived incompletely ({name})") from None
    return bytes(body)


def _reason(exc: Exception) -> str:
    text = str(exc)
    for marker in ("Connection refused", "Connection reset", "Name or service not known",
                   "Temporary failure in name resolution", "Network is unreachable", "Remote end closed"):
        if marker in text:
            return marker.lower()
    return type(exc).__name__


def _skew(date_header: str) -> float | None:
    """How far the server's clock (its Date header) is ahead of ours, in seconds; None if unknown."""
    server = backoff.http_date(date_header)
    return None if server is None else (server - _utcnow()).total_seconds()


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def to_utf8(body: bytes, declared: str = "") -> bytes:
    """The body as UTF-8 text (pure).

    RFC 5545 and RFC 8259 say UTF-8, and a body that is valid UTF-8 is taken as such whatever the
    server declares. Otherwise the declared charset is used if it decodes the body, else
    Windows-1252 (a superset of Latin-1's printable characters, what older Windows tools write).
    A body that none of these decode is SourceInvalid.
    """
    if body.startswith(codecs.BOM_UTF8):
        body = body[len(codecs.BOM_UTF8):]
    try:
        body.decode("utf-8")
        return body
    except UnicodeDecodeError:
        pass
    for charset in (declared, "cp1252"):
        if not charset:
            continue
        try:
            return body.decode(charset).encode("utf-8")
        except (UnicodeDecodeError, LookupError):
            continue
    raise SourceInvalid("the feed is not text in UTF-8 (nor in Windows-1252)")
