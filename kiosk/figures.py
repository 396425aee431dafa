"""The anonymous daily figures, counted on the main thread (sync.monitoring.figures stores them).

`VisitFigures` counts what visitors do: a visit (its first touch after the kiosk was left alone for
the inactivity time, the time after which it returns home), an activity's details and its QR code,
a callback request's topic, a language, a text size, reading aloud. Only counts per day go to the
database: nothing about who, no time finer than the day, no trail of one visit. The counts wait in
memory and are written together at most every FLUSH_SECONDS (one small transaction, off the tap
that caused them) and when the kiosk stops.
"""
from __future__ import annotations

import collections
import datetime as dt
import logging
import sqlite3
import time
from typing import Callable

from kivy.clock import Clock

from sync.device.clock import KioskClock
from sync.monitoring import figures
from sync.store import Store
from sync.texts import N_

log = logging.getLogger("wijkkiosk")

FLUSH_SECONDS = 30
# what the visitor is told (the privacy text of the callback request's consent step)
PRIVACY_NOTICE = N_("The kiosk also counts per day, without names or numbers, how it is used: visits, "
                    "activities looked at, requests per subject, languages, text size and reading aloud.")


class VisitFigures:
    """`save` writes counts (the controller's add_figures); `counting` is False in the demo, whose visitors
    only try the kiosk out. (A preview, --date/--time, counts on its own day, but the worker then neither
    prunes nor pushes figures: sync.monitoring.monitor.)"""

    def __init__(self, store: Store, clock: KioskClock, inactivity_seconds: float,
                 save: Callable[[collections.Counter], None], counting: bool = True,
                 monotonic: Callable[[], float] = time.monotonic):
        self.store, self.clock = store, clock  # the store only to read (last_days); writes go through `save`
        self.save, self.counting = save, counting
        self.inactivity_seconds = inactivity_seconds
        self._monotonic = monotonic
        self._last_touch: float | None = None
        self._viewed: str | None = None  # the key of the activity whose details were counted last
        self._pending: collections.Counter[figures.Key] = collections.Counter()
        self._flush_later = Clock.create_trigger(lambda _dt: self.flush(), FLUSH_SECONDS)
        self._failing = False
        figures.migrate(store)

    def watch(self, manager) -> None:
        """Count touches (visits) on the window and the screens shown (activity details)."""
        from kivy.core.window import Window

        Window.bind(on_touch_down=self._touched)
        manager.bind(current=self._screen_shown)

    def configure(self, inactivity_seconds: float) -> None:
        self.inactivity_seconds = inactivity_seconds

    # -- what is counted ------------------------------------------------------------------------

    def _touched(self, *_args) -> bool:
        now = self._monotonic()
        if figures.starts_visit(self._last_touch, now, self.inactivity_seconds):
            self.count(figures.VISITS)
        self._last_touch = now
        return False  # the touch goes on to the screen

    def _screen_shown(self, manager, name: str) -> None:
        """An activity's details once per time it is opened from the programme (not again when the visitor
        comes back to it from the callback flow)."""
        if name in ("home", "closed", "clock"):
            self._viewed = None
        if name != "activity":
            return
        occurrence = manager.get_screen("activity").occurrence
        if occurrence is not None and occurrence.key != self._viewed:
            self._viewed = occurrence.key
            self.count(figures.ACTIVITY_VIEWS, occurrence.title)
            if manager.get_screen("activity").qr_data:
                self.count(figures.QR_CODES_SHOWN)

    def callback_request(self, topic: str) -> None:
        self.count(figures.CALLBACK_REQUESTS, topic)

    def language(self, lang: str) -> None:
        self.count(figures.LANGUAGE_CHOICES, lang)

    def text_size(self, percent: int) -> None:
        self.count(figures.TEXT_SIZE_CHOICES, f"{percent}%")

    def read_aloud(self) -> None:
        self.count(figures.READ_ALOUD_USES)

    def count(self, figure: str, detail: str = "") -> None:
        if not self.counting:
            return
        self._pending[(self.clock.now().date(), figure, detail)] += 1
        self._flush_later()

    # -- the database ---------------------------------------------------------------------------

    def flush(self) -> None:
        """Write what was counted; on a database error keep it for the next try (logged once)."""
        if not self._pending:
            return
        try:
            self.save(self._pending)
        except sqlite3.Error as exc:
            if not self._failing:
                log.warning("figures not stored: %s; kept for the next try", exc)
            self._failing = True
            self._flush_later()
            return
        self._pending.clear()
        self._failing = False

    def last_days(self, days: int) -> dict[dt.date, int]:
        """Visits per day over the last `days` days, today included (what is waiting counted too)."""
        today = self.clock.now().date()
        first = today - dt.timedelta(days=days - 1)
        totals = figures.per_day(self.store, figures.VISITS, first, today)
        for (day, figure, _detail), count in self._pending.items():
            if figure == figures.VISITS and day in totals:
                totals[day] += count
        return totals
