"""iCalendar as real publishers write it (hand-written fixtures), expanded for Europe/Amsterdam."""
import datetime as dt

import pytest

from sync.schedule import ical
from sync.schedule.model import CANCELLED, CONFIRMED
from sync.store import Store
from sync.schedule.today import day_bounds
from tests.conftest import AMS, FIXTURES


def expand(name, first="2024-03-01", last="2024-11-10"):
    cal = ical.parse((FIXTURES / name).read_bytes())
    tz = ical.feed_zone(cal)
    start = dt.datetime.combine(dt.date.fromisoformat(first), dt.time(), tzinfo=AMS)
    end = dt.datetime.combine(dt.date.fromisoformat(last), dt.time(), tzinfo=AMS)
    return tz, ical.expand(cal, start, end, tz, "fixture")


def on(occurrences, title):
    return [(o.start.isoformat(), o.end.isoformat(), o.status) for o in occurrences if o.title == title]


NEXTCLOUD = "nextcloud-amsterdam.ics"


def test_sunday_coffee_keeps_its_local_hour_over_both_dst_weekends():
    _, found = expand(NEXTCLOUD)
    sundays = {s[:10]: s[10:] for s, _, _ in on(found, "Zondagskoffie")}
    assert sundays["2024-03-24"] == "T10:00:00+01:00"
    assert sundays["2024-03-31"] == "T10:00:00+02:00"  # the first day of summer time
    assert sundays["2024-10-20"] == "T10:00:00+02:00"
    assert sundays["2024-10-27"] == "T10:00:00+01:00"  # the first day of winter time


def test_a_weekly_count_rule_crosses_the_autumn_change():
    _, found = expand(NEXTCLOUD)
    assert [s for s, _, _ in on(found, "Avondwandeling")] == [
        "2024-10-19T19:00:00+02:00", "2024-10-26T19:00:00+02:00", "2024-11-02T19:00:00+01:00"]


def test_second_and_fourth_wednesday_with_exdate_rdate_moved_and_cancelled_instances():
    _, found = expand(NEXTCLOUD, "2024-03-01", "2024-06-01")
    open_house = on(found, "Open huis met spreker")
    assert [(s[:16], status) for s, _, status in open_house] == [
        ("2024-03-13T10:00", CONFIRMED),  # 2nd Wednesday
        ("2024-04-10T10:00", CONFIRMED),  # 2nd Wednesday, summer time
        ("2024-04-17T10:00", CONFIRMED),  # RDATE: an extra, third Wednesday
        ("2024-05-08T10:00", CANCELLED),  # RECURRENCE-ID with STATUS:CANCELLED: kept, as cancelled
        ("2024-05-22T10:00", CONFIRMED),
    ]  # 2024-04-24 is an EXDATE: gone; 2024-03-27 moved:
    assert on(found, "Open huis met spreker (verplaatst)") == [
        ("2024-03-26T14:00:00+01:00", "2024-03-26T16:00:00+01:00", CONFIRMED)]
    moved = [o for o in found if o.title.endswith("(verplaatst)")][0]
    assert moved.location == "Kleine zaal"


def test_a_cancelled_single_event_is_kept_as_cancelled():
    _, found = expand(NEXTCLOUD)
    assert on(found, "Bingo") == [("2024-04-19T19:00:00+02:00", "2024-04-19T21:00:00+02:00", CANCELLED)]


def test_all_day_events_one_day_and_several_days():
    _, found = expand(NEXTCLOUD)
    koningsdag = [o for o in found if o.title.startswith("Koningsdag")]
    assert [(o.all_day, o.start.isoformat(), o.end.isoformat()) for o in koningsdag] == [
        (True, "2024-04-27T00:00:00+02:00", "2024-04-28T00:00:00+02:00")]
    closed = [o for o in found if o.title.startswith("Huis gesloten")]
    assert [(o.start.date().isoformat(), o.end.date().isoformat()) for o in closed] == [("2024-05-06", "2024-05-09")]


@pytest.mark.parametrize("title, days", [
    ("Nachtwake", ["2024-04-12", "2024-04-13"]),
    ("Nachtcafé", ["2024-03-30", "2024-03-31"]),  # across midnight and into summer time
    ("Huis gesloten: grote schoonmaak", ["2024-05-06", "2024-05-07", "2024-05-08"]),
])
def test_events_across_midnight_show_on_each_day_they_touch(tmp_path, title, days):
    _, found = expand(NEXTCLOUD)
    store = Store(tmp_path / "k.db")
    store.replace_occurrences("fixture", found)
    shown = []
    for offset in range(-1, len(days) + 1):
        day = dt.date.fromisoformat(days[0]) + dt.timedelta(days=offset)
        start, end = day_bounds(day, AMS)
        if title in [o.title for o in store.occurrences_between(start, end)]:
            shown.append(day.isoformat())
    assert shown == days


def test_night_cafe_lasts_five_real_hours_into_summer_time():
    _, found = expand(NEXTCLOUD)
    [cafe] = [o for o in found if o.title == "Nachtcafé"]
    utc = dt.timezone.utc
    assert cafe.end.astimezone(utc) - cafe.start.astimezone(utc) == dt.timedelta(hours=5)
    assert cafe.end.isoformat() == "2024-03-31T04:00:00+02:00"


def test_google_export_utc_times_follow_x_wr_timezone():
    tz, found = expand("google-export.ics")
    assert tz.key == "Europe/Amsterdam"
    assert on(found, "Papierwinkel") == [("2024-03-13T10:00:00+01:00", "2024-03-13T12:00:00+01:00", CONFIRMED)]
    choir = on(found, "Koor De Wijkzangers")
    by_day = {s[:10]: (s[11:], status) for s, _, status in choir}
    assert by_day["2024-03-26"] == ("19:00:00+01:00", CONFIRMED)
    assert by_day["2024-04-02"] == ("19:00:00+02:00", CONFIRMED)  # same local hour in summer time
    assert by_day["2024-04-09"] == ("19:00:00+02:00", CANCELLED)
    [easter] = [o for o in found if o.title.startswith("Tweede Paasdag")]
    assert easter.all_day and easter.start.isoformat() == "2024-04-01T00:00:00+02:00"


def test_outlook_export_with_windows_zone_names():
    tz, found = expand("outlook-export.ics", "2024-03-01", "2024-07-01")
    assert tz.key == "Europe/Amsterdam"  # "W. Europe Standard Time" has Amsterdam's rules
    cafe = on(found, "Taalcafé")
    days = [s[:10] for s, _, _ in cafe]
    assert "2024-04-02" not in days  # EXDATE with a Windows TZID
    assert "2024-04-09" not in days  # moved ...
    assert on(found, "Taalcafé (in de grote zaal)") == [
        ("2024-04-09T15:00:00+02:00", "2024-04-09T16:30:00+02:00", CONFIRMED)]
    assert cafe[0][:2] == ("2024-03-05T14:00:00+01:00", "2024-03-05T15:30:00+01:00")
    assert cafe[-1][0] == "2024-06-25T14:00:00+02:00"  # UNTIL in UTC includes the last Tuesday
    [spreekuur] = [o for o in found if o.title == "Wijkspreekuur gemeente"]
    assert spreekuur.all_day


def test_location_filter_keeps_one_place():
    cal = ical.parse((FIXTURES / NEXTCLOUD).read_bytes())
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    start -= dt.timedelta(days=30)
    found = ical.expand(cal, start, end, AMS, "f", location_filter="GROTE ZAAL")
    assert found and {o.location for o in found} == {"Grote zaal"}
