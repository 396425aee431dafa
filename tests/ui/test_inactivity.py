"""Inactivity: a warning with "more time" at least 20 s before a visitor's screen goes home."""
import time

import pytest

from tests.conftest import DEMO_FEED

pytestmark = pytest.mark.ui


def test_warning_more_time_and_then_home(screen_factory, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'inactivity_seconds = 26\n[screen]\nidle_warning_seconds = 20\n'
                      f'[[sources]]\nname = "demo"\nlocation = "{DEMO_FEED}"\n')
    screen = screen_factory(800, 480)
    screen.start_app("--config", str(config), "--db", str(tmp_path / "k.db"), "--date", "2024-03-13", "--time", "10:30")
    screen.wait_log("first programme frame drawn")
    screen.tap(*screen.wait_text("Open huis met spreker", timeout=10))
    screen.wait_screen("activity", timeout=10)
    opened = time.monotonic()

    more = screen.wait_text("Ja, ik wil meer tijd", timeout=20)
    shown_after = time.monotonic() - opened
    shot = screen.shot("idle-warning-800x480")
    assert screen.find("Wilt u meer tijd?", shot)
    assert shown_after < 20, "the warning comes well before the reset"
    screen.tap(*more)
    time.sleep(1)
    shot = screen.shot("idle-more-time-800x480")
    assert screen.find("Wilt u meer tijd?", shot) is None
    assert screen.find("Waar: Grote zaal", shot), "still on the activity after 'more time'"

    screen.wait_log("inactivity: back to the start", timeout=60)
    screen.wait_text("Vandaag", timeout=10)
    assert screen.find("Waar: Grote zaal") is None
    shown, reset = logged_at(screen, "inactivity warning shown")[-1], logged_at(screen, "inactivity: back")[-1]
    assert reset - shown >= 19.5, f"the warning stood {reset - shown:.1f} s; it must give 20 s"


def logged_at(screen, text):
    """Times (s) of the app's log lines containing `text`."""
    import datetime as dt

    return [dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f").timestamp()
            for line in screen.log.read_text().splitlines() if text in line]
