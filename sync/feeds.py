"""Read a schedule source: a local file or an http(s) URL. Errors are mapped to sync.errors."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

import requests

from .errors import SourceInvalid, SourceUnavailable

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT = (5, 20)  # connect, read (seconds)


def is_url(location: str) -> bool:
    return urlparse(location).scheme in ("http", "https")


def read(location: str, max_bytes: int = MAX_BYTES) -> bytes:
    """The whole body of a source; SourceUnavailable or SourceInvalid on failure."""
    if is_url(location):
        return _read_url(location, max_bytes)
    path = Path(location)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise SourceInvalid(f"the file is too large ({size} bytes, at most {max_bytes})")
        return path.read_bytes()
    except FileNotFoundError:
        raise SourceUnavailable(f"file not found: {location}") from None
    except IsADirectoryError:
        raise SourceUnavailable(f"this is a folder, not a file: {location}") from None
    except OSError as exc:
        raise SourceUnavailable(f"cannot read {location}: {exc.strerror}") from None


def _read_url(url: str, max_bytes: int) -> bytes:
    try:
        with requests.get(url, timeout=TIMEOUT, stream=True) as response:
            if response.status_code >= 400:
                raise SourceUnavailable(f"the server answered HTTP {response.status_code}")
            body = bytearray()
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > max_bytes:
                    raise SourceInvalid(f"the feed is larger than {max_bytes} bytes")
            return bytes(body)
    except requests.RequestException as exc:
        raise SourceUnavailable(f"cannot reach the server: {type(exc).__name__}") from None
