"""Inactivity: warn before going home ("Wilt u meer tijd?"), then go home and forget the form."""
from __future__ import annotations

from typing import Callable

import logging
import math
import time

from kivy.clock import Clock
from kivy.properties import NumericProperty
from kivy.uix.modalview import ModalView

from kiosk import kvcache


log = logging.getLogger(__name__)


class IdleWarning(ModalView):
    """A calm overlay with a countdown and one big button to continue."""

    seconds_left = NumericProperty(0)


class IdleGuard:
    """Runs while a screen other than home is shown. `poke()` on every touch.

    After `total - warning` seconds without a touch the warning appears; after `warning` more
    seconds `on_expire` is called. Any touch (the button included) closes the warning and
    starts again.
    """

    def __init__(self, total: float, warning: float, on_expire: Callable[[], None]):
        self.total, self.warning = total, max(0.0, min(warning, total))
        self.on_expire = on_expire
        self.active = False
        self._view: IdleWarning | None = None
        self._show_warning = Clock.create_trigger(self._warn, self.total - self.warning)
        self._countdown = None

    @property
    def view(self) -> IdleWarning:
        """The overlay, built when first shown (most visitors never see it)."""
        if self._view is None:
            self._view = IdleWarning()
        return self._view

    def start(self) -> None:
        self.active = True
        self.poke()

    def stop(self) -> None:
        self.active = False
        self._show_warning.cancel()
        self._close_warning()

    def poke(self) -> None:
        if not self.active:
            return
        self._close_warning()
        self._show_warning.cancel()
        self._show_warning()

    @property
    def warning_shown(self) -> bool:
        return self._countdown is not None

    def _warn(self, _dt) -> None:
        self._deadline = time.monotonic() + self.warning  # Kivy's intervals may fire a little early
        self.view.seconds_left = math.ceil(self.warning)
        self.view.open(animation=False)
        log.info("inactivity warning shown (%d s left)", self.view.seconds_left)
        self._countdown = Clock.schedule_interval(self._tick, 0.25)

    def _tick(self, _dt) -> None:
        left = self._deadline - time.monotonic()
        self.view.seconds_left = max(0, math.ceil(left))
        if left <= 0:
            self.stop()
            log.info("inactivity: back to the start")
            self.on_expire()

    def _close_warning(self) -> None:
        if self._countdown is not None:
            self._countdown.cancel()
            self._countdown = None
            self.view.dismiss(animation=False)


kvcache.load_beside(__file__)
