"""The admin screen: a hidden long press, the PIN on the keypad, counts only, and the only way out."""
import subprocess
import time

import pytest

from tests.conftest import DEMO_FEED, PYTHON, ROOT

pytestmark = pytest.mark.ui


def test_long_press_pin_status_and_exit(screen_factory, tmp_path):
    db = tmp_path / "k.db"
    subprocess.run([PYTHON, str(ROOT / "main.py"), "set-pin", "--db", str(db)], input="2468\n",
                   text=True, check=True, capture_output=True, timeout=60)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'house_name = "Huis van de wijk Crabbehof"\n[[sources]]\nname = "wijk"\nlocation = "{DEMO_FEED}"\n')
    screen = screen_factory(800, 480)
    screen.start_app("--config", str(config), "--db", str(db), "--date", "2024-03-13", "--time", "10:30")
    screen.wait_log("first programme frame drawn")
    title = screen.wait_text("Vandaag", timeout=10)
    screen.tap(*title)  # a short tap does nothing
    time.sleep(0.5)
    assert screen.find("Typ de pincode.") is None
    screen.hold(*title, seconds=3.5)
    screen.wait_text("Typ de pincode.", timeout=10)

    screen.type_on_keypad("1111")
    screen.tap(*screen.wait_text("OK"))
    screen.wait_text("Verkeerde pincode. Nog 4 pogingen.", timeout=10)
    screen.shot("admin-pin-wrong-800x480")
    screen.type_on_keypad("2468")
    screen.tap(*screen.find("OK"))
    screen.wait_text("Nu ophalen", timeout=10)
    shot = screen.shot("admin-800x480")
    assert screen.find("0 wachten, 0 geweigerd", shot)
    assert screen.find("Deze kiosk", shot)  # version, disk and clock below it (scrolls at 800x480)
    assert screen.find("wijk: opgehaald om", shot)

    screen.tap(*screen.find("Nu ophalen", shot))
    screen.wait_text("Het programma wordt nu opgehaald.", timeout=10)
    screen.tap(*screen.find("Opnieuw"))  # the label wraps: "Opnieuw / versturen"
    screen.wait_text("0 geweigerde verzoeken worden opnieuw verstuurd.", timeout=10)
    config.write_text(config.read_text().replace('name = "wijk"', 'name = "stad"'))
    screen.tap(*screen.find("Instellingen"))  # "Instellingen / laden"
    screen.wait_text("De instellingen zijn opnieuw geladen.", timeout=10)
    screen.tap(*screen.find("Nu ophalen"))
    screen.wait_text("stad: opgehaald om", timeout=20)  # the reloaded source, fetched by the new worker
    shot = screen.shot("admin-800x480")

    screen.tap(*screen.find("Afsluiten", shot))
    deadline = time.monotonic() + 15
    while screen.alive() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not screen.alive(), "Exit on the admin screen closes the kiosk"
    assert screen.app.returncode == 0
