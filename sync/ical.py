"""Parse an iCalendar feed and expand it into concrete occurrences (pure)."""
from __future__ import annotations

import datetime as dt
import zoneinfo

import icalendar
import recurring_ical_events

from .errors import SourceInvalid
from .model import CANCELLED, CONFIRMED, Occurrence

DEFAULT_TZ = "Europe/Amsterdam"


def parse(data: bytes) -> icalendar.Calendar:
    """Parse feed bytes into a calendar; raise SourceInvalid for anything that is not one."""
    if not data or not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise SourceInvalid("not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    try:
        return icalendar.Calendar.from_ical(data)
    except (ValueError, KeyError, IndexError, TypeError) as exc:
        raise SourceInvalid(f"the iCalendar file cannot be read: {exc}") from None


def feed_zone(cal: icalendar.Calendar, default: str = DEFAULT_TZ) -> zoneinfo.ZoneInfo:
    """The zone the feed's publisher meant: X-WR-TIMEZONE, else its first VTIMEZONE, else the default."""
    candidates = [str(cal.get("X-WR-TIMEZONE", ""))]
    candidates += [str(tz.get("TZID", "")) for tz in cal.walk("VTIMEZONE")]
    for name in candidates:
        zone = _zone(name.strip())
        if zone is not None:
            return zone
    return zoneinfo.ZoneInfo(default)


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
) -> list[Occurrence]:
    """All occurrences that overlap [start, end), in time order, with times in `tz`."""
    try:
        components = recurring_ical_events.of(cal).between(start, end)
    except Exception as exc:  # the library raises many kinds on broken rules
        raise SourceInvalid(f"the iCalendar file has a rule that cannot be expanded: {exc}") from None
    found = [_occurrence(event, tz, source) for event in components if event.name == "VEVENT"]
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
