"""Opening hours (pure): configured per weekday, or else derived from the day's programme."""
from __future__ import annotations

import datetime as dt
from typing import Iterable

from sync.schedule.model import Occurrence

DEFAULT_LEAD = dt.timedelta(minutes=30)  # derived hours open this long before the first activity
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
Span = tuple[dt.datetime, dt.datetime]
Hours = dict[int, tuple[tuple[dt.time, dt.time], ...]]  # weekday (0 = Monday) -> spans


def parse_hours(table: dict[str, str]) -> Hours:
    """{"monday": "09:00-12:00, 13:00-17:00", ...} -> Hours; ValueError names the bad key."""
    hours: Hours = {}
    for key, text in table.items():
        if key not in WEEKDAYS:
            raise ValueError(f"opening_hours.{key}: not a weekday (use {', '.join(WEEKDAYS)})")
        spans = []
        for part in filter(None, (p.strip() for p in str(text).split(","))):
            try:
                start, end = (dt.time.fromisoformat(t.strip()) for t in part.split("-"))
            except ValueError:
                raise ValueError(f'opening_hours.{key}: "{part}" is not like "09:00-17:00"') from None
            if end <= start:
                raise ValueError(f'opening_hours.{key}: "{part}" closes before it opens')
            spans.append((start, end))
        hours[WEEKDAYS.index(key)] = tuple(sorted(spans))
    return hours


def spans_of_day(day: dt.date, tz: dt.tzinfo, hours: Hours | None, occurrences: Iterable[Occurrence],
                 lead: dt.timedelta = DEFAULT_LEAD) -> list[Span]:
    """When the house is open on `day`: configured hours, or from `lead` before the first start to the
    last end (people come in before the first activity begins)."""
    if hours is not None:
        return [(dt.datetime.combine(day, a, tzinfo=tz), dt.datetime.combine(day, b, tzinfo=tz))
                for a, b in hours.get(day.weekday(), ())]
    confirmed = [o for o in occurrences if not o.cancelled]
    if not confirmed:
        return []
    return [(min(o.start for o in confirmed) - lead, max(o.end for o in confirmed))]


def is_open(now: dt.datetime, spans: list[Span]) -> bool:
    return any(start <= now < end for start, end in spans)


def next_opening(now: dt.datetime, spans: list[Span]) -> dt.datetime | None:
    """The next moment the house opens, among `spans` (today's and later days')."""
    later = [start for start, _ in spans if start > now]
    return min(later) if later else None
