"""The JSON feed (version 1): schema checks, recurrence, cancellations, languages, houses."""
import datetime as dt
import json

import pytest

from sync.schedule import jsonfeed
from sync.errors import SourceInvalid
from sync.schedule.model import CANCELLED, CONFIRMED
from sync.store import Store
from sync.schedule.today import day_bounds
from tests.conftest import AMS, FIXTURES, ROOT

FEED = FIXTURES / "city-feed.json"
START = dt.datetime(2024, 3, 1, tzinfo=AMS)
END = dt.datetime(2024, 5, 1, tzinfo=AMS)


def expand(first, last, location_filter="", data=None):
    doc = jsonfeed.parse(data or FEED.read_bytes())
    start = dt.datetime.combine(dt.date.fromisoformat(first), dt.time(), tzinfo=AMS)
    end = dt.datetime.combine(dt.date.fromisoformat(last), dt.time(), tzinfo=AMS)
    return jsonfeed.expand(doc, start, end, "stad", location_filter)


def test_second_and_fourth_wednesday_across_dst_with_a_cancelled_date():
    found = [o for o in expand("2024-03-01", "2024-05-01") if o.uid == "open-huis-sterrenburg"]
    assert [(o.start.isoformat(), o.status) for o in found] == [
        ("2024-03-13T10:00:00+01:00", CONFIRMED),
        ("2024-03-27T10:00:00+01:00", CANCELLED),
        ("2024-04-10T10:00:00+02:00", CONFIRMED),
        ("2024-04-24T10:00:00+02:00", CONFIRMED),
    ]


def test_titles_and_descriptions_per_language_dutch_first():
    [o] = [o for o in expand("2024-03-13", "2024-03-14") if o.uid == "open-huis-sterrenburg"]
    assert o.title == "Open huis met spreker" and o.description == "Koffie en een spreker uit de wijk."
    assert o.titles == {"nl": "Open huis met spreker", "en": "Open house with a speaker"}
    assert o.descriptions["en"] == "Coffee and a speaker from the neighbourhood."
    assert (o.location, o.category, o.url) == ("Grote zaal", "ontmoeten",
                                               "https://huizenvandewijk.example/sterrenburg/open-huis")


def test_languages_survive_the_store(tmp_path):
    found = expand("2024-03-05", "2024-03-06")
    store = Store(tmp_path / "k.db")
    store.replace_occurrences("stad", found)
    start, end = day_bounds(dt.date(2024, 3, 5), AMS)
    [cafe] = store.occurrences_between(start, end)
    assert cafe.titles["ar"] == "مقهى اللغة" and cafe == found[0]


def test_across_midnight_into_summer_time_and_all_day():
    found = {o.uid: o for o in expand("2024-03-30", "2024-04-30")}
    night = found["nachtwake-sterrenburg"]
    assert (night.start.isoformat(), night.end.isoformat()) == ("2024-03-30T22:00:00+01:00", "2024-03-31T04:00:00+02:00")
    king = found["koningsdag-sterrenburg"]
    assert king.all_day and king.start.isoformat() == "2024-04-27T00:00:00+02:00"


def test_location_filter_serves_one_house_from_a_city_feed():
    crabbehof = expand("2024-03-01", "2024-05-01", location_filter="crabbehof")
    assert {o.uid for o in crabbehof} == {"taalcafe-crabbehof", "bingo-crabbehof"}
    [bingo] = [o for o in crabbehof if o.uid == "bingo-crabbehof"]
    assert bingo.status == CANCELLED
    sterrenburg = expand("2024-03-01", "2024-05-01", location_filter="Sterrenburg")
    assert "taalcafe-crabbehof" not in {o.uid for o in sterrenburg}


def test_until_is_inclusive_local_time():
    cafe = [o for o in expand("2024-06-01", "2024-07-31") if o.uid == "taalcafe-crabbehof"]
    assert cafe[-1].start.date() == dt.date(2024, 6, 25)


def test_the_fixture_and_the_documented_example_match_the_schema_file():
    import jsonschema

    schema = json.loads((ROOT / "docs" / "feed.schema.json").read_text())
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validate(json.loads(FEED.read_text()), schema)


def test_the_example_in_the_format_doc_is_a_valid_feed():
    text = (ROOT / "docs" / "formats.md").read_text()
    example = text.split("```json\n", 1)[1].split("```", 1)[0]
    doc = jsonfeed.parse(example.encode())
    start = dt.datetime(2024, 3, 1, tzinfo=AMS)
    found = jsonfeed.expand(doc, start, start + dt.timedelta(days=31))
    assert [(o.start.day, o.status) for o in found] == [(13, CONFIRMED), (27, CANCELLED)]


def broken(change):
    doc = json.loads(FEED.read_text())
    change(doc)
    return json.dumps(doc).encode()


@pytest.mark.parametrize("change, words", [
    (lambda d: d.update(version=2), "version 2 is not supported"),
    (lambda d: d.pop("activities"), "'activities' is a required property"),
    (lambda d: d["activities"][0]["title"].pop("nl"), "activities/0/title"),
    (lambda d: d["activities"][0].update(start="13-03-2024 10:00"), "activities/0/start"),
    (lambda d: d["activities"][0].update(rrule="FREQ=SOMETIMES"), "activities/0/rrule"),
    (lambda d: d["activities"][0].update(rrule="FREQ=WEEKLY;UNTIL=20240601T000000Z"), "activities/0/rrule"),
    (lambda d: d.update(timezone="Europe/Dordrecht"), "unknown time zone"),
    (lambda d: d["activities"][2].update(colour="red"), "activities/2"),
])
def test_invalid_feeds_are_rejected_with_the_place_of_the_problem(change, words):
    with pytest.raises(SourceInvalid, match=None) as caught:
        jsonfeed.parse(broken(change))
    assert words in str(caught.value), str(caught.value)


@pytest.mark.parametrize("change, words", [
    (lambda d: d["activities"][0].update(end="2024-01-10T09:00"), "activities/0 \"Open huis met spreker\""
                                                                 " (UID open-huis-sterrenburg): end must be after start"),
    (lambda d: d["activities"][1].update(end="2024-03-31"), "both be dates"),
    (lambda d: d["activities"][1].update(start="2024-02-30T10:00"), "not a real date"),
    (lambda d: d["activities"][1].update(timezone="Europe"), "unknown time zone 'Europe'"),
])
def test_an_activity_whose_times_make_no_sense_is_skipped_and_the_rest_used(change, words):
    good = jsonfeed.expand(jsonfeed.parse(FEED.read_bytes()), START, END)
    skipped = []
    found = jsonfeed.expand(jsonfeed.parse(broken(change)), START, END, skipped=skipped)
    assert len(skipped) == 1 and words in skipped[0], skipped
    assert found and len(found) < len(good)


def test_not_json_at_all():
    with pytest.raises(SourceInvalid, match="not a JSON file"):
        jsonfeed.parse(b"{nope")


def test_titles_and_descriptions_follow_the_language_else_dutch():
    from sync.schedule.model import Occurrence
    import datetime as dt
    start = dt.datetime(2024, 3, 13, 10, tzinfo=dt.timezone.utc)
    o = Occurrence("s", "u", "Kookhuis", start, start, description="Samen eten",
                   titles={"nl": "Kookhuis", "en": "Community dinner"}, descriptions={"en": "Eat together"})
    assert (o.title_in("en"), o.description_in("en")) == ("Community dinner", "Eat together")
    assert (o.title_in("ar"), o.description_in("tr")) == ("Kookhuis", "Samen eten")


def test_dutch_listed_after_twelve_other_languages_is_kept_and_the_feed_is_used():
    doc = json.loads(FEED.read_bytes())
    first = doc["activities"][0]
    first["title"] = {f"x{letter}": f"titel {letter}" for letter in "abcdefghijklm"} | {"nl": "Open huis"}
    found = [o for o in expand("2024-03-13", "2024-03-14", data=json.dumps(doc).encode())
             if o.uid == "open-huis-sterrenburg"]
    assert [o.title for o in found] == ["Open huis"]  # was KeyError 'nl': the source failed
    assert len(found[0].titles) == 12 and found[0].titles["xa"] == "titel a" and "xm" not in found[0].titles
