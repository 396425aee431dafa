"""Sign-up in both feed formats (docs/formats.md): places, closing relative to each occurrence's start,
values out of range skip the event and are counted."""
import datetime as dt
import json

import pytest

from sync.errors import SourceInvalid
from sync.schedule import expand, ical, jsonfeed
from sync.schedule.model import Occurrence, Signup
from tests.conftest import AMS, local

START, END = local(2024, 3, 20), local(2024, 4, 20)


def json_feed(signup, **more) -> bytes:
    activity = {"id": "kookhuis", "title": {"nl": "Kookhuis"}, "start": "2024-03-22T18:00",
                "end": "2024-03-22T20:00", "rrule": "FREQ=WEEKLY;COUNT=3", **more}
    if signup is not ...:
        activity["signup"] = signup
    lunch = {"id": "lunch", "title": {"nl": "Zaterdaglunch"}, "start": "2024-03-23T12:00", "end": "2024-03-23T13:00"}
    return json.dumps({"version": 1, "activities": [activity, lunch]}).encode()


def from_json(signup, **more):
    skipped = []
    found = jsonfeed.expand(jsonfeed.parse(json_feed(signup, **more)), START, END, "s", skipped=skipped)
    return [o for o in found if o.uid == "kookhuis"], skipped


def ics(signup_line: str, moved: str = "") -> bytes:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:test", "X-WR-TIMEZONE:Europe/Amsterdam",
             "BEGIN:VEVENT", "UID:kookhuis", "SUMMARY:Kookhuis", "DTSTART;TZID=Europe/Amsterdam:20240322T180000",
             "DTEND;TZID=Europe/Amsterdam:20240322T200000", "RRULE:FREQ=WEEKLY;COUNT=3"]
    lines += [signup_line] if signup_line else []
    lines += ["END:VEVENT"]
    if moved:  # the second occurrence moved to 19:00, with its own sign-up line
        lines += ["BEGIN:VEVENT", "UID:kookhuis", "SUMMARY:Kookhuis",
                  "RECURRENCE-ID;TZID=Europe/Amsterdam:20240329T180000",
                  "DTSTART;TZID=Europe/Amsterdam:20240329T190000", "DTEND;TZID=Europe/Amsterdam:20240329T210000",
                  moved, "END:VEVENT"]
    lines += ["BEGIN:VEVENT", "UID:lunch", "SUMMARY:Zaterdaglunch", "DTSTART;TZID=Europe/Amsterdam:20240323T120000",
              "DTEND;TZID=Europe/Amsterdam:20240323T130000", "END:VEVENT", "END:VCALENDAR"]
    return ("\r\n".join(lines) + "\r\n").encode()


def from_ics(signup_line: str, moved: str = ""):
    cal = ical.parse(ics(signup_line, moved))
    skipped = []
    found = ical.expand(cal, START, END, ical.feed_zone(cal), "s", skipped=skipped)
    return [o for o in found if o.uid == "kookhuis"], skipped


# -- JSON -------------------------------------------------------------------------------------------


def test_json_each_occurrence_closes_relative_to_its_own_start_across_dst():
    found, skipped = from_json({"places": 20, "closes_before_minutes": 120})
    assert not skipped
    assert {o.signup for o in found} == {Signup(20, dt.timedelta(hours=2))}
    # 29 March is winter time, 5 April summer time: 16:00 local before each
    assert [o.signup_closes.isoformat() for o in found] == [
        "2024-03-22T16:00:00+01:00", "2024-03-29T16:00:00+01:00", "2024-04-05T16:00:00+02:00"]


def test_json_empty_signup_has_no_limit_and_closes_at_the_start_no_signup_is_none():
    found, _ = from_json({})
    assert found[0].signup == Signup(None, dt.timedelta(0)) and found[0].signup_closes == found[0].start
    found, _ = from_json(...)
    assert found[0].signup is None and found[0].signup_closes is None
    found, _ = from_json({"places": 12.0})  # JSON Schema's integer
    assert found[0].signup == Signup(12, dt.timedelta(0)) and type(found[0].signup.places) is int


@pytest.mark.parametrize("signup, words", [
    ({"places": 0}, "sign-up places must be 1 to 1000, got 0"),
    ({"places": 1001}, "got 1001"),
    ({"closes_before_minutes": -5}, "sign-up must close 0 to 527040 minutes before the start, got -5"),
    ({"closes_before_minutes": 10**12}, "got 1000000000000"),
])
def test_json_values_out_of_range_skip_the_activity_and_are_counted(signup, words):
    found, skipped = from_json(signup)
    assert found == [] and len(skipped) == 1
    assert skipped[0].startswith('activities/0 "Kookhuis" (UID kookhuis): ') and words in skipped[0], skipped


@pytest.mark.parametrize("signup", [{"places": "twenty"}, {"places": True}, {"seats": 3}, True, None])
def test_json_a_signup_of_the_wrong_type_refuses_the_feed_like_any_schema_error(signup):
    with pytest.raises(SourceInvalid, match="activities/0"):
        jsonfeed.parse(json_feed(signup))


# -- iCalendar --------------------------------------------------------------------------------------


def test_ics_each_occurrence_closes_relative_to_its_own_start_and_a_moved_one_has_its_own():
    found, skipped = from_ics("X-WIJKKIOSK-SIGNUP:PLACES=20;CLOSES-BEFORE=120",
                              moved="X-WIJKKIOSK-SIGNUP:PLACES=8;CLOSES-BEFORE=30")
    assert not skipped
    assert [(o.start.isoformat(), o.signup.places, o.signup_closes.isoformat()) for o in found] == [
        ("2024-03-22T18:00:00+01:00", 20, "2024-03-22T16:00:00+01:00"),
        ("2024-03-29T19:00:00+01:00", 8, "2024-03-29T18:30:00+01:00"),
        ("2024-04-05T18:00:00+02:00", 20, "2024-04-05T16:00:00+02:00"),
    ]


@pytest.mark.parametrize("line, expected", [
    ("X-WIJKKIOSK-SIGNUP:", Signup()),
    ("X-WIJKKIOSK-SIGNUP:TRUE", Signup()),
    ("X-WIJKKIOSK-SIGNUP:true", Signup()),
    ("x-wijkkiosk-signup:places=6", Signup(6)),
    ("X-WIJKKIOSK-SIGNUP:Closes-Before=60", Signup(None, dt.timedelta(hours=1))),
    ("X-WIJKKIOSK-SIGNUP:PLACES=20\\;CLOSES-BEFORE=0;", Signup(20)),  # escaped as TEXT, a trailing ;
    ("X-WIJKKIOSK-SIGNUP: PLACES = 1000 ; CLOSES-BEFORE = 527040", Signup(1000, dt.timedelta(days=366))),
    ("", None),
])
def test_ics_signup_values(line, expected):
    found, skipped = from_ics(line)
    assert not skipped and {o.signup for o in found} == {expected}


@pytest.mark.parametrize("line, words", [
    ("X-WIJKKIOSK-SIGNUP:PLACES=0", "sign-up places must be 1 to 1000, got 0"),
    ("X-WIJKKIOSK-SIGNUP:PLACES=1001", "got 1001"),
    ("X-WIJKKIOSK-SIGNUP:CLOSES-BEFORE=-30", "minutes before the start, got -30"),
    ("X-WIJKKIOSK-SIGNUP:PLACES=twenty", "X-WIJKKIOSK-SIGNUP cannot be read: PLACES=twenty"),
    ("X-WIJKKIOSK-SIGNUP:SEATS=20", "cannot be read"),
    ("X-WIJKKIOSK-SIGNUP:PLACES=2;PLACES=3", "cannot be read"),
    ("X-WIJKKIOSK-SIGNUP:PLACES", "cannot be read"),
    ("X-WIJKKIOSK-SIGNUP:FALSE", "cannot be read"),
    ("X-WIJKKIOSK-SIGNUP:PLACES=99999999999999999", "cannot be read"),
])
def test_ics_invalid_signup_skips_the_event_counted_and_the_rest_is_used(line, words):
    found, skipped = from_ics(line)
    assert found == [] and len(skipped) == 1
    assert skipped[0].startswith('"Kookhuis" (UID kookhuis): ') and words in skipped[0], skipped


def test_ics_an_invalid_signup_on_a_moved_instance_skips_only_that_instance():
    found, skipped = from_ics("X-WIJKKIOSK-SIGNUP:PLACES=20", moved="X-WIJKKIOSK-SIGNUP:PLACES=-1")
    assert len(skipped) == 1 and "got -1" in skipped[0]
    # the moved instance is left out; the series keeps its original 18:00 occurrence, as for a bad time
    assert [(o.start.day, o.start.hour, o.signup.places) for o in found] == [(22, 18, 20), (29, 18, 20), (5, 18, 20)]


def test_the_count_reaches_the_expansion_summary_and_the_rest_of_the_feed_is_used():
    result = expand.expand_body("ics", ics("X-WIJKKIOSK-SIGNUP:PLACES=0"), START, END, "Europe/Amsterdam", "s")
    assert [o.title for o in result.occurrences] == ["Zaterdaglunch"]
    assert result.skipped == 1 and "sign-up places" in result.first_skipped


# -- the model --------------------------------------------------------------------------------------


def test_signup_is_part_of_equality_and_hash():
    start = local(2024, 3, 22, 18)
    plain = Occurrence("s", "k", "Kookhuis", start, start + dt.timedelta(hours=2))
    signed = Occurrence("s", "k", "Kookhuis", start, start + dt.timedelta(hours=2), signup=Signup(20))
    same = Occurrence("s", "k", "Kookhuis", start, start + dt.timedelta(hours=2), signup=Signup(20))
    assert plain != signed and signed == same and hash(signed) == hash(same)
    assert len({plain, signed, same}) == 2
    assert signed.as_json()["signup"] == {"places": 20, "closes": "2024-03-22T18:00:00+01:00"}
    assert plain.as_json()["signup"] is None
    assert Signup(None, dt.timedelta(minutes=90)).closes_at(start) == local(2024, 3, 22, 16, 30)
