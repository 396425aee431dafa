"""Plain data shared by the data side and the UI."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import NamedTuple

from sync.offer.model import HouseOffer

DEFAULT_ZONE = "Europe/Amsterdam"  # a feed without a zone, and a configuration without one

CONFIRMED = "confirmed"
CANCELLED = "cancelled"


@dataclasses.dataclass(frozen=True)
class Signup:
    """An activity that asks visitors to sign up: how many places (None: no limit), and how long before
    each occurrence's start sign-up closes."""

    places: int | None = None
    closes_before: dt.timedelta = dt.timedelta(0)

    def closes_at(self, start: dt.datetime) -> dt.datetime:
        """When sign-up for the occurrence starting at `start` closes (aware, in start's zone)."""
        return start - self.closes_before


@dataclasses.dataclass(frozen=True)
class Occurrence:
    """One concrete occurrence of an activity; start and end are aware, in the feed's zone."""

    source: str
    uid: str
    title: str
    start: dt.datetime
    end: dt.datetime
    location: str = ""
    description: str = ""
    url: str = ""
    contact: str = ""
    status: str = CONFIRMED
    all_day: bool = False
    category: str = ""
    # per-language texts ({"nl": ..., "en": ...}) when the feed has them; title/description are Dutch
    titles: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    descriptions: dict[str, str] = dataclasses.field(default_factory=dict, hash=False)
    signup: Signup | None = None  # None: the activity takes no sign-ups

    @property
    def signup_closes(self) -> dt.datetime | None:
        """When sign-up for this occurrence closes; None without sign-up."""
        return self.signup.closes_at(self.start) if self.signup else None

    @property
    def key(self) -> str:
        """Stable identity of this occurrence: source, series and original start."""
        return f"{self.source}|{self.uid}|{self.start.astimezone(dt.timezone.utc):%Y%m%dT%H%M%SZ}"

    def title_in(self, lang: str) -> str:
        """The title in `lang` when the feed gives one, else the Dutch title."""
        return self.titles.get(lang) or self.title

    def description_in(self, lang: str) -> str:
        return self.descriptions.get(lang) or self.description

    @property
    def cancelled(self) -> bool:
        return self.status == CANCELLED

    def as_json(self) -> dict:
        """The JSON shape printed by `main.py programme`."""
        return {
            "title": self.title,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "all_day": self.all_day,
            "location": self.location,
            "status": self.status,
            "description": self.description,
            "url": self.url,
            "contact": self.contact,
            "uid": self.uid,
            "source": self.source,
            "signup": None if self.signup is None else {
                "places": self.signup.places, "closes": self.signup_closes.isoformat()},
        }


class Expansion(NamedTuple):
    """A feed expanded over a window: its occurrences, its zone's name, the events left out
    (how many, and the first one's reason), and its help section (a JSON feed's; else empty)."""

    occurrences: list[Occurrence]
    zone: str
    skipped: int = 0
    first_skipped: str = ""
    offer: HouseOffer = HouseOffer()


def place_matches(wanted: str, *places: str) -> bool:
    """A source's location filter: does any of `places` contain `wanted` (case-insensitive)?"""
    wanted = wanted.strip().casefold()
    return not wanted or any(wanted in (p or "").casefold() for p in places)
