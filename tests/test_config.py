"""The TOML configuration: the documented example loads; every mistake names its key."""
import dataclasses
import re
import subprocess

import pytest

from sync import config as kiosk_config
from sync.config import Config, ConfigError, Source
from tests.conftest import PYTHON, ROOT


def load_text(tmp_path, text):
    path = tmp_path / "kiosk.toml"
    path.write_text(text)
    return kiosk_config.load(path)


def test_the_documented_example_loads():
    config = kiosk_config.load(ROOT / "docs" / "kiosk.example.toml")
    assert config.house_name == "Ontmoetingskerk Sterrenburg"
    assert [(s.name, s.kind) for s in config.sources] == [("kerk", "ics"), ("stad", "json")]
    assert config.sources[1].location_filter == "Sterrenburg"
    assert (config.sync_interval, config.window_days, config.sync_timeout) == (600, 42, 30.0)
    assert config.max_feed_bytes == 5 * 1024 * 1024


def test_an_empty_file_is_the_demo_configuration(tmp_path):
    assert load_text(tmp_path, "") == Config()


def test_relative_file_locations_are_taken_from_the_config_folder(tmp_path):
    config = load_text(tmp_path, '[[sources]]\nname = "a"\nlocation = "feeds/agenda.ics"\n')
    assert config.sources == (Source("a", str(tmp_path / "feeds" / "agenda.ics")),)


@pytest.mark.parametrize("text, message", [
    ('[[sources]]\nname = "a"\nlocation = "x.ics"\n[[sources]]\nname = "b"\nkind = "xml"\nlocation = "y"\n',
     'sources[1].kind: expected "ics" or "json", got "xml"'),
    ('[[sources]]\nlocation = "x.ics"\n', "sources[0].name: missing"),
    ('[[sources]]\nname = "a"\n', "sources[0].location: missing"),
    ('[[sources]]\nname = "a"\nlocation = "ftp://x/y.ics"\n', "sources[0].location: expected an http(s) URL"),
    ('[[sources]]\nname = "a"\nlocation = "x"\n[[sources]]\nname = "a"\nlocation = "y"\n',
     'sources[1].name: "a" is used twice'),
    ('[[sources]]\nname = "a"\nlocation = "x"\nfilter = "b"\n', "sources[0].filter: unknown setting"),
    ("[sync]\ninterval_minutes = 0\n", "sync.interval_minutes: must be at least 1, got 0"),
    ('[sync]\ninterval_minutes = "10"\n', "sync.interval_minutes: expected a whole number"),
    ("[sync]\nwindow_days = true\n", "sync.window_days: expected a whole number, got True"),
    ("[sync]\nintervall = 3\n", "sync.intervall: unknown setting"),
    ('timezone = "Europe/Dordrecht"\n', 'timezone: unknown time zone "Europe/Dordrecht"'),
    ("[printer]\nname = 1\n", "printer: unknown setting or section"),
    ("sources = []\n", "sources: expected one or more [[sources]] tables"),
    ("house_name = \n", "not valid TOML"),
])
def test_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError) as caught:
        load_text(tmp_path, text)
    assert message in str(caught.value)


def test_a_missing_file(tmp_path):
    with pytest.raises(ConfigError, match="file not found"):
        kiosk_config.load(tmp_path / "nope.toml")


def test_other_sections_can_be_registered(tmp_path, monkeypatch):
    seen = []

    def callback(value, config, base):
        seen.append(value)
        return dataclasses.replace(config, house_name=value["house"])

    monkeypatch.setitem(kiosk_config.SECTIONS, "extra", callback)
    config = load_text(tmp_path, "[extra]\nhouse = \"Crabbehof\"\n")
    assert seen == [{"house": "Crabbehof"}] and config.house_name == "Crabbehof"


def test_main_prints_a_config_error_on_one_line_and_exits_2(tmp_path):
    path = tmp_path / "kiosk.toml"
    path.write_text('[[sources]]\nname = "a"\nkind = "xml"\nlocation = "x"\n')
    result = subprocess.run([PYTHON, str(ROOT / "main.py"), "--config", str(path), "sync", "--once"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        'wijkkiosk: configuration: sources[0].kind: expected "ics" or "json", got "xml"']


def test_screen_and_opening_hours(tmp_path):
    config = load_text(tmp_path, 'inactivity_seconds = 60\n[screen]\nidle_warning_seconds = 20\n'
                                 'display_off_command = "xset dpms force off"\ndpi = 132\nopen_before_first_minutes = 45\n'
                                 '[opening_hours]\nmonday = "09:00-12:00, 13:00-17:00"\n')
    assert config.idle_warning_seconds == 20 and config.display_off_command == "xset dpms force off"
    assert config.dpi == 132.0 and config.open_before_first_minutes == 45
    assert len(config.opening_hours[0]) == 2 and 6 not in config.opening_hours


@pytest.mark.parametrize("text, message", [
    ("[screen]\nidle_warning_seconds = 10\n", "screen.idle_warning_seconds: must be at least 20"),
    ("inactivity_seconds = 30\n[screen]\nidle_warning_seconds = 30\n", "screen.idle_warning_seconds: must be less"),
    ("[screen]\nbrightness = 3\n", "screen.brightness: unknown setting"),
    ("[screen]\ndpi = 13200\n", "screen.dpi: a screen has 50 to 600 pixels per inch"),
    ('[screen]\ndpi = "132"\n', "screen.dpi: expected a number"),
    ("[screen]\nopen_before_first_minutes = -5\n", "screen.open_before_first_minutes: must be at least 0"),
    ("[screen]\nopen_before_first_minutes = 600\n", "screen.open_before_first_minutes: must be at most 240"),
    ('[opening_hours]\nmaandag = "09:00-17:00"\n', "opening_hours.maandag: not a weekday"),
    ('[opening_hours]\nmonday = 9\n', "opening_hours.monday: expected text"),
    ('[opening_hours]\nmonday = "17:00-09:00"\n', "opening_hours.monday:"),
])
def test_screen_and_hours_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match="^" + message.replace(".", r"\.")):
        load_text(tmp_path, text)


def test_speech_piper_voices_folder_is_taken_from_the_config_folder(tmp_path):
    (tmp_path / "voices").mkdir()
    assert load_text(tmp_path, '[speech]\npiper_voices = "voices"\n').piper_voices == str(tmp_path / "voices")
    assert load_text(tmp_path, '[speech]\npiper_voices = ""\n').piper_voices == ""
    assert kiosk_config.load(ROOT / "docs" / "kiosk.example.toml").piper_voices == ""


@pytest.mark.parametrize("text, message", [
    ("[speech]\npiper_voices = 3\n", "speech.piper_voices: expected text, got 3"),
    ('[speech]\npiper_voices = "nowhere"\n', "speech.piper_voices: no such folder: "),
    ('[speech]\nvoice = "nl"\n', "speech.voice: unknown setting (known: piper_voices)"),
    ('speech = "espeak"\n', "speech: expected a table [speech]"),
])
def test_speech_mistakes_name_the_key(tmp_path, text, message):
    with pytest.raises(ConfigError, match="^" + re.escape(message)):
        load_text(tmp_path, text)
