"""Six languages, right to left, touch targets in millimetres, the largest text, and read aloud.

The app writes a layout report (kiosk/diagnostics/layoutreport.py) for every screen it shows: its touch targets with
their place on the screen, their size problems at the panel's density (132 dpi, the official 7-inch
display), and labels whose text does not fit. The test taps what a visitor would tap, found in that
report, so it works in Arabic too, where OCR cannot read the screen; it keeps a screenshot of the home,
activity and callback screens in every language (out/screens/lang-*.png) to be looked at.
"""
import json
import subprocess
import time
import wave

import pytest

from kiosk.i18n.catalogues import LANGUAGES, gettext_for
from tests.conftest import DEMO_FEED, PYTHON, ROOT

pytestmark = pytest.mark.ui

MOMENT = ["--date", "2024-03-13", "--time", "10:30"]
WIDTH, HEIGHT = 800, 480


class Layout:
    """The app's layout report, read like a visitor's eyes: what is on screen and where."""

    def __init__(self, path):
        self.path, self.seen = path, 0

    def wait(self, screen: str, timeout: float = 20, **expected) -> dict:
        """The first report after the last one read that shows `screen` (with `expected` values)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            lines = self.path.read_text(encoding="utf-8").splitlines() if self.path.exists() else []
            for number, line in enumerate(lines[self.seen:], start=self.seen):
                try:
                    report = json.loads(line)
                except json.JSONDecodeError:  # the app is still writing this line
                    break
                if report["screen"] == screen and all(report.get(k) == v for k, v in expected.items()):
                    self.seen = number + 1
                    return report
            time.sleep(0.2)
        raise AssertionError(f"no layout report of {screen} {expected} within {timeout}s")


def target(report: dict, name: str, text: str | None = None) -> dict:
    for t in report["targets"]:
        if t["name"] == name and (text is None or t["text"] == text):
            return t
    raise AssertionError(f"no {name} {text or ''} on {report['screen']}: {[t['name'] for t in report['targets']]}")


def centre(t: dict) -> tuple[int, int]:
    return int(t["x"] + t["width"] / 2), int(t["y"] + t["height"] / 2)


def read_aloud(screen, report: dict, wav) -> str:
    """Tap "Voorlezen" on the screen of `report`; the text spoken (the app writes WIJKKIOSK_SPEECH_WAV)."""
    wav.unlink(missing_ok=True)
    screen.tap(*centre(target(report, "ReadAloudTool")))
    deadline = time.monotonic() + 60
    while not wav.exists() and time.monotonic() < deadline:  # renamed into place when complete
        time.sleep(0.2)
    with wave.open(str(wav)) as sound:
        assert sound.getnframes() / sound.getframerate() > 0.5
    return wav.with_name(wav.name + ".txt").read_text(encoding="utf-8")


def checked(report: dict) -> dict:
    """Every screen: targets of 15 mm (main actions 20 mm), 3 mm apart; all text fits."""
    where = f"{report['screen']} {report['popups']} in {report['lang']} (text size {report['text_step']})"
    assert report["problems"] == [], where
    assert report["text_problems"] == [], where
    return report


@pytest.fixture
def kiosk(screen_factory, tmp_path):
    screen = screen_factory(WIDTH, HEIGHT)
    config = tmp_path / "kiosk.toml"
    config.write_text('[delivery.webhook]\nurl = "http://127.0.0.1:9/hook"\ntoken = "t"\n[screen]\ndpi = 132\n')
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *MOMENT,
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path),
                          "WIJKKIOSK_SPEECH_WAV": str(tmp_path / "speech.wav")})
    screen.wait_log("first programme frame drawn")
    return screen, layout, tmp_path


def choose_language(screen, layout, home: dict, lang: str) -> dict:
    """One tap on the programme screen's language bar."""
    screen.tap(*centre(target(home, "LanguageButton", LANGUAGES[lang])))
    return checked(layout.wait("home", popups=[], lang=lang))


def choose_language_in_picker(screen, layout, report: dict, lang: str) -> dict:
    """The other screens: the globe opens the six languages."""
    screen.tap(*centre(target(report, "LanguageTool")))
    picker = checked(layout.wait(report["screen"], popups=["LanguagePicker"]))
    screen.tap(*centre(target(picker, "ChoiceButton", LANGUAGES[lang])))
    return checked(layout.wait(report["screen"], popups=[], lang=lang))


def test_home_activity_and_callback_in_six_languages(kiosk):
    screen, layout, _tmp = kiosk
    home = checked(layout.wait("home", lang="nl"))
    for lang in LANGUAGES:
        if lang != "nl":
            home = choose_language(screen, layout, home, lang)
        time.sleep(0.5)
        screen.shot(f"lang-home-{lang}-800x480")
        rtl = lang == "ar"
        # the six languages in one row at the top, no globe; right to left, Nederlands is at the right
        bar = [t for t in home["targets"] if t["name"] == "LanguageButton"]
        assert [t["text"] for t in bar] and {t["y"] for t in bar} == {bar[0]["y"]} and len(bar) == 6, bar
        assert not [t for t in home["targets"] if t["name"] == "LanguageTool"]
        assert (centre(target(home, "LanguageButton", "Nederlands"))[0] > WIDTH / 2) == rtl, lang
        # right to left: the tools sit at the right, the call button at the left (the layout mirrors)
        assert (centre(target(home, "TextSizeTool"))[0] > WIDTH / 2) == rtl, lang
        assert (centre(target(home, "CallButton"))[0] < WIDTH / 2) == rtl, lang

        screen.tap(*centre(target(home, "ActivityRow")))
        activity = checked(layout.wait("activity", lang=lang))
        assert (centre(target(activity, "BackButton"))[0] > WIDTH / 2) == rtl, lang
        time.sleep(0.5)
        screen.shot(f"lang-activity-{lang}-800x480")

        screen.tap(*centre(target(activity, "CallButton")))
        topics = checked(layout.wait("callback_topic", lang=lang))
        first = target(topics, "TopicButton", gettext_for(lang)("Paperwork and forms"))
        assert (centre(first)[0] > WIDTH / 2) == rtl, lang  # right to left, the first topic is at the right
        time.sleep(0.5)
        screen.shot(f"lang-callback-{lang}-800x480")
        screen.tap(*centre(target(topics, "BackButton")))  # back to the activity it came from
        activity = layout.wait("activity", lang=lang)
        screen.tap(*centre(target(activity, "BackButton")))
        home = layout.wait("home", lang=lang)
        if lang == "nl":  # the row that was tapped (the first, the only one whole at 800x480) keeps its mark
            time.sleep(0.5)
            back = screen.shot("lang-home-nl-back-800x480")
            marks = [line for line in screen.lines(back, passes=("raw",)) if "Nu bezig" in " ".join(w[0] for w in line)]
            assert len(marks) >= 1, marks


def test_inactivity_brings_the_next_visitor_back_to_dutch(screen_factory, tmp_path):
    screen = screen_factory(WIDTH, HEIGHT)
    config = tmp_path / "kiosk.toml"
    # the warning comes 4 s after the last touch: time to see the activity in Turkish before it covers it
    config.write_text("inactivity_seconds = 24\n[screen]\nidle_warning_seconds = 20\n")
    layout = Layout(tmp_path / "layout.jsonl")
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"), *MOMENT,
                     env={"WIJKKIOSK_LAYOUT_REPORT": str(layout.path)})
    screen.wait_log("first programme frame drawn")
    home = layout.wait("home", lang="nl")
    screen.tap(*centre(target(home, "TextSizeTool")))
    home = layout.wait("home", lang="nl", text_step=1)
    screen.tap(*centre(target(home, "ActivityRow")))
    activity = layout.wait("activity", lang="nl")
    choose_language_in_picker(screen, layout, activity, "tr")  # the globe on the activity screen
    back = layout.wait("home", timeout=45)  # no touch: the warning, then home
    assert (back["lang"], back["text_step"]) == ("nl", 0)
    assert screen.find("Vandaag")


def test_largest_text_fits_on_every_screen(kiosk):
    screen, layout, _tmp = kiosk

    def look(name: str, **expected) -> dict:
        report = layout.wait(name, **expected)
        time.sleep(0.3)
        screen.shot(f"large-{name}-800x480")  # first the picture, to see what a failure looks like
        return checked(report)

    home = layout.wait("home", lang="nl")
    for step in (1, 2):
        screen.tap(*centre(target(home, "TextSizeTool")))
        home = look("home", text_step=step)
    screen.tap(*centre(target(home, "ActivityRow")))
    activity = look("activity", text_step=2)
    screen.tap(*centre(target(activity, "CallButton")))
    topics = look("callback_topic")
    screen.tap(*centre(target(topics, "TopicButton")))
    phone = look("callback_phone")
    for digit in "0612345678":
        screen.tap(*centre(target(phone, "KeyButton", digit)))
        time.sleep(0.05)
    screen.tap(*centre(target(phone, "BigButton")))
    name = look("callback_name")
    for letter in "AB":
        screen.tap(*centre(target(name, "KeyButton", letter)))
        time.sleep(0.05)
    time.sleep(0.3)
    screen.tap(*centre(target(name, "OneLineButton")))
    moment = look("callback_moment")
    screen.tap(*centre(target(moment, "MomentButton")))
    consent = look("callback_consent")
    screen.tap(*centre(target(consent, "IconAction")))
    done = look("callback_done")

    # a volunteer's screens keep the text size too: the PIN and the admin screen
    subprocess.run([PYTHON, str(ROOT / "main.py"), "set-pin", "--db", str(_tmp / "k.db")], input="2468\n",
                   text=True, check=True, capture_output=True, timeout=60)
    screen.tap(*centre(target(done, "IconAction")))
    layout.wait("home", text_step=2)
    screen.hold(*screen.wait_text("Vandaag", timeout=10), seconds=3.5)
    pin = look("admin_pin")
    for digit in "2468":
        screen.tap(*centre(target(pin, "KeyButton", digit)))
        time.sleep(0.05)
    screen.tap(*centre(target(pin, "BigButton", "OK")))
    look("admin", text_step=2)


def test_read_aloud_speaks_dutch_and_arabic_and_never_the_visitors_number_or_name(kiosk):
    screen, layout, tmp = kiosk

    def spoken(report: dict) -> str:
        return read_aloud(screen, report, tmp / "speech.wav")

    home = layout.wait("home", lang="nl")
    said = spoken(home)
    assert "Inloop" in said and "Vandaag" in said

    home = choose_language(screen, layout, home, "ar")
    said = spoken(home)
    assert "اليوم" in said  # "today"

    home = choose_language(screen, layout, home, "nl")
    screen.tap(*centre(target(home, "CallButton")))
    topics = layout.wait("callback_topic")
    screen.tap(*centre(target(topics, "TopicButton")))
    phone = layout.wait("callback_phone")
    for digit in "0612345678":
        screen.tap(*centre(target(phone, "KeyButton", digit)))
        time.sleep(0.05)
    said = spoken(phone)
    assert "typ het nummer" in said.lower() and "1, 2, 3" not in said  # the instruction, not the keys
    screen.tap(*centre(target(phone, "BigButton")))
    name = layout.wait("callback_name")
    for letter in "FATIMA":
        screen.tap(*centre(target(name, "KeyButton", letter)))
        time.sleep(0.05)
    time.sleep(0.3)
    screen.tap(*centre(target(name, "OneLineButton")))
    moment = layout.wait("callback_moment")
    screen.tap(*centre(target(moment, "MomentButton")))
    consent = layout.wait("callback_consent")
    said = spoken(consent)
    for private in ("0612345678", "06 12345678", "12345678", "Fatima", "FATIMA"):
        assert private.lower() not in said.lower()
    assert "klopt dit" in said.lower()
