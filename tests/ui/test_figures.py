"""The daily figures after a scripted visit on the real app: what was counted, and that `report` prints it."""
import subprocess
import time

import pytest

from tests.conftest import DEMO_FEED, PYTHON, ROOT

pytestmark = pytest.mark.ui

MOMENT = ["--date", "2024-03-13", "--time", "10:30"]


def test_a_visit_is_counted_by_day_without_a_trail(screen_factory, tmp_path):
    screen = screen_factory(800, 480)
    metrics = tmp_path / "wijkkiosk.prom"
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[monitoring]\nprometheus_textfile = "{metrics}"\n')
    db = tmp_path / "k.db"
    wav = tmp_path / "speech.wav"
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(db), *MOMENT,
                     env={"WIJKKIOSK_SPEECH_WAV": str(wav)})
    screen.wait_log("first programme frame drawn")

    screen.tap(*screen.wait_text("Open huis met spreker", timeout=10))  # the visit's first touch
    back = screen.wait_text("Terug")
    screen.tap(*back)
    screen.wait_text("Vandaag")
    screen.tap_target("home", "LanguageButton", "English")
    screen.wait_text("Today")
    screen.tap_target("home", "TextSizeTool")
    screen.tap_target("home", "TextSizeTool")
    screen.tap_target("home", "ReadAloudTool")
    deadline = time.monotonic() + 30
    while not wav.exists() and time.monotonic() < deadline:  # renamed into place when complete
        time.sleep(0.2)
    assert wav.exists(), "the screen was read aloud"
    screen.stop()  # SIGTERM: what was counted is written as the kiosk stops

    report = subprocess.run([PYTHON, str(ROOT / "main.py"), "--db", str(db), "report", "--from", "2024-03-13",
                             "--to", "2024-03-13"], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert report.returncode == 0, report.stderr
    lines = report.stdout.splitlines()
    assert lines[0] == "date,figure,detail,count"
    rows = {tuple(line.split(",")[1:3]): int(line.split(",")[3]) for line in lines[1:]}
    assert all(line.startswith("2024-03-13,") for line in lines[1:])
    assert rows == {
        ("visits", ""): 1,  # one visitor: every tap after the first belongs to the same visit
        ("activity_views", "Open huis met spreker"): 1,
        ("qr_codes_shown", ""): 1,
        ("language_choices", "en"): 1,
        ("text_size_choices", "125%"): 1,
        ("text_size_choices", "150%"): 1,
        ("read_aloud_uses", ""): 1,
    }
    assert 'wijkkiosk_screen_state{state="open"} 1.0' in metrics.read_text()
