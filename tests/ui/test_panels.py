"""Today's programme at a glance on every panel: sizes in millimetres at the panel's density, so a larger
panel shows more of the day; what does not fit is announced ("Nog 3 activiteiten") and a tap shows it;
what has ended is one line at the top. The rows wholly in view are counted by the layout report.
"""
import time

import pytest

from tests.conftest import DEMO_FEED
from tests.ui.test_languages import Layout, centre, read_aloud, target

pytestmark = pytest.mark.ui

# the demo programme's busiest day: the last Thursday of the month, five activities (the Kookhuis cancelled)
BUSIEST = ["--date", "2024-03-28", "--time", "10:30"]
SIZES = [  # width, height, dpi, activities wholly in view at normal text size (issue 14)
    (800, 480, 132, 2),  # the official 7-inch touchscreen
    (1280, 800, 149, 4),  # a 10.1-inch panel
    (1920, 1080, 102, 5),  # a 21.5-inch monitor: the whole day, and what comes next beside it
    (480, 800, 132, 2),  # the 7-inch panel upright
]


def start(screen_factory, tmp_path, width, height, dpi, *moment, env=None):
    screen = screen_factory(width, height)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[delivery.webhook]\nurl = "http://127.0.0.1:9/hook"\ntoken = "t"\n[screen]\ndpi = {dpi}\n')
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *moment,
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path), **(env or {})})
    screen.wait_log("first programme frame drawn")
    return screen, layout


@pytest.mark.parametrize("width, height, dpi, rows", SIZES, ids=[f"{w}x{h}@{d}" for w, h, d, _ in SIZES])
def test_a_larger_panel_shows_more_of_the_day_and_the_rest_is_announced(screen_factory, tmp_path,
                                                                         width, height, dpi, rows):
    screen, layout = start(screen_factory, tmp_path, width, height, dpi, *BUSIEST)
    home = layout.wait("home")
    shot = screen.shot(f"panel-home-{width}x{height}")
    assert home["rows_in_view"] >= rows, f"{home['rows_in_view']} activities wholly in view, wanted {rows}"
    assert home["rows_in_view"] + home["rows_below"] == 5, "every activity is in view or counted below it"
    if home["rows_below"]:
        more = target(home, "MoreButton")
        noun = "activiteit" if home["rows_below"] == 1 else "activiteiten"
        assert more["text"] == f"Nog {home['rows_below']} {noun}"
        assert more["height"] >= 15 * home["px_per_mm"] - 1
    else:
        assert not [t for t in home["targets"] if t["name"] == "MoreButton"]
    if width / (dpi / 132) >= 1400:  # wide: what comes next, with the QR code of its page
        assert screen.find("Straks", shot) and screen.find("Huiswerkhuis", shot)
        assert screen.qr_codes(shot) == ["https://ontmoetingshuis.example/huiswerkhuis"]


def test_more_activities_pages_down_is_read_aloud_and_leads_back_to_the_top(screen_factory, tmp_path):
    wav = tmp_path / "speech.wav"
    screen, layout = start(screen_factory, tmp_path, 800, 480, 132, *BUSIEST, env={"WIJKKIOSK_SPEECH_WAV": str(wav)})
    home = layout.wait("home")
    assert home["rows_below"] == 3
    assert not screen.find("Huiswerkhuis")  # the fourth activity is below the fold

    said = read_aloud(screen, home, wav)
    assert "Nog 3 activiteiten" in said, said
    assert "Papierwinkel: hulp bij brieven en formulieren" in said, "the whole title, not the one cut to fit"
    screen.tap(*centre(target(home, "ReadAloudTool")))  # stop reading

    more = centre(target(home, "MoreButton"))
    screen.tap(*more)
    screen.wait_text("Huiswerkhuis")
    assert not screen.find("Inloop")  # a page further: the top of the day scrolled away
    for _ in range(3):  # to the end, where the same key leads back to the top
        if screen.find("Naar boven"):
            break
        screen.tap(*more)
        time.sleep(1)
    screen.wait_text("Naar boven")
    screen.shot("panel-home-end-800x480")
    screen.tap(*more)
    screen.wait_text("Inloop")
    screen.wait_text("Nog 3 activiteiten")


def test_what_has_ended_is_one_line_so_now_and_next_come_first(screen_factory, tmp_path):
    screen, layout = start(screen_factory, tmp_path, 800, 480, 132, "--date", "2024-03-28", "--time", "16:30")
    home = layout.wait("home")
    shot = screen.shot("panel-home-earlier-800x480")
    assert screen.find("Eerder vandaag: 3", shot)
    assert screen.find("Huiswerkhuis", shot)  # on now (15:30-17:30), the first activity shown
    assert not screen.find("Inloop", shot) and not screen.find("Papierwinkel", shot)
    assert home["rows_in_view"] >= 1 and home["rows_in_view"] + home["rows_below"] == 2
