"""Parse a Wijkkiosk JSON feed (version 1, docs/formats.md) and expand it into occurrences (pure).

The document is checked against docs/feed.schema.json before use; recurrence is dateutil's rrule
on local wall-clock times, so a weekly 10:00 stays at 10:00 across DST changes.
"""
from __future__ import annotations

import datetime as dt
import functools
import json
import zoneinfo
from pathlib import Path

import icalendar
import jsonschema
from dateutil import rrule

from sync import isolated
from sync.errors import SourceInvalid, one_line
from sync.offer import section
from sync.offer.model import HouseOffer
from sync.schedule import limits
from sync.schedule.model import CANCELLED, CONFIRMED, DEFAULT_ZONE, Occurrence, Signup, place_matches

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "feed.schema.json"
VERSION = 1
UTC = dt.timezone.utc


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def parse(data: bytes) -> dict:
    """The validated feed document; SourceInvalid names the first problem and where it is.

    An activity whose times make no sense is not a problem here: expand() skips it."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceInvalid(f"not a JSON file: {exc}") from None
    if isinstance(doc, dict) and doc.get("version") not in (None, VERSION):
        raise SourceInvalid(f"JSON feed version {one_line(repr(doc.get('version')), 20)} is not supported"
                            f" (expected {VERSION})")
    if isinstance(doc, dict) and isinstance(doc.get("activities"), list):
        limits.check_event_count(len(doc["activities"]))  # before the schema check spends time on them
    if isinstance(doc, dict):
        section.check(doc.get("help"))  # its own version and limits, before the schema
    error = jsonschema.exceptions.best_match(_validator().iter_errors(doc))
    if error is not None:
        where = one_line("/".join(str(p) for p in error.absolute_path) or "(top)", 60)
        raise SourceInvalid(f"the JSON feed does not match the format at {where}: {one_line(error.message, 100)}")
    feed_zone(doc)
    for i, activity in enumerate(doc["activities"]):
        if "rrule" in activity:
            _check_rule(activity, f"activities/{i}")
    return doc


def house_offer(doc: dict, source: str = "") -> HouseOffer:
    """The feed's help section as a house offer (none: an empty one)."""
    return section.from_section(doc.get("help"), source)


def feed_zone(doc: dict, default: str = DEFAULT_ZONE) -> zoneinfo.ZoneInfo:
    name = doc.get("timezone", default)
    zone = _zone(name)
    if zone is None:
        raise SourceInvalid(f"the JSON feed has an unknown time zone at timezone: {one_line(repr(name), 60)}")
    return zone


def _zone(name: str) -> zoneinfo.ZoneInfo | None:
    """The zone of that name, or None (unknown, a folder such as "Europe", or too long)."""
    if len(name) > limits.MAX_ZONE_NAME:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return None


def _check_rule(activity: dict, where: str) -> None:
    """A rule dateutil can use, within the limits (a rule past them refuses the feed)."""
    text = activity["rrule"].removeprefix("RRULE:")
    _rule(text, dt.datetime(2000, 1, 1), where)
    limits.check_rule(dict(icalendar.vRecur.from_ical(text)), f"{where} {_label(activity)}")


def _label(activity: dict) -> str:
    return limits.event_label(activity["id"], activity["title"]["nl"])


def _time_problem(activity: dict, tz: zoneinfo.ZoneInfo | None) -> str:
    """Why the activity's times cannot be used; "" when they can."""
    if tz is None:
        return f"unknown time zone {one_line(repr(activity.get('timezone')), 60)}"
    try:
        start, end = _moment(activity["start"]), _moment(activity["end"])
        for item in activity.get("cancellations", []):
            dt.date.fromisoformat(item["date"])
    except ValueError as exc:
        return f"not a real date or time: {one_line(str(exc), 60)}"
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        return "start and end must both be dates or both be date and time"
    if end <= start:
        return f"end must be after start ({activity['start']})"
    return ""


def _signup_problem(activity: dict) -> str:
    """Why the activity's sign-up cannot be used (its ranges; the schema checked the types); "" when it can."""
    signup = activity.get("signup")
    if signup is None:
        return ""
    return limits.signup_problem(signup.get("places"), signup.get("closes_before_minutes"))


def _signup(activity: dict) -> Signup | None:
    signup = activity.get("signup")
    if signup is None:
        return None
    places = signup.get("places")
    return Signup(None if places is None else int(places),
                  dt.timedelta(minutes=int(signup.get("closes_before_minutes", 0))))


def _moment(text: str) -> dt.date | dt.datetime:
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _naive(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _rule(text: str, start: dt.datetime, where: str) -> rrule.rrule:
    try:
        return rrule.rrulestr(text.removeprefix("RRULE:"), dtstart=start)
    except (ValueError, TypeError) as exc:
        raise SourceInvalid(f"{where}/rrule: cannot be used: {one_line(str(exc), 80)}") from None


def expand(doc: dict, start: dt.datetime, end: dt.datetime, source: str = "",
           location_filter: str = "", default_tz: str = DEFAULT_ZONE,
           skipped: list[str] | None = None) -> list[Occurrence]:
    """All occurrences that overlap [start, end), in time order, with times in their zone.

    An activity whose times make no sense is left out, its reason appended to `skipped`;
    SourceInvalid past a limit (sync.schedule.limits)."""
    feed_tz = doc.get("timezone", default_tz)
    per_event, in_window = limits.max_per_event(start, end), limits.max_in_window(start, end)
    found = []
    for i, activity in enumerate(doc["activities"]):
        if not place_matches(location_filter, activity.get("house", ""), activity.get("place", "")):
            continue
        tz = _zone(activity.get("timezone", feed_tz))
        problem = _time_problem(activity, tz) or _signup_problem(activity)
        if problem:
            if skipped is not None:
                skipped.append(f"activities/{i} {_label(activity)}: {problem}")
            continue
        try:
            found += _occurrences(activity, start, end, source, tz, f"activities/{i}", per_event)
        except (isolated.OverBudget, MemoryError) as exc:
            raise SourceInvalid(f"the feed needs {isolated.over_budget(exc)} to expand"
                                f" (stopped at activities/{i} {_label(activity)})") from None
        if len(found) > in_window:
            raise limits.too_many_in_window(in_window, _label(activity))
    return sorted(found, key=lambda o: (o.start, o.title))


def _occurrences(activity: dict, start: dt.datetime, end: dt.datetime, source: str, tz: zoneinfo.ZoneInfo,
                 where: str, per_event: int) -> list[Occurrence]:
    first, last = _moment(activity["start"]), _moment(activity["end"])
    all_day = not isinstance(first, dt.datetime)
    first, duration = _naive(first), _naive(last) - _naive(first)
    if "rrule" in activity:
        # local wall-clock bounds, widened by the duration so that overlapping occurrences are found
        lo = start.astimezone(tz).replace(tzinfo=None) - duration
        hi = end.astimezone(tz).replace(tzinfo=None)
        starts = []
        for moment in _rule(activity["rrule"], first, where).xafter(lo, inc=True):
            if moment > hi:
                break
            if len(starts) == per_event:
                raise limits.too_many(f"{where} {_label(activity)}", per_event)
            starts.append(moment)
    else:
        starts = [first]
    cancelled = {c["date"] for c in activity.get("cancellations", [])}
    titles = limits.clean_texts(activity["title"], "title")
    descriptions = limits.clean_texts(activity.get("description", {}), "description")
    texts = dict(uid=limits.clean(activity["id"], "uid"), title=titles["nl"],
                 location=limits.clean(activity.get("place", ""), "location"),
                 description=descriptions.get("nl", ""), url=limits.clean_url(activity.get("url", "")),
                 contact=limits.clean(activity.get("contact", ""), "contact"),
                 category=limits.clean(activity.get("category", ""), "category"), signup=_signup(activity))
    result = []
    for local_start in starts:
        begin, finish = _local(local_start, tz), _local(local_start + duration, tz)
        if not (begin < end and finish > start):
            continue
        is_cancelled = activity.get("status") == CANCELLED or local_start.date().isoformat() in cancelled
        result.append(Occurrence(
            source=source, start=begin, end=finish, status=CANCELLED if is_cancelled else CONFIRMED,
            all_day=all_day, titles=titles, descriptions=descriptions, **texts,
        ))
    return result


def _local(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock time in `tz`; a time in the spring gap is moved forward, as calendars do."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
