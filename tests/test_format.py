"""Dutch text on the screen."""
import datetime as dt

import pytest

from kiosk.i18n import format as fmt
from sync.schedule.model import Occurrence
from tests.conftest import local


def test_date_in_words():
    assert fmt.date_in_words(dt.date(2024, 3, 13), "nl") == "woensdag 13 maart"


def test_time_range_and_clock():
    o = Occurrence("s", "u", "t", local(2024, 3, 13, 9, 30), local(2024, 3, 13, 12))
    assert fmt.time_range(o, "nl") == "09:30 – 12:00"
    assert fmt.when(o, "nl") == "woensdag 13 maart, 09:30 – 12:00"


def test_next_opening_tomorrow_or_later():
    tomorrow = local(2024, 3, 14, 9, 30)
    assert fmt.next_opening(tomorrow, dt.date(2024, 3, 13), "nl") == "Morgen zijn we weer open vanaf 09:30 uur."
    assert fmt.next_opening(tomorrow, dt.date(2024, 3, 12), "nl") == (
        "We zijn weer open op donderdag 14 maart vanaf 09:30 uur.")
    assert fmt.next_opening(None, dt.date(2024, 3, 12), "nl") == "Er staan nog geen activiteiten in het programma."


def test_updated_at_today_or_another_day():
    now = local(2024, 3, 28, 10, 30)
    assert fmt.updated_at(local(2024, 3, 28, 7, 5), now, "nl") == "Bijgewerkt om 07:05"
    assert fmt.updated_at(dt.datetime(2024, 3, 26, 6, 0, tzinfo=dt.timezone.utc), now, "nl") == (
        "Bijgewerkt op dinsdag 26 maart om 07:00")


def test_dates_and_times_are_babels_in_every_language_on_every_day_of_a_year():
    from babel.dates import format_date, format_time

    from kiosk.i18n.catalogues import LANGUAGES

    days = [dt.date(2024, 1, 1) + dt.timedelta(days=i) for i in range(366)]
    for lang in LANGUAGES:
        assert [fmt.date_in_words(d, lang) for d in days] == [format_date(d, "EEEE d MMMM", locale=lang) for d in days]
        assert [fmt.short_day(d, lang) for d in days] == [format_date(d, "EEEEEE d", locale=lang) for d in days]
        moments = [local(2024, 3, 31, h, m) for h in range(24) for m in (0, 5, 59)]
        assert [fmt.clock(t, lang) for t in moments] == [format_time(t, "HH:mm", locale=lang) for t in moments]


def test_the_names_are_kept_and_taken_again_when_babels_data_changes(tmp_path, monkeypatch):
    import json

    from kiosk.i18n import datenames

    monkeypatch.setattr(datenames, "LOCALE_DIR", tmp_path)
    (tmp_path / "uk" / "LC_MESSAGES").mkdir(parents=True)
    datenames.names.cache_clear()
    assert datenames.names("uk")["months"][2] == "березня"  # the format context: "13 березня"
    kept = tmp_path / "uk" / "LC_MESSAGES" / "wijkkiosk-dates.json"
    data = json.loads(kept.read_text(encoding="utf-8"))
    assert "uk.dat:" in data["babel"]  # which of Babel's data files, its size and time
    data["months"][2], data["babel"] = "stale", "another Babel"
    kept.write_text(json.dumps(data), encoding="utf-8")
    datenames.names.cache_clear()
    assert datenames.names("uk")["months"][2] == "березня" and json.loads(kept.read_text())["babel"] != "another Babel"
    datenames.names.cache_clear()


def test_a_start_with_the_names_kept_does_not_load_babel():
    import subprocess
    import sys

    from tests.conftest import ROOT

    script = ("import datetime as dt, sys\n"
              "from kiosk.i18n import format as fmt\n"
              "fmt.date_in_words(dt.date(2024, 3, 13), 'nl')\n"  # the first time may take them from Babel
              "print(fmt.date_in_words(dt.date(2024, 3, 13), 'nl'), 'babel' in sys.modules)\n")
    subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, timeout=60)
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "woensdag 13 maart False", out.stderr


@pytest.mark.parametrize("kept", ["null", "[1]", '"x"', '{"babel": "K", "days": ["ma"], "short_days": [], "months": []}'])
def test_a_damaged_kept_file_is_made_again_from_babel(tmp_path, monkeypatch, kept):
    from kiosk.i18n import datenames

    monkeypatch.setattr(datenames, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(datenames, "_babel_data_key", lambda lang: "K")
    folder = tmp_path / "nl" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "wijkkiosk-dates.json").write_text(kept, encoding="utf-8")
    datenames.names.cache_clear()
    try:
        assert fmt.date_in_words(dt.date(2024, 3, 13), "nl") == "woensdag 13 maart"
    finally:
        datenames.names.cache_clear()


def test_on_a_read_only_file_system_the_names_come_from_babel_every_time(tmp_path, monkeypatch):
    import errno
    import pathlib

    from kiosk.i18n import datenames

    def refused(*_args, **_kwargs):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(datenames, "LOCALE_DIR", tmp_path)
    monkeypatch.setattr(pathlib.Path, "write_text", refused)
    monkeypatch.setattr(pathlib.Path, "write_bytes", refused)
    monkeypatch.setattr(pathlib.Path, "unlink", refused)  # EROFS even for a file that is not there
    datenames.names.cache_clear()
    try:
        assert fmt.short_day(dt.date(2024, 3, 13), "nl") == "wo 13"
    finally:
        datenames.names.cache_clear()
