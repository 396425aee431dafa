"""Old data is said honestly, and a cancelled activity says so: the real app on a virtual screen."""
import socket

import pytest

from sync.config import Config, Source
from sync.worker import SyncWorker
from tests.conftest import DEMO_FEED, local

pytestmark = pytest.mark.ui


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_stale_programme_shows_when_it_was_updated_and_the_cancelled_kookhuis(screen_factory, tmp_path):
    # the kiosk synced at 07:00 and its source has been unreachable since
    db = tmp_path / "k.db"
    SyncWorker(Config(sources=(Source("wijk", str(DEMO_FEED)),)), str(db), lambda: None).run_once(
        local(2024, 3, 28, 7, 0))
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[[sources]]\nname = "wijk"\nlocation = "http://127.0.0.1:{closed_port()}/agenda.ics"\n'
                      "[sync]\ntimeout_seconds = 2\n")

    screen = screen_factory(800, 480)
    screen.start_app("--config", str(config), "--db", str(db), "--date", "2024-03-28", "--time", "16:30")
    screen.wait_log("first programme frame drawn")
    screen.wait_log("source wijk failed")
    screen.wait_text("Bijgewerkt om 07:00")
    # the list opens at what is on now (homework help), the cancelled dinner below it: no scrolling
    screen.wait_text("Vandaag géén Kookhuis: samen eten")
    later = screen.shot("home-stale-cancelled-800x480")
    assert screen.find("Huiswerkhuis", later)
    assert screen.find("Papierwinkel: hulp bij brieven", later) is None, "past activities scrolled away"
    assert screen.find("Bijgewerkt om 07:00", later), "the notice stays in the header, above the list"
    # its badge is under its time, just below the fold at 800x480: a little scrolling shows it
    screen.scroll_down(400, 250, clicks=5)
    screen.wait_text("Gaat niet door")
    assert screen.alive()
