""""Ik kom ook" on the real app: an activity that asks for sign-up (the demo's Kookhuis: 30 places, closing
four hours before it starts) shows until when, and how many signed up here; a visitor signs up two
people with a first name and no phone number; the volunteers' webhook receives it as a sign-up; after
the closing moment the button is gone.
"""
import time

import pytest

from tests.conftest import DEMO_FEED
from tests.receivers import WebhookReceiver
from tests.ui.test_callback_flow import type_letters
from tests.ui.test_languages import Layout, centre, checked, choose_language, read_aloud, target

pytestmark = pytest.mark.ui

KOOKHUIS_DAY = ["--date", "2024-04-25"]  # the last Thursday of April: the Kookhuis at 17:30


def start(screen_factory, tmp_path, hook_url, time_of_day, width=800, height=480):
    screen = screen_factory(width, height)
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[delivery.webhook]\nurl = "{hook_url}"\ntoken = "t"\n')
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"),
                     *KOOKHUIS_DAY, "--time", time_of_day, env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path)})
    screen.wait_log("first programme frame drawn")
    return screen, layout


def open_kookhuis(screen, layout, home: dict | None = None) -> dict:
    """The Kookhuis is the day's last row: page down ("Nog N activiteiten") until it is in view."""
    home = home or checked(layout.wait("home"))
    for _ in range(5):
        found = screen.find("Kookhuis")
        if found:
            break
        screen.tap(*centre(target(home, "MoreButton")))
        time.sleep(1.5)
    screen.tap(*found)
    return checked(layout.wait("activity"))


def test_a_visitor_signs_up_two_people(screen_factory, tmp_path):
    with WebhookReceiver() as hook:
        screen, layout = start(screen_factory, tmp_path, hook.url, "13:00")
        page = open_kookhuis(screen, layout)
        shot = screen.shot("signup-0-activity-800x480")
        assert screen.find("Aanmelden kan tot 13:30", shot)
        assert screen.find("0 mensen hebben zich", shot)
        screen.tap(*centre(target(page, "SignupButton")))

        people = checked(layout.wait("callback_people"))
        screen.shot("signup-1-people-800x480")
        assert sorted(t["text"] for t in people["targets"] if t["name"] == "PeopleButton") == [str(n) for n in range(1, 7)]
        screen.tap(*centre(target(people, "PeopleButton", "2")))

        name = checked(layout.wait("callback_name"))
        screen.tap(*centre(target(name, "OneLineButton")))  # "Verder" without a name: asked again
        assert screen.find("Typ uw voornaam", screen.shot("signup-2-name-empty-800x480"))
        type_letters(screen, "fatima")
        screen.wait_text("Fatima")
        screen.tap(*centre(target(name, "OneLineButton")))

        phone = checked(layout.wait("callback_phone"))
        shot = screen.shot("signup-3-phone-800x480")
        assert screen.find("U mag dit overslaan", shot)
        skip = target(phone, "BigButton")
        assert skip["text"].startswith("Overslaan")
        screen.tap(*centre(skip))

        consent = checked(layout.wait("callback_consent"))
        shot = screen.shot("signup-4-consent-800x480")
        for text in ("Activiteit: Kookhuis: samen eten", "Naam: Fatima", "2 personen", "Telefoon: (niet gegeven)"):
            assert screen.find(text, shot), text
        screen.tap(*screen.find("Ja, meld mij aan", shot))

        checked(layout.wait("callback_done"))
        assert screen.find("U bent aangemeld", screen.shot("signup-5-done-800x480"))
        deadline = time.monotonic() + 20
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.2)
        [got] = hook.received
        body = got["body"]
        assert (body["kind"], body["name"], body["phone"]) == ("signup", "Fatima", "")
        assert (body["signup"]["people"], body["signup"]["activity"]) == (2, "Kookhuis: samen eten")
        assert body["signup"]["start"].startswith("2024-04-25T17:30")

        # back on the page, the count has grown (no names)
        screen.tap(*screen.find("Terug naar het programma"))
        open_kookhuis(screen, layout)
        assert screen.find("2 mensen hebben zich", screen.shot("signup-6-count-800x480"))
        assert screen.alive()


def test_after_the_closing_moment_the_button_is_gone(screen_factory, tmp_path):
    screen, layout = start(screen_factory, tmp_path, "http://127.0.0.1:9/hook", "14:00")
    page = open_kookhuis(screen, layout)
    assert not [t for t in page["targets"] if t["name"] == "SignupButton"]
    assert target(page, "CallButton")
    assert not screen.find("Aanmelden kan", screen.shot("signup-closed-800x480"))


def test_signing_up_upright_at_the_largest_text(screen_factory, tmp_path):
    screen, layout = start(screen_factory, tmp_path, "http://127.0.0.1:9/hook", "13:00", 480, 800)
    home = checked(layout.wait("home"))
    for step in (1, 2):
        screen.tap(*centre(target(home, "TextSizeTool")))
        home = checked(layout.wait("home", text_step=step))
    page = open_kookhuis(screen, layout, home)
    screen.shot("signup-activity-480x800-text2")
    screen.tap(*centre(target(page, "SignupButton")))
    checked(layout.wait("callback_people", text_step=2))
    screen.shot("signup-people-480x800-text2")


def test_signing_up_in_arabic_from_the_right_and_read_aloud(screen_factory, tmp_path):
    screen = screen_factory(800, 480)
    config = tmp_path / "kiosk.toml"
    config.write_text('[delivery.webhook]\nurl = "http://127.0.0.1:9/hook"\ntoken = "t"\n')
    layout = Layout(tmp_path / "layout.jsonl")
    wav = tmp_path / "speech.wav"
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"),
                     *KOOKHUIS_DAY, "--time", "13:00",
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path), "WIJKKIOSK_SPEECH_WAV": str(wav)})
    screen.wait_log("first programme frame drawn")
    home = choose_language(screen, layout, checked(layout.wait("home")), "ar")
    page = open_kookhuis(screen, layout, home)
    screen.shot("signup-activity-ar-800x480")
    signup, call = target(page, "SignupButton"), target(page, "CallButton")
    assert signup["x"] > call["x"], "right to left: 'Ik kom ook' comes first, at the right"
    screen.tap(*centre(signup))
    people = checked(layout.wait("callback_people", lang="ar"))
    screen.shot("signup-people-ar-800x480")
    keys = {t["text"]: t for t in people["targets"] if t["name"] == "PeopleButton"}
    assert keys["1"]["x"] > keys["3"]["x"], "the keys fill from the right"
    spoken = read_aloud(screen, people, wav)
    assert "1" in spoken and "6" in spoken, spoken


def test_without_a_delivery_channel_nobody_is_asked_to_sign_up(screen_factory, tmp_path):
    """A feed without settings (no webhook, no e-mail): nobody would receive it, so no "Ik kom ook"."""
    screen = screen_factory(800, 480)
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *KOOKHUIS_DAY, "--time", "13:00",
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path)})
    screen.wait_log("first programme frame drawn")
    page = open_kookhuis(screen, layout)
    assert not [t for t in page["targets"] if t["name"] in ("SignupButton", "CallButton")]
