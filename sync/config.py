"""The kiosk's configuration: which house, which sources, how often (a frozen value)."""
from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from .callback_config import CallbackConfig, DeliveryConfig

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEMO_FEED = ASSETS / "demo" / "ontmoetingskerk-sterrenburg.ics"
DEMO_HOUSE = "Ontmoetingskerk Sterrenburg"


@dataclasses.dataclass(frozen=True)
class Source:
    """One schedule source: an iCalendar file or URL."""

    name: str
    location: str
    kind: str = "ics"


@dataclasses.dataclass(frozen=True)
class Config:
    house_name: str = DEMO_HOUSE
    timezone: str = "Europe/Amsterdam"
    sources: tuple[Source, ...] = (Source("demo", str(DEMO_FEED)),)
    window_days: int = 42  # occurrences stored ahead of today
    sync_interval: int = 600  # seconds between pulls
    inactivity_seconds: int = 90  # a screen other than home returns home after this
    callback: CallbackConfig = CallbackConfig()
    delivery: DeliveryConfig = DeliveryConfig()


def default_db_path() -> Path:
    """Where the kiosk keeps its database unless told otherwise (XDG data home)."""
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "wijkkiosk" / "kiosk.db"


def with_feed(config: Config, location: str) -> Config:
    """The same configuration, following one feed instead of its sources."""
    return dataclasses.replace(config, sources=(Source("feed", location),))
