"""The Kivy application: builds the screens, keeps the clock, and hands sync news to the UI."""
from __future__ import annotations

import datetime as dt
import logging

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition, ScreenManager

from sync import outbox, today
from sync.clock import KioskClock
from sync.config import Config
from sync.store import Store
from sync.worker import SyncStatus, SyncWorker
from . import format as fmt
from .i18n import DEFAULT_LANGUAGE, gettext_for
from .theme import register_fonts

register_fonts()

from .activity import ActivityScreen  # noqa: E402  (kv rules need the fonts and widgets first)
from . import callback  # noqa: E402
from .home import HomeScreen  # noqa: E402

log = logging.getLogger("wijkkiosk")

BASE_HEIGHT = 480  # the official Pi touchscreen; sizes in kv are in pixels at this height


class KioskApp(App):
    u = NumericProperty(1.0)  # scale unit: 1 at 800x480
    portrait = BooleanProperty(False)
    now = ObjectProperty(None, allownone=True)
    lang = StringProperty(DEFAULT_LANGUAGE)
    house_name = StringProperty("")
    status = ObjectProperty(None, allownone=True)  # the last SyncStatus
    callback_enabled = BooleanProperty(False)  # a delivery channel is configured

    def __init__(self, config: Config, db_path: str, clock: KioskClock, **kwargs):
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.db_path = db_path
        self.clock = clock
        self.house_name = config.house_name
        self.callback_enabled = bool(config.delivery.channels)
        self.callback = callback.CallbackFlow(self)
        self.store: Store | None = None
        self.worker: SyncWorker | None = None
        self._programme_drawn = False
        self._home_after_idle = Clock.create_trigger(lambda _dt: self.go_home(), config.inactivity_seconds)
        self._refresh_home = Clock.create_trigger(lambda _dt: self.refresh_home())

    # -- building and stopping -------------------------------------------------------------------

    def build(self):
        self.title = f"Wijkkiosk – {self.kiosk_config.house_name}"
        Window.clearcolor = (1, 1, 1, 1)
        Window.bind(size=self._fit_to_window, on_touch_down=self._touched)
        self._fit_to_window(Window, Window.size)
        self.store = Store(self.db_path)
        outbox.migrate(self.store)
        self.now = self.clock.now()
        manager = ScreenManager(transition=NoTransition())
        manager.add_widget(HomeScreen(name="home"))
        manager.add_widget(ActivityScreen(name="activity"))
        for screen in callback.screens():
            manager.add_widget(screen)
        self.worker = SyncWorker(self.kiosk_config, self.db_path, self.clock.now, self._status_from_worker)
        return manager

    def on_start(self):
        self.refresh_home()
        self._tick(0)
        self.worker.start()

    def on_stop(self):
        if self.worker is not None:
            self.worker.stop()
        if self.store is not None:
            self.store.close()

    def _fit_to_window(self, _window, size) -> None:
        width, height = size
        self.portrait = height > width
        self.u = min(width, height) / BASE_HEIGHT

    # -- time --------------------------------------------------------------------------------

    def _tick(self, _dt) -> None:
        """Once a minute, on the minute: move the clock and the now/next marks."""
        previous, self.now = self.now, self.clock.now()
        if previous is not None and previous.date() != self.now.date():
            self.worker.wake()  # a new day: roll the window
        self.refresh_home()
        Clock.schedule_once(self._tick, 60.5 - self.now.second - self.now.microsecond / 1e6)

    # -- the one thread boundary ---------------------------------------------------------------

    def _status_from_worker(self, status: SyncStatus) -> None:
        """Called on the worker thread: hand the status to the main thread, nothing else."""
        Clock.schedule_once(lambda _dt: self._apply_status(status))

    def _apply_status(self, status: SyncStatus) -> None:
        self.status = status
        if status.changed or not self._programme_drawn:
            self._refresh_home()

    # -- screens -------------------------------------------------------------------------------

    def t(self, message: str, lang: str | None = None) -> str:
        """Translate `message`; kv passes `app.lang` so the text follows a language change."""
        return gettext_for(lang or self.lang)(message)

    def refresh_home(self) -> None:
        now = self.clock.now()
        start, end = today.day_bounds(now.date(), now.tzinfo)
        rows = today.day_rows(self.store.occurrences_between(start, end), now)
        if rows:
            message = ""
        elif self.status is None:
            message = self.t("The programme is being loaded…")
        else:
            following = self.store.next_occurrence_after(end)
            message = self.t("There are no activities today.") + "\n" + fmt.next_opening(
                following, now.date(), self.lang
            )
        self.root.get_screen("home").show(rows, message)
        if rows and not self._programme_drawn:
            Window.bind(on_flip=self._first_programme_frame)

    def _first_programme_frame(self, *_args) -> None:
        # on_flip fires just before the buffers swap; the next clock tick comes after it
        Window.unbind(on_flip=self._first_programme_frame)
        if not self._programme_drawn:
            self._programme_drawn = True
            Clock.schedule_once(lambda _dt: log.info("first programme frame drawn"))

    def show_activity(self, occurrence) -> None:
        screen = self.root.get_screen("activity")
        screen.occurrence = occurrence
        self.show("activity")

    def show(self, name: str) -> None:
        """Go to a screen other than home; inactivity brings the visitor home again."""
        self.root.current = name
        self._home_after_idle.cancel()
        self._home_after_idle()

    def start_callback(self) -> None:
        """The "call me back" button, on home or on an activity (whose title becomes the request's note)."""
        occurrence = self.root.get_screen("activity").occurrence if self.root.current == "activity" else None
        self.callback.start(note=occurrence.title if occurrence else "")

    def go_home(self) -> None:
        self._home_after_idle.cancel()
        self.callback.reset()  # forget any form input
        self.root.current = "home"
        self.root.get_screen("activity").occurrence = None
        self.refresh_home()

    def _touched(self, _window, _touch) -> bool:
        if self.root is not None and self.root.current != "home":
            self._home_after_idle.cancel()
            self._home_after_idle()
        return False
