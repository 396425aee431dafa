"""Opening hours: configured, or derived from the day's programme."""
import datetime as dt

import pytest

from sync.schedule import hours
from sync.schedule.model import CANCELLED, Occurrence
from tests.conftest import AMS, local

WEDNESDAY = dt.date(2024, 3, 13)


def occ(h1, h2, **kw):
    return Occurrence("s", "u", "t", local(2024, 3, 13, *h1), local(2024, 3, 13, *h2), **kw)


def test_parse_and_configured_spans():
    table = hours.parse_hours({"wednesday": "09:00-12:00, 13:00-17:00", "saturday": "11:00-14:00"})
    spans = hours.spans_of_day(WEDNESDAY, AMS, table, [])
    assert spans == [(local(2024, 3, 13, 9), local(2024, 3, 13, 12)), (local(2024, 3, 13, 13), local(2024, 3, 13, 17))]
    assert hours.is_open(local(2024, 3, 13, 9), spans)
    assert not hours.is_open(local(2024, 3, 13, 12, 30), spans)
    assert hours.next_opening(local(2024, 3, 13, 12, 30), spans) == local(2024, 3, 13, 13)
    assert hours.spans_of_day(dt.date(2024, 3, 14), AMS, table, [occ((9,), (10,))]) == []  # Thursday: closed


@pytest.mark.parametrize("table, key", [
    ({"woensdag": "09:00-12:00"}, "opening_hours.woensdag"),
    ({"monday": "9 to 5"}, "opening_hours.monday"),
    ({"monday": "17:00-09:00"}, "opening_hours.monday"),
])
def test_bad_hours_name_the_key(table, key):
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        hours.parse_hours(table)


def test_derived_from_programme_ignores_cancelled():
    spans = hours.spans_of_day(WEDNESDAY, AMS, None, [occ((9, 30), (12,)), occ((19,), (21,), status=CANCELLED),
                                                      occ((13,), (16,))])
    assert spans == [(local(2024, 3, 13, 9), local(2024, 3, 13, 16))]  # 30 minutes before the first
    assert hours.spans_of_day(WEDNESDAY, AMS, None, [occ((19,), (21,), status=CANCELLED)]) == []


def test_derived_hours_open_the_configured_lead_before_the_first_activity():
    day = [occ((9, 30), (12,)), occ((13,), (16,))]
    assert hours.spans_of_day(WEDNESDAY, AMS, None, day, dt.timedelta(0))[0][0] == local(2024, 3, 13, 9, 30)
    assert hours.spans_of_day(WEDNESDAY, AMS, None, day, dt.timedelta(minutes=90))[0][0] == local(2024, 3, 13, 8)
    table = hours.parse_hours({"wednesday": "10:00-11:00"})  # configured hours win, without a lead
    assert hours.spans_of_day(WEDNESDAY, AMS, table, day, dt.timedelta(minutes=90)) == [
        (local(2024, 3, 13, 10), local(2024, 3, 13, 11))]
