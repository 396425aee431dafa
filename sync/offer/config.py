"""The configuration's `[[help]]` tables and `[volunteer]` table (docs/kiosk.example.toml).

    [[help]]
    who = "Papierwinkel"                       # or {nl = "Papierwinkel", en = "Paper shop", ...}
    what = "Hulp bij brieven en formulieren"   # the same: Dutch text, or a text per language
    when = "Dinsdag 10:00 - 12:00"             # optional; none: "by appointment"
    where = "Ontmoetingskerk, spreekkamer"     # optional
    link = "https://..."                       # optional: https://, http://, tel: or mailto: (the QR code)
    icon = "form"                              # optional: form, food, book, chat, people, house

    [volunteer]
    page = "https://..."                       # optional: the house's page for volunteers (the QR code)
    [[volunteer.roles]]
    title = "Gastvrouw of gastheer bij de inloop"
    asks = "2 uur per week"                    # optional
    gives = "Nieuwe mensen leren kennen"       # optional

Every error is a ConfigError naming the key, e.g. `help[2].link: ...`.
"""
from __future__ import annotations

from pathlib import Path

from sync.offer.model import (DEFAULT_HELP_ICON, HELP_ICONS, LINK_SCHEMES, HelpOffer, HouseOffer, Texts,
                              VolunteerRole)
from sync.schedule import limits
from sync.tables import ConfigError, no_unknown, shown
from sync.texts import DEFAULT_LANGUAGE, LANGUAGES

# the same limits as a feed's help section (sync.schedule.limits, docs/formats.md)
MAX_OFFERS = limits.MAX_HELP_OFFERS
MAX_ROLES = limits.MAX_VOLUNTEER_ROLES
MAX_LINK = limits.MAX_LINK  # characters: the QR code must stay readable from a phone held at arm's length
TEXT_LIMITS = {name.split(".")[1]: size for name, size in limits.TEXT_LIMITS.items()
               if name.startswith(("help.", "role."))}
DEMO_OFFER = Path(__file__).resolve().parents[2] / "assets" / "demo" / "help.toml"


def tables(value, where: str, what: str, maximum: int) -> list[dict]:
    """[[where]] tables, one per `what`, at most `maximum`."""
    if not isinstance(value, list) or not all(isinstance(entry, dict) for entry in value):
        raise ConfigError(f"{where}: expected [[{where}]] tables, one per {what}")
    if len(value) > maximum:
        raise ConfigError(f"{where}: at most {maximum} {what}s, got {len(value)}")
    return value


def parse_help(value) -> tuple[HelpOffer, ...]:
    offers = []
    for i, table in enumerate(tables(value, "help", "organisation", MAX_OFFERS)):
        where = f"help[{i}]"
        no_unknown(table, where, ("who", "what", "when", "where", "link", "icon"))
        icon = table.get("icon", DEFAULT_HELP_ICON)
        if icon not in HELP_ICONS:
            raise ConfigError(f"{where}.icon: {shown(icon)} is not one of " + ", ".join(HELP_ICONS))
        offers.append(HelpOffer(who=texts(table, where, "who", required=True),
                                what=texts(table, where, "what", required=True),
                                when=texts(table, where, "when"), where=texts(table, where, "where"),
                                link=link(table, where, "link"), icon=icon))
    return tuple(offers)


def parse_volunteer(value) -> tuple[tuple[VolunteerRole, ...], str]:
    """The roles the house needs now, and its volunteer page."""
    if not isinstance(value, dict):
        raise ConfigError("volunteer: expected a table [volunteer]")
    no_unknown(value, "volunteer", ("page", "roles"))
    page = link(value, "volunteer", "page")
    if page and not page.startswith(("https://", "http://")):
        raise ConfigError("volunteer.page: expected a web address (https://...)")
    parsed = []
    for i, table in enumerate(tables(value.get("roles", []), "volunteer.roles", "role", MAX_ROLES)):
        where = f"volunteer.roles[{i}]"
        no_unknown(table, where, ("title", "asks", "gives"))
        parsed.append(VolunteerRole(title=texts(table, where, "title", required=True),
                                    asks=texts(table, where, "asks"), gives=texts(table, where, "gives")))
    return tuple(parsed), page


def texts(table: dict, where: str, key: str, required: bool = False) -> Texts:
    """A text in Dutch ("...") or per language ({nl = "...", en = "..."}; Dutch required)."""
    path = f"{where}.{key}"
    value = table.get(key)
    if value is None:
        if required:
            raise ConfigError(f"{path}: missing")
        return Texts("")
    if isinstance(value, str):
        value = {DEFAULT_LANGUAGE: value}
    if not isinstance(value, dict):
        raise ConfigError(f'{path}: expected text, or a text per language ({{nl = "...", en = "..."}})')
    unknown = sorted(set(value) - set(LANGUAGES))
    if unknown:
        raise ConfigError(f"{path}.{unknown[0]}: not one of the kiosk's languages: " + ", ".join(LANGUAGES))
    for lang, text in value.items():
        if not isinstance(text, str):
            raise ConfigError(f"{path}.{lang}: expected text, got {shown(text)}")
        if len(text.strip()) > TEXT_LIMITS[key]:
            raise ConfigError(f"{path}.{lang}: at most {TEXT_LIMITS[key]} characters, got {len(text.strip())}")
    dutch = value.get(DEFAULT_LANGUAGE, "")
    if not dutch.strip():
        raise ConfigError(f"{path}: the Dutch text (nl) is missing or empty")
    return Texts(dutch.strip(), tuple((lang, value[lang].strip()) for lang in LANGUAGES
                                      if lang != DEFAULT_LANGUAGE and value.get(lang, "").strip()))


def link(table: dict, where: str, key: str) -> str:
    value = table.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{where}.{key}: expected text, got {shown(value)}")
    value = value.strip()
    if value and not value.startswith(LINK_SCHEMES):
        raise ConfigError(f"{where}.{key}: expected https://..., tel:... or mailto:..., got {shown(value)}")
    if len(value) > MAX_LINK:
        raise ConfigError(f"{where}.{key}: at most {MAX_LINK} characters (a QR code must stay readable), "
                          f"got {len(value)}")
    return value


def demo_offer() -> HouseOffer:
    """The demo's help and roles (assets/demo/help.toml): example data, as the demo programme is."""
    import tomllib

    data = tomllib.loads(DEMO_OFFER.read_text(encoding="utf-8"))
    roles, page = parse_volunteer(data["volunteer"])
    return HouseOffer(help=parse_help(data["help"]), roles=roles, volunteer_page=page, example=True)
