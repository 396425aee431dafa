"""Dutch text on the screen."""
import datetime as dt

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
