"""The JSON feed's `help` section (docs/formats.md) and the house offer it becomes (pure).

`check` runs before the schema (the section's version and size), `from_section` cleans and cuts the
texts (sync.schedule.limits) into a HouseOffer; `to_section` writes one back in the section's shape,
which is how the store keeps it (sync.store, the `offers` table).
"""
from __future__ import annotations

from sync.errors import SourceInvalid, one_line
from sync.offer.model import (DEFAULT_HELP_ICON, HELP_ICONS, LINK_SCHEMES, NO_TEXT, HelpOffer, HouseOffer, Texts,
                              VolunteerRole)
from sync.schedule import limits
from sync.texts import DEFAULT_LANGUAGE

VERSION = 1
PAGE_SCHEMES = ("https://", "http://")


def check(section: object) -> None:
    """SourceInvalid for a section of another version or past its limits (before the schema check)."""
    if not isinstance(section, dict):
        return
    if section.get("version") not in (None, VERSION):
        raise SourceInvalid(f"help/version: help section version {one_line(repr(section.get('version')), 20)}"
                            f" is not supported (expected {VERSION})")
    offers, volunteering = section.get("offers"), section.get("volunteering")
    roles = volunteering.get("roles") if isinstance(volunteering, dict) else None
    limits.check_help_count(len(offers) if isinstance(offers, list) else 0,
                            len(roles) if isinstance(roles, list) else 0)


def from_section(section: dict | None, source: str) -> HouseOffer:
    """The offer of a checked section (None: no section), each offer and role marked with `source`.

    An offer whose Dutch `who` or `what`, or a role whose Dutch title, is empty once cleaned is left out."""
    if not section:
        return HouseOffer()
    offers = tuple(o for o in (_offer(item, source) for item in section.get("offers", [])) if o.who and o.what)
    volunteering = section.get("volunteering", {})
    roles = tuple(r for r in (_role(item, source) for item in volunteering.get("roles", [])) if r.title)
    page = limits.clean_link(volunteering.get("page", ""))
    return HouseOffer(help=offers, roles=roles, volunteer_page=page if page.startswith(PAGE_SCHEMES) else "")


def to_section(offer: HouseOffer) -> dict:
    """`offer` in the section's shape (without its sources): from_section gives it back."""
    volunteering: dict = {"roles": [_fields(role, ("title", "asks", "gives")) for role in offer.roles]}
    if offer.volunteer_page:
        volunteering["page"] = offer.volunteer_page
    offers = []
    for item in offer.help:
        fields = _fields(item, ("who", "what", "when", "where"))
        offers.append({**fields, **({"link": item.link} if item.link else {}), "icon": item.icon})
    return {"version": VERSION, "offers": offers, "volunteering": volunteering}


def is_empty(offer: HouseOffer) -> bool:
    return not (offer.help or offer.roles or offer.volunteer_page)


def _offer(item: dict, source: str) -> HelpOffer:
    link = limits.clean_link(item.get("link", ""))
    icon = item.get("icon", DEFAULT_HELP_ICON)
    return HelpOffer(
        who=_texts(item["who"], "help.who"), what=_texts(item["what"], "help.what"),
        when=_texts(item.get("when"), "help.when"), where=_texts(item.get("where"), "help.where"),
        link=link if link.startswith(LINK_SCHEMES) else "", icon=icon if icon in HELP_ICONS else DEFAULT_HELP_ICON,
        source=source)


def _role(item: dict, source: str) -> VolunteerRole:
    return VolunteerRole(title=_texts(item["title"], "role.title"), asks=_texts(item.get("asks"), "role.asks"),
                         gives=_texts(item.get("gives"), "role.gives"), source=source)


def _texts(texts: dict | None, field: str) -> Texts:
    """Per-language texts, cleaned and cut; Dutch first (whatever its place), empty translations left out."""
    if not texts:
        return NO_TEXT
    cleaned = limits.clean_texts({DEFAULT_LANGUAGE: texts.get(DEFAULT_LANGUAGE, ""), **texts}, field)
    return Texts(cleaned.pop(DEFAULT_LANGUAGE), tuple((lang, text) for lang, text in cleaned.items() if text))


def _fields(value: HelpOffer | VolunteerRole, names: tuple[str, ...]) -> dict:
    """The non-empty texts of `value` as the section writes them: {"nl": ..., other languages}."""
    found = {}
    for name in names:
        texts: Texts = getattr(value, name)
        if texts.nl or texts.other:
            found[name] = {DEFAULT_LANGUAGE: texts.nl, **dict(texts.other)}
    return found
