"""Errors of the data side, mapped at the boundary; nothing above it sees `requests` exceptions.

    SyncError
    ├── SourceError
    │   ├── SourceUnavailable   the source could not be reached or read (network, timeout, 5xx, missing file)
    │   └── SourceInvalid       the source answered, but not with a usable programme
    └── DeliveryError
        ├── DeliveryRejected    the receiver refused a request for good (4xx other than 408/429)
        └── DeliveryUnavailable the receiver could not be reached; try again later
"""
import re


class SyncError(Exception):
    """Base of every error the data side raises on purpose."""


class SourceError(SyncError):
    """A schedule source failed."""


class SourceUnavailable(SourceError):
    """The source could not be reached or read; `retry_after` is the server's wish, in seconds."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


class SourceInvalid(SourceError):
    """The source answered with something that is not a usable programme."""


class DeliveryError(SyncError):
    """A callback request could not be delivered."""


class DeliveryRejected(DeliveryError):
    """The receiver refused the request; retrying will not help."""


class DeliveryUnavailable(DeliveryError):
    """The receiver could not be reached; retry later (after `retry_after` seconds, if it said so)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def one_line(text: str, limit: int = 200) -> str:
    """`text` as one short line for a log, a status or stderr: line breaks and control characters
    (lone surrogates too) become spaces, and it is cut to `limit` characters (with "…")."""
    if len(text) <= limit and text.isprintable() and "  " not in text and text == text.strip():
        return text
    text = "".join(" " if ch.isspace() or not ch.isprintable() else ch for ch in text[: limit * 4])
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class DatabaseUnusable(SyncError):
    """The database file cannot be opened or read (a folder, damaged, not SQLite, no permission)."""


LOCATION_SHOWN = 80  # characters of a source's location in a message


def shown_location(location: str) -> str:
    """A file path or URL as messages, logs and screens show it: without a password or user name
    (`https://user:secret@host/...` -> `https://***@host/...`) and cut to LOCATION_SHOWN characters."""
    url = re.match(r"([A-Za-z][A-Za-z0-9+.-]*://)([^/?#]*)(.*)", location, re.DOTALL)
    if url and "@" in url[2]:
        location = f"{url[1]}***@{url[2].rpartition('@')[2]}{url[3]}"
    return location if len(location) <= LOCATION_SHOWN else location[:LOCATION_SHOWN - 1] + "…"
