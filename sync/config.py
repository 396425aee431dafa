"""The kiosk's configuration: which house, which sources, how often (a frozen value).

`load(path)` reads a TOML file (see docs/kiosk.example.toml). Each top-level table is read by the
parser registered for it in `SECTIONS`; an unknown table is an error. A new section (callback,
delivery, ...) adds a dataclass field, a parser `(table, config) -> config` and one line in SECTIONS.
Every error is a `ConfigError` whose message starts with the key, e.g. `sources[1].kind: ...`.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import tomllib
import zoneinfo
from pathlib import Path
from typing import Any, Callable

from sync.schedule import hours
from sync.errors import shown_location
from sync.tables import ConfigError, get, no_unknown, shown
from sync.schedule.model import DEFAULT_ZONE

from sync.callback import config as callback_config
from sync.callback.config import CallbackConfig, DeliveryConfig
from sync.monitoring import config as monitoring_config
from sync.monitoring.config import MonitoringConfig
from sync.offer import config as offer_config
from sync.offer.model import HouseOffer

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEMO_FEED = ASSETS / "demo" / "ontmoetingskerk-sterrenburg.ics"
DEMO_HOUSE = "Ontmoetingskerk Sterrenburg"
KINDS = ("ics", "json")
MAX_FILE_BYTES = 1024 * 1024  # a configuration is a few KB; read no more than this


@dataclasses.dataclass(frozen=True)
class Source:
    """One schedule source: an iCalendar or JSON feed, as a file or an http(s) URL."""

    name: str
    location: str
    kind: str = "ics"
    location_filter: str = ""  # keep only occurrences whose place/house contains this (case-insensitive)


@dataclasses.dataclass(frozen=True)
class Config:
    house_name: str = DEMO_HOUSE
    timezone: str = DEFAULT_ZONE
    sources: tuple[Source, ...] = (Source("demo", str(DEMO_FEED)),)
    window_days: int = 42  # occurrences stored ahead of today
    sync_interval: int = 600  # seconds between pulls
    sync_timeout: float = 30.0  # seconds for one request, body included
    max_feed_bytes: int = 5 * 1024 * 1024
    inactivity_seconds: int = 90  # a screen other than home returns home after this
    idle_warning_seconds: int = 25  # "Wilt u meer tijd?" this long before going home (>= 20)
    opening_hours: dict | None = None  # sync.schedule.hours.Hours; None: derived from the day's programme
    display_off_command: str = ""  # e.g. "wlr-randr --output HDMI-A-1 --off" (run when closing)
    display_on_command: str = ""
    dpi: float = 132.0  # the panel's real pixel density (default: the official 7-inch Pi touch display)
    open_before_first_minutes: int = hours.DEFAULT_LEAD // dt.timedelta(minutes=1)  # derived hours open this early
    callback: CallbackConfig = CallbackConfig()
    delivery: DeliveryConfig = DeliveryConfig()
    piper_voices: str = ""  # folder with Piper voices for read aloud (kiosk.a11y.speech); "": espeak-ng only
    monitoring: MonitoringConfig = MonitoringConfig()  # heartbeat, metrics file, daily figures (sync.monitoring)
    offer: HouseOffer = HouseOffer()  # [[help]] and [volunteer] (sync.offer); a JSON feed may add to it


def default_db_path() -> Path:
    """Where the kiosk keeps its database unless told otherwise (XDG data home)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "wijkkiosk" / "kiosk.db"


def with_feed(config: Config, location: str) -> Config:
    """The same configuration, following one feed instead of its sources."""
    kind = "json" if location.lower().split("?")[0].endswith(".json") else "ics"
    return dataclasses.replace(config, sources=(Source("feed", location, kind),))


# -- reading the file ------------------------------------------------------------------------------


def load(path: str | os.PathLike) -> Config:
    """The configuration in the TOML file at `path`; ConfigError when it is missing or wrong."""
    try:
        with open(path, "rb") as fp:
            data = tomllib.loads(fp.read(MAX_FILE_BYTES + 1).decode("utf-8"))
            if fp.tell() > MAX_FILE_BYTES:
                raise ConfigError(f"{path}: larger than {MAX_FILE_BYTES // 1024} KB; is this the configuration?")
    except FileNotFoundError:
        raise ConfigError(f"{path}: file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read it: {exc.strerror}") from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start + 1}); save it as UTF-8") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {str(exc)[:100]}") from None
    except ValueError:  # e.g. a whole number of more than 4300 digits
        raise ConfigError(f"{path}: not valid TOML (a value is out of range)") from None
    return parse(data, base=Path(path).resolve().parent)


def parse(data: dict[str, Any], base: Path | None = None) -> Config:
    """A Config from parsed TOML; relative file locations are taken from `base`."""
    config = Config()
    config = _kiosk(data, config)
    for name, value in data.items():
        if name in _TOP_KEYS:
            continue
        parser = SECTIONS.get(name)
        if parser is None:
            known = ", ".join(sorted([*_TOP_KEYS, *SECTIONS]))
            raise ConfigError(f"{name}: unknown setting or section (known: {known})")
        config = parser(value, config, base)
    if "sources" not in data:
        config = dataclasses.replace(config, sources=Config().sources)
    return config


def _kiosk(data: dict, config: Config) -> Config:
    house = get(data, "", "house_name", str, config.house_name)
    zone = get(data, "", "timezone", str, config.timezone)
    try:
        zoneinfo.ZoneInfo(zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f'timezone: unknown time zone "{zone}" (e.g. "Europe/Amsterdam")') from None
    inactivity = get(data, "", "inactivity_seconds", int, config.inactivity_seconds, minimum=10, maximum=3600)
    return dataclasses.replace(config, house_name=house, timezone=zone, inactivity_seconds=inactivity)


_TOP_KEYS = ("house_name", "timezone", "inactivity_seconds")


def _sources(value: Any, config: Config, base: Path | None) -> Config:
    if not isinstance(value, list) or not value:
        raise ConfigError("sources: expected one or more [[sources]] tables")
    sources, names = [], set()
    for i, table in enumerate(value):
        where = f"sources[{i}]"
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: expected a table")
        no_unknown(table, where, ("name", "kind", "location", "location_filter"))
        name = get(table, where, "name", str, None, required=True)
        if name in names:
            raise ConfigError(f'{where}.name: "{name}" is used twice; each source needs its own name')
        names.add(name)
        kind = get(table, where, "kind", str, "ics")
        if kind not in KINDS:
            raise ConfigError(f'{where}.kind: expected "ics" or "json", got "{kind}"')
        location = get(table, where, "location", str, None, required=True)
        if "://" in location and not location.startswith(("http://", "https://")):
            raise ConfigError(f"{where}.location: expected an http(s) URL or a file path, "
                              f"got {shown_location(location)!r}")
        if "://" not in location and base is not None and not Path(location).is_absolute():
            location = str(base / location)
        location_filter = get(table, where, "location_filter", str, "")
        sources.append(Source(name, location, kind, location_filter.strip()))
    return dataclasses.replace(config, sources=tuple(sources))


def _sync(value: Any, config: Config, _base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("sync: expected a table [sync]")
    no_unknown(value, "sync", ("interval_minutes", "window_days", "timeout_seconds", "max_feed_megabytes"))
    interval = get(value, "sync", "interval_minutes", int, config.sync_interval // 60, minimum=1, maximum=1440)
    window = get(value, "sync", "window_days", int, config.window_days, minimum=1, maximum=366)
    timeout = get(value, "sync", "timeout_seconds", (int, float), config.sync_timeout, minimum=1, maximum=300)
    size = get(value, "sync", "max_feed_megabytes", (int, float), config.max_feed_bytes / 2**20, minimum=0.01,
               maximum=50)
    return dataclasses.replace(config, sync_interval=interval * 60, window_days=window,
                               sync_timeout=float(timeout), max_feed_bytes=int(size * 2**20))


def _screen(value: Any, config: Config, _base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("screen: expected a table [screen]")
    no_unknown(value, "screen", ("idle_warning_seconds", "display_off_command", "display_on_command", "dpi",
                                 "open_before_first_minutes"))
    warning = get(value, "screen", "idle_warning_seconds", int, config.idle_warning_seconds, minimum=20,
                  maximum=3600)
    if warning >= config.inactivity_seconds:
        raise ConfigError(f"screen.idle_warning_seconds: must be less than inactivity_seconds "
                          f"({config.inactivity_seconds}), got {warning}")
    off = get(value, "screen", "display_off_command", str, config.display_off_command)
    on = get(value, "screen", "display_on_command", str, config.display_on_command)
    dpi = get(value, "screen", "dpi", (int, float), config.dpi)
    if not 50 <= dpi <= 600:
        raise ConfigError(f"screen.dpi: a screen has 50 to 600 pixels per inch, got {shown(dpi)}")
    lead = get(value, "screen", "open_before_first_minutes", int, config.open_before_first_minutes, minimum=0,
               maximum=240)
    return dataclasses.replace(config, idle_warning_seconds=warning, display_off_command=off.strip(),
                               display_on_command=on.strip(), dpi=float(dpi), open_before_first_minutes=lead)


def _opening_hours(value: Any, config: Config, _base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("opening_hours: expected a table [opening_hours]")
    for key, text in value.items():
        if not isinstance(text, str):
            raise ConfigError(f'opening_hours.{key}: expected text like "09:00-17:00", got {text!r}')
    try:
        return dataclasses.replace(config, opening_hours=hours.parse_hours(value))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _callback(value: Any, config: Config, _base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("callback: expected a table [callback]")
    try:
        return dataclasses.replace(config, callback=callback_config.parse_callback(value))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _delivery(value: Any, config: Config, _base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("delivery: expected a table [delivery]")
    try:
        return dataclasses.replace(config, delivery=callback_config.parse_delivery(value))
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _speech(value: Any, config: Config, base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("speech: expected a table [speech]")
    no_unknown(value, "speech", ("piper_voices",))
    folder = get(value, "speech", "piper_voices", str, config.piper_voices).strip()
    if folder and base is not None and not Path(folder).is_absolute():
        folder = str(base / folder)
    if folder and not Path(folder).is_dir():
        raise ConfigError(f"speech.piper_voices: no such folder: {folder}")
    return dataclasses.replace(config, piper_voices=folder)


def _monitoring(value: Any, config: Config, base: Path | None) -> Config:
    if not isinstance(value, dict):
        raise ConfigError("monitoring: expected a table [monitoring]")
    return dataclasses.replace(config, monitoring=monitoring_config.parse_monitoring(value, base))


def _help(value: Any, config: Config, _base: Path | None) -> Config:
    offer = dataclasses.replace(config.offer, help=offer_config.parse_help(value))
    return dataclasses.replace(config, offer=offer)


def _volunteer(value: Any, config: Config, _base: Path | None) -> Config:
    roles, page = offer_config.parse_volunteer(value)
    return dataclasses.replace(config, offer=dataclasses.replace(config.offer, roles=roles, volunteer_page=page))


# Section parsers: name -> (value, config, folder of the file) -> config. Others add theirs here.
SECTIONS: dict[str, Callable[[Any, Config, Path | None], Config]] = {
    "sources": _sources,
    "sync": _sync,
    "screen": _screen,
    "opening_hours": _opening_hours,
    "callback": _callback,
    "delivery": _delivery,
    "speech": _speech,
    "monitoring": _monitoring,
    "help": _help,
    "volunteer": _volunteer,
}
