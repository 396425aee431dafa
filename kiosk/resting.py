"""The resting screen: the programme, the closed screen outside opening hours, or the clock notice.

Once a minute and after every sync status, `choose()` picks it from the opening hours (configured, or
derived from the programme) and whether the clock is trusted. The panel is dark exactly while the
closed screen rests on it (kiosk.platform.display): a touch lights it with the programme, and so does
the opening time. A visitor's screens (activity, forms) are left alone: the idle guard brings them home.
The state it chose (open, closed, clock untrusted) is saved for the worker's metrics file
(sync.monitoring.screenstate) when it changes, and the worker is woken to write it.
"""
from __future__ import annotations

import datetime as dt
import logging
import sqlite3
import time

from sync.config import Config
from sync.monitoring import screenstate
from sync.schedule import hours, today
from kiosk.platform.display import DisplayPower

log = logging.getLogger("wijkkiosk")

OPENING_DAYS_AHEAD = 8  # far enough for "next opening" after a long weekend


class RestingScreen:
    def __init__(self, app, config: Config):
        self.app = app
        self.config = config
        self.last_touch = float("-inf")  # time.monotonic() of the last touch; nobody has touched it yet
        self.display_power: DisplayPower | None = None
        self._saved_state: str | None = None
        self._state_failing = False  # logged once

    def configure(self, config: Config) -> None:
        """Opening hours and display power (needs the window: called from the app's build)."""
        self.config = config
        self.display_power = DisplayPower.for_window(config.display_off_command, config.display_on_command)

    def screen_changed(self, name: str) -> None:
        if self.display_power is None:
            return
        if name == "closed":
            self.display_power.off()
        else:
            self.display_power.on()

    def touched(self) -> None:
        self.last_touch = time.monotonic()

    def opening_spans(self, now: dt.datetime, days: int = OPENING_DAYS_AHEAD) -> list:
        """Opening spans from today on, configured or derived from the programme."""
        spans = []
        for offset in range(days):
            day = (now + dt.timedelta(days=offset)).date()
            start, end = today.day_bounds(day, now.tzinfo)
            occurrences = self.app.store.occurrences_between(start, end)
            spans += hours.spans_of_day(day, now.tzinfo, self.config.opening_hours, occurrences,
                                        dt.timedelta(minutes=self.config.open_before_first_minutes))
        return spans

    def next_opening(self, after: dt.datetime) -> dt.datetime | None:
        """When the house opens next from `after` on: the configured hours, or else the next activity less
        the lead (as the closed screen says it); None when nothing is planned."""
        if self.config.opening_hours is not None:
            return hours.next_opening(after, self.opening_spans(after))
        following = self.app.store.next_occurrence_after(after)
        if following is None:
            return None
        return following.start - dt.timedelta(minutes=self.config.open_before_first_minutes)

    def choose(self) -> None:
        """Choose the resting screen: the clock notice, the closed screen or the programme."""
        app = self.app
        now = app.now
        current = app.root.current
        if not app.clock_status.trusted:
            self._save_state(screenstate.CLOCK_UNTRUSTED)
            if current in ("home", "closed"):
                app.root.current = "clock"
            return
        if current == "clock":
            app.root.current = "home"
            current = "home"
        spans = self.opening_spans(now)
        app.is_open = hours.is_open(now, spans)
        self._save_state(screenstate.OPEN if app.is_open else screenstate.CLOSED)
        idle_for = time.monotonic() - self.last_touch
        if current == "home" and not app.is_open and idle_for >= self.config.inactivity_seconds:
            app.root.current = "closed"
        elif current == "closed" and app.is_open:
            app.root.current = "home"
        if app.root.built("closed"):  # built when first shown, not at start (kiosk/screens/manager.py)
            app.root.get_screen("closed").next_opening = hours.next_opening(now, spans)

    def _save_state(self, state: str) -> None:
        """Save a changed state for the metrics file and wake the worker to write it (no write otherwise)."""
        if state == self._saved_state:
            return
        try:
            self.app.controller.save_screen_state(state, wake=self._saved_state is not None)
        except sqlite3.Error as exc:
            if not self._state_failing:
                log.warning("screen state not saved: %s", exc)
            self._state_failing = True
            return
        self._state_failing = False
        self._saved_state = state
