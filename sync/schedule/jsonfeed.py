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

import jsonschema
from dateutil import rrule

from sync.errors import SourceInvalid
from sync.schedule.model import CANCELLED, CONFIRMED, DEFAULT_ZONE, Occurrence, place_matches

SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "feed.schema.json"
VERSION = 1
UTC = dt.timezone.utc


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


def parse(data: bytes) -> dict:
    """The validated feed document; SourceInvalid names the first problem and where it is."""
    try:
        doc = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise SourceInvalid(f"not a JSON file: {exc}") from None
    if isinstance(doc, dict) and doc.get("version") not in (None, VERSION):
        raise SourceInvalid(f"JSON feed version {doc.get('version')!r} is not supported (expected {VERSION})")
    error = jsonschema.exceptions.best_match(_validator().iter_errors(doc))
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(top)"
        raise SourceInvalid(f"the JSON feed does not match the format at {where}: {error.message}")
    for i, activity in enumerate(doc["activities"]):
        _check_activity(activity, f"activities/{i}", doc.get("timezone", DEFAULT_ZONE))
    return doc


def feed_zone(doc: dict, default: str = DEFAULT_ZONE) -> zoneinfo.ZoneInfo:
    return _zone(doc.get("timezone", default), "timezone")


def _zone(name: str, where: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise SourceInvalid(f"the JSON feed has an unknown time zone at {where}: {name!r}") from None


def _check_activity(activity: dict, where: str, feed_tz: str) -> None:
    """What the schema cannot say: matching start/end kinds, end after start, a usable rule."""
    _zone(activity.get("timezone", feed_tz), f"{where}/timezone")
    try:
        start, end = _moment(activity["start"]), _moment(activity["end"])
        for item in activity.get("cancellations", []):
            dt.date.fromisoformat(item["date"])
    except ValueError as exc:
        raise SourceInvalid(f"{where}: not a real date or time: {exc}") from None
    if isinstance(start, dt.datetime) != isinstance(end, dt.datetime):
        raise SourceInvalid(f"{where}: start and end must both be dates or both be date and time")
    if end <= start:
        raise SourceInvalid(f"{where}/end: must be after start ({activity['start']})")
    if "rrule" in activity:
        _rule(activity["rrule"], _naive(start), where)


def _moment(text: str) -> dt.date | dt.datetime:
    return dt.datetime.fromisoformat(text) if "T" in text else dt.date.fromisoformat(text)


def _naive(value: dt.date | dt.datetime) -> dt.datetime:
    return value if isinstance(value, dt.datetime) else dt.datetime.combine(value, dt.time())


def _rule(text: str, start: dt.datetime, where: str) -> rrule.rrule:
    text = text.removeprefix("RRULE:")
    try:
        return rrule.rrulestr(text, dtstart=start)
    except (ValueError, TypeError) as exc:
        raise SourceInvalid(f"{where}/rrule: cannot be used: {exc}") from None


def expand(doc: dict, start: dt.datetime, end: dt.datetime, source: str = "",
           location_filter: str = "", default_tz: str = DEFAULT_ZONE) -> list[Occurrence]:
    """All occurrences that overlap [start, end), in time order, with times in their zone."""
    feed_tz = doc.get("timezone", default_tz)
    found = []
    for i, activity in enumerate(doc["activities"]):
        if not place_matches(location_filter, activity.get("house", ""), activity.get("place", "")):
            continue
        found += _occurrences(activity, start, end, source, feed_tz, f"activities/{i}")
    return sorted(found, key=lambda o: (o.start, o.title))


def _occurrences(activity: dict, start: dt.datetime, end: dt.datetime, source: str, feed_tz: str,
                 where: str) -> list[Occurrence]:
    tz = _zone(activity.get("timezone", feed_tz), f"{where}/timezone")
    first, last = _moment(activity["start"]), _moment(activity["end"])
    all_day = not isinstance(first, dt.datetime)
    first, duration = _naive(first), _naive(last) - _naive(first)
    if "rrule" in activity:
        # local wall-clock bounds, widened by the duration so that overlapping occurrences are found
        lo = start.astimezone(tz).replace(tzinfo=None) - duration
        hi = end.astimezone(tz).replace(tzinfo=None)
        starts = _rule(activity["rrule"], first, where).between(lo, hi, inc=True)
    else:
        starts = [first]
    cancelled = {c["date"] for c in activity.get("cancellations", [])}
    titles, descriptions = activity["title"], activity.get("description", {})
    result = []
    for local_start in starts:
        begin, finish = _local(local_start, tz), _local(local_start + duration, tz)
        if not (begin < end and finish > start):
            continue
        is_cancelled = activity.get("status") == CANCELLED or local_start.date().isoformat() in cancelled
        result.append(Occurrence(
            source=source, uid=activity["id"], title=titles["nl"].strip(), start=begin, end=finish,
            location=activity.get("place", "").strip(), description=descriptions.get("nl", "").strip(),
            url=activity.get("url", ""), contact=activity.get("contact", ""),
            status=CANCELLED if is_cancelled else CONFIRMED, all_day=all_day,
            category=activity.get("category", ""), titles=dict(titles), descriptions=dict(descriptions),
        ))
    return result


def _local(naive: dt.datetime, tz: dt.tzinfo) -> dt.datetime:
    """A wall-clock time in `tz`; a time in the spring gap is moved forward, as calendars do."""
    return naive.replace(tzinfo=tz).astimezone(UTC).astimezone(tz)
