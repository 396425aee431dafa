"""The worker: one thread that runs sync rounds, told what to do through a command queue.

A round has three parts, each in its own module: the schedule poller (`sync.schedule.poller`: pull
the sources that are due, roll the window at midnight), the deliverer (`sync.callback.delivery`:
send the callback requests that are due over `sync.callback.channels`) and the clock judge
(`sync.device.clocktrust`). After each round the UI learns of it through `on_status`, called on
the worker thread with a frozen `SyncStatus`; the UI side hands it to its main thread (the one
thread boundary, kiosk/bridge.py).

Commands (`wake`, `force`, `reload`, `stop`) are put on a thread-safe queue from any thread and
taken between rounds: one that arrives during a round is never lost, it starts the next one.
`run_once(now)` does one round without a thread and is what tests call. The store is opened on
the thread that uses it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import queue
import random
import sqlite3
import threading
import zoneinfo
from typing import TYPE_CHECKING, Callable

from sync.callback import outbox
from sync.config import Config
from sync.device.clocktrust import ClockJudge, ClockStatus
from sync.monitoring.monitor import Monitor
from sync.schedule.poller import SchedulePoller, SourceStatus
from sync.store import Store, damaged

if TYPE_CHECKING:
    from sync.callback import delivery
    from sync.callback.channels import Channel

log = logging.getLogger(__name__)

CLOCK_RECHECK_SECONDS = 20  # while the clock is not trusted, look again this often

# the commands on the queue
WAKE = "wake"  # a round now: the sources that are due and the deliveries
FORCE = "force"  # a round now with every source
RELOAD = "reload"  # a new configuration, then a forced round
STOP = "stop"

__all__ = ["SourceStatus", "SyncStatus", "SyncWorker"]


@dataclasses.dataclass(frozen=True)
class SyncStatus:
    """What the UI needs to know after a round."""

    sources: tuple[SourceStatus, ...]
    changed: bool
    finished: dt.datetime
    clock: ClockStatus | None = None
    callbacks: outbox.Counts = outbox.Counts()  # requests by state, no personal data
    delivery: delivery.RoundResult | None = None  # what this round delivered, retried, rejected, expired
    config: Config | None = None  # the configuration the round ran with

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
        channels: list[Channel] | None = None,
        preview: bool = False,
    ):
        self.db_path = db_path
        self.now = now
        self.on_status = on_status
        self.clock_judge = ClockJudge(trust_clock)
        self._rand = rand
        self._channels = channels
        self._local = threading.local()
        self._commands: queue.SimpleQueue[tuple[str, Config | None]] = queue.SimpleQueue()
        self._thread: threading.Thread | None = None
        self.monitor = Monitor(preview=preview)  # heartbeat, metrics file, figures: after every round
        self._configure(config)

    def _configure(self, config: Config) -> None:
        """The parts for `config`; the deliverer is made at its first round (it imports requests, smtplib)."""
        self.config = config
        self.tz = zoneinfo.ZoneInfo(config.timezone)
        self.poller = SchedulePoller(config, self._rand)
        self._deliverer: delivery.Deliverer | None = None
        self.monitor.configure_for(config)

    # -- one round, no threads ------------------------------------------------------------------

    @property
    def deliverer(self) -> delivery.Deliverer:
        if self._deliverer is None:
            from sync.callback import delivery

            config = self.config
            found = self._channels
            if found is None:
                found = []
                if config.delivery.channels:  # requests, smtplib and ssl only when there is a channel
                    from sync.callback import channels

                    found = channels.channels_for(config.delivery)
            self._deliverer = delivery.Deliverer(config.delivery, found, config.house_name, self.tz,
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
        changed = self.poller.poll(self.store, now, force)
        delivered = self.deliverer.run(self.store, now)
        status = SyncStatus(self.poller.statuses, changed, now, self.judge_clock(), outbox.counts(self.store),
                            delivered, self.config)
        self.on_status(status)
        self.monitor.after_round(self.store, status)
        return status

    def judge_clock(self) -> ClockStatus:
        try:
            last_sync = self.store.last_sync()
        except sqlite3.Error:  # the clock check must not fail a round; the sources report the database
            last_sync = None
        return self.clock_judge.judge(last_sync, self.poller.server_skew)

    def window(self, now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
        return self.poller.window(now)

    def next_due(self, now: dt.datetime) -> dt.datetime:
        return self.poller.next_due(now)

    # -- the thread and its commands -------------------------------------------------------------

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="sync-worker", daemon=True)
        self._thread.start()

    def wake(self) -> None:
        """A round now: deliver the outbox (e.g. a request was just submitted); only due sources are pulled."""
        self._commands.put((WAKE, None))

    def force(self) -> None:
        """A round now with every source ("sync now", or a new day)."""
        self._commands.put((FORCE, None))

    def reload(self, config: Config) -> None:
        """Use `config` from the next round on (a forced one); the round under way finishes first."""
        if self.running:
            self._commands.put((RELOAD, config))
        else:  # not started (or stopped): nothing runs that could see the change
            self._configure(config)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def stop(self, timeout: float = 5.0) -> None:
        self._commands.put((STOP, None))
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

    def _next_commands(self, wait: float) -> tuple[bool, bool]:
        """Wait up to `wait` seconds for a command, then take every waiting one: (force, stop)."""
        try:
            commands = [self._commands.get(timeout=wait)]
        except queue.Empty:
            return False, False
        while True:
            try:
                commands.append(self._commands.get_nowait())
            except queue.Empty:
                break
        force = False
        for command, config in commands:
            if command == STOP:
                return False, True
            if command == RELOAD:
                self._configure(config)
            force |= command in (FORCE, RELOAD)
        return force, False

    def _run(self) -> None:
        force = True
        while True:
            try:
                status = self.run_once(self.now(), force=force)
                wait = self._seconds_to_wait(status)
            except Exception as exc:  # the worker must survive anything; the UI keeps the last programme
                if damaged(exc):
                    log.error("sync round failed: the database %s is damaged (%s)", self.db_path, exc)
                else:
                    log.exception("sync round failed unexpectedly")
                wait = self.config.sync_interval
            force, stopping = self._next_commands(wait)
            if stopping:
                break
        store = getattr(self._local, "store", None)
        if store is not None:
            store.close()
