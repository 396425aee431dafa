"""The Kivy application: builds the screens, keeps the clock, and hands sync news to the UI."""
from __future__ import annotations

import datetime as dt
import logging
import math
import shlex
import signal
import subprocess
import time

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition

from sync.schedule import freshness, hours, today
from sync.callback import outbox
from sync.device.clock import KioskClock
from sync.device.clocktrust import ClockStatus
from sync import config as kiosk_config
from sync.config import Config
from sync.store import Store
from sync.worker import SyncStatus, SyncWorker
from kiosk.i18n import format as fmt
from kiosk.a11y.readaloud import screen_text
from kiosk.a11y.speech import Speaker
from kiosk.i18n.catalogues import DEFAULT_LANGUAGE, RTL_LANGUAGES, gettext_for
from kiosk.theme import register_fonts

register_fonts()

from kiosk.screens.activity import ActivityScreen  # noqa: E402  (kv rules need the fonts and widgets first)
from kiosk.screens import callback  # noqa: E402
from kiosk.screens.home import HomeScreen  # noqa: E402
from kiosk.platform.framerate import FrameRate  # noqa: E402
from kiosk.idle import IdleGuard  # noqa: E402
from kiosk.screens.admin import AdminPinScreen, AdminScreen  # noqa: E402
from kiosk.platform.lockdown import Lockdown  # noqa: E402
from kiosk.diagnostics import layoutreport, probe  # noqa: E402
from kiosk.screens.manager import LazyScreenManager  # noqa: E402
from kiosk.screens.standby import ClockScreen, ClosedScreen  # noqa: E402
from kiosk.widgets.toolbar import LanguageBar, LanguagePicker, ToolBar  # noqa: E402,F401  (LanguageBar, ToolBar: used by kv rules)
from kiosk.platform.watchdog import Watchdog  # noqa: E402

log = logging.getLogger("wijkkiosk")

BASE_HEIGHT = 480  # the official Pi touchscreen; sizes in kv are in pixels at this height
TEXT_SCALES = (1.0, 1.25, 1.5)  # the text-size switch: three steps
TARGET_MM, PRIMARY_TARGET_MM, GAP_MM = 15, 20, 3  # touch targets and the room between them
PREPARE_AFTER_SECONDS = 6  # the frame rate has come to rest; a visitor who taps sooner builds it


class KioskApp(App):
    u = NumericProperty(1.0)  # scale unit: 1 at 800x480
    mm = NumericProperty(132 / 25.4)  # pixels per millimetre on the panel (screen.dpi)
    text_step = NumericProperty(0)  # index into TEXT_SCALES
    fs = NumericProperty(1.0)  # font unit: u times the chosen text size
    target = NumericProperty(78)  # the smallest touch target, in pixels (15 mm)
    primary_target = NumericProperty(104)  # the main actions (20 mm)
    gap = NumericProperty(16)  # room between touch targets (3 mm)
    speaking = BooleanProperty(False)
    speech_available = BooleanProperty(False)
    portrait = BooleanProperty(False)
    now = ObjectProperty(None, allownone=True)
    lang = StringProperty(DEFAULT_LANGUAGE)
    rtl = BooleanProperty(False)  # the chosen language is written right to left: the layout mirrors
    house_name = StringProperty("")
    status = ObjectProperty(None, allownone=True)  # the last SyncStatus
    clock_status = ObjectProperty(ClockStatus(True, "not checked"))
    is_open = BooleanProperty(True)
    sync_notice = StringProperty("")  # "Bijgewerkt om 07:00" when the programme may be out of date
    callback_enabled = BooleanProperty(False)  # a delivery channel is configured

    def __init__(self, config: Config, db_path: str, clock: KioskClock, config_path: str | None = None, **kwargs):
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.config_path = config_path
        self.db_path = db_path
        self.clock = clock
        self.house_name = config.house_name
        self.callback_enabled = bool(config.delivery.channels)
        self.callback = callback.CallbackFlow(self)
        self.speaker = Speaker.from_config(config)
        self.speech_available = self.speaker.available
        self.store: Store | None = None
        self.worker: SyncWorker | None = None
        self.lockdown: Lockdown | None = None
        self.watchdog = Watchdog()
        self.frame_rate = FrameRate()
        self.idle: IdleGuard | None = None
        self._programme_drawn = False
        self._last_touch = float("-inf")  # nobody has touched the screen yet
        self._refresh_home = Clock.create_trigger(lambda _dt: self.refresh_home())

    # -- building and stopping -------------------------------------------------------------------

    def build(self):
        self.title = f"Wijkkiosk – {self.kiosk_config.house_name}"
        Window.clearcolor = (1, 1, 1, 1)
        self.lockdown = Lockdown(Window)
        Window.bind(size=self._fit_to_window, on_touch_down=self._touched)
        self._fit_to_window(Window, Window.size)
        self.store = Store(self.db_path)
        outbox.migrate(self.store)
        self.now = self.clock.now()
        cfg = self.kiosk_config
        self.idle = IdleGuard(cfg.inactivity_seconds, cfg.idle_warning_seconds, self.reset_visitor)
        manager = LazyScreenManager(transition=NoTransition())
        manager.add_widget(HomeScreen(name="home"))
        lazy = {"activity": ActivityScreen, "closed": ClosedScreen, "clock": ClockScreen,
                "admin_pin": AdminPinScreen, "admin": AdminScreen, **callback.screens()}
        for name, factory in lazy.items():  # built when first needed (kiosk/screens/manager.py)
            manager.add_lazy(name, factory)
        manager.bind(current=self._screen_changed)
        self.worker = SyncWorker(cfg, self.db_path, self.clock.now, self._status_from_worker,
                                 trust_clock=self.clock.preview)
        self.clock_status = self.worker.judge_clock()
        if not self.clock_status.trusted:
            log.warning("clock not trusted: %s", self.clock_status.reason)
        return manager

    def open_settings(self, *_args):
        """F1 opens Kivy's settings panel in other apps; not on a kiosk."""
        return False

    def reload_config(self) -> str:
        """Read the configuration file again and restart the worker with it; a sentence for the admin."""
        if not self.config_path:
            return self.t("This kiosk runs without a settings file.")
        try:
            config = kiosk_config.load(self.config_path)
        except kiosk_config.ConfigError as exc:
            log.warning("configuration not reloaded: %s", exc)
            return self.t("The settings have a mistake; nothing changed: {error}").format(error=str(exc))
        self.kiosk_config = config
        self.house_name = config.house_name
        self.callback_enabled = bool(config.delivery.channels)
        self.worker.reload(config)  # after its round under way: one worker, never two
        log.info("configuration reloaded")
        return self.t("The settings are loaded again.")

    def exit_kiosk(self) -> None:
        """The only ways out: the admin screen, and SIGTERM (systemctl stop)."""
        self.lockdown.allow_exit()
        self.stop()

    def _terminated(self, _signum, _frame) -> None:
        # a signal handler: only hand the exit to the main loop
        Clock.schedule_once(lambda _dt: self.exit_kiosk())

    def on_start(self):
        signal.signal(signal.SIGTERM, self._terminated)
        self.refresh_home()
        self._tick(0)
        Window.bind(on_flip=self._start_worker)  # after the first frame: what is stored shows first
        self.watchdog.start()
        self.frame_rate.start()
        if probe.wanted():  # the benchmark's timing probe, off in normal use
            probe.Probe(self).start()
        if layoutreport.wanted():  # the size and fit checks of the UI tests, off in normal use
            self.layout_reporter = layoutreport.Reporter(self, layoutreport.wanted())  # Clock keeps weak refs
            self.layout_reporter.start()
        Clock.schedule_once(lambda _dt: self.watchdog.ready())  # after the first frame, whatever it shows
        Clock.schedule_once(self._prepare_activity, PREPARE_AFTER_SECONDS)

    def _start_worker(self, *_args) -> None:
        Window.unbind(on_flip=self._start_worker)
        Clock.schedule_once(lambda _dt: self.worker.start())

    def on_stop(self):
        self.speaker.stop()
        self.watchdog.stop()
        if self.worker is not None:
            self.worker.stop()
        if self.store is not None:
            self.store.close()

    def _fit_to_window(self, _window, size) -> None:
        width, height = size
        self.portrait = height > width
        self.u = min(width, height) / BASE_HEIGHT
        self.mm = self.kiosk_config.dpi / 25.4
        # millimetres at least; on a bigger screen the design's proportions (76/100/16 px at 800x480)
        self.target = max(math.ceil(TARGET_MM * self.mm), round(76 * self.u))
        self.primary_target = max(math.ceil(PRIMARY_TARGET_MM * self.mm), round(100 * self.u))
        self.gap = max(math.ceil(GAP_MM * self.mm), round(16 * self.u))
        self.fs = self.u * TEXT_SCALES[self.text_step]

    def on_text_step(self, *_args) -> None:
        self.fs = self.u * TEXT_SCALES[self.text_step]

    # -- time --------------------------------------------------------------------------------

    def _tick(self, _dt) -> None:
        """Once a minute, on the minute: move the clock and the now/next marks, open or close."""
        previous, self.now = self.now, self.clock.now()
        if previous is not None and previous.date() != self.now.date():
            self.worker.force()  # a new day: roll the window
        self.refresh_home()
        self.settle()
        Clock.schedule_once(self._tick, 60.5 - self.now.second - self.now.microsecond / 1e6)

    def opening_spans(self, days: int = 8) -> list:
        """Opening spans from today on, configured or derived from the programme."""
        spans = []
        for offset in range(days):
            day = (self.now + dt.timedelta(days=offset)).date()
            start, end = today.day_bounds(day, self.now.tzinfo)
            occurrences = self.store.occurrences_between(start, end)
            spans += hours.spans_of_day(day, self.now.tzinfo, self.kiosk_config.opening_hours, occurrences)
        return spans

    def settle(self) -> None:
        """Choose the resting screen: the clock notice, the closed screen or the programme.

        A visitor's screens (activity, forms) are left alone; the idle guard brings them home.
        """
        current = self.root.current
        if not self.clock_status.trusted:
            if current in ("home", "closed"):
                self.root.current = "clock"
            return
        if current == "clock":
            self.root.current = "home"
            current = "home"
        spans = self.opening_spans()
        was_open, self.is_open = self.is_open, hours.is_open(self.now, spans)
        if self.is_open != was_open:
            self._run_display_command(self.kiosk_config.display_on_command if self.is_open
                                      else self.kiosk_config.display_off_command)
        self.root.get_screen("closed").next_opening = hours.next_opening(self.now, spans)
        idle_for = time.monotonic() - self._last_touch
        if current == "home" and not self.is_open and idle_for >= self.kiosk_config.inactivity_seconds:
            self.root.current = "closed"
        elif current == "closed" and self.is_open:
            self.root.current = "home"

    def _run_display_command(self, command: str) -> None:
        if command:
            try:
                subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except OSError as exc:
                log.warning("display command failed: %s", exc)

    # -- the one thread boundary ---------------------------------------------------------------

    def _status_from_worker(self, status: SyncStatus) -> None:
        """Called on the worker thread: hand the status to the main thread, nothing else."""
        Clock.schedule_once(lambda _dt: self._apply_status(status))

    def _apply_status(self, status: SyncStatus) -> None:
        self.status = status
        if status.clock is not None and status.clock != self.clock_status:
            self.clock_status = status.clock
            self.settle()
        if status.changed or not self._programme_drawn:
            self._refresh_home()
            self.settle()
        else:
            self.refresh_notice(self.clock.now())

    # -- screens -------------------------------------------------------------------------------

    def on_lang(self, _app, lang: str) -> None:
        self.rtl = lang in RTL_LANGUAGES

    # -- the visitor's tools ---------------------------------------------------------------------

    def open_language_picker(self) -> None:
        LanguagePicker(self.choose_language).open()

    def choose_language(self, lang: str) -> None:
        self.stop_speaking()
        self.lang = lang
        self.refresh_home()

    def next_text_size(self) -> None:
        self.text_step = (self.text_step + 1) % len(TEXT_SCALES)

    def read_aloud(self) -> None:
        """Speak the current screen (a picker or warning on top of it included), or stop speaking."""
        on_top = [w for w in Window.children if w is not self.root]
        text = " ".join(screen_text(w, self.lang) for w in [*reversed(on_top), self.root.current_screen])
        self.speaking = self.speaker.toggle(text, self.lang)
        if self.speaking:
            Clock.schedule_interval(self._watch_speaker, 0.5)

    def _watch_speaker(self, _dt) -> bool:
        self.speaking = self.speaker.speaking
        return self.speaking  # False ends the interval

    def stop_speaking(self) -> None:
        self.speaker.stop()
        self.speaking = False

    def reset_visitor(self) -> None:
        """After inactivity: the next visitor starts in Dutch, with normal text and silence."""
        self.stop_speaking()
        self.text_step = 0
        self.lang = DEFAULT_LANGUAGE
        self.go_home()

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
        self.refresh_notice(now)
        if rows and not self._programme_drawn:
            Window.bind(on_flip=self._first_programme_frame)

    def refresh_notice(self, now: dt.datetime) -> None:
        """Say how old the programme is when it may be out of date (also right after a restart)."""
        names = [s.name for s in self.kiosk_config.sources]
        in_memory = {s.name: s.last_success for s in self.status.sources} if self.status else {}
        last = freshness.last_update(names, in_memory, self.store.last_successes())
        failing = bool(self.status and self.status.failing)
        stale = freshness.is_stale(last, now, self.kiosk_config.sync_interval, failing)
        self.sync_notice = fmt.updated_at(last, now, self.lang) if stale else ""

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

    def _prepare_activity(self, _dt=None) -> None:
        """Build the activity screen and fill it once before the first tap (at rest, after the start).

        Built on the first tap, it took 96 of that tap's 230 ms (docs/benchmarks.md)."""
        if self.root.built("activity") or self.root.current != "home":
            return
        rows = self.root.get_screen("home").rows
        screen = self.root.get_screen("activity")
        if rows:
            screen.size = Window.size  # laid out as when shown (a screen not shown is not in the window)
            screen.occurrence = rows[0].occurrence  # its texts, date formats and QR code made once
            Clock.schedule_once(lambda _dt: self._forget_prepared(screen), 0.5)

    def _forget_prepared(self, screen) -> None:
        if self.root.current != "activity":
            screen.occurrence = None

    def show(self, name: str) -> None:
        """Go to a screen other than home; inactivity brings the visitor home again (the idle guard)."""
        self.root.current = name

    def start_callback(self) -> None:
        """The "call me back" button, on home or on an activity (whose title becomes the request's note)."""
        occurrence = self.root.get_screen("activity").occurrence if self.root.current == "activity" else None
        self.callback.start(note=occurrence.title if occurrence else "")

    def go_home(self) -> None:
        """Back to the programme; everything a visitor opened or typed is forgotten."""
        self.callback.reset()
        self.root.current = "home"
        if self.root.built("activity"):
            self.root.get_screen("activity").occurrence = None
        self.refresh_home()

    def more_time(self) -> None:
        self.idle.poke()

    def _screen_changed(self, _manager, name: str) -> None:
        self.stop_speaking()  # it was reading the screen that is gone
        if name in ("home", "closed", "clock"):
            self.idle.stop()
        else:
            self.idle.start()

    def _touched(self, _window, _touch) -> bool:
        """Every touch: keep the visitor's screen alive; wake a closed screen."""
        self._last_touch = time.monotonic()
        self.frame_rate.touched()
        if self.root is None:
            return False
        if self.idle.warning_shown:
            self.idle.poke()
            return True  # this touch only closes the warning; it must not tap what lies beneath
        self.idle.poke()
        if self.root.current == "closed":
            self.root.current = "home"
            return True
        return self.root.current == "clock"
