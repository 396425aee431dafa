"""The admin screen: opened by a long press on the house's name, then the PIN on the keypad.

It shows counts and states only, never personal data: per source the last success and error,
the callback requests waiting and refused, the version, free disk and the clock.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from sync.callback import outbox
from sync.device import pin
from sync.device.clocktrust import ClockStatus
from sync.version import VERSION
from kiosk import kvcache
from kiosk.i18n import format as fmt
from kiosk.i18n.catalogues import t
from kiosk.widgets.keypad import NumericKeypad  # noqa: F401  (used by admin.kv)
from kiosk.widgets.keys import BACKSPACE
from kiosk.widgets.figureschart import FiguresChart  # noqa: F401  (used by admin.kv)


class AdminPinScreen(Screen):
    digits = StringProperty("")
    message = StringProperty("")
    controller = ObjectProperty(None)  # the app's (bound in admin.kv), as below
    lang = StringProperty("nl")
    now = ObjectProperty(None, allownone=True)

    def on_pre_enter(self, *_args) -> None:
        self.digits, self.message = "", ""

    def on_key(self, value: str) -> None:
        if value == BACKSPACE:
            self.digits = self.digits[:-1]
        elif value.isdigit() and len(self.digits) < pin.MAX_DIGITS:
            self.digits += value

    def submit(self) -> None:
        result = self.controller.check_pin(self.digits)
        self.digits = ""
        if result.ok:
            self.manager.current = "admin"
        elif result.reason == "no_pin":
            self.message = t("There is no PIN yet. Set one with: python main.py set-pin", self.lang)
        elif result.reason == "locked":
            until = result.locked_until.astimezone(self.now.tzinfo)
            self.message = t("Wrong too often. Try again at {time}.", self.lang).format(
                time=fmt.clock(until, self.lang))
        else:
            self.message = t("Wrong PIN. {tries} tries left.", self.lang).format(tries=result.tries_left)


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
    status = ObjectProperty(None, allownone=True)  # the app's last SyncStatus (bound in admin.kv), as below
    clock_status = ObjectProperty(None, allownone=True)
    controller = ObjectProperty(None)
    figures = ObjectProperty(None)  # the kiosk's daily counts (kiosk/figures.py)
    lang = StringProperty("nl")
    now = ObjectProperty(None, allownone=True)

    def on_pre_enter(self, *_args) -> None:
        self.message = ""
        self.refresh()

    def on_status(self, *_args) -> None:
        """A sync round finished (e.g. after "Nu ophalen"): show its outcome, if this screen is shown."""
        if self.manager is not None and self.manager.current == self.name:
            self.refresh()

    def refresh(self) -> None:
        facts = gather(self.status, self.clock_status, self.controller.request_counts_by_kind(),
                       self.controller.free_disk(), self.now.tzinfo, self.lang)
        self.sources_text = "\n".join(facts.sources)
        self.requests_text = facts.requests
        leaving = t("Exit switches the kiosk off until the Pi is started again.", self.lang)
        self.system_text = "\n".join((facts.version, facts.disk, facts.clock, leaving))
        self.ids.figures.totals = self.figures.last_days(7)  # visits a day (kiosk/figures.py)

    def sync_now(self) -> None:
        self.controller.sync_now()
        self.message = t("The programme is being fetched now.", self.lang)

    def retry(self) -> None:
        count = self.controller.retry_rejected()
        self.message = t("{count} refused requests are being sent again.", self.lang).format(count=count)
        self.refresh()

    def reload(self) -> None:
        self.message = self.controller.reload_config()
        self.refresh()


def gather(status, clock: ClockStatus, counts: dict[str, outbox.Counts], free: int, zone: dt.tzinfo,
           lang: str) -> AdminFacts:
    """The admin screen's lines from the last sync status, the clock's, the outbox's counts (per kind:
    callback requests, sign-ups) and the free disk."""
    from babel.numbers import format_decimal  # after the first frame: the admin screen is built late
    def _(message: str) -> str:
        return t(message, lang)

    lines = []
    for source in (status.sources if status else ()):
        if source.last_success:
            line = _("{name}: fetched at {time}").format(
                name=source.name, time=fmt.clock(source.last_success.astimezone(zone), lang))
        else:
            line = _("{name}: not fetched yet").format(name=source.name)
        if source.failures:
            line += " — " + _("{count} failures, last: {error}").format(count=source.failures, error=source.last_error)
        if source.skipped:
            line += " — " + source.skipped  # events the feed has wrong (sync.schedule.limits), as `check` says
        lines.append(line)
    if not lines:
        lines.append(_("No sync round has finished yet."))
    requests = "\n".join(
        name + ": " + _("{pending} waiting, {rejected} refused, {delivered} delivered, {expired} expired").format(
            pending=kind.pending, rejected=kind.rejected, delivered=kind.delivered, expired=kind.expired)
        for name, kind in ((_("Call me back"), counts.get(outbox.CALLBACK, outbox.Counts())),
                           (_("I'm coming too"), counts.get(outbox.SIGNUP, outbox.Counts()))))
    return AdminFacts(
        sources=tuple(lines),
        requests=requests,
        clock=_("Clock: {state} ({reason})").format(
            state=_("right") if clock.trusted else _("not yet right"), reason=_(clock.reason)),
        version=_("Version {version}").format(version=VERSION),
        disk=_("Free disk: {gigabytes} GB").format(gigabytes=format_decimal(round(free / 1e9, 1), "0.0", locale=lang)),
    )


kvcache.load_beside(__file__)
