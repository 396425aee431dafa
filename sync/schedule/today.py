"""What is on today (pure): the day's rows with their state, and the next opening."""
from __future__ import annotations

import dataclasses
import datetime as dt

from sync.schedule.model import Occurrence

PAST, NOW, NEXT, LATER, CANCELLED, ALL_DAY = "past", "now", "next", "later", "cancelled", "all_day"


@dataclasses.dataclass(frozen=True)
class Row:
    """One activity on the home screen and how it should stand out."""

    occurrence: Occurrence
    state: str


def day_bounds(day: dt.date, tz: dt.tzinfo) -> tuple[dt.datetime, dt.datetime]:
    """Local midnight to the next local midnight (23 or 25 hours on DST days)."""
    start = dt.datetime.combine(day, dt.time(), tzinfo=tz)
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=tz)
    return start, end


def sync_window(now: dt.datetime, tz: dt.tzinfo, window_days: int) -> tuple[dt.datetime, dt.datetime]:
    """What the sources are expanded over: from yesterday's local midnight to `window_days` ahead.

    Yesterday too, so that an activity that runs past midnight is still on the screen after it."""
    today = now.astimezone(tz).date()
    start, _ = day_bounds(today - dt.timedelta(days=1), tz)
    _, end = day_bounds(today + dt.timedelta(days=window_days), tz)
    return start, end


def day_rows(occurrences: list[Occurrence], now: dt.datetime) -> list[Row]:
    """Rows in display order: all-day ones first, then by start; the earliest upcoming ones are NEXT."""
    timed = sorted((o for o in occurrences if not o.all_day), key=lambda o: (o.start, o.title))
    upcoming = [o.start for o in timed if not o.cancelled and o.start > now]
    next_start = min(upcoming) if upcoming else None
    rows = [Row(o, CANCELLED if o.cancelled else ALL_DAY) for o in occurrences if o.all_day]
    for o in timed:
        if o.cancelled:
            state = CANCELLED
        elif o.end <= now:
            state = PAST
        elif o.start <= now:
            state = NOW
        elif o.start == next_start:
            state = NEXT
        else:
            state = LATER
        rows.append(Row(o, state))
    return rows


MAX_ROWS = 30  # on the home screen: a house's day has far fewer (the demo's busiest: 6); a feed with hundreds
# a day costs the screen no more than this


def within_limit(rows: list[Row], limit: int = MAX_ROWS) -> tuple[list[Row], int]:
    """At most `limit` rows, from two before the first one still to come; and how many are left out."""
    if len(rows) <= limit:
        return rows, 0
    coming = next((i for i, row in enumerate(rows) if row.state in (NOW, NEXT, LATER)), len(rows))
    start = max(0, min(coming - 2, len(rows) - limit))
    return rows[start:start + limit], len(rows) - limit
