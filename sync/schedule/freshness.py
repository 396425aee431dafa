"""How old is the programme on screen, and should the kiosk say so? (pure)"""
from __future__ import annotations

import datetime as dt
from typing import Iterable

GRACE = dt.timedelta(minutes=5)


def last_update(names: Iterable[str], in_memory: dict[str, dt.datetime | None],
                stored: dict[str, dt.datetime]) -> dt.datetime | None:
    """When the whole programme was last known good: the oldest of the sources' last successes.

    A source's last success is the later of this run's (`in_memory`, from the worker's status) and
    the database's (`stored`, the fetch time of its last good body, which survives a restart).
    Sources that never succeeded are left out (the screen says the programme is loading)."""
    times = []
    for name in names:
        known = [t for t in (in_memory.get(name), stored.get(name)) if t is not None]
        if known:
            times.append(max(known))
    return min(times) if times else None


def is_stale(last: dt.datetime | None, now: dt.datetime, interval_seconds: int, failing: bool) -> bool:
    """Old data (more than two intervals and a grace period) or a failure going on."""
    if last is None:
        return False
    return failing or now - last > 2 * dt.timedelta(seconds=interval_seconds) + GRACE
