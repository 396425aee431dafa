"""How long to wait before trying a failed source again (pure).

Exponential in the number of consecutive failures, capped, with "equal jitter" (half fixed, half
random) so that many kiosks that lost the same server do not come back in step. A server's
Retry-After wins when it asks for longer, up to MAX_RETRY_AFTER: a server cannot park a source for a
year. The header is read strictly (RFC 9110): ASCII digits, or an HTTP date; anything else is ignored.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import random as _random
import re

BASE = 60.0  # seconds after the first failure (before jitter)
CAP = 3600.0  # never wait longer than this, unless the server asks
MAX_RETRY_AFTER = 24 * 3600.0  # a Retry-After longer than a day is taken as a day
_DELTA_SECONDS = re.compile(r"[0-9]+")  # ASCII only: str.isdigit() also takes "²"


def delay(failures: int, rand: _random.Random | None = None, retry_after: float | None = None,
          base: float = BASE, cap: float = CAP) -> float:
    """Seconds to wait after `failures` consecutive failures (>= 1); `rand` supplies the jitter."""
    if failures < 1:
        return 0.0
    rand = rand or _random.Random()
    ceiling = min(cap, base * 2 ** min(failures - 1, 32))
    wait = ceiling / 2 + rand.random() * ceiling / 2
    if retry_after is not None and retry_after > wait:
        return min(float(retry_after), MAX_RETRY_AFTER)
    return wait


def retry_after(value: str | None, now: dt.datetime, cap: float = MAX_RETRY_AFTER) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), at most `cap`; None when
    there is none or it is not one of those two forms."""
    value = (value or "").strip()
    if not value:
        return None
    if _DELTA_SECONDS.fullmatch(value):
        seconds = float(value)
    elif value.isascii() and value[:1].isalpha():  # an HTTP date starts with the day's name
        when = http_date(value)
        if when is None:
            return None
        seconds = max(0.0, (when - now).total_seconds())
    else:
        return None
    return min(seconds, cap)


def http_date(value: str) -> dt.datetime | None:
    """An HTTP date header ("Wed, 13 Mar 2024 09:02:00 GMT") as an aware datetime, or None."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when
