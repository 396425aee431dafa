"""How long to wait before trying a failed source again (pure).

Exponential in the number of consecutive failures, capped, with "equal jitter" (half fixed, half
random) so that many kiosks that lost the same server do not come back in step. A server's
Retry-After wins when it asks for longer.
"""
from __future__ import annotations

import datetime as dt
import email.utils
import random as _random

BASE = 60.0  # seconds after the first failure (before jitter)
CAP = 3600.0  # never wait longer than this, unless the server asks


def delay(failures: int, rand: _random.Random | None = None, retry_after: float | None = None,
          base: float = BASE, cap: float = CAP) -> float:
    """Seconds to wait after `failures` consecutive failures (>= 1); `rand` supplies the jitter."""
    if failures < 1:
        return 0.0
    rand = rand or _random.Random()
    ceiling = min(cap, base * 2 ** min(failures - 1, 32))
    wait = ceiling / 2 + rand.random() * ceiling / 2
    if retry_after is not None and retry_after > wait:
        return float(retry_after)
    return wait


def retry_after(value: str | None, now: dt.datetime, cap: float | None = None) -> float | None:
    """Seconds from a Retry-After header (delta-seconds or an HTTP date), or None; at most `cap`."""
    value = (value or "").strip()
    if not value:
        return None
    if value.isdigit():
        seconds = float(value)
    else:
        when = http_date(value)
        if when is None:
            return None
        seconds = max(0.0, (when - now).total_seconds())
    return min(seconds, cap) if cap is not None else seconds


def http_date(value: str) -> dt.datetime | None:
    """An HTTP date header ("Wed, 13 Mar 2024 09:02:00 GMT") as an aware datetime, or None."""
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return when.replace(tzinfo=dt.timezone.utc) if when.tzinfo is None else when
