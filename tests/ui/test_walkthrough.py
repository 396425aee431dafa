"""Start the real app on a virtual screen, tap an activity, read its QR code: at every panel size."""
import time

import pytest

from tests.conftest import DEMO_FEED

pytestmark = pytest.mark.ui

MOMENT = ["--date", "2024-03-13", "--time", "10:30"]  # 2nd Wednesday: open house with a speaker

# the Pi panel, a monitor, portrait at the default density (tests/ui/test_panels.py: four panels at their own)
SIZES = [(800, 480), (1920, 1080), (480, 800)]


@pytest.mark.parametrize("width, height", SIZES, ids=[f"{w}x{h}" for w, h in SIZES])
def test_tap_an_activity_and_scan_its_qr_code(screen_factory, tmp_path, width, height):
    screen = screen_factory(width, height)
    screen.start_app("--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *MOMENT)
    screen.wait_log("first programme frame drawn")
    target = screen.wait_text("Open huis met spreker", timeout=10)
    home = screen.shot(f"home-{width}x{height}")
    assert screen.find("woensdag 13 maart", home), "the date in words is on the home screen"

    screen.tap(*target)
    screen.wait_screen("activity")  # "Terug" is light on dark: OCR misses it at the 1920x1080 size
    time.sleep(1)
    detail = screen.shot(f"activity-{width}x{height}")
    assert screen.find("Waar: Grote zaal", detail)
    assert screen.qr_codes(detail) == ["https://ontmoetingshuis.example/open-huis"]


def test_activity_without_url_offers_a_calendar_event_and_back_returns_home(screen_factory, tmp_path):
    screen = screen_factory(800, 480)
    # at 13:00 the silence centre (10:00-16:00) is what is on now: the list opens at it
    screen.start_app("--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), "--date", "2024-03-13",
                     "--time", "13:00")
    screen.wait_log("first programme frame drawn")
    screen.tap(*screen.wait_text("Stiltecentrum open"))
    screen.wait_text("Terug")
    detail = screen.shot("activity-calendar-800x480")
    [payload] = screen.qr_codes(detail)
    lines = payload.splitlines()
    assert lines[0] == "BEGIN:VEVENT" and lines[-1] == "END:VEVENT"
    assert "SUMMARY:Stiltecentrum open" in lines
    assert "DTSTART:20240313T090000Z" in lines  # 10:00 in Amsterdam, winter time

    screen.tap_target("activity", "BackButton")  # not the "terug" of "Bel mij terug" below it
    screen.wait_text("Vandaag")
    assert screen.find("Stiltecentrum open")
    assert screen.alive()
