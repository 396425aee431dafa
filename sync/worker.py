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
import zoneinfo
from typing import Callable

from . import feeds, ical
from . import clocktrust
from .clocktrust import ClockStatus
from .config import Config, Source
from .errors import SourceError
from .store import Store
from .today import day_bounds

log = logging.getLogger(__name__)

CLOCK_RECHECK_SECONDS = 20  # while the clock is not trusted, look again this often


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
    clock: ClockStatus | None = None


class SyncWorker:
    def __init__(
        self,
        config: Config,
        db_path: str,
        now: Callable[[], dt.datetime],
        on_status: Callable[[SyncStatus], None] = lambda status: None,
        trust_clock: bool = False,
    ):
        self.config = config
        self.db_path = db_path
        self.now = now
        self.on_status = on_status
        self.trust_clock = trust_clock
        self.tz = zoneinfo.ZoneInfo(config.timezone)
        self._status = {s.name: SourceStatus(s.name) for s in config.sources}
        self._local = threading.local()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    # -- one round, no threads ------------------------------------------------------------------

    @property
    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.db_path)
        return self._local.store

    def run_once(self, now: dt.datetime) -> SyncStatus:
        changed = False
        for source in self.config.sources:
            changed |= self._sync_source(source, now)
        status = SyncStatus(tuple(self._status.values()), changed, now, self.check_clock(self.store.last_sync()))
        self.on_status(status)
        return status

    def check_clock(self, last_good_sync: dt.datetime | None) -> ClockStatus:
        """Judge the system clock (not a --date/--time preview shift) against what we know."""
        if self.trust_clock:
            return ClockStatus(True, "set by the operator")
        return clocktrust.judge(dt.datetime.now(dt.timezone.utc), ntp_synchronized=clocktrust.ntp_synchronized(),
                                last_good_sync=last_good_sync)

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
        self._wake.set()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _run(self) -> None:
        while not self._stopping.is_set():
            interval = self.config.sync_interval
            try:
                status = self.run_once(self.now())
                if status.clock is not None and not status.clock.trusted:
                    interval = min(interval, CLOCK_RECHECK_SECONDS)
            except Exception:  # the worker must survive anything; the UI keeps the last programme
                log.exception("sync round failed unexpectedly")
            self._wake.wait(interval)
            self._wake.clear()
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
