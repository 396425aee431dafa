"""The programme on the home screen: today's rows from the store, or a sentence when there are none,
the "Bijgewerkt om" notice, and READY=1 once the first programme frame is drawn.

`refresh()` runs at start, every minute, after a sync status that changed something and after a change
of language; it redraws nothing when the rows and the sentence are the same (kiosk/screens/home.py).
"""
from __future__ import annotations

import datetime as dt
import logging

from kivy.clock import Clock
from kivy.core.window import Window

from sync.schedule import freshness, today
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t

log = logging.getLogger("wijkkiosk")


class Programme:
    def __init__(self, app):
        self.app = app
        self.drawn = False  # the first frame with activities has been drawn
        self.refresh_soon = Clock.create_trigger(lambda _dt: self.refresh())

    def refresh(self) -> None:
        app = self.app
        now = app.clock.now()
        start, end = today.day_bounds(now.date(), now.tzinfo)
        rows, left_out = today.within_limit(today.day_rows(app.store.occurrences_between(start, end), now))
        if rows:
            message = t("And {count} more activities today.", app.lang).format(count=left_out) if left_out else ""
        elif app.status is None:
            message = t("The programme is being loaded…", app.lang)
        else:
            message = t("There are no activities today.", app.lang) + "\n" + fmt.next_opening(
                app.resting.next_opening(end), now.date(), app.lang)
        app.root.get_screen("home").show(rows, message)
        self.refresh_notice(now)
        if rows and not self.drawn:
            Window.bind(on_flip=self._first_frame)

    def refresh_notice(self, now: dt.datetime) -> None:
        """Say how old the programme is when it may be out of date (also right after a restart)."""
        app = self.app
        names = [s.name for s in app.kiosk_config.sources]
        in_memory = {s.name: s.last_success for s in app.status.sources} if app.status else {}
        last = freshness.last_update(names, in_memory, app.store.last_successes())
        failing = bool(app.status and app.status.failing)
        stale = freshness.is_stale(last, now, app.kiosk_config.sync_interval, failing)
        app.sync_notice = fmt.updated_at(last, now, app.lang) if stale else ""

    def _first_frame(self, *_args) -> None:
        # on_flip fires just before the buffers swap; the next clock tick comes after it
        Window.unbind(on_flip=self._first_frame)
        if not self.drawn:
            self.drawn = True
            Clock.schedule_once(lambda _dt: log.info("first programme frame drawn"))
            Clock.schedule_once(lambda _dt: self.app.watchdog.ready())

    def prepare_activity(self, _dt=None) -> None:
        """Build the activity screen and fill it once before the first tap (at rest, after the start).

        Built on the first tap, it took 96 of that tap's 230 ms (docs/benchmarks.md)."""
        root = self.app.root
        if root.built("activity") or root.current != "home":
            return
        rows = root.get_screen("home").rows
        screen = root.get_screen("activity")
        if rows:
            screen.size = Window.size  # laid out as when shown (a screen not shown is not in the window)
            screen.occurrence = rows[0].occurrence  # its texts, date formats and QR code made once
            Clock.schedule_once(lambda _dt: self._forget_prepared(screen), 0.5)

    def _forget_prepared(self, screen) -> None:
        if self.app.root.current != "activity":
            screen.occurrence = None
