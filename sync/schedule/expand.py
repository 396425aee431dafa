"""Turn a feed body of either kind into occurrences for a window (pure): the one place that knows
which parser belongs to which kind of source. Runs in the bounded child (sync.schedule.bounded)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

from sync.offer.model import HouseOffer
from sync.schedule import ical, jsonfeed, limits
from sync.schedule.model import Expansion, Occurrence
from sync.schedule.today import day_bounds


@dataclasses.dataclass(frozen=True)
class Feed:
    """A parsed feed: its kind, the parser's document and the zone its publisher meant."""

    kind: str
    doc: object
    zone: zoneinfo.ZoneInfo


def parse(kind: str, body: bytes, default_tz: str) -> Feed:
    """Parse and check a body; SourceInvalid if it is not a usable feed of that kind."""
    if kind == "json":
        doc = jsonfeed.parse(body)
        return Feed(kind, doc, jsonfeed.feed_zone(doc, default_tz))
    cal = ical.parse(body)
    return Feed(kind, cal, ical.feed_zone(cal, default_tz))


def expand(feed: Feed, start: dt.datetime, end: dt.datetime, source: str = "",
           location_filter: str = "", skipped: list[str] | None = None) -> list[Occurrence]:
    """Occurrences overlapping [start, end), in time order. An event that makes no sense, or a second
    one with the same identity and start, is left out and its reason appended to `skipped`."""
    skipped = [] if skipped is None else skipped
    if feed.kind == "json":
        found = jsonfeed.expand(feed.doc, start, end, source, location_filter, feed.zone.key, skipped)
    else:
        found = ical.expand(feed.doc, start, end, feed.zone, source, location_filter, skipped)
    unique: dict[str, Occurrence] = {}
    for occurrence in found:
        if occurrence.key in unique:
            skipped.append(f"{limits.event_label(occurrence.uid, occurrence.title)}: a second activity with"
                           f" the same identity starts at {occurrence.start:%Y-%m-%d %H:%M}")
        else:
            unique[occurrence.key] = occurrence
    limits.check_per_day(list(unique.values()))
    return list(unique.values())


def expand_body(kind: str, body: bytes, start: dt.datetime, end: dt.datetime, default_tz: str,
                source: str = "", location_filter: str = "") -> Expansion:
    """Parse and expand in one step; also the feed's zone name, what was skipped and its help section."""
    feed = parse(kind, body, default_tz)
    skipped: list[str] = []
    return Expansion(expand(feed, start, end, source, location_filter, skipped), feed.zone.key, *_tally(skipped),
                     house_offer(feed, source))


def expand_day(kind: str, body: bytes, day: dt.date, default_tz: str, source: str = "") -> Expansion:
    """One local day of the feed, in the feed's own zone (`main.py programme`)."""
    feed = parse(kind, body, default_tz)
    start, end = day_bounds(day, feed.zone)
    skipped: list[str] = []
    return Expansion(expand(feed, start, end, source, skipped=skipped), feed.zone.key, *_tally(skipped))


def house_offer(feed: Feed, source: str = "") -> HouseOffer:
    """A JSON feed's help section, marked with `source`; an iCalendar feed has none."""
    return jsonfeed.house_offer(feed.doc, source) if feed.kind == "json" else HouseOffer()


def _tally(skipped: list[str]) -> tuple[int, str]:
    return len(skipped), skipped[0] if skipped else ""
