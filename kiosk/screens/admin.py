"""The admin screen: opened by a long press on the house's name, then the PIN on the keypad.

It shows counts and states only, never personal data: per source the last success and error,
the callback requests waiting and refused, the version, free disk and the clock.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.lang import Builder
from kivy.properties import NumericProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from sync.callback import outbox
from sync.device import pin
from sync.version import VERSION
from kiosk.i18n import format as fmt
from kiosk.widgets.keypad import BACKSPACE

LONG_PRESS_SECONDS = 3


class LongPressLabel(Label):
    """A label that fires `on_long_press` when held for LONG_PRESS_SECONDS (the hidden gesture)."""

    __events__ = ("on_long_press",)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._held = Clock.create_trigger(lambda _dt: self.dispatch("on_long_press"), LONG_PRESS_SECONDS)

    def on_touch_down(self, touch):
        if self.collide_point(*touch.pos):
            self._held()
        return super().on_touch_down(touch)

    def on_touch_up(self, touch):
        self._held.cancel()
        return super().on_touch_up(touch)

    def on_long_press(self):
        pass


class AdminPinScreen(Screen):
    digits = StringProperty("")
    message = StringProperty("")

    def on_pre_enter(self, *_args) -> None:
        self.digits, self.message = "", ""

    def on_key(self, value: str) -> None:
        if value == BACKSPACE:
            self.digits = self.digits[:-1]
        elif value.isdigit() and len(self.digits) < pin.MAX_DIGITS:
            self.digits += value

    def submit(self) -> None:
        app = App.get_running_app()
        # a slow hash on purpose (~0.1-0.25 s): rare, and only on the admin's tap, never a visitor's
        result = pin.check_pin(app.store, self.digits, dt.datetime.now(dt.timezone.utc))
        self.digits = ""
        if result.ok:
            app.show("admin")
        elif result.reason == "no_pin":
            self.message = app.t("There is no PIN yet. Set one with: python main.py set-pin")
        elif result.reason == "locked":
            until = result.locked_until.astimezone(app.now.tzinfo)
            self.message = app.t("Wrong too often. Try again at {time}.").format(time=fmt.clock(until, app.lang))
        else:
            self.message = app.t("Wrong PIN. {tries} tries left.").format(tries=result.tries_left)


@dataclasses.dataclass(frozen=True)
class AdminFacts:
    """Everything the admin screen shows, as plain text lines (Dutch via the catalogue)."""

    sources: tuple[str, ...]
    requests: str
    clock: str
    version: str
    disk: str


class AdminScreen(Screen):
    sources_text = StringProperty("")
    requests_text = StringProperty("")
    system_text = StringProperty("")
    message = StringProperty("")
    refreshed = NumericProperty(0)

    def on_pre_enter(self, *_args) -> None:
        self.message = ""
        self.refresh()
        App.get_running_app().bind(status=self._new_status)

    def on_leave(self, *_args) -> None:
        App.get_running_app().unbind(status=self._new_status)

    def _new_status(self, *_args) -> None:
        """A sync round finished (e.g. after "Nu ophalen"): show its outcome."""
        self.refresh()

    def refresh(self) -> None:
        facts = gather(App.get_running_app())
        self.sources_text = "\n".join(facts.sources)
        self.requests_text = facts.requests
        self.system_text = "\n".join((facts.version, facts.disk, facts.clock))

    def sync_now(self) -> None:
        app = App.get_running_app()
        app.worker.force()
        self.message = app.t("The programme is being fetched now.")

    def retry(self) -> None:
        app = App.get_running_app()
        count = outbox.retry_rejected(app.store, dt.datetime.now(dt.timezone.utc))
        app.worker.wake()
        self.message = app.t("{count} refused requests are being sent again.").format(count=count)
        self.refresh()

    def reload(self) -> None:
        app = App.get_running_app()
        self.message = app.reload_config()
        self.refresh()


def gather(app) -> AdminFacts:
    t = app.t
    status = app.status
    lines = []
    for source in (status.sources if status else ()):
        if source.last_success:
            line = t("{name}: fetched at {time}").format(
                name=source.name, time=fmt.clock(source.last_success.astimezone(app.now.tzinfo), app.lang))
        else:
            line = t("{name}: not fetched yet").format(name=source.name)
        if source.failures:
            line += " — " + t("{count} failures, last: {error}").format(count=source.failures, error=source.last_error)
        lines.append(line)
    if not lines:
        lines.append(t("No sync round has finished yet."))
    counts = outbox.counts(app.store)
    requests = t("{pending} waiting, {rejected} refused, {delivered} delivered, {expired} expired").format(
        pending=counts.pending, rejected=counts.rejected, delivered=counts.delivered, expired=counts.expired)
    free = shutil.disk_usage(Path(app.db_path).resolve().parent).free
    clock = app.clock_status
    return AdminFacts(
        sources=tuple(lines),
        requests=requests,
        clock=t("Clock: {state} ({reason})").format(
            state=t("right") if clock.trusted else t("not yet right"), reason=t(clock.reason)),
        version=t("Version {version}").format(version=VERSION),
        disk=t("Free disk: {gigabytes} GB").format(gigabytes=f"{free / 1e9:.1f}"),
    )


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
