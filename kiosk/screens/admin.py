"""The admin screen: opened by a long press on the house's name, then the PIN on the keypad.

It shows counts and states only, never personal data: per source the last success and error,
the callback requests waiting and refused, the version, free disk and the clock.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path

from kivy.app import App
from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from sync.device import pin
from sync.version import VERSION
from kiosk.i18n import format as fmt
from kiosk.widgets.keypad import BACKSPACE
from kiosk.widgets.figureschart import FiguresChart  # noqa: F401  (used by admin.kv)


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
        result = app.controller.check_pin(self.digits)
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
    status = ObjectProperty(None, allownone=True)  # the app's last SyncStatus (bound in admin.kv)

    def on_pre_enter(self, *_args) -> None:
        self.message = ""
        self.refresh()

    def on_status(self, *_args) -> None:
        """A sync round finished (e.g. after "Nu ophalen"): show its outcome, if this screen is shown."""
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()

    def refresh(self) -> None:
        facts = gather(App.get_running_app())
        self.sources_text = "\n".join(facts.sources)
        self.requests_text = facts.requests
        leaving = App.get_running_app().t("Exit switches the kiosk off until the Pi is started again.")
        self.system_text = "\n".join((facts.version, facts.disk, facts.clock, leaving))
        self.ids.figures.totals = App.get_running_app().figures.last_days(7)  # visits a day (kiosk/figures.py)

    def sync_now(self) -> None:
        app = App.get_running_app()
        app.controller.sync_now()
        self.message = app.t("The programme is being fetched now.")

    def retry(self) -> None:
        app = App.get_running_app()
        count = app.controller.retry_rejected()
        self.message = app.t("{count} refused requests are being sent again.").format(count=count)
        self.refresh()

    def reload(self) -> None:
        app = App.get_running_app()
        self.message = app.controller.reload_config()
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
    counts = app.controller.request_counts()
    requests = t("{pending} waiting, {rejected} refused, {delivered} delivered, {expired} expired").format(
        pending=counts.pending, rejected=counts.rejected, delivered=counts.delivered, expired=counts.expired)
    free = app.controller.free_disk()
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
