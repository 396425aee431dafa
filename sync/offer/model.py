"""Plain data: who helps in the neighbourhood, and what the house asks of volunteers (frozen, pure)."""
from __future__ import annotations

import dataclasses

from sync.texts import DEFAULT_LANGUAGE

# the pictures a help tile can show (kiosk/widgets/icons.py draws them); the callback topics use the same
HELP_ICONS = ("form", "food", "book", "chat", "people", "house")
DEFAULT_HELP_ICON = "people"
LINK_SCHEMES = ("https://", "http://", "tel:", "mailto:")
VOLUNTEER_TOPIC = "Vrijwilliger worden"  # the callback topic of "Word vrijwilliger" (the volunteers read Dutch)


@dataclasses.dataclass(frozen=True)
class Texts:
    """One text in Dutch and, where given, in other languages: (code, text) pairs."""

    nl: str
    other: tuple[tuple[str, str], ...] = ()

    def in_(self, lang: str) -> str:
        """The text in `lang` when given, else the Dutch."""
        if lang == DEFAULT_LANGUAGE:
            return self.nl
        return dict(self.other).get(lang) or self.nl

    def __bool__(self) -> bool:
        return bool(self.nl)


NO_TEXT = Texts("")


@dataclasses.dataclass(frozen=True)
class HelpOffer:
    """One organisation that helps: who, with what, when and where; a link for the QR code."""

    who: Texts  # the organisation, e.g. "Papierwinkel"; its Dutch name is the callback topic
    what: Texts  # what it helps with, in plain words
    when: Texts = NO_TEXT  # e.g. "Dinsdag 10:00 - 12:00"; none: by appointment ("op afspraak")
    where: Texts = NO_TEXT  # e.g. "Ontmoetingskerk, spreekkamer"
    link: str = ""  # https://..., tel:+31..., mailto:...; none: no QR code
    icon: str = DEFAULT_HELP_ICON
    source: str = "config"  # "config", or the name of the feed it came from

    @property
    def topic(self) -> str:
        """What a callback request about this help says, for the volunteers (Dutch)."""
        return self.who.nl


@dataclasses.dataclass(frozen=True)
class VolunteerRole:
    """What the house needs now: a role, what it asks (time) and what it gives."""

    title: Texts  # e.g. "Gastvrouw of gastheer bij de inloop"
    asks: Texts = NO_TEXT  # e.g. "2 uur per week"
    gives: Texts = NO_TEXT  # e.g. "Nieuwe mensen leren kennen"
    source: str = "config"


@dataclasses.dataclass(frozen=True)
class HouseOffer:
    """Everything the kiosk shows besides the programme: help tiles and volunteer roles."""

    help: tuple[HelpOffer, ...] = ()
    roles: tuple[VolunteerRole, ...] = ()
    volunteer_page: str = ""  # the house's page for volunteers (https), for the QR code
    example: bool = False  # demo data: the screens say so

    def merged(self, other: "HouseOffer") -> "HouseOffer":
        """This offer (the configuration's) followed by `other`'s (the feeds'); the first page wins."""
        return HouseOffer(help=self.help + other.help, roles=self.roles + other.roles,
                          volunteer_page=self.volunteer_page or other.volunteer_page,
                          example=self.example or other.example)
