"""The Kivy application: wires its collaborators, keeps the minute tick, and navigates between screens.

Each collaborator owns one job and its part of the configuration; `apply_config()` (start and reload)
hands the configuration to every one of them:
- `kiosk.metrics`: sizes for the window and the panel's density (`app.u`, `app.target`, ...);
- `kiosk.visitor.VisitorSession`: language, text size, reading aloud, the idle guard;
- `kiosk.programme.Programme`: today's rows on the home screen, the "Bijgewerkt om" notice, READY=1;
- `kiosk.resting.RestingScreen`: the programme, the closed screen or the clock notice, display power;
- `kiosk.bridge.WorkerBridge`: the one sync worker and the one thread boundary;
- `kiosk.controller.KioskController`: what the screens ask for (store and worker on their behalf).
What kv binds to are the properties below: attributes down, messages up (to `app.controller`).
"""
from __future__ import annotations

import gc
import logging
import signal
from typing import TYPE_CHECKING

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.properties import BooleanProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.screenmanager import NoTransition

from sync import config as kiosk_config
from sync.callback import outbox
from sync.config import Config
from sync.device.clock import KioskClock
from sync.device.clocktrust import ClockStatus
from sync.offer.model import HouseOffer
from sync.store import Store
from kiosk import diagnostics, methodcache, metrics
from kiosk.bridge import WorkerBridge
from kiosk.controller import KioskController
from kiosk.figures import VisitFigures
from kiosk.i18n import mirror, shaping
from kiosk.i18n.catalogues import DEFAULT_LANGUAGE, RTL_LANGUAGES, gettext_for
from kiosk.platform.framerate import FrameRate
from kiosk.platform.lockdown import Lockdown
from kiosk.platform.watchdog import Watchdog
from kiosk.programme import Programme
from kiosk.resting import RestingScreen
from kiosk.theme import register_fonts

if TYPE_CHECKING:
    from sync.worker import SyncStatus

register_fonts()
shaping.install()  # every Label: joined Arabic, right-to-left lines
mirror.install()  # every horizontal box and grid: laid out from the right in a right-to-left language

from kiosk.screens import callback  # noqa: E402  (kv rules need the fonts and widgets first)
from kiosk.screens.home import HomeScreen  # noqa: E402
from kiosk.screens.manager import LazyScreenManager  # noqa: E402
from kiosk.visitor import VisitorSession  # noqa: E402
from kiosk.widgets.toolbar import LanguageBar, ToolBar  # noqa: E402,F401  (used by kv rules)

log = logging.getLogger("wijkkiosk")

PREPARE_AFTER_SECONDS = 6  # the frame rate has come to rest; a visitor who taps sooner builds it
READY_AT_THE_LATEST = 90  # seconds after the start: a first sync round that takes long (sources time out)
# must not let systemd's start timeout (TimeoutStartSec=120) kill a kiosk that is drawing


class KioskApp(App):
    u = NumericProperty(1.0)  # scale unit: 1 at 132 dpi, the design panel's density (kiosk.metrics)
    mm = NumericProperty(132 / 25.4)  # pixels per millimetre on the panel (screen.dpi)
    text_step = NumericProperty(0)  # index into kiosk.metrics.TEXT_SCALES
    fs = NumericProperty(1.0)  # font unit: u times the chosen text size
    target = NumericProperty(78)  # the smallest touch target, in pixels (15 mm)
    primary_target = NumericProperty(104)  # the main actions (20 mm)
    gap = NumericProperty(16)  # room between touch targets (3 mm)
    speaking = BooleanProperty(False)
    speech_available = BooleanProperty(False)
    portrait = BooleanProperty(False)
    short = BooleanProperty(False)  # a low panel: titles on the programme keep to one line (kiosk.metrics)
    now = ObjectProperty(None, allownone=True)
    lang = StringProperty(DEFAULT_LANGUAGE)
    rtl = BooleanProperty(False)  # the chosen language is written right to left: the layout mirrors
    house_name = StringProperty("")
    status = ObjectProperty(None, allownone=True)  # the last SyncStatus
    clock_status = ObjectProperty(ClockStatus(True, "not checked"))
    is_open = BooleanProperty(True)
    sync_notice = StringProperty("")  # "Bijgewerkt om 07:00" when the programme may be out of date
    callback_enabled = BooleanProperty(False)  # a delivery channel is configured, or the demo runs
    offer = ObjectProperty(HouseOffer())  # help in the neighbourhood and volunteer roles (kiosk/screens/help.py)
    # what kv needs of it (kv does not follow a plain value's attributes): "Hulp in de wijk" has something
    # to show, the house needs volunteers, it is the demo's example data
    has_help = BooleanProperty(False)
    has_roles = BooleanProperty(False)
    has_help_offers = BooleanProperty(False)  # help tiles besides the roles (else the key is the roles')
    offer_is_example = BooleanProperty(False)

    def __init__(self, config: Config, db_path: str, clock: KioskClock, config_path: str | None = None,
                 demo: bool = False, **kwargs):
        super().__init__(**kwargs)
        self.kiosk_config = config
        self.config_path = config_path
        self.db_path = db_path
        self.clock = clock
        self.demo = demo  # the demo programme (no settings, no feed): the callback flow runs, nothing is kept or sent
        mirror.follow(self)  # every box and grid made from now on: laid out by self.rtl
        self.callback = callback.CallbackFlow(self)
        self.bind(lang=self.callback.setter("lang"), offer=self.callback.setter("offer"))
        self.callback.demo = self.demo
        self.store: Store | None = None
        self.bridge: WorkerBridge | None = None
        self.controller: KioskController | None = None
        self.figures: VisitFigures | None = None
        self.visitor: VisitorSession | None = None
        self.resting = RestingScreen(self, config)
        self.lockdown: Lockdown | None = None
        self.watchdog = Watchdog()
        self.frame_rate = FrameRate()
        self.programme = Programme(self)

    # -- building and stopping -------------------------------------------------------------------

    def build(self):
        Window.clearcolor = (1, 1, 1, 1)
        self.lockdown = Lockdown(Window)
        Window.bind(size=self._fit_to_window, on_touch_down=self._touched)
        self.store = Store(self.db_path)
        outbox.migrate(self.store)
        self.now = self.clock.now()
        self.bridge = WorkerBridge(self.kiosk_config, self.db_path, self.clock, self._apply_status,
                                   self._apply_clock)
        self.controller = KioskController(self.store, self.clock, self.bridge, self.db_path, self.reload_config,
                                          demo=self.demo)
        self.figures = VisitFigures(self.store, self.clock, self.kiosk_config.inactivity_seconds,  # daily counts
                                    save=self.controller.add_figures, counting=not self.demo)
        self.controller.on_request = self.figures.callback_request
        self.visitor = VisitorSession(self, self.kiosk_config)
        self.apply_config(self.kiosk_config)  # before the home screen: its rules start at the panel's sizes
        manager = LazyScreenManager(transition=NoTransition())
        manager.add_widget(HomeScreen(name="home"))
        lazy = {"activity": "kiosk.screens.activity:ActivityScreen", "closed": "kiosk.screens.standby:ClosedScreen",
                "clock": "kiosk.screens.standby:ClockScreen", "admin_pin": "kiosk.screens.admin:AdminPinScreen",
                "admin": "kiosk.screens.admin:AdminScreen", "help": "kiosk.screens.help:HelpScreen",
                "help_detail": "kiosk.screens.help:HelpDetailScreen",
                "volunteer": "kiosk.screens.help:VolunteerScreen", **callback.screens()}
        for name, path in lazy.items():  # imported and built when first needed (kiosk/screens/manager.py)
            manager.add_lazy(name, path)
        manager.bind(current=self._screen_changed)
        self.figures.watch(manager)
        return manager

    def apply_config(self, config: Config) -> None:
        """Hand `config` to everything that reads it (at start, and at every reload)."""
        self.kiosk_config = config
        self.title = f"Wijkkiosk – {config.house_name}"
        self.house_name = config.house_name
        self.callback_enabled = bool(config.delivery.channels) or self.demo
        self.refresh_offer()
        self._fit_to_window(Window, Window.size)  # the panel's density
        self.visitor.configure(config)  # inactivity times, voices
        self.resting.configure(config)  # opening hours, display commands
        self.bridge.reload(config)  # the worker: sources, sync, delivery
        self.callback.configure(config)  # topics, retention, promise
        self.figures.configure(config.inactivity_seconds)  # what a visit is

    def refresh_offer(self) -> None:
        """The configuration's help and roles, followed by what the feeds add (their `help` sections)."""
        self.offer = self.kiosk_config.offer.merged(self.store.feed_offer())

    def on_offer(self, _app, offer: HouseOffer) -> None:
        self.has_help = bool(offer.help or offer.roles)
        self.has_roles = bool(offer.roles)
        self.has_help_offers = bool(offer.help)
        self.offer_is_example = offer.example

    def open_settings(self, *_args):
        """F1 opens Kivy's settings panel in other apps; not on a kiosk."""
        return False

    def reload_config(self) -> str:
        """Read the configuration file again and apply it everywhere; a sentence for the admin."""
        if not self.config_path:
            return self.t("This kiosk runs without a settings file.")
        try:
            config = kiosk_config.load(self.config_path)
        except kiosk_config.ConfigError as exc:
            log.warning("configuration not reloaded: %s", exc)
            return self.t("The settings have a mistake; nothing changed: {error}").format(error=str(exc))
        self.apply_config(config)
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
        self._tick(0)  # the programme's first refresh
        Window.bind(on_flip=self._start_worker)  # after the first frame: what is stored shows first
        self.watchdog.start()
        self.frame_rate.start()
        diagnostics.install(self)  # probes for tests and benchmarks; nothing unless a WIJKKIOSK_* asks
        Clock.schedule_once(self.programme.prepare_activity, PREPARE_AFTER_SECONDS)
        # the other screens' modules and kv rules, at rest too (a second later: one piece of work per frame)
        Clock.schedule_once(lambda _dt: self.root.import_pending(), PREPARE_AFTER_SECONDS + 1)
        Clock.schedule_once(lambda _dt: methodcache.keep(prune=True), PREPARE_AFTER_SECONDS + 2)  # and the screens'
        Clock.schedule_once(self._collect_at_the_latest, PREPARE_AFTER_SECONDS)
        Clock.schedule_once(lambda _dt: self.watchdog.ready(), READY_AT_THE_LATEST)

    def _collect_at_the_latest(self, _dt=None) -> None:
        if not gc.isenabled():  # main.py turned it off until the first frame, which has not come
            log.warning("no frame drawn %d s after the start: garbage collection on again", PREPARE_AFTER_SECONDS)
            gc.enable()

    def _start_worker(self, *_args) -> None:
        # after the first frame: the clock's judge (timedatectl, in a thread) and the worker's first round
        # would otherwise compete with the first frame for the interpreter; and a tick after the one that
        # says the first programme frame is drawn (the log line, READY=1), which would otherwise wait for
        # the worker's imports
        Window.unbind(on_flip=self._start_worker)
        Clock.schedule_once(lambda _dt: Clock.schedule_once(self._start_sync))

    def _start_sync(self, _dt=None) -> None:
        # main.py turned the collector off for the start; its first pass over all the start made (about
        # 10 ms) comes here, not in the tick that says the first frame is drawn (Kivy calls the last bound
        # on_flip handler first: this one's tick would come before the programme's)
        gc.enable()
        methodcache.keep()  # for the next start, when this one compiled dataclass methods (the first one)
        self.bridge.judge_clock(self.store.last_sync())  # off this thread
        self.bridge.start()

    def on_stop(self):
        if self.visitor is not None:
            self.visitor.stop()
        self.watchdog.stop()
        if self.figures is not None:
            self.figures.flush()
        if self.bridge is not None:
            self.bridge.stop()
        if self.store is not None:
            self.store.close()

    def _fit_to_window(self, _window, size) -> None:
        sizes = metrics.measure(size, self.kiosk_config.dpi)
        self.portrait, self.short, self.u, self.mm = sizes.portrait, sizes.short, sizes.u, sizes.mm
        self.target, self.primary_target, self.gap = sizes.target, sizes.primary_target, sizes.gap
        self.fs = metrics.font_unit(self.u, self.text_step)

    def on_text_step(self, *_args) -> None:
        self.fs = metrics.font_unit(self.u, self.text_step)

    # -- time and the worker's news (main thread) -------------------------------------------------

    def _tick(self, _dt) -> None:
        """Once a minute, on the minute: move the clock and the now/next marks, open or close."""
        previous, self.now = self.now, self.clock.now()
        if previous is not None and previous.date() != self.now.date():
            self.bridge.force()  # a new day: roll the window
        self.programme.refresh()
        self.resting.choose()
        Clock.schedule_once(self._tick, 60.5 - self.now.second - self.now.microsecond / 1e6)

    def _apply_clock(self, clock: ClockStatus) -> None:
        if clock == self.clock_status:
            return
        if not clock.trusted:
            log.warning("clock not trusted: %s", clock.reason)
        self.clock_status = clock
        if self.root is not None:
            self.resting.choose()

    def _apply_status(self, status: SyncStatus) -> None:
        first = self.status is None
        self.status = status
        if status.clock is not None and status.clock != self.clock_status:
            self._apply_clock(status.clock)
        if status.changed or not self.programme.drawn:
            self.refresh_offer()
            self.programme.refresh_soon()
            self.resting.choose()
        else:
            self.programme.refresh_notice(self.clock.now())
        if first:  # what the kiosk shows once it knows: a day without activities, closed, the clock notice
            self.programme.refresh()  # now, not at the trigger: the frame below must show what the status brought
            Window.bind(on_flip=self._first_resting_frame)
            Window.canvas.ask_update()  # a flip even when the status changed nothing on screen (the clock notice)

    def _first_resting_frame(self, *_args) -> None:
        """systemd hears READY=1 once the first real screen is drawn, not the empty one before it."""
        Window.unbind(on_flip=self._first_resting_frame)
        Clock.schedule_once(lambda _dt: self.watchdog.ready())

    # -- the language -----------------------------------------------------------------------------

    def on_lang(self, _app, lang: str) -> None:
        self.rtl = lang in RTL_LANGUAGES

    def t(self, message: str, lang: str | None = None) -> str:
        """Translate `message`; kv passes `app.lang` so the text follows a language change."""
        return gettext_for(lang or self.lang)(message)

    # -- navigation ---------------------------------------------------------------------------------

    def show_activity(self, occurrence) -> None:
        screen = self.root.get_screen("activity")
        screen.occurrence = occurrence
        self.show("activity")

    def show(self, name: str) -> None:
        """Go to a screen other than home; inactivity brings the visitor home again (the idle guard)."""
        self.root.current = name

    def start_signup(self) -> None:
        """"Ik kom ook" on an activity's page."""
        page = self.root.get_screen("activity")
        self.callback.start_signup(page.occurrence, page.people_left)

    def show_help(self, offer=None) -> None:
        """One organisation's page, or without one the help tiles."""
        if offer is None:
            self.show("help")
            return
        self.root.get_screen("help_detail").help = offer
        self.show("help_detail")

    def show_volunteer(self) -> None:
        """The roles the house needs; "Terug" leads back to where the visitor came from."""
        self.root.get_screen("volunteer").origin = self.root.current
        self.show("volunteer")

    def start_callback(self) -> None:
        """The "call me back" button: on an activity its title becomes the request's note; on a help page
        or the volunteer page that help is the topic (the screen's `callback_context`)."""
        context = getattr(self.root.current_screen, "callback_context", None)
        self.callback.start(**(context() if context else {}))

    def go_home(self) -> None:
        """Back to the programme; everything a visitor opened or typed is forgotten."""
        self.callback.reset()
        self.root.current = "home"
        if self.root.built("activity"):
            self.root.get_screen("activity").occurrence = None
        self.programme.refresh()

    def _screen_changed(self, _manager, name: str) -> None:
        self.visitor.screen_changed(name)
        self.resting.screen_changed(name)  # the panel's power

    def _touched(self, _window, _touch) -> bool:
        """Every touch: keep the visitor's screen alive; wake a closed screen."""
        self.resting.touched()
        self.frame_rate.touched()
        if self.root is None:
            return False
        idle = self.visitor.idle
        if idle.warning_shown:
            idle.poke()
            return True  # this touch only closes the warning; it must not tap what lies beneath
        idle.poke()
        if self.root.current == "closed":
            self.root.current = "home"
            return True
        return self.root.current == "clock"
