"""A device booted without its display (no GPU: a cable out, a monitor off at boot, a missing driver).

The kiosk must say so in one plain journal line, without a traceback, and the unit must wait longer
before each next try instead of starting it again every 5 seconds.
"""
from __future__ import annotations

import re
import time

from tests.device.conftest import TIMINGS
from tests.device.kiosk import kiosk_config


def test_without_a_display_one_clear_line_and_the_unit_backs_off(boot):
    kiosk = boot("no-screen", gpu=False)
    started = time.monotonic()
    kiosk.install(kiosk_config())
    journal = kiosk.wait_journal(r"no screen to draw on.*Next try in 20 s", timeout=300)
    TIMINGS.append(("no screen: unit start to the second try's line", time.monotonic() - started))
    lines = [line for line in journal.splitlines() if "no screen to draw on" in line]
    assert len(lines) == 2, journal
    assert "Next try in 10 s" in lines[0] and "Next try in 20 s" in lines[1]
    assert "kmsdrm not available" in lines[0] or "No such file" in lines[0] or "kmsdrm" in lines[0], lines[0]
    assert "Traceback" not in journal and 'File "' not in journal, journal
    errors = [line for line in journal.splitlines() if re.search(r" (ERROR|CRITICAL) ", line)]
    assert errors == lines, "nothing else is reported as an error"
    # systemd knows why it waits, and its starts are spread out (10 s, then 20 s, ... not every 5 s)
    status = kiosk.guest.run("systemctl show -p StatusText -p NRestarts wijkkiosk")[1]
    assert "No screen" in status and "NRestarts=1" in status, status
