"""After every sync round, on the worker thread: the daily figures' upkeep, the metrics file, the heartbeat.

Each part is optional ([monitoring] in the configuration) and none may disturb the kiosk: a part
that fails is logged once, and once more when it works again; the round's outcome is never changed.
The parts that need requests or prometheus_client are made at the first round that needs them, on the
worker thread (a quick start). In a preview (--date/--time) the daily figures are neither pruned nor
pushed: the shifted clock's "today" is not the real one.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import sqlite3
import time
import zoneinfo
from typing import TYPE_CHECKING, Callable

from sync.callback import outbox
from sync.monitoring import figures, screenstate
from sync.store import Store

if TYPE_CHECKING:
    from sync.config import Config
    from sync.worker import SyncStatus

log = logging.getLogger(__name__)

SETTLE = dt.timedelta(minutes=5)  # after midnight, before yesterday's figures are pushed
CLOCK_GRACE = 600  # seconds after the start before an untrusted clock is reported as a failure
PING_AT_LEAST_EVERY = 60.0  # seconds: rounds can follow each other fast (a request, the clock's recheck)


class Monitor:
    def __init__(self, started: float | None = None, monotonic: Callable[[], float] = time.monotonic,
                 preview: bool = False):
        self.started = time.time() if started is None else started
        self.preview = preview
        self.rounds = 0
        self.deliveries: dict[str, int] = {}  # what the deliverer's rounds did since the start (outcome -> count)
        self._monotonic = monotonic
        self._failing: set[str] = set()
        self._pruned: dt.date | None = None
        self._last_ping: tuple[float, str] | None = None
        self.configure_for(None)

    def configure_for(self, config: Config | None) -> None:
        """The parts `config` asks for (at start and at every reload); counts and start time stay."""
        self.config = config
        self._heartbeat = self._pusher = None  # made at the first round that needs them
        self._last_ping = None

    @property
    def heartbeat(self):
        monitoring = self.config.monitoring if self.config else None
        if self._heartbeat is None and monitoring and monitoring.ping_url:
            from sync.monitoring.heartbeat import Heartbeat

            self._heartbeat = Heartbeat(monitoring.ping_url, monitoring.ping_timeout)
        return self._heartbeat

    @property
    def pusher(self):
        monitoring = self.config.monitoring if self.config else None
        if self._pusher is None and monitoring and monitoring.figures_webhook:
            from sync.callback.channels import Webhook
            from sync.monitoring import figurespush
            from sync.version import VERSION  # importlib.metadata: not before the first frame

            self._pusher = figurespush.FiguresPusher(Webhook(monitoring.figures_webhook), self.config.house_name,
                                                     VERSION)
        return self._pusher

    def after_round(self, store: Store, status: SyncStatus) -> None:
        self.rounds += 1
        if status.delivery is not None:
            for outcome, count in dataclasses.asdict(status.delivery).items():
                self.deliveries[outcome] = self.deliveries.get(outcome, 0) + count
        if self.config is None:
            return
        if not self.preview:
            self._guarded("figures", lambda: self._figures(store, status.finished))
        if self.config.monitoring.prometheus_textfile:
            self._guarded("metrics file", lambda: self._textfile(store, status))
        if self.heartbeat is not None:
            self._ping(status)

    def _figures(self, store: Store, now: dt.datetime) -> None:
        figures.migrate(store)
        today = now.astimezone(zoneinfo.ZoneInfo(self.config.timezone)).date()
        if self._pruned != today:
            removed = figures.prune(store, today, self.config.monitoring.figures_days)
            if removed:
                log.info("%d figure rows older than %d days deleted", removed, self.config.monitoring.figures_days)
            self._pruned = today
        if self.pusher is not None:
            from sync.monitoring import figurespush

            figurespush.migrate(store)
            # a day is sent once it is over and the kiosk has written its last counts (every 30 s)
            settled = (now - SETTLE).astimezone(zoneinfo.ZoneInfo(self.config.timezone)).date()
            self.pusher.run(store, settled, now)

    def _textfile(self, store: Store, status: SyncStatus) -> None:
        from sync.monitoring import textfile
        from sync.version import VERSION

        stored = store.last_successes()  # survives a restart; the round's statuses know only since the start
        sources = tuple(s if s.last_success or s.name not in stored else
                        dataclasses.replace(s, last_success=stored[s.name]) for s in status.sources)
        snapshot = textfile.Snapshot(VERSION, self.started, status.finished, self.rounds, sources,
                                     outbox.counts(store), screenstate.load(store), dict(self.deliveries))
        textfile.write(self.config.monitoring.prometheus_textfile, snapshot)

    def _ping(self, status: SyncStatus) -> None:
        from sync.monitoring.heartbeat import reason

        why = reason(status.sources, status.clock, clock_settled=time.time() - self.started >= CLOCK_GRACE)
        now = self._monotonic()
        if self._last_ping is not None:
            when, before = self._last_ping
            if before == why and now - when < PING_AT_LEAST_EVERY:
                return
        self._last_ping = (now, why)
        self.heartbeat.beat(why)

    def _guarded(self, part: str, step: Callable[[], None]) -> None:
        """Run one part; log its first failure and its recovery, never raise."""
        try:
            step()
        except (OSError, sqlite3.Error) as exc:
            self._failed(part, f"{type(exc).__name__}: {getattr(exc, 'strerror', None) or exc}")
        except Exception as exc:  # a bug here must not end the round
            self._failed(part, f"unexpected {type(exc).__name__}")
        else:
            if part in self._failing:
                self._failing.discard(part)
                log.info("monitoring: the %s works again", part)

    def _failed(self, part: str, detail: str) -> None:
        if part not in self._failing:
            log.warning("monitoring: the %s failed: %s", part, detail)
        self._failing.add(part)
