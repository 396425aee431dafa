"""The worker: pulls the sources, expands them and writes the store, on its own thread.

`run_once(now)` does one round and is what tests call; `start()` runs rounds on a thread
until `stop()`. The UI learns of each round through `on_status`, called on the worker
thread with a frozen `SyncStatus`; the UI side hands it to its main thread (the one
thread boundary). The store is opened per thread.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import threading
import time
import zoneinfo
from typing import Callable

from . import delivery, feeds, ical, outbox
from .config import Config, Source
from .errors import SourceError
from .store import Store
from .today import day_bounds

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class SourceStatus:
    name: str
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error: str = ""
    failures: int = 0


@dataclasses.dataclass(frozen=True)
class SyncStatus:
    """What the UI needs to know after a round."""

    sources: tuple[SourceStatus, ...]
    changed: bool
    finished: dt.datetime
    callbacks: outbox.Counts = outbox.Counts()  # requests by state, no personal data


class SyncWorker:
    def __init__(
        self,
        config: Config,
        db_path: str,
        now: Callable[[], dt.datetime],
        on_status: Callable[[SyncStatus], None] = lambda status: None,
        channels: list[delivery.Channel] | None = None,
    ):
        self.config = config
        self.db_path = db_path
        self.now = now
        self.on_status = on_status
        self.tz = zoneinfo.ZoneInfo(config.timezone)
        self._status = {s.name: SourceStatus(s.name) for s in config.sources}
        self._local = threading.local()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._sources_due = False
        channels = delivery.channels_for(config.delivery) if channels is None else channels
        self.deliverer = delivery.Deliverer(config.delivery, channels, config.house_name, self.tz,
                                            config.callback.retention_days)

    # -- one round, no threads ------------------------------------------------------------------

    @property
    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.db_path)
            outbox.migrate(self._local.store)
        return self._local.store

    def run_once(self, now: dt.datetime, sources: bool = True) -> SyncStatus:
        """One round: the schedule sources (unless `sources` is False), then the callback outbox."""
        changed = False
        if sources:
            for source in self.config.sources:
                changed |= self._sync_source(source, now)
        self.deliverer.run(self.store, now)
        status = SyncStatus(tuple(self._status.values()), changed, now, outbox.counts(self.store))
        self.on_status(status)
        return status

    def window(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """From yesterday's local midnight to `window_days` ahead."""
        today = now.astimezone(self.tz).date()
        start, _ = day_bounds(today - dt.timedelta(days=1), self.tz)
        _, end = day_bounds(today + dt.timedelta(days=self.config.window_days), self.tz)
        return start, end

    def _sync_source(self, source: Source, now: dt.datetime) -> bool:
        before = self._status[source.name]
        try:
            body = feeds.read(source.location)
            cal = ical.parse(body)
            tz = ical.feed_zone(cal, self.config.timezone)
            start, end = self.window(now)
            occurrences = ical.expand(cal, start, end, tz, source.name)
        except SourceError as exc:
            after = dataclasses.replace(
                before, last_attempt=now, last_error=str(exc), failures=before.failures + 1
            )
            if before.failures == 0:
                log.warning("source %s failed: %s", source.name, exc)
            self._status[source.name] = after
            return False
        with self.store.db.atomic():
            self.store.replace_occurrences(source.name, occurrences)
            self.store.save_feed(source.name, body, str(tz), now)
        if before.failures:
            log.info("source %s recovered after %d failures", source.name, before.failures)
        self._status[source.name] = SourceStatus(source.name, now, now, "", 0)
        return True

    # -- the thread ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run a round now (e.g. "sync now" on the admin screen, or a new day)."""
        self._sources_due = True
        self._wake.set()

    def wake_delivery(self) -> None:
        """Deliver the outbox now (a request was just submitted), without pulling the sources."""
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _seconds_to_wait(self, sources_at: float) -> float:
        """Until the next pull of the sources, or less when a callback delivery is due earlier."""
        wait = max(0.0, sources_at - time.monotonic())
        due = outbox.next_due(self.store, self.deliverer.names)
        if due is not None:
            wait = min(wait, max(1.0, (due - self.now()).total_seconds()))
        return wait

    def _run(self) -> None:
        sources_at = time.monotonic()
        while not self._stopping.is_set():
            try:
                pull = self._sources_due or time.monotonic() >= sources_at
                self._sources_due = False
                if pull:
                    sources_at = time.monotonic() + self.config.sync_interval
                self.run_once(self.now(), sources=pull)
                wait = self._seconds_to_wait(sources_at)
            except Exception:  # the worker must survive anything; the UI keeps the last programme
                log.exception("sync round failed unexpectedly")
                wait = self.config.sync_interval
            self._wake.wait(wait)
            self._wake.clear()
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
