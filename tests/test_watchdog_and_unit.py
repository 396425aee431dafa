"""systemd: the unit file verifies, and sd_notify messages reach the socket."""
import os
import shutil
import socket
import subprocess

import pytest

from tests.conftest import PYTHON, ROOT

UNIT = ROOT / "assets" / "systemd" / "wijkkiosk.service"


def test_unit_passes_systemd_analyze_verify(tmp_path):
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    text = UNIT.read_text()
    text = text.replace("/home/kiosk/wijkkiosk/.venv/bin/python", PYTHON)
    text = text.replace("/home/kiosk/wijkkiosk/main.py", str(ROOT / "main.py"))
    text = text.replace("WorkingDirectory=/home/kiosk/wijkkiosk", f"WorkingDirectory={ROOT}")
    text = text.replace("User=kiosk", "User=root").replace("Group=kiosk", "Group=root")
    unit = tmp_path / "wijkkiosk.service"
    unit.write_text(text)
    result = subprocess.run(["systemd-analyze", "verify", str(unit)], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "wijkkiosk.service" not in result.stderr, result.stderr  # warnings about our unit
    assert "WatchdogSec=30" in text and "Type=notify" in text and "Restart=on-failure" in text
    assert "Conflicts=getty@tty1.service" in text and "TTYPath=/dev/tty1" in text


def test_notify_sends_to_the_socket(tmp_path):
    from kiosk.platform.watchdog import notify, watchdog_interval  # imports Kivy's clock; no window

    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        assert notify("WATCHDOG=1", {"NOTIFY_SOCKET": path})
        assert server.recv(100) == b"WATCHDOG=1"
    assert not notify("READY=1", {})
    assert watchdog_interval({"WATCHDOG_USEC": "30000000"}) == 15.0
    assert watchdog_interval({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": str(os.getpid() + 1)}) is None
    assert watchdog_interval({}) is None
    assert not notify("WATCHDOG=1", {"NOTIFY_SOCKET": str(tmp_path / "gone.sock")})  # never raises
