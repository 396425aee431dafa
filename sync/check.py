"""`main.py check`: is the configuration usable? Reads every source and reaches every channel.

Nothing is stored and no callback request is sent: sources are read and parsed, the webhook gets a
HEAD request, the mail server a STARTTLS login.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

from sync.callback import channels as delivery_channels
from sync.schedule import expand, feeds
from sync.config import Config
from sync.errors import DeliveryError, SourceError, shown_location
from sync.schedule.today import sync_window


@dataclasses.dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.what}: {self.detail}"


def run(config: Config, now: dt.datetime) -> list[Finding]:
    return [*check_sources(config, now), *check_channels(config)]


def check_sources(config: Config, now: dt.datetime) -> list[Finding]:
    start, end = sync_window(now, zoneinfo.ZoneInfo(config.timezone), config.window_days)  # as the worker
    found = []
    for source in config.sources:
        what = f"source {source.name} ({shown_location(source.location)})"
        try:
            body = feeds.read(source.location, config.max_feed_bytes, config.sync_timeout)
            occurrences, _zone = expand.expand_body(source.kind, body, start, end, config.timezone, source.name,
                                                    source.location_filter)
        except SourceError as exc:
            found.append(Finding(False, what, str(exc)))
            continue
        if not occurrences:
            found.append(Finding(False, what, f"readable, but no activities in the next {config.window_days} days"
                                 + (f" matching {source.location_filter!r}" if source.location_filter else "")))
        else:
            found.append(Finding(True, what, f"{len(occurrences)} activities in the next {config.window_days} days"))
    return found


def check_channels(config: Config) -> list[Finding]:
    channels = delivery_channels.channels_for(config.delivery)
    if not channels:
        return [Finding(True, "callback requests", "no delivery channel configured: the button is hidden")]
    found = []
    for channel in channels:
        try:
            found.append(Finding(True, f"delivery {channel.name}", channel.check()))
        except DeliveryError as exc:
            found.append(Finding(False, f"delivery {channel.name}", str(exc)))
    return found
