"""Turn a feed body of either kind into occurrences for a window (pure): the one place that knows
which parser belongs to which kind of source."""
from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

from sync.schedule import ical, jsonfeed
from sync.schedule.model import Occurrence


@dataclasses.dataclass(frozen=True)
class Feed:
    """A parsed feed: its kind, the parser's document and the zone its publisher meant."""

    kind: str
    doc: object
    zone: zoneinfo.ZoneInfo


def guess_kind(body: bytes) -> str:
    """"json" for a JSON document, else "ics" (for `programme --feed` without a configuration)."""
    return "json" if body.lstrip()[:1] == b"{" else "ics"


def parse(kind: str, body: bytes, default_tz: str) -> Feed:
    """Parse and check a body; SourceInvalid if it is not a usable feed of that kind."""
    if kind == "json":
        doc = jsonfeed.parse(body)
        return Feed(kind, doc, jsonfeed.feed_zone(doc, default_tz))
    cal = ical.parse(body)
    return Feed(kind, cal, ical.feed_zone(cal, default_tz))


def expand(feed: Feed, start: dt.datetime, end: dt.datetime, source: str = "",
           location_filter: str = "") -> list[Occurrence]:
    """Occurrences overlapping [start, end), in time order."""
    if feed.kind == "json":
        return jsonfeed.expand(feed.doc, start, end, source, location_filter, feed.zone.key)
    return ical.expand(feed.doc, start, end, feed.zone, source, location_filter)


def expand_body(kind: str, body: bytes, start: dt.datetime, end: dt.datetime, default_tz: str,
                source: str = "", location_filter: str = "") -> tuple[list[Occurrence], str]:
    """Parse and expand in one step; also the feed's zone name."""
    feed = parse(kind, body, default_tz)
    return expand(feed, start, end, source, location_filter), feed.zone.key
