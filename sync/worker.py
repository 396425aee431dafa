"""The worker: pulls the sources, expands them and writes the store, on its own thread.

`run_once(now)` does one round and is what tests call; `start()` runs rounds on a thread
until `stop()`. The UI learns of each round through `on_status`, called on the worker
thread with a frozen `SyncStatus`; the UI side hands it to its main thread (the one
thread boundary). The store is opened per thread.

Per source and round: if it is due (interval passed, or its backoff after failures), fetch it
conditionally. 304, or the same body again: nothing is parsed or written. A new body is parsed,
expanded and checked (a feed that suddenly holds nothing, or far less than before, is kept out)
before its occurrences replace the old ones in one transaction. Whatever happens, when the window
has moved (a new day) the occurrences are re-expanded from the last good body in `feed_cache`,
so the programme rolls at midnight without a network.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import sqlite3
import random
import threading
import time
import zoneinfo
from typing import TYPE_CHECKING, Callable

from sync import backoff, isolated
from sync.device import clocktrust
from sync.callback import outbox
from sync.device.clocktrust import ClockStatus
from sync.config import Config, Source
from sync.errors import SourceError, SourceInvalid
from sync.schedule.model import Occurrence
from sync.store import CachedFeed, Store
from sync.texts import N_
from sync.schedule.today import day_bounds

if TYPE_CHECKING:
    from sync.callback import delivery
    from sync.schedule import feeds

# The fetching and delivering modules (requests, smtplib, ssl) are imported on the worker thread at
# its first round, and the parsers (icalendar, jsonschema) only in the child process that expands a
# feed (sync.isolated): the kiosk's first frame does not wait for them, and its process never holds
# the parsers.
EXPAND = "sync.schedule.expand:expand_body"

log = logging.getLogger(__name__)

CLOCK_RECHECK_SECONDS = 20  # while the clock is not trusted, look again this often
SHRINK_FACTOR = 0.3  # fewer than this share of the previous occurrences is suspicious ...
SHRINK_MINIMUM = 10  # ... when there were at least this many
ACCEPT_SUSPICIOUS_AFTER = dt.timedelta(hours=24)  # the same suspicious body for this long is meant


@dataclasses.dataclass(frozen=True)
class SourceStatus:
    name: str
    last_attempt: dt.datetime | None = None
    last_success: dt.datetime | None = None
    last_error: str = ""
    failures: int = 0  # consecutive


@dataclasses.dataclass(frozen=True)
class SyncStatus:
    """What the UI needs to know after a round."""

    sources: tuple[SourceStatus, ...]
    changed: bool
    finished: dt.datetime
    clock: ClockStatus | None = None
    callbacks: outbox.Counts = outbox.Counts()  # requests by state, no personal data

    @property
    def failing(self) -> tuple[SourceStatus, ...]:
        return tuple(s for s in self.sources if s.failures)


class SyncWorker:
    def __init__(
        self,
        config: Config,
        db_path: str,
        now: Callable[[], dt.datetime],
        on_status: Callable[[SyncStatus], None] = lambda status: None,
        rand: random.Random | None = None,
        trust_clock: bool = False,
        channels: list[delivery.Channel] | None = None,
    ):
        self.config = config
        self.db_path = db_path
        self.now = now
        self.on_status = on_status
        self.trust_clock = trust_clock
        self.tz = zoneinfo.ZoneInfo(config.timezone)
        self._rand = rand or random.Random()
        self._status = {s.name: SourceStatus(s.name) for s in config.sources}
        self._due: dict[str, dt.datetime] = {}  # next attempt per source; absent: now
        self._suspect: dict[str, tuple[str, dt.datetime]] = {}  # body hash, first seen
        self._unrollable: dict[str, str] = {}  # window the cached body could not be expanded for
        self._pruned = False
        self._server_skew: float | None = None  # the schedule server's clock minus ours, last seen
        self._local = threading.local()
        self._wake = threading.Event()
        self._force = False
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._channels = channels
        self._deliverer: delivery.Deliverer | None = None

    # -- one round, no threads ------------------------------------------------------------------

    @property
    def deliverer(self) -> delivery.Deliverer:
        if self._deliverer is None:
            from sync.callback import delivery

            config = self.config
            channels = delivery.channels_for(config.delivery) if self._channels is None else self._channels
            self._deliverer = delivery.Deliverer(config.delivery, channels, config.house_name, self.tz,
                                                 config.callback.retention_days)
        return self._deliverer

    @property
    def store(self) -> Store:
        if getattr(self._local, "store", None) is None:
            self._local.store = Store(self.db_path)
            outbox.migrate(self._local.store)
        return self._local.store

    def run_once(self, now: dt.datetime, force: bool = False) -> SyncStatus:
        """One round: the sources that are due (all of them with `force`), then the callback outbox."""
        if not self._pruned:
            self.store.forget_sources_except([s.name for s in self.config.sources])
            self._pruned = True
        changed = False
        for source in self.config.sources:
            changed |= self._sync_source(source, now, force)
        self.deliverer.run(self.store, now)
        status = SyncStatus(tuple(self._status.values()), changed, now, self.check_clock(self._last_sync()),
                            outbox.counts(self.store))
        self.on_status(status)
        return status

    def _last_sync(self) -> dt.datetime | None:
        try:
            return self.store.last_sync()
        except sqlite3.Error:  # the clock check must not fail a round; the sources report the database
            return None

    def check_clock(self, last_good_sync: dt.datetime | None) -> ClockStatus:
        """Judge the system clock (not a --date/--time preview shift) against what we know."""
        if self.trust_clock:
            return ClockStatus(True, N_("set by the operator"))
        now = dt.datetime.now(dt.timezone.utc)
        server = now + dt.timedelta(seconds=self._server_skew) if self._server_skew is not None else None
        return clocktrust.judge(now, ntp_synchronized=clocktrust.ntp_synchronized(),
                                last_good_sync=last_good_sync, server_date=server)

    def window(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        """From yesterday's local midnight to `window_days` ahead."""
        today = now.astimezone(self.tz).date()
        start, _ = day_bounds(today - dt.timedelta(days=1), self.tz)
        _, end = day_bounds(today + dt.timedelta(days=self.config.window_days), self.tz)
        return start, end

    def next_due(self, now: dt.datetime) -> dt.datetime:
        """When the next source is due (for the thread's sleep)."""
        return min([self._due.get(s.name, now) for s in self.config.sources] or [now])

    def _expansion(self, source: Source, now: dt.datetime) -> str:
        """What the stored occurrences must have been expanded for; a change means re-expand."""
        start, _ = self.window(now)
        return (f"{start.date()}+{self.config.window_days}|{source.kind}|{source.location_filter}"
                f"|{self.config.timezone}")

    def _sync_source(self, source: Source, now: dt.datetime, force: bool) -> bool:
        before = self._status[source.name]
        try:
            cached = self.store.cached_feed(source.name)
            due = force or now >= self._due.get(source.name, now)
            if not due:
                return self._roll(source, cached, now)
            try:
                from sync.schedule import feeds

                fetched = feeds.fetch(
                    source.location,
                    etag=cached.etag if cached else "",
                    last_modified=cached.last_modified if cached else "",
                    max_bytes=self.config.max_feed_bytes,
                    timeout=self.config.sync_timeout,
                )
                if fetched.server_skew is not None:
                    self._server_skew = fetched.server_skew
                changed = self._apply(source, fetched, cached, now)
            except SourceError as exc:
                self._failed(source, before, exc, now)
                return self._roll(source, cached, now)
        except Exception as exc:  # a bug or a broken database: the worker lives on
            if before.failures == 0:
                log.exception("source %s: unexpected error", source.name)
            self._failed(source, before, exc, now, quiet=True)
            return False
        if before.failures:
            log.info("source %s recovered after %d failures", source.name, before.failures)
        self._status[source.name] = SourceStatus(source.name, now, now, "", 0)
        self._due[source.name] = now + dt.timedelta(seconds=self.config.sync_interval)
        return changed

    def _apply(self, source: Source, fetched: feeds.Fetched, cached: CachedFeed | None, now: dt.datetime) -> bool:
        """Store a fetched body if it is new and plausible; True when the programme changed."""
        if fetched.not_modified:  # 304: nothing parsed, nothing written (unless the day rolled)
            return self._roll(source, cached, now)
        want = self._expansion(source, now)
        if (cached is not None and fetched.body == cached.body and cached.expanded_for == want
                and (fetched.etag, fetched.last_modified) == (cached.etag, cached.last_modified)):
            return False  # the same body again (a file, or a server without validators)
        occurrences, tz = self._expand(source, fetched.body, now)
        self._check_plausible(source, fetched.body, occurrences, cached, now)
        feed = CachedFeed(source.name, fetched.body, tz, now, fetched.etag, fetched.last_modified,
                          want, len(occurrences))
        self._write(source, occurrences, feed)
        return True

    def _roll(self, source: Source, cached: CachedFeed | None, now: dt.datetime) -> bool:
        """Re-expand the last good body when the window has moved; no network needed."""
        want = self._expansion(source, now)
        if cached is None or cached.expanded_for == want or self._unrollable.get(source.name) == want:
            return False
        try:
            occurrences, tz = self._expand(source, cached.body, now)
        except SourceError as exc:  # a body that once parsed; a library update could change that
            log.warning("source %s: the stored feed cannot be expanded again: %s", source.name, exc)
            self._unrollable[source.name] = want  # once per window, not every round
            return False
        self._write(source, occurrences,
                    dataclasses.replace(cached, tz=tz, expanded_for=want, count=len(occurrences)))
        return True

    def _expand(self, source: Source, body: bytes, now: dt.datetime) -> tuple[list[Occurrence], str]:
        """Parse and expand in a child process (sync.isolated); its SourceInvalid is raised here."""
        start, end = self.window(now)
        return isolated.call(EXPAND, source.kind, body, start, end, self.config.timezone, source.name,
                             source.location_filter)

    def _check_plausible(self, source: Source, body: bytes, occurrences: list[Occurrence],
                         cached: CachedFeed | None, now: dt.datetime) -> None:
        """A feed that suddenly holds nothing, or far less, is kept out, unless it stays so for a day."""
        before = cached.count if cached else 0
        empty = before > 0 and not occurrences
        shrunk = before >= SHRINK_MINIMUM and len(occurrences) < before * SHRINK_FACTOR
        if not (empty or shrunk):
            self._suspect.pop(source.name, None)
            return
        digest = hashlib.sha256(body).hexdigest()
        seen, since = self._suspect.get(source.name, ("", now))
        if seen != digest:
            self._suspect[source.name] = (digest, now)
            since = now
        if now - since >= ACCEPT_SUSPICIOUS_AFTER:
            log.warning("source %s: accepting %d occurrences (before: %d); unchanged for a day",
                        source.name, len(occurrences), before)
            self._suspect.pop(source.name, None)
            return
        raise SourceInvalid(
            f"the feed now has {len(occurrences)} activities in the coming weeks (before: {before});"
            " the last good programme is kept")

    def _write(self, source: Source, occurrences: list[Occurrence], feed: CachedFeed) -> None:
        with self.store.db.atomic():
            self.store.replace_occurrences(source.name, occurrences)
            self.store.save_feed(feed)

    def _failed(self, source: Source, before: SourceStatus, exc: Exception, now: dt.datetime,
                quiet: bool = False) -> None:
        message = str(exc) if isinstance(exc, SourceError) else f"unexpected error ({type(exc).__name__})"
        failures = before.failures + 1
        if before.failures == 0 and not quiet:
            log.warning("source %s failed: %s", source.name, message)
        wait = backoff.delay(failures, self._rand, getattr(exc, "retry_after", None))
        self._due[source.name] = now + dt.timedelta(seconds=wait)
        self._status[source.name] = dataclasses.replace(
            before, last_attempt=now, last_error=message, failures=failures)

    # -- the thread ------------------------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """Run a round now, every source included (e.g. "sync now", or a new day)."""
        self._force = True
        self._wake.set()

    def wake_delivery(self) -> None:
        """Deliver the outbox now (a request was just submitted); only sources that are due are pulled."""
        self._wake.set()

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _seconds_to_wait(self, status: SyncStatus) -> float:
        """Until the next source is due, or less when a delivery is due or the clock needs a look."""
        now = self.now()
        wait = (self.next_due(now) - now).total_seconds()
        due = outbox.next_due(self.store, self.deliverer.names)
        if due is not None:
            wait = min(wait, (due - now).total_seconds())
        if status.clock is not None and not status.clock.trusted:
            wait = min(wait, CLOCK_RECHECK_SECONDS)
        return min(max(wait, 1.0), self.config.sync_interval)

    def _run(self) -> None:
        force = True
        while not self._stopping.is_set():
            now = self.now()
            try:
                status = self.run_once(now, force=force)
                wait = self._seconds_to_wait(status)
            except Exception:  # the worker must survive anything; the UI keeps the last programme
                log.exception("sync round failed unexpectedly")
                wait = self.config.sync_interval
            self._wake.wait(wait)
            self._wake.clear()
            force, self._force = self._force, False
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
