"""systemd integration: READY=1 once the first real screen is drawn, WATCHDOG=1 from Kivy's main loop.

The pings come from the Kivy clock, so a hung UI stops them and systemd restarts the kiosk
(`WatchdogSec=` in the unit). Without NOTIFY_SOCKET (not under systemd) nothing happens.
"""
from __future__ import annotations

import os
import socket

from kivy.clock import Clock


def notify(message: str, environ=os.environ) -> bool:
    """Send one sd_notify message; False when not running under systemd."""
    address = environ.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):  # abstract namespace
        address = "\0" + address[1:]
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
            sock.connect(address)
            sock.sendall(message.encode())
    except OSError:  # systemd re-executing itself: the next ping will do; the kiosk must not die of it
        return False
    return True


def watchdog_interval(environ=os.environ) -> float | None:
    """Half of systemd's WATCHDOG_USEC in seconds, or None when no watchdog is asked for."""
    usec = environ.get("WATCHDOG_USEC", "")
    pid = environ.get("WATCHDOG_PID", "")
    if not usec.isdigit() or (pid and pid != str(os.getpid())):
        return None
    return int(usec) / 2e6


class Watchdog:
    def __init__(self):
        self.interval = watchdog_interval()
        self._event = None
        self.is_ready = False

    def start(self) -> None:
        if self.interval:
            self._event = Clock.schedule_interval(lambda _dt: notify("WATCHDOG=1"), self.interval)

    def ready(self) -> None:
        """Tell systemd the kiosk has started (once: the programme or the first screen that replaces it)."""
        if not self.is_ready:
            self.is_ready = True
            notify("READY=1")

    def stop(self) -> None:
        if self._event is not None:
            self._event.cancel()
        notify("STOPPING=1")
