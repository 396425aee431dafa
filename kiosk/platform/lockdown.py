"""Kiosk lockdown: no way out for a curious visitor but the admin screen.

Escape is off by configuration (main.py), F1 settings by `KioskApp.open_settings`; this module
refuses window-close requests and swallows right and middle clicks (no multitouch dots, no taps).
"""
from __future__ import annotations

import logging

log = logging.getLogger(__name__)

IGNORED_BUTTONS = {"right", "middle"}


class Lockdown:
    """Binds to the window; `allow_exit()` lets the admin screen close the app."""

    def __init__(self, window):
        self.window = window
        self.exit_allowed = False
        window.bind(on_request_close=self._on_request_close)
        # bound first, so these run before any widget sees the touch
        window.fbind("on_touch_down", self._swallow_odd_buttons)
        window.fbind("on_touch_up", self._swallow_odd_buttons)
        window.fbind("on_touch_move", self._swallow_odd_buttons)

    def allow_exit(self) -> None:
        self.exit_allowed = True

    def _on_request_close(self, *_args, **kwargs) -> bool:
        if self.exit_allowed:
            return False
        log.info("close request refused (source: %s)", kwargs.get("source", "window"))
        return True

    @staticmethod
    def _swallow_odd_buttons(_window, touch) -> bool:
        return getattr(touch, "button", None) in IGNORED_BUTTONS
