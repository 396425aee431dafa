"""Opening the kiosk's window, and what to do when there is no screen to draw on.

No screen: under kmsdrm the HDMI cable is out or the monitor was off at boot, another program holds
the display (DRM master), or the driver is missing. Kivy then logs every window provider's failure
with a traceback and leaves `Window` as None, and the app would die on its first use. Instead the
kiosk says it in one plain line and, under systemd, waits longer before each next try (10 s, 20 s,
40 s ... 5 minutes), so the journal is not filled every 5 seconds while nobody is there to plug a
cable in. The count lives in the unit's runtime directory: a reboot or one good start resets it.
"""
from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

from kiosk.platform.watchdog import notify

FIRST_DELAY, MAX_DELAY = 10, 300  # seconds
COUNT_FILE = "no-screen-count"


class NoDisplay(RuntimeError):
    """No window could be opened; the message says why, in a few words."""


class _ProviderFailures(logging.Filter):
    """Keeps Kivy's "Unable to find any valuable Window provider" record (tracebacks and all) out of
    the log, and remembers the providers' own reasons."""

    def __init__(self):
        super().__init__()
        self.reasons: list[str] = []

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "Unable to find any valuable Window provider" not in message:
            return True
        # "sdl2 - RuntimeError: b'kmsdrm not available'" and its traceback, for each provider
        self.reasons = [f"{name}: {reason.strip()}" for name, reason in
                        re.findall(r"^(\w+) - \w+: (.+)$", message, flags=re.MULTILINE)]
        return False


def open_window():
    """Kivy's Window (opened on import), or NoDisplay with the providers' reasons."""
    from kivy.logger import Logger

    failures = _ProviderFailures()
    Logger.addFilter(failures)
    try:
        from kivy.core.window import Window
    finally:
        Logger.removeFilter(failures)
    if Window is None:
        reasons = "; ".join(clean(r) for r in failures.reasons) or "no window provider could open a window"
        raise NoDisplay(reasons)
    return Window


def clean(reason: str) -> str:
    """"sdl2: b'kmsdrm not available'" -> "sdl2: kmsdrm not available"."""
    return re.sub(r"""\bb(['"])(.*?)\1""", r"\2", reason)


def retry_delay(count: int) -> int:
    """Seconds to wait after the `count`-th start in a row without a screen (1, 2, ...)."""
    return min(MAX_DELAY, FIRST_DELAY * 2 ** max(0, count - 1))


def count_failure(environ=os.environ) -> int | None:
    """Count one more start without a screen; None when not under the unit (no RUNTIME_DIRECTORY)."""
    folder = environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    if not folder:
        return None
    path = Path(folder) / COUNT_FILE
    try:
        count = int(path.read_text()) + 1
    except (OSError, ValueError):
        count = 1
    try:
        path.write_text(str(count))
    except OSError:
        return None
    return count


def forget_failures(environ=os.environ) -> None:
    """A window opened: the next time without a screen starts again at the first delay."""
    folder = environ.get("RUNTIME_DIRECTORY", "").split(":")[0]
    if folder:
        (Path(folder) / COUNT_FILE).unlink(missing_ok=True)


def wait_before_exit(seconds: int, reason: str, sleep=time.sleep) -> None:
    """Wait before ending, so systemd's next start comes later; systemd is told why and to wait."""
    notify(f"STATUS=No screen ({reason}); next try in {seconds} s")
    remaining = seconds
    while remaining > 0:
        notify(f"EXTEND_TIMEOUT_USEC={(min(remaining, 30) + 30) * 1_000_000}")
        step = min(remaining, 30)
        sleep(step)
        remaining -= step
