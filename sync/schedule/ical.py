"""Parse an iCalendar feed and expand it into concrete occurrences (pure), within sync.schedule.limits."""
from __future__ import annotations

import datetime as dt
import functools
import re
import zoneinfo

import icalendar
import recurring_ical_events

from sync import isolated
from sync.errors import SourceInvalid, one_line
from sync.schedule import limits
from sync.schedule.model import CANCELLED, CONFIRMED, DEFAULT_ZONE, Occurrence, Signup, place_matches

_EVENT_START = re.compile(rb"^BEGIN:VEVENT\b", re.IGNORECASE | re.MULTILINE)
SIGNUP = "X-WIJKKIOSK-SIGNUP"  # PLACES=20;CLOSES-BEFORE=120 (minutes); empty or TRUE: no limits
_SIGNUP_PARAMS = {"PLACES": "places", "CLOSES-BEFORE": "closes_before"}
_SIGNUP_NUMBER = re.compile(r"[+-]?[0-9]{1,12}")


def parse(data: bytes) -> icalendar.Calendar:
    """Parse feed bytes into a calendar; raise SourceInvalid for anything that is not one."""
    if not data or not data.lstrip().upper().startswith(b"BEGIN:VCALENDAR"):
        raise SourceInvalid("not an iCalendar file (it does not start with BEGIN:VCALENDAR)")
    if not data.rstrip().upper().endswith(b"END:VCALENDAR"):
        raise SourceInvalid("the iCalendar file is incomplete (it does not end with END:VCALENDAR)")
    limits.check_event_count(len(_EVENT_START.findall(data)))  # before the parser spends time on them
    try:
        cal = icalendar.Calendar.from_ical(data)
    except MemoryError:
        raise
    except Exception as exc:  # the parser's own errors vary by version and input
        raise SourceInvalid(f"the iCalendar file cannot be read: {one_line(str(exc), 120)}") from None
    limits.check_event_count(len(cal.walk("VEVENT")))
    return cal


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
    """The zone of that name, or None (unknown, a folder such as "Europe", too long: the next candidate)."""
    if not name or len(name) > limits.MAX_ZONE_NAME:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
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
    skipped: list[str] | None = None,
) -> list[Occurrence]:
    """All occurrences that overlap [start, end), in time order, with times in `tz`.

    Cancelled instances and events (STATUS:CANCELLED) are kept, with status cancelled; EXDATE
    removes an instance. `location_filter` keeps only events whose LOCATION contains it. An event
    whose times make no sense is left out, its reason appended to `skipped`; SourceInvalid past a
    limit (sync.schedule.limits)."""
    usable, labels = _usable(cal, tz, [] if skipped is None else skipped)
    try:
        series_list = recurring_ical_events.of(usable).series
    except Exception as exc:  # the library raises many kinds on broken rules
        raise SourceInvalid(f"the iCalendar file has a rule that cannot be expanded: {one_line(str(exc), 100)}") from None
    per_event, in_window = limits.max_per_event(start, end), limits.max_in_window(start, end)
    found, total = [], 0
    for series in series_list:
        label = labels.get(series.uid) or limits.event_label(series.uid, "")
        try:
            for count, occurrence in enumerate(series.between(start, end), 1):
                if count > per_event:
                    raise limits.too_many(label, per_event)
                total += 1  # all houses of a city feed: bounded too, far higher (limits.HOUSES_PER_FEED)
                if total > in_window * limits.HOUSES_PER_FEED:
                    raise limits.too_many_in_window(in_window * limits.HOUSES_PER_FEED, label)
                event = occurrence.as_component(False)
                if place_matches(location_filter, _text(event, "LOCATION")):
                    found.append(_occurrence(event, tz, source))
                    if len(found) > in_window:  # this house's
                        raise limits.too_many_in_window(in_window, label)
        except SourceInvalid:
            raise
        except (isolated.OverBudget, MemoryError) as exc:
            raise SourceInvalid(f"the feed needs {isolated.over_budget(exc)} to expand (stopped at {label})") from None
        except Exception as exc:  # the library raises many kinds on broken rules
            raise SourceInvalid(f"{label}: its rule cannot be expanded: {one_line(str(exc), 80)}") from None
    return sorted(found, key=lambda o: (o.start, o.title))


def _usable(cal: icalendar.Calendar, tz: dt.tzinfo, skipped: list[str]) -> tuple[icalendar.Calendar, dict[str, str]]:
    """A copy of `cal` without the events whose times make no sense (their reasons go to `skipped`),
    and a label per UID for messages. SourceInvalid for a rule past the limits."""
    usable = icalendar.Calendar()
    usable.update(cal)
    if "X-WR-TIMEZONE" in usable and _zone(str(usable["X-WR-TIMEZONE"]).strip()) is None:
        del usable["X-WR-TIMEZONE"]  # recurring-ical-events would look it up; feed_zone has ignored it
    labels: dict[str, str] = {}
    for component in cal.subcomponents:
        if component.name == "VEVENT":
            uid = str(component.get("UID", ""))
            label = limits.event_label(uid, _text(component, "SUMMARY"))
            problem = _time_problem(component, tz) or _signup_problem(component)
            if problem:
                skipped.append(f"{label}: {problem}")
                continue
            for rule in _rules(component, label):
                limits.check_rule(rule, label)
            if "RECURRENCE-ID" not in component or uid not in labels:
                labels[uid] = label
        usable.add_component(component)
    return usable, labels


def _time_problem(event: icalendar.Event, tz: dt.tzinfo) -> str:
    """Why the event's DTSTART, DTEND or DURATION cannot be used; "" when they can."""
    if "DTSTART" not in event:
        return "no DTSTART"
    try:
        start = event.decoded("DTSTART")
        end = event.decoded("DTEND") if "DTEND" in event else None
        duration = event.decoded("DURATION") if "DURATION" in event else None
    except Exception:  # the parser's errors vary by version and input
        return "a date or time cannot be read"
    if not isinstance(start, dt.date):
        return "DTSTART cannot be read"
    if duration is not None and (not isinstance(duration, dt.timedelta) or duration < dt.timedelta(0)):
        return "a negative DURATION"
    if end is not None:
        if not isinstance(end, dt.date) or isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
            return "DTSTART and DTEND are not both dates or both times"
        if _localise(end, tz) < _localise(start, tz):
            return "DTEND before DTSTART"
    return ""


def _signup_problem(event: icalendar.Event) -> str:
    try:
        _signup(event)
    except ValueError as exc:
        return str(exc)
    return ""


def _signup(event: icalendar.Event) -> Signup | None:
    """The event's X-WIJKKIOSK-SIGNUP, or None; ValueError with the reason when it cannot be used."""
    if SIGNUP not in event:
        return None
    text = _text(event, SIGNUP).replace("\\;", ";").replace("\\,", ",")  # an unknown property stays escaped
    values: dict[str, int] = {}
    if text.upper() != "TRUE":
        for part in filter(None, (p.strip() for p in text.split(";"))):
            name, _, value = (item.strip() for item in part.partition("="))
            field = _SIGNUP_PARAMS.get(name.upper())
            if field is None or field in values or not _SIGNUP_NUMBER.fullmatch(value):
                raise ValueError(f"{SIGNUP} cannot be read: {one_line(text, 40)}")
            values[field] = int(value)
    problem = limits.signup_problem(values.get("places"), values.get("closes_before"))
    if problem:
        raise ValueError(problem)
    return Signup(values.get("places"), dt.timedelta(minutes=values.get("closes_before", 0)))


def _rules(event: icalendar.Event, label: str) -> list[dict]:
    rules = event.get("RRULE", [])
    try:
        return [dict(rule) for rule in (rules if isinstance(rules, list) else [rules])]
    except Exception as exc:  # icalendar keeps an unreadable RRULE as a broken property
        raise SourceInvalid(f"{label}: its rule cannot be read: {one_line(str(exc), 80)}") from None


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
        uid=limits.clean(event.get("UID", ""), "uid"),
        title=limits.clean(_text(event, "SUMMARY"), "title"),
        start=_localise(start, tz),
        end=_localise(end, tz),
        location=limits.clean(_text(event, "LOCATION"), "location"),
        description=limits.clean(_text(event, "DESCRIPTION"), "description"),
        url=limits.clean_url(_text(event, "URL")),
        contact=limits.clean(_text(event, "CONTACT"), "contact"),
        status=status,
        all_day=all_day,
        signup=_signup(event),
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
