"""Parse an iCalendar feed and expand it into concrete occurrences (pure)."""
from __future__ import annotations

import datetime as dt
import functools
import zoneinfo

import icalendar
import recurring_ical_events

from sync.errors import SourceInvalid
from sync.schedule.model import CANCELLED, CONFIRMED, DEFAULT_ZONE, Occurrence, place_matches



def parse(data: bytes) -> icalendar.Calendar:
    """Parse feed bytes into a calendar; raise SourceInvalid for anything that is not one."""
    if not data or not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise SourceInvalid("not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    if not data.rstrip().upper().endswith(b"END:VCALENDAR"):
        raise SourceInvalid("the iCalendar file is incomplete (it does not end with END:VCALENDAR)")
    try:
        return icalendar.Calendar.from_ical(data)
    except Exception as exc:  # the parser's own errors vary by version and input
        raise SourceInvalid(f"the iCalendar file cannot be read: {exc}") from None


def feed_zone(cal: icalendar.Calendar, default: str = DEFAULT_ZONE) -> zoneinfo.ZoneInfo:
    """The zone the feed's publisher meant: X-WR-TIMEZONE, else its first VTIMEZONE, else the default."""
    candidates = [str(cal.get("X-WR-TIMEZONE", ""))]
    candidates += [str(tz.get("TZID", "")) for tz in cal.walk("VTIMEZONE")]
    fallback = zoneinfo.ZoneInfo(default)
    for name in candidates:
        zone = _zone(name.strip())
        if zone is not None:
            # Outlook's "W. Europe Standard Time" maps to Europe/Berlin: keep the house's own zone name
            return fallback if _same_rules(zone, fallback) else zone
    return fallback


@functools.cache
def _same_rules(a: zoneinfo.ZoneInfo, b: zoneinfo.ZoneInfo) -> bool:
    """Do two zones give the same offset at every hour of the last and the coming two years?"""
    if a.key == b.key:
        return True
    moment = dt.datetime(dt.date.today().year - 1, 1, 1, tzinfo=dt.timezone.utc)
    step = dt.timedelta(hours=1)
    for _ in range(3 * 366 * 24):
        if moment.astimezone(a).utcoffset() != moment.astimezone(b).utcoffset():
            return False
        moment += step
    return True


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        pass
    try:  # Outlook writes Windows names such as "W. Europe Standard Time"
        from icalendar.timezone.windows_to_olson import WINDOWS_TO_OLSON

        olson = WINDOWS_TO_OLSON.get(name)
        return zoneinfo.ZoneInfo(olson) if olson else None
    except (ImportError, zoneinfo.ZoneInfoNotFoundError):
        return None


def expand(
    cal: icalendar.Calendar,
    start: dt.datetime,
    end: dt.datetime,
    tz: dt.tzinfo,
    source: str = "",
    location_filter: str = "",
) -> list[Occurrence]:
    """All occurrences that overlap [start, end), in time order, with times in `tz`.

    Cancelled instances and events (STATUS:CANCELLED) are kept, with status cancelled; EXDATE
    removes an instance. `location_filter` keeps only events whose LOCATION contains it."""
    try:
        components = recurring_ical_events.of(cal).between(start, end)
    except Exception as exc:  # the library raises many kinds on broken rules
        raise SourceInvalid(f"the iCalendar file has a rule that cannot be expanded: {exc}") from None
    found = [
        _occurrence(event, tz, source)
        for event in components
        if event.name == "VEVENT" and place_matches(location_filter, _text(event, "LOCATION"))
    ]
    return sorted(found, key=lambda o: (o.start, o.title))


def _occurrence(event: icalendar.Event, tz: dt.tzinfo, source: str) -> Occurrence:
    start = event.decoded("DTSTART")
    all_day = not isinstance(start, dt.datetime)
    if "DTEND" in event:
        end = event.decoded("DTEND")
    elif "DURATION" in event:
        end = start + event.decoded("DURATION")
    else:
        end = start + (dt.timedelta(days=1) if all_day else dt.timedelta(0))
    status = CANCELLED if str(event.get("STATUS", "")).upper() == "CANCELLED" else CONFIRMED
    return Occurrence(
        source=source,
        uid=str(event.get("UID", "")),
        title=_text(event, "SUMMARY"),
        start=_localise(start, tz),
        end=_localise(end, tz),
        location=_text(event, "LOCATION"),
        description=_text(event, "DESCRIPTION"),
        url=_text(event, "URL"),
        contact=_text(event, "CONTACT"),
        status=status,
        all_day=all_day,
    )


def _text(event: icalendar.Event, name: str) -> str:
    value = event.get(name)
    if isinstance(value, list):  # a property given more than once
        value = value[0] if value else ""
    return str(value or "").strip()


def _localise(value: dt.date | dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    if not isinstance(value, dt.datetime):  # all-day: local midnight
        return dt.datetime.combine(value, dt.time(), tzinfo=tz)
    if value.tzinfo is None:  # floating time: the feed's zone
        return value.replace(tzinfo=tz)
    return value.astimezone(tz)
