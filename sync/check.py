"""`main.py check`: is the configuration usable? Reads every source and reaches every channel.

Nothing is stored and no callback request is sent: sources are read and parsed, the webhook gets a
HEAD request, the mail server a STARTTLS login. With [monitoring], the heartbeat's monitor gets one
success ping, the metrics file's folder must be writable and the figures webhook gets a HEAD request.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import os
import zoneinfo
from pathlib import Path

from sync.callback import channels as delivery_channels
from sync.schedule import bounded, feeds, limits
from sync.config import Config
from sync.errors import DeliveryError, SourceError, one_line, shown_location
from sync.offer.model import HouseOffer
from sync.schedule.today import sync_window


@dataclasses.dataclass(frozen=True)
class Finding:
    ok: bool
    what: str
    detail: str

    def line(self) -> str:
        return f"{'OK  ' if self.ok else 'FAIL'}  {self.what}: {self.detail}"


def run(config: Config, now: dt.datetime) -> list[Finding]:
    return [*check_sources(config, now), *check_channels(config), *check_monitoring(config)]


def check_sources(config: Config, now: dt.datetime) -> list[Finding]:
    start, end = sync_window(now, zoneinfo.ZoneInfo(config.timezone), config.window_days)  # as the worker
    found = []
    for source in config.sources:
        what = f"source {source.name} ({shown_location(source.location)})"
        try:
            body = feeds.read(source.location, config.max_feed_bytes, config.sync_timeout)
            expansion = bounded.expand_body(source.kind, body, start, end, config.timezone, source.name,
                                            source.location_filter)
        except SourceError as exc:
            found.append(Finding(False, what, one_line(str(exc))))
            continue
        occurrences = expansion.occurrences
        skipped = limits.skip_summary(expansion.skipped, expansion.first_skipped)
        helps = _help_summary(expansion.offer)
        if not occurrences:
            found.append(Finding(False, what, f"readable, but no activities in the next {config.window_days} days"
                                 + (f" matching {source.location_filter!r}" if source.location_filter else "")
                                 + (f"; {helps}" if helps else "")))
        else:
            found.append(Finding(True, what, f"{len(occurrences)} activities in the next {config.window_days} days"
                                 + (f"; {skipped}" if skipped else "") + (f"; {helps}" if helps else "")))
    return found


def _help_summary(offer: HouseOffer) -> str:
    """How many help offers and volunteer roles a (JSON) feed holds; "" for none."""
    if not (offer.help or offer.roles):
        return ""
    offers, roles = len(offer.help), len(offer.roles)
    return f"{offers} help offer{'s' if offers != 1 else ''}, {roles} volunteer role{'s' if roles != 1 else ''}"


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


def check_monitoring(config: Config) -> list[Finding]:
    from sync.monitoring.heartbeat import Heartbeat, PingFailed

    monitoring, found = config.monitoring, []
    if monitoring.ping_url:
        try:
            answer = Heartbeat(monitoring.ping_url, monitoring.ping_timeout).send("")
            found.append(Finding(True, "heartbeat", f"a success ping arrived ({answer})"))
        except PingFailed as exc:
            found.append(Finding(False, "heartbeat", f"the monitor {exc}"))
    if monitoring.prometheus_textfile:
        folder = Path(monitoring.prometheus_textfile).parent
        ok = os.access(folder, os.W_OK | os.X_OK)
        found.append(Finding(ok, "metrics file", f"{folder} is writable" if ok else f"cannot write in {folder}"))
    if monitoring.figures_webhook is not None:
        try:
            found.append(Finding(True, "figures webhook",
                                 delivery_channels.Webhook(monitoring.figures_webhook).check()))
        except DeliveryError as exc:
            found.append(Finding(False, "figures webhook", str(exc)))
    return found
