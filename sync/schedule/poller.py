"""The schedule poller: pulls the sources that are due, expands them and writes the store.

Per source and round: if it is due (interval passed, or its backoff after failures), fetch it
conditionally. 304, or the same body again: nothing is parsed or written. A new body is parsed,
expanded and checked (a feed that suddenly holds nothing, or far less than before, is kept out)
before its occurrences and its help section (a JSON feed's) replace the old ones in one
transaction. Whatever happens, when the window has moved (a new day) the occurrences and the help
are derived again from the last good body in `feed_cache`, so the programme rolls at midnight
without a network.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import logging
import random
import zoneinfo
from typing import TYPE_CHECKING

from sync import backoff
from sync.config import Config, Source
from sync.errors import SourceError, SourceInvalid, one_line
from sync.schedule import bounded, limits
from sync.schedule.model import Expansion, Occurrence
from sync.schedule.today import sync_window
from sync.store import CachedFeed, Store, damaged

if TYPE_CHECKING:
    from sync.schedule import feeds

# The parsers run only in the bounded child process (sync.schedule.bounded), and `requests` is
# imported at the first fetch: the kiosk's first frame does not wait for them.

log = logging.getLogger(__name__)

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
    skipped: str = ""  # events of the last good feed left out, e.g. "2 events skipped (first: ...)"


class SchedulePoller:
    """The sources of one configuration: when each is due, and its status in memory."""

    def __init__(self, config: Config, rand: random.Random | None = None):
        self.config = config
        self.tz = zoneinfo.ZoneInfo(config.timezone)
        self._rand = rand or random.Random()
        self._status = {s.name: SourceStatus(s.name) for s in config.sources}
        self._due: dict[str, dt.datetime] = {}  # next attempt per source; absent: now
        self._suspect: dict[str, tuple[str, dt.datetime]] = {}  # body hash, first seen
        self._unrollable: dict[str, str] = {}  # window the cached body could not be expanded for
        self._skipped: dict[str, str] = {}  # per source: what its last expansion left out
        self._pruned = False
        self.server_skew: float | None = None  # the schedule server's clock minus ours, last seen

    @property
    def statuses(self) -> tuple[SourceStatus, ...]:
        return tuple(self._status.values())

    def poll(self, store: Store, now: dt.datetime, force: bool = False) -> bool:
        """Pull the sources that are due (all of them with `force`); True when the programme changed."""
        if not self._pruned:
            store.forget_sources_except([s.name for s in self.config.sources])
            self._pruned = True
        changed = False
        for source in self.config.sources:
            changed |= self._sync_source(store, source, now, force)
        return changed

    def window(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return sync_window(now, self.tz, self.config.window_days)

    def next_due(self, now: dt.datetime) -> dt.datetime:
        """When the next source is due (for the thread's sleep)."""
        return min([self._due.get(s.name, now) for s in self.config.sources] or [now])

    def _expansion(self, source: Source, now: dt.datetime) -> str:
        """What the stored occurrences must have been expanded for; a change means re-expand."""
        start, _ = self.window(now)
        return (f"{start.date()}+{self.config.window_days}|{source.kind}|{source.location_filter}"
                f"|{self.config.timezone}|limits {limits.VERSION}")

    def _sync_source(self, store: Store, source: Source, now: dt.datetime, force: bool) -> bool:
        before = self._status[source.name]
        try:
            cached = store.cached_feed(source.name)
            due = force or now >= self._due.get(source.name, now)
            if not due:
                return self._reexpand_if_moved(store, source, cached, now)
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
                    self.server_skew = fetched.server_skew
                changed = self._store_fetched(store, source, fetched, cached, now)
            except SourceError as exc:
                self._failed(source, before, exc, now)
                return self._reexpand_if_moved(store, source, cached, now)
        except Exception as exc:  # a bug or a broken database: the worker lives on
            if damaged(exc):
                raise  # the database file, not this source: the round ends (sync.worker, main.py)
            if before.failures == 0:
                log.exception("source %s: unexpected error", source.name)
            self._failed(source, before, exc, now, quiet=True)
            return False
        if before.failures:
            log.info("source %s recovered after %d failures", source.name, before.failures)
        self._status[source.name] = SourceStatus(source.name, now, now, "", 0, self._skipped.get(source.name, ""))
        self._due[source.name] = now + dt.timedelta(seconds=self.config.sync_interval)
        return changed

    def _store_fetched(self, store: Store, source: Source, fetched: feeds.Fetched, cached: CachedFeed | None,
                       now: dt.datetime) -> bool:
        """Store a fetched body if it is new and plausible; True when the programme changed."""
        if fetched.not_modified:  # 304: nothing parsed, nothing written (unless the day rolled)
            return self._reexpand_if_moved(store, source, cached, now)
        want = self._expansion(source, now)
        if (cached is not None and fetched.body == cached.body and cached.expanded_for == want
                and (fetched.etag, fetched.last_modified) == (cached.etag, cached.last_modified)):
            return False  # the same body again (a file, or a server without validators)
        expansion = self._expand(source, fetched.body, now)
        self._check_plausible(source, fetched.body, expansion.occurrences, cached, now)
        feed = CachedFeed(source.name, fetched.body, expansion.zone, now, fetched.etag, fetched.last_modified,
                          want, len(expansion.occurrences))
        self._write(store, source, expansion, feed)
        self._skipped[source.name] = limits.skip_summary(expansion.skipped, expansion.first_skipped)
        return True

    def _reexpand_if_moved(self, store: Store, source: Source, cached: CachedFeed | None,
                           now: dt.datetime) -> bool:
        """Re-expand the last good body when the window has moved; no network needed."""
        want = self._expansion(source, now)
        if cached is None or cached.expanded_for == want or self._unrollable.get(source.name) == want:
            return False
        try:
            expansion = self._expand(source, cached.body, now)
        except SourceError as exc:  # a body that once parsed; a library update could change that
            log.warning("source %s: the stored feed cannot be expanded again: %s", source.name, exc)
            self._unrollable[source.name] = want  # once per window, not every round
            return False
        self._write(store, source, expansion, dataclasses.replace(
            cached, tz=expansion.zone, expanded_for=want, count=len(expansion.occurrences)))
        self._skipped[source.name] = limits.skip_summary(expansion.skipped, expansion.first_skipped)
        return True

    def _expand(self, source: Source, body: bytes, now: dt.datetime) -> Expansion:
        """Parse and expand in the bounded child (sync.schedule.bounded); its SourceInvalid is raised here."""
        start, end = self.window(now)
        return bounded.expand_body(source.kind, body, start, end, self.config.timezone, source.name,
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

    def _write(self, store: Store, source: Source, expansion: Expansion, feed: CachedFeed) -> None:
        store.replace_programme(source.name, expansion.occurrences, feed, expansion.offer)

    def _failed(self, source: Source, before: SourceStatus, exc: Exception, now: dt.datetime,
                quiet: bool = False) -> None:
        message = one_line(str(exc)) if isinstance(exc, SourceError) else f"unexpected error ({type(exc).__name__})"
        failures = before.failures + 1
        if before.failures == 0 and not quiet:
            log.warning("source %s failed: %s", source.name, message)
        wait = backoff.delay(failures, self._rand, getattr(exc, "retry_after", None))
        self._due[source.name] = now + dt.timedelta(seconds=wait)
        self._status[source.name] = dataclasses.replace(
            before, last_attempt=now, last_error=message, failures=failures)
