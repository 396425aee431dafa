"""Can the kiosk trust its clock? A Pi 1-4 has no battery clock and starts with a wrong time.

`judge()` is pure; `ntp_synchronized()` asks systemd and may take up to 2 s: `ClockJudge` (both together)
runs on the worker thread and, once at start, on a short thread of its own (kiosk/bridge.py).
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import subprocess

from sync.texts import N_

# No correct clock can be earlier than this release (update with each release).
BUILD_FLOOR = dt.datetime(2026, 11, 29, tzinfo=dt.timezone.utc)
DATE_HEADER_TOLERANCE = dt.timedelta(minutes=10)


@dataclasses.dataclass(frozen=True)
class ClockStatus:
    trusted: bool
    reason: str  # for the admin screen and the log


def judge(
    now: dt.datetime,
    *,
    ntp_synchronized: bool | None,
    last_good_sync: dt.datetime | None = None,
    server_date: dt.datetime | None = None,
    floor: dt.datetime = BUILD_FLOOR,
) -> ClockStatus:
    """Trust the clock if time sync says so, or a server agrees; distrust it if it is before what we know."""
    if ntp_synchronized:
        return ClockStatus(True, N_("synchronised with a time server"))
    if server_date is not None and abs(now - server_date) <= DATE_HEADER_TOLERANCE:
        return ClockStatus(True, N_("agrees with the schedule server's clock"))
    known = max([floor] + ([last_good_sync] if last_good_sync else []))
    if now < known:
        return ClockStatus(False, N_("earlier than a moment the kiosk has already seen"))
    if ntp_synchronized is False:
        return ClockStatus(False, N_("time sync has not succeeded yet"))
    return ClockStatus(True, N_("plausible (no time sync service to ask)"))


def ntp_synchronized(timeout: float = 2.0) -> bool | None:
    """systemd's NTPSynchronized flag: True, False, or None when there is no systemd to ask."""
    timedatectl = shutil.which("timedatectl")
    if timedatectl is None:
        return None
    try:
        result = subprocess.run([timedatectl, "show", "-p", "NTPSynchronized", "--value"],
                                capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.SubprocessError):
        return None
    value = result.stdout.strip().lower()
    if result.returncode != 0 or value not in ("yes", "no"):
        return None
    return value == "yes"


class ClockJudge:
    """Judges the system clock (not a --date/--time preview shift) on the worker thread: it may ask systemd."""

    def __init__(self, trust_clock: bool = False):
        self.trust_clock = trust_clock  # the operator set the moment (a preview): nothing to judge

    def judge(self, last_good_sync: dt.datetime | None, server_skew: float | None = None) -> ClockStatus:
        if self.trust_clock:
            return ClockStatus(True, N_("set by the operator"))
        now = dt.datetime.now(dt.timezone.utc)
        server = now + dt.timedelta(seconds=server_skew) if server_skew is not None else None
        return judge(now, ntp_synchronized=ntp_synchronized(), last_good_sync=last_good_sync, server_date=server)
