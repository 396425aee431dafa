"""What a feed may hold (docs/formats.md, "Limits"): bounded work and bounded texts for any feed.

Light on purpose (no parser imports): the kiosk's process reads the budgets; the checks run in the
parse-and-expand child. Past a limit the whole source is refused with one short line naming the
limit and the event; an event whose own times do not make sense is skipped and counted instead.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from sync.errors import SourceInvalid, one_line

VERSION = 2  # raise when a limit or a cleaning rule changes: stored programmes are expanded again
MAX_EVENTS = 5000  # VEVENTs (with their moved instances) or JSON activities in one feed
MAX_PER_EVENT_PER_DAY = 24  # occurrences of one event on one day
MAX_PER_DAY = 300  # occurrences of the whole feed on one day (for this house: after location_filter)
HOUSES_PER_FEED = 20  # a city-wide feed may expand this many times more before the house's filter
FREQUENCIES = ("DAILY", "WEEKLY", "MONTHLY", "YEARLY")  # HOURLY and finer are refused
MAX_ZONE_NAME = 64

# the parse-and-expand child's budget (sync.isolated); a 5,000-event feed needs about 1 s and 70 MB here
CPU_SECONDS = 60
MEMORY_BYTES = 768 * 2**20

# per field: longer texts are cut (with "…"); a longer URL is dropped, since a cut one leads nowhere
TEXT_LIMITS = {"title": 200, "location": 200, "contact": 200, "category": 60, "description": 2000, "uid": 255,
               # the JSON feed's help section (sync.offer.section): short, for tiles
               "help.who": 80, "help.what": 300, "help.when": 120, "help.where": 120,
               "role.title": 120, "role.asks": 200, "role.gives": 200}
MAX_URL = 1000
MAX_HELP_OFFERS = 40  # in a feed's help section
MAX_VOLUNTEER_ROLES = 20
MAX_LINK = 500  # a help offer's link or the volunteer page: drawn as a QR code on the 7-inch panel
MAX_LANGUAGES = 12  # per-language texts kept per field

# sign-up (docs/formats.md): a value outside these skips the event, counted like a time that makes no sense
MAX_SIGNUP_PLACES = 1000
MAX_SIGNUP_CLOSES_BEFORE = 366 * 24 * 60  # minutes: at most the longest sync window

_LONE_SURROGATES = re.compile("[\ud800-\udfff]")
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")  # embeddings, overrides, isolates
_CONTROLS_KEEP_NEWLINES = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")


def clean(text: str, field: str) -> str:
    """`text` without lone surrogates, control or bidi-override characters, cut to its field's limit."""
    return cut(_strip(text, keep_newlines=field == "description"), TEXT_LIMITS[field])


def clean_url(text: str) -> str:
    """The URL cleaned, or "" when it is longer than MAX_URL or holds a space."""
    url = _strip(text, keep_newlines=False) if len(text) <= MAX_URL else ""
    return "" if " " in url else url


def clean_link(text: str) -> str:
    """A help link cleaned (a tel: link without its spaces), or "" when longer than MAX_LINK or holding a space."""
    link = _strip(text, keep_newlines=False) if len(text) <= MAX_LINK else ""
    if link.startswith("tel:"):
        link = link.replace(" ", "")
    return "" if " " in link else link


def _strip(text: str, keep_newlines: bool) -> str:
    text = str(text)
    if text.isascii() and text.isprintable():  # the common case: nothing below would change it
        return text.strip()
    text = _BIDI_CONTROLS.sub("", _LONE_SURROGATES.sub("", text))
    if not keep_newlines:
        text = _LINE_BREAKS.sub(" ", text)
    return _CONTROLS_KEEP_NEWLINES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n")).strip()


def clean_texts(texts: dict, field: str) -> dict[str, str]:
    """Per-language texts, cleaned; at most MAX_LANGUAGES of them, Dutch (the one always shown) among them
    wherever the feed put it."""
    first = sorted(texts.items(), key=lambda item: item[0] != "nl")[:MAX_LANGUAGES]  # stable: the feed's order
    return {lang: clean(value, field) for lang, value in first}


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def signup_problem(places: object, closes_before: object) -> str:
    """Why a sign-up's places or closing minutes (None: not given) cannot be used; "" when they can."""
    if places is not None and (not _whole(places) or not 1 <= places <= MAX_SIGNUP_PLACES):
        return f"sign-up places must be 1 to {MAX_SIGNUP_PLACES}, got {one_line(str(places), 20)}"
    if closes_before is not None and (not _whole(closes_before)
                                      or not 0 <= closes_before <= MAX_SIGNUP_CLOSES_BEFORE):
        return (f"sign-up must close 0 to {MAX_SIGNUP_CLOSES_BEFORE} minutes before the start,"
                f" got {one_line(str(closes_before), 20)}")
    return ""


def _whole(value: object) -> bool:
    """An integer (JSON Schema's integer allows 20.0), not a bool."""
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, float) and value.is_integer())


def event_label(uid: str, title: str) -> str:
    """How an error names an event: its title and UID, both cut short."""
    title, uid = one_line(title or "", 40), one_line(uid or "", 40)
    return f'"{title}" (UID {uid})' if title else f"UID {uid or '?'}"


def check_event_count(count: int) -> None:
    if count > MAX_EVENTS:
        raise SourceInvalid(f"the feed has {count} events; at most {MAX_EVENTS} are allowed")


def check_help_count(offers: int, roles: int) -> None:
    """At most MAX_HELP_OFFERS offers and MAX_VOLUNTEER_ROLES roles in a feed's help section."""
    if offers > MAX_HELP_OFFERS:
        raise SourceInvalid(f"help/offers: the help section has {offers} offers; at most {MAX_HELP_OFFERS}"
                            " are allowed")
    if roles > MAX_VOLUNTEER_ROLES:
        raise SourceInvalid(f"help/volunteering/roles: the help section has {roles} volunteer roles; at most"
                            f" {MAX_VOLUNTEER_ROLES} are allowed")


def check_rule(rule: dict, label: str) -> None:
    """A recurrence rule (icalendar's parsed RRULE: name -> list of values) within the limits."""
    def values(name: str) -> list:
        value = rule.get(name, [])
        return value if isinstance(value, list) else [value]

    freq = [str(f).upper() for f in values("FREQ")]
    if not freq:
        raise SourceInvalid(f"{label}: its rule has no FREQ")
    refused = [f for f in freq if f not in FREQUENCIES]
    if refused:
        raise SourceInvalid(f"{label}: repeats {one_line(refused[0], 20)}; the most frequent rule allowed is DAILY")
    for name in ("INTERVAL", "COUNT"):
        for value in values(name):
            if not isinstance(value, int) or value < 1:
                raise SourceInvalid(f"{label}: {name}={one_line(str(value), 20)} in its rule; it must be 1 or more")
    per_day = 1
    for name in ("BYHOUR", "BYMINUTE", "BYSECOND"):
        per_day *= max(1, len(set(map(str, values(name)))))
    if per_day > MAX_PER_EVENT_PER_DAY:
        raise SourceInvalid(f"{label}: its rule gives {per_day} times a day; at most {MAX_PER_EVENT_PER_DAY}"
                            " are allowed")


def max_per_event(start: dt.datetime, end: dt.datetime) -> int:
    return MAX_PER_EVENT_PER_DAY * _days(start, end)


def max_in_window(start: dt.datetime, end: dt.datetime) -> int:
    return MAX_PER_DAY * _days(start, end)


def _days(start: dt.datetime, end: dt.datetime) -> int:
    return max(1, -(-(end - start) // dt.timedelta(days=1)))


def check_per_day(occurrences: list) -> None:
    """At most MAX_PER_EVENT_PER_DAY occurrences of one event on one day, and MAX_PER_DAY of the feed."""
    events = Counter((o.uid, o.start.date()) for o in occurrences)
    if events:
        (uid, day), count = events.most_common(1)[0]
        if count > MAX_PER_EVENT_PER_DAY:
            title = next(o.title for o in occurrences if o.uid == uid)
            raise SourceInvalid(f"{event_label(uid, title)}: {count} times on {day}; at most"
                                f" {MAX_PER_EVENT_PER_DAY} a day are allowed")
    days = Counter(o.start.date() for o in occurrences)
    if days:
        day, count = days.most_common(1)[0]
        if count > MAX_PER_DAY:
            raise SourceInvalid(f"the feed has {count} activities on {day}; at most {MAX_PER_DAY} a day are allowed")


def too_many(label: str, limit: int) -> SourceInvalid:
    return SourceInvalid(f"{label}: more than {limit} occurrences in the window; at most"
                         f" {MAX_PER_EVENT_PER_DAY} a day are allowed")


def too_many_in_window(limit: int, label: str) -> SourceInvalid:
    return SourceInvalid(f"the feed has more than {limit} occurrences in the window (at {label}); at most"
                         f" {MAX_PER_DAY} a day are allowed")


def skip_summary(count: int, first: str) -> str:
    """One short line: how many events were skipped, and the first reason."""
    if not count:
        return ""
    return one_line(f"{count} event{'s' if count != 1 else ''} skipped (first: {first})")
