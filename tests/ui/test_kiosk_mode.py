"""Kiosk mode on a virtual screen: no way out, a dim closed screen, the clock notice, systemd pings."""
import os
import signal
import socket
import time

import pytest

from tests.conftest import DEMO_FEED

pytestmark = pytest.mark.ui


def start(screen, tmp_path, *args, env=None):
    screen.start_app("--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *args, env=env)


def test_keys_clicks_and_close_requests_do_not_get_out(screen_factory, tmp_path):
    screen = screen_factory(800, 480)
    start(screen, tmp_path, "--date", "2024-03-13", "--time", "10:30")
    screen.wait_log("first programme frame drawn")
    screen.wait_log("at rest 2 fps and woken by input", timeout=1)  # SDL's wait was found in the process
    row = screen.wait_text("Open huis met spreker", timeout=10)
    for keys in ("Escape", "F1", "alt+F4", "ctrl+q", "ctrl+w"):
        screen.key(keys)
    screen.request_close()
    screen.tap(*row, button=3)  # right click: no multitouch dot, no tap
    screen.tap(*row, button=2)
    time.sleep(1)
    assert screen.alive(), screen.log_tail()
    shot = screen.shot("lockdown-800x480")
    assert screen.find("Open huis met spreker", shot), "still on the home screen"
    assert screen.find("Waar:", shot) is None, "right/middle clicks opened no activity"
    # the request was seen and refused. Under Xvfb without a window manager SDL sometimes reports a
    # WM_DELETE_WINDOW late or not at all (measured: 1 to 3 of 4 requests 3 s apart logged, with and
    # without the input waker), so ask again, as a window manager would on a second click
    deadline = time.monotonic() + 20
    while "close request refused" not in screen.log.read_text(errors="replace"):
        assert time.monotonic() < deadline, f"no close request refused; windows {screen.window_ids()}"
        time.sleep(1.5)
        screen.request_close()
    assert screen.alive()

    # but `systemctl stop` (SIGTERM) ends it at once and cleanly
    os.killpg(screen.app.pid, signal.SIGTERM)
    started = time.monotonic()
    assert screen.app.wait(10) == 0
    assert time.monotonic() - started < 5


def test_closed_screen_shows_next_opening_and_wakes_on_touch(screen_factory, tmp_path):
    display_off, display_on = tmp_path / "display-off", tmp_path / "display-on"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[[sources]]\nname = "demo"\nlocation = "{DEMO_FEED}"\n'
                      f'[screen]\ndisplay_off_command = "touch {display_off}"\n'
                      f'display_on_command = "touch {display_on}"\n')
    screen = screen_factory(800, 480)
    screen.start_app("--config", str(config), "--db", str(tmp_path / "k.db"), "--date", "2024-03-13", "--time", "21:00")
    found = screen.wait_text("Nu gesloten", timeout=20)
    shot = screen.shot("closed-800x480")
    assert screen.find("Morgen open vanaf 09:30 uur.", shot)
    assert display_off.exists(), "the configured command switched the display off"
    assert not display_on.exists()
    screen.tap(*found)
    screen.wait_text("Vandaag", timeout=10)
    assert display_on.exists(), "a touch on the closed screen switched the display on again"
    assert screen.find("Open huis met spreker")  # the day's programme, faded
    assert screen.alive()


def test_untrusted_clock_shows_the_clock_notice_instead_of_a_day(screen_factory, tmp_path):
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    timedatectl = fake_bin / "timedatectl"
    timedatectl.write_text("#!/bin/sh\necho no\n")  # systemd-timesyncd: not synchronised (yet)
    timedatectl.chmod(0o755)
    screen = screen_factory(800, 480)
    start(screen, tmp_path, env={"PATH": f"{fake_bin}:{os.environ['PATH']}"})
    screen.wait_text("De klok wordt gelijkgezet", timeout=20)
    shot = screen.shot("clock-800x480")
    assert screen.find("Vandaag", shot) is None, "no programme of a possibly wrong day"
    assert "clock not trusted" in screen.log.read_text()


def test_systemd_gets_ready_and_watchdog_pings_from_the_main_loop(screen_factory, tmp_path):
    path = str(tmp_path / "notify.sock")
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as server:
        server.bind(path)
        server.settimeout(30)
        screen = screen_factory(800, 480)
        start(screen, tmp_path, "--date", "2024-03-13", "--time", "10:30",
              env={"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "1000000"})
        messages = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not ("READY=1" in messages and messages.count("WATCHDOG=1") >= 3):
            messages.append(server.recv(100).decode())
        assert "READY=1" in messages
        assert messages.count("WATCHDOG=1") >= 3
