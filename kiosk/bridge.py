"""The one bridge to the worker, and the one thread boundary.

`WorkerBridge` owns the `SyncWorker` (one for the app's whole life: a reload is a command to it, so
two workers never run at once) and hands what the worker thread reports to Kivy's main thread with
`Clock.schedule_once`, where the app applies it. The UI only sends commands: wake, force, reload.
The first judgement of the clock (it may ask systemd, up to 2 s) runs on a short thread of its own,
never on the main thread.
"""
from __future__ import annotations

import datetime as dt
import logging
import threading
from typing import TYPE_CHECKING, Callable

from kivy.clock import Clock

from sync.config import Config
from sync.device.clock import KioskClock
from sync.device.clocktrust import ClockStatus

if TYPE_CHECKING:
    from sync.worker import SyncStatus, SyncWorker

log = logging.getLogger("wijkkiosk")


class WorkerBridge:
    def __init__(self, config: Config, db_path: str, clock: KioskClock,
                 on_status: Callable[[SyncStatus], None], on_clock: Callable[[ClockStatus], None]):
        self.config = config
        self.on_status, self.on_clock = on_status, on_clock  # both called on the main thread
        self.db_path, self.clock = db_path, clock
        self._worker: SyncWorker | None = None

    @property
    def worker(self) -> SyncWorker:
        """Made at its first use, after the first frame: its imports (the poller, the parse child's
        multiprocessing, the channels' configuration) are not part of the start."""
        if self._worker is None:
            from sync.worker import SyncWorker

            self._worker = SyncWorker(self.config, self.db_path, self.clock.now, self._status_from_worker,
                                      trust_clock=self.clock.preview, preview=self.clock.preview)
        return self._worker

    # -- commands (main thread) --------------------------------------------------------------------

    def start(self) -> None:
        self.worker.start()

    def wake(self) -> None:
        """Deliver now (a request was just stored, or refused ones are to be sent again)."""
        self.worker.wake()

    def force(self) -> None:
        """Pull every source now ("sync now", a new day)."""
        self.worker.force()

    def reload(self, config: Config) -> None:
        """The worker takes `config` after the round under way; statuses of the old one are dropped."""
        self.config = config
        if self._worker is not None:  # else it is made with this configuration
            self._worker.reload(config)

    def stop(self) -> None:
        if self._worker is not None:
            self._worker.stop()

    def judge_clock(self, last_good_sync: dt.datetime | None) -> None:
        """Judge the clock once at start, off the main thread; a preview's clock is trusted at once."""
        judge = self.worker.clock_judge
        if judge.trust_clock:
            self.on_clock(judge.judge(last_good_sync))
            return
        threading.Thread(target=lambda: self._clock_from_thread(judge.judge(last_good_sync)),
                         name="clock-judge", daemon=True).start()

    # -- the thread boundary -------------------------------------------------------------------------

    def _status_from_worker(self, status: SyncStatus) -> None:
        """Called on the worker thread: hand the status to the main thread, nothing else."""
        Clock.schedule_once(lambda _dt: self._status_on_main_thread(status))

    def _clock_from_thread(self, clock: ClockStatus) -> None:
        Clock.schedule_once(lambda _dt: self.on_clock(clock))

    def _status_on_main_thread(self, status: SyncStatus) -> None:
        if status.config is not self.config:
            return  # a round of the configuration before a reload: its sources are not ours any more
        self.on_status(status)
