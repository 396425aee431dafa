"""The embedded demo programme, expanded as the kiosk does it."""
import datetime as dt

import pytest

from sync.schedule import ical
from sync.schedule.today import day_bounds
from tests.conftest import AMS, DEMO_FEED


def day(date: str):
    cal = ical.parse(DEMO_FEED.read_bytes())
    start, end = day_bounds(dt.date.fromisoformat(date), AMS)
    return ical.expand(cal, start, end, ical.feed_zone(cal), "demo")


def titles(date: str) -> list[str]:
    return [o.title for o in day(date)]


@pytest.mark.parametrize("date", ["2024-03-13", "2024-03-27", "2024-04-10", "2024-04-24"])
def test_open_house_on_second_and_fourth_wednesday(date):
    assert "Open huis met spreker" in titles(date)


@pytest.mark.parametrize("date", ["2024-03-06", "2024-03-20", "2024-04-03", "2024-04-17"])
def test_no_open_house_on_other_wednesdays(date):
    assert dt.date.fromisoformat(date).weekday() == 2
    assert "Open huis met spreker" not in titles(date)


@pytest.mark.parametrize(
    "date, offset",
    [("2024-03-30", "+01:00"), ("2024-03-31", "+02:00"), ("2024-04-01", "+02:00"),
     ("2024-10-26", "+02:00"), ("2024-10-27", "+01:00"), ("2024-10-28", "+01:00")],
)
def test_walk_in_stays_at_half_past_nine_across_dst(date, offset):
    walk_in = [o for o in day(date) if o.title.startswith("Inloop")]
    assert len(walk_in) == 1
    assert walk_in[0].start.isoformat() == f"{date}T09:30:00{offset}"
    assert walk_in[0].end.isoformat() == f"{date}T12:00:00{offset}"


def test_every_activity_of_the_seed_is_in_the_programme():
    week = set()
    for offset in range(31):
        week.update(titles((dt.date(2024, 4, 1) + dt.timedelta(days=offset)).isoformat()))
    for word in ["Inloop", "Huiswerkhuis", "voedselbank", "Stiltecentrum", "Kookhuis",
                 "Aanschuiflunch", "Open huis", "Papierwinkel"]:
        assert any(word in title for title in week), word


def test_homework_help_three_times_a_week():
    days = [dt.date(2024, 4, 8) + dt.timedelta(days=i) for i in range(7)]
    assert sum("Huiswerkhuis" in titles(d.isoformat()) for d in days) == 3


def test_kookhuis_once_a_month_and_cancelled_in_march_2024():
    march = [o for d in range(1, 32) for o in day(f"2024-03-{d:02d}") if o.title.startswith("Kookhuis")]
    assert [(o.start.date().isoformat(), o.status) for o in march] == [("2024-03-28", "cancelled")]
    april = [o for d in range(1, 31) for o in day(f"2024-04-{d:02d}") if o.title.startswith("Kookhuis")]
    assert [(o.start.date().isoformat(), o.status) for o in april] == [("2024-04-25", "confirmed")]


def test_day_is_sorted_and_has_places():
    occurrences = day("2024-03-13")
    assert [o.start for o in occurrences] == sorted(o.start for o in occurrences)
    assert all(o.location for o in occurrences)
    assert all(o.description for o in occurrences)
