""""Hulp in de wijk" and "Word vrijwilliger" on the real app: one tap from the programme, a page per
organisation with its QR code, the roles the house needs, and "Bel mij terug" with that help as the
topic, to a webhook receiver started here. In six languages (Arabic from the right) and at the three
text sizes, with the targets and text fit the layout report checks.
"""
import time

import pytest

from kiosk.i18n.catalogues import LANGUAGES
from tests.conftest import DEMO_FEED
from tests.receivers import WebhookReceiver
from tests.ui.test_callback_flow import type_digits
from tests.ui.test_languages import Layout, centre, checked, choose_language, read_aloud, target

pytestmark = pytest.mark.ui

MOMENT = ["--date", "2024-03-28", "--time", "10:30"]
HELP = '''
[[help]]
who = "Niemand Alleen"
what = {nl = "Voor wie zich alleen voelt", en = "For those who feel alone", ar = "لمن يشعر بالوحدة"}
when = "Op afspraak"
link = "https://niemand-alleen.example/over-ons"
icon = "people"

[[help]]
who = "Wijkteam"
what = "Hulp bij geld, zorg en opvoeden"
where = "Ontmoetingskerk, spreekkamer"
link = "tel:+31781234567"
icon = "house"

[volunteer]
page = "https://huis.example/vrijwilligers"
[[volunteer.roles]]
title = "Kok bij het Kookhuis"
asks = "Eén avond per maand"
gives = "Samen koken voor de buurt"
[[volunteer.roles]]
title = "Huiswerkbegeleider"
asks = "2 uur per week"
'''


def start(screen_factory, tmp_path, width, height, dpi, hook_url="http://127.0.0.1:9/hook", offer=HELP):
    screen = screen_factory(width, height)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[delivery.webhook]\nurl = "{hook_url}"\ntoken = "t"\n[screen]\ndpi = {dpi}\n{offer}')
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *MOMENT,
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path),
                          "WIJKKIOSK_SPEECH_WAV": str(tmp_path / "speech.wav")})
    screen.wait_log("first programme frame drawn")
    return screen, layout


def tile(report: dict, index: int) -> dict:
    """The help screen's tiles in reading order (Word vrijwilliger first, then the organisations)."""
    tiles = sorted((t for t in report["targets"] if t["name"] in ("VolunteerTile", "HelpTile")),
                   key=lambda t: (t["y"], t["x"]))
    return tiles[index]


def test_help_and_a_call_back_about_it_and_the_volunteer_roles(screen_factory, tmp_path):
    with WebhookReceiver() as hook:
        screen, layout = start(screen_factory, tmp_path, 800, 480, 132, hook.url)
        home = checked(layout.wait("home"))
        assert home["rows_in_view"] >= 2, "the help key costs the programme no row"
        screen.tap(*centre(target(home, "HelpKey")))

        tiles = checked(layout.wait("help"))
        shot = screen.shot("help-tiles-800x480")
        assert screen.find("Word vrijwilliger", shot) and screen.find("Niemand Alleen", shot)
        assert target(tiles, "VolunteerTile") and len([t for t in tiles["targets"] if t["name"] == "HelpTile"]) == 2
        screen.tap(*centre(tile(tiles, 1)))  # Niemand Alleen: the first organisation

        page = checked(layout.wait("help_detail"))
        shot = screen.shot("help-detail-800x480")
        assert screen.find("Voor wie zich alleen voelt", shot) and screen.find("Wanneer: Op afspraak", shot)
        assert screen.qr_codes(shot) == ["https://niemand-alleen.example/over-ons"]
        screen.tap(*centre(target(page, "CallButton")))

        # the topic is the organisation: the flow starts at the phone number, and "Terug" leads back to it
        phone = checked(layout.wait("callback_phone"))
        screen.tap(*centre(target(phone, "BackButton")))
        page = layout.wait("help_detail")
        screen.tap(*centre(target(page, "CallButton")))
        layout.wait("callback_phone")
        type_digits(screen, "0612345678")
        screen.tap(*screen.find("Verder"))
        name = layout.wait("callback_name")
        screen.tap(*centre(target(name, "OneLineButton")))  # "Overslaan"
        moments = layout.wait("callback_moment")
        screen.tap(*centre(target(moments, "MomentButton")))
        layout.wait("callback_consent")
        assert screen.find("Onderwerp: Niemand Alleen", screen.shot("help-consent-800x480"))
        screen.tap(*screen.find("Ja, verstuur"))
        done = layout.wait("callback_done")
        deadline = time.monotonic() + 20
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.2)
        [got] = hook.received
        assert (got["body"]["topic"], got["body"]["phone"]) == ("Niemand Alleen", "+31612345678")

        # a tel: link: the code calls them
        screen.tap(*centre(target(done, "IconAction")))
        home = layout.wait("home")
        screen.tap(*centre(target(home, "HelpKey")))
        tiles = layout.wait("help")
        screen.tap(*centre(tile(tiles, 2)))
        page = checked(layout.wait("help_detail"))
        shot = screen.shot("help-detail-tel-800x480")
        assert screen.qr_codes(shot) == ["tel:+31781234567"]
        assert screen.find("Waar: Ontmoetingskerk, spreekkamer", shot)

        # the volunteer tile: the roles, the house's page, and a call back about volunteering
        screen.tap(*centre(target(page, "BackButton")))
        tiles = layout.wait("help")
        screen.tap(*centre(tile(tiles, 0)))
        roles = checked(layout.wait("volunteer"))
        shot = screen.shot("volunteer-800x480")
        assert screen.find("Kok bij het Kookhuis", shot) and screen.find("Tijd: Eén avond per maand", shot)
        assert screen.qr_codes(shot) == ["https://huis.example/vrijwilligers"]
        screen.tap(*centre(target(roles, "CallButton")))
        layout.wait("callback_phone")
        type_digits(screen, "0612345678")
        screen.tap(*screen.find("Verder"))
        name = layout.wait("callback_name")
        screen.tap(*centre(target(name, "OneLineButton")))
        moments = layout.wait("callback_moment")
        screen.tap(*centre(target(moments, "MomentButton")))
        layout.wait("callback_consent")
        assert screen.find("Onderwerp: Vrijwilliger worden", screen.shot("volunteer-consent-800x480"))
        assert screen.alive()


def test_help_screens_in_six_languages_at_every_text_size_and_read_aloud(screen_factory, tmp_path):
    screen, layout = start(screen_factory, tmp_path, 800, 480, 132)
    home = checked(layout.wait("home", lang="nl"))
    for lang in LANGUAGES:
        if lang != "nl":
            home = choose_language(screen, layout, home, lang)
        # "Word vrijwilliger" one tap away, beside "Hulp in de wijk", in every language on the 7-inch bar
        volunteer = [t for t in home["targets"] if t["name"] == "VolunteerKey"]
        assert len(volunteer) == 1, (lang, home["targets"])
        screen.tap(*centre(target(home, "HelpKey")))
        tiles = checked(layout.wait("help", lang=lang))
        time.sleep(0.5)
        screen.shot(f"help-tiles-{lang}-800x480")
        # right to left: the first tile (Word vrijwilliger) is at the right
        assert (centre(target(tiles, "VolunteerTile"))[0] > 400) == (lang == "ar"), lang
        screen.tap(*centre(target(tiles, "HelpTile")))
        page = checked(layout.wait("help_detail", lang=lang))
        screen.shot(f"help-detail-{lang}-800x480")
        home = go_home(screen, layout, page, lang=lang)
    # the three text sizes, in Dutch
    home = choose_language(screen, layout, home, "nl")
    for step in (1, 2):
        screen.tap(*centre(target(home, "TextSizeTool")))
        home = checked(layout.wait("home", text_step=step))
        screen.tap(*centre(target(home, "HelpKey")))
        tiles = checked(layout.wait("help", text_step=step))
        screen.shot(f"help-tiles-text{step}-800x480")
        screen.tap(*centre(tile(tiles, 0)))
        page = checked(layout.wait("volunteer", text_step=step))
        screen.shot(f"volunteer-text{step}-800x480")
        home = go_home(screen, layout, page, text_step=step)
    # read aloud: the help tiles, names and what they do
    screen.tap(*centre(target(home, "HelpKey")))
    tiles = layout.wait("help")
    spoken = read_aloud(screen, tiles, tmp_path / "speech.wav")
    assert "Hulp in de wijk" in spoken and "Niemand Alleen" in spoken and "Word vrijwilliger" in spoken, spoken
    assert screen.alive()


def go_home(screen, layout, page: dict, **expected) -> dict:
    """Back to the programme with the back keys: a page leads to the help tiles, they to the programme."""
    screen.tap(*centre(target(page, "BackButton")))
    tiles = layout.wait("help", **expected)
    screen.tap(*centre(target(tiles, "BackButton")))
    return checked(layout.wait("home", **expected))


@pytest.mark.parametrize("width, height, dpi", [(800, 480, 132), (1280, 800, 149), (480, 800, 132)])
def test_word_vrijwilliger_and_hulp_in_de_wijk_are_one_tap_each_on_every_panel(screen_factory, tmp_path,
                                                                            width, height, dpi):
    """A house with help tiles and roles: a key for each, with its words, beside the tools in landscape (on
    the 7-inch panel the call button's words take two lines to make the room), upright both beside the
    call button. The programme keeps the rows it shows without them (tests/ui/test_panels.py)."""
    screen, layout = start(screen_factory, tmp_path, width, height, dpi)
    home = checked(layout.wait("home"))
    screen.shot(f"help-home-{width}x{height}")
    assert home["rows_in_view"] >= {800: 2, 1280: 4, 480: 2}[width]
    keys = {t["text"]: t for t in home["targets"] if t["name"] in ("HelpKey", "VolunteerKey")}
    assert sorted(keys) == ["Hulp in de wijk", "Word vrijwilliger"], keys
    helps, volunteer, call = keys["Hulp in de wijk"], keys["Word vrijwilliger"], target(home, "CallButton")
    # in one row: upright with the call button (below the tools), in landscape with the tools and the call
    assert abs(volunteer["y"] - helps["y"]) < 2 and helps["x"] + helps["width"] <= volunteer["x"]
    assert volunteer["x"] + volunteer["width"] <= call["x"] and (abs(volunteer["y"] - call["y"]) < 2) == (width == 480)
    screen.tap(*centre(volunteer))
    page = checked(layout.wait("volunteer"))
    assert screen.wait_text("Kok bij het Kookhuis")
    screen.shot(f"volunteer-{width}x{height}")
    screen.tap(*centre(target(page, "BackButton")))
    home = checked(layout.wait("home"))
    screen.tap(*centre([t for t in home["targets"] if t["text"] == "Hulp in de wijk"][0]))
    tiles = checked(layout.wait("help"))
    screen.shot(f"help-tiles-{width}x{height}")
    assert target(tiles, "VolunteerTile")  # and among the tiles, for whoever looks there


def test_a_house_without_help_shows_no_help_key(screen_factory, tmp_path):
    screen, layout = start(screen_factory, tmp_path, 1280, 800, 149, offer="")
    home = checked(layout.wait("home"))
    assert not [t for t in home["targets"] if t["name"] in ("HelpKey", "VolunteerKey")]


@pytest.mark.parametrize("width, height, dpi", [(800, 480, 132), (1280, 800, 149), (480, 800, 132)])
def test_a_house_with_roles_and_no_help_has_word_vrijwilliger_one_tap_away(screen_factory, tmp_path,
                                                                           width, height, dpi):
    """No help tiles, only roles: the help key's place says "Word vrijwilliger" and opens the roles, on the
    7-inch panel too (a screen with that one tile would be a needless tap); no second volunteer key."""
    screen, layout = start(screen_factory, tmp_path, width, height, dpi, offer=HELP[HELP.index("[volunteer]"):])
    home = checked(layout.wait("home"))
    keys = [t for t in home["targets"] if t["name"] in ("HelpKey", "VolunteerKey")]
    assert [k["name"] for k in keys] == ["HelpKey"]
    assert keys[0]["text"] == "Word vrijwilliger"
    screen.shot(f"roles-only-home-{width}x{height}")
    screen.tap(*centre(keys[0]))
    page = checked(layout.wait("volunteer"))
    screen.shot(f"roles-only-volunteer-{width}x{height}")
    assert screen.wait_text("Kok bij het Kookhuis")
    screen.tap(*centre(target(page, "BackButton")))
    checked(layout.wait("home"))
