"""Issue 17, the feed content side: a hostile or careless feed costs bounded time and memory in every
command (`sync`, `programme`, `check`, the kiosk's worker), fails in one short line naming the limit
and the event, keeps the last good programme, and stores only cleaned, bounded texts. Events whose
times make no sense are skipped and counted; the rest of the feed is used."""
import datetime as dt
import json

import pytest

from sync import isolated
from sync.config import Config, Source
from sync.errors import SourceInvalid
from sync.schedule import bounded, limits
from sync.schedule.today import day_bounds
from sync.store import Store
from sync.worker import SyncWorker
from tests.conftest import AMS
from tests.hostile import (GOOD_ICS, REFUSED, TODAY, activity, ics, json_feed, run, stamp, vevent,
                           write_config)

SECONDS = 30  # generous: these feeds are refused in about half a second here
PEAK_MB = 200  # the command and its parse child; a normal sync of a small feed peaks at about 60 MB


def sync_once(config, tmp_path):
    return run("--config", str(config), "--db", str(tmp_path / "k.db"), "sync", "--once")


def stored_today(tmp_path):
    store = Store(tmp_path / "k.db")
    try:
        return store.occurrences_between(*day_bounds(TODAY, AMS))
    finally:
        store.close()


def one_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr[:1000]
    assert len(lines[0]) <= 200 + len("wijkkiosk: source wijk: "), lines[0]
    return lines[0]


@pytest.mark.parametrize("row, kind, body, words", REFUSED, ids=[r[0] for r in REFUSED])
def test_sync_refuses_a_feed_past_a_limit_in_one_line_with_bounded_time_and_memory(tmp_path, row, kind, body, words):
    result = sync_once(write_config(tmp_path, kind, body), tmp_path)
    assert result.code == 1
    line = one_line(result.stderr)
    assert line.startswith("wijkkiosk: source wijk: ") and words in line, line
    assert result.seconds < SECONDS and result.peak_mb < PEAK_MB, (result.seconds, result.peak_mb)


def test_the_last_good_programme_stays_when_the_feed_goes_past_a_limit(tmp_path):
    config = write_config(tmp_path, "ics", GOOD_ICS)
    assert sync_once(config, tmp_path).code == 0
    good = [o.title for o in stored_today(tmp_path)]
    assert good == ["Koffieochtend", "Kookhuis"]
    write_config(tmp_path, "ics", REFUSED[0][2])
    result = sync_once(config, tmp_path)
    assert result.code == 1 and "INTERVAL=0" in one_line(result.stderr)
    assert [o.title for o in stored_today(tmp_path)] == good


ROW_20 = [r for r in REFUSED if r[0].split()[0] in "1234"]


@pytest.mark.parametrize("row, kind, body, words", ROW_20, ids=[r[0] for r in ROW_20])
def test_programme_and_check_parse_in_the_bounded_child(tmp_path, row, kind, body, words):
    config = write_config(tmp_path, kind, body)
    programme = run("programme", "--feed", str(tmp_path / f"feed.{kind}"), "--date", str(TODAY))
    assert programme.code == 2 and programme.stdout == ""
    line = programme.stderr.strip()
    assert "\n" not in line and words in line and len(line) < 300, line
    check = run("check", "--config", str(config))
    assert check.code == 1
    [finding] = [f for f in check.stdout.splitlines() if f.startswith("FAIL  source wijk")]
    assert words in finding and len(finding) < 350, finding
    for result in (programme, check):
        assert result.seconds < SECONDS and result.peak_mb < PEAK_MB, (result.seconds, result.peak_mb)


# -- the child's budget ----------------------------------------------------------------------------

def allocate(*_args):
    """Stands in for the parser in the child: asks for a gigabyte."""
    return len(bytearray(2**30))


def test_the_cpu_budget_stops_a_slow_expansion_and_names_the_event():
    # DAILY from the year 1: allowed by the rules, but dateutil walks two thousand years to get here
    body = ics(*(vevent(f"oud{i}", f"Sinds het jaar 1 ({i})", "00010101T100000", "00010101T110000",
                        "RRULE:FREQ=DAILY") for i in range(20)))
    start, end = day_bounds(TODAY, AMS)
    began = dt.datetime.now()
    with pytest.raises(SourceInvalid) as caught:
        isolated.call(bounded.EXPAND, "ics", body, start, end + dt.timedelta(days=42), "Europe/Amsterdam", "w",
                      cpu_seconds=3)
    assert (dt.datetime.now() - began).total_seconds() < SECONDS
    message = str(caught.value)
    assert "more than 3 s of CPU time" in message and "stopped at \"Sinds het jaar 1 (" in message, message


def test_the_memory_budget_ends_in_one_line(monkeypatch):
    monkeypatch.setattr(bounded, "EXPAND", "tests.test_hostile_feeds:allocate")
    with pytest.raises(SourceInvalid, match=r"^the feed needs more than 768 MB of memory to read$"):
        bounded.expand_body("ics", b"", None, None, "")


# -- rows 6-8: an event whose times make no sense is skipped and counted ------------------------------

SKIPPED_ICS = ics(
    vevent("goed", "Koffieochtend"),
    vevent("achterstevoren", "Achterstevoren", stamp(TODAY, 12), stamp(TODAY, 11), "RRULE:FREQ=MONTHLY"),
    vevent("negatief", "Negatief", stamp(TODAY, 11), None, "DURATION:-PT5H"),
    "BEGIN:VEVENT\r\nUID:zonder-begin\r\nSUMMARY:Zonder begin\r\nEND:VEVENT\r\n",
    vevent("ook-goed", "Kookhuis", stamp(TODAY, 17)),
)
SKIPPED_JSON = json_feed(activity("dubbel", "Eerste"), activity("dubbel", "Tweede"), activity("ander", "Ander"))


def test_events_with_impossible_times_are_skipped_counted_and_the_rest_used(tmp_path):
    config = write_config(tmp_path, "ics", SKIPPED_ICS)
    result = sync_once(config, tmp_path)
    assert result.code == 0, result.stderr
    assert result.stdout.strip() == ('source wijk: ok; 3 events skipped (first: "Achterstevoren"'
                                     ' (UID achterstevoren): DTEND before DTSTART)')
    assert [(o.title, o.end - o.start) for o in stored_today(tmp_path)] == [
        ("Koffieochtend", dt.timedelta(hours=1)), ("Kookhuis", dt.timedelta(hours=1))]
    check = run("check", "--config", str(config))
    assert "2 activities in the next 42 days; 3 events skipped" in check.stdout
    programme = run("programme", "--feed", str(tmp_path / "feed.ics"), "--date", str(TODAY))
    assert programme.code == 0 and [i["title"] for i in json.loads(programme.stdout)] == ["Koffieochtend", "Kookhuis"]
    assert programme.stderr.strip().endswith("3 events skipped (first: \"Achterstevoren\" (UID achterstevoren):"
                                             " DTEND before DTSTART)")


def test_a_second_json_activity_with_the_same_id_and_start_is_skipped_not_overwriting(tmp_path):
    result = sync_once(write_config(tmp_path, "json", SKIPPED_JSON), tmp_path)
    assert result.code == 0 and "1 event skipped" in result.stdout and "second activity" in result.stdout
    assert sorted(o.title for o in stored_today(tmp_path)) == ["Ander", "Eerste"]


def test_the_workers_status_counts_the_skipped_events(tmp_path):
    feed = tmp_path / "feed.ics"
    feed.write_bytes(SKIPPED_ICS)
    worker = SyncWorker(Config(sources=(Source("wijk", str(feed)),)), str(tmp_path / "k.db"),
                        lambda: dt.datetime.combine(TODAY, dt.time(9), tzinfo=AMS))
    [status] = worker.run_once(worker.now()).sources
    assert status.failures == 0 and status.skipped.startswith("3 events skipped")
    [status] = worker.run_once(worker.now(), force=True).sources  # the same body again: not parsed, still counted
    assert status.skipped.startswith("3 events skipped")


# -- rows 9, 10, 12: texts and zones that could crash, and errors that echo the feed ------------------

def test_a_lone_surrogate_title_is_cleaned_and_stored(tmp_path):
    body = json_feed(activity("s", "Koffie\ud800 \u202eochtend\x07"), activity("t", "Thee"))
    assert b"\\ud800" in body
    result = sync_once(write_config(tmp_path, "json", body), tmp_path)
    assert result.code == 0, result.stderr
    assert sorted(o.title for o in stored_today(tmp_path)) == ["Koffie ochtend", "Thee"]


@pytest.mark.parametrize("zone", ["Europe", "Europe/" + "x" * 300, "../../../etc/passwd"])
def test_an_unusable_ics_zone_is_ignored_for_the_house_zone(tmp_path, zone):
    body = ics(vevent("k", "Koffie"), header=f"X-WR-TIMEZONE:{zone}\r\n")
    result = sync_once(write_config(tmp_path, "ics", body), tmp_path)
    assert result.code == 0, result.stderr
    [stored] = stored_today(tmp_path)
    assert stored.start.hour == 10 and stored.start.tzinfo.key == "Europe/Amsterdam"


@pytest.mark.parametrize("zone", ["Europe", "Europe/" + "x" * 300])
def test_an_unusable_json_zone_is_one_line(tmp_path, zone):
    result = sync_once(write_config(tmp_path, "json", json_feed(activity("k"), timezone=zone)), tmp_path)
    assert result.code == 1 and "unknown time zone" in one_line(result.stderr)


HUGE = "x" * (4 * 2**20)
ECHOING = [("ics", ics(vevent("k"), HUGE + "\r\n")), ("json", json_feed(activity("k"), publisher=[HUGE]))]


@pytest.mark.parametrize("kind, body", ECHOING, ids=["ics 4 MB bad line", "json 4 MB publisher"])
def test_feed_content_in_an_error_is_cut_to_a_short_excerpt(tmp_path, kind, body):
    result = sync_once(write_config(tmp_path, kind, body), tmp_path)
    assert result.code == 1
    one_line(result.stderr)
    feed = tmp_path / f"feed.{kind}"
    worker = SyncWorker(Config(sources=(Source("wijk", str(feed), kind=kind),)), str(tmp_path / "w.db"),
                        lambda: dt.datetime.combine(TODAY, dt.time(9), tzinfo=AMS))
    [status] = worker.run_once(worker.now()).sources
    assert status.failures == 1 and 0 < len(status.last_error) <= 200, status.last_error[:300]


def test_long_texts_are_cut_before_they_are_stored(tmp_path):
    url = "https://huis.example/" + "a" * 2000
    body = ics(vevent("lang", "T" * 100_000, None, "", "LOCATION:" + "L" * 5000, f"URL:{url}",
                      "DESCRIPTION:" + "regel\\n" * 2000))
    result = sync_once(write_config(tmp_path, "ics", body), tmp_path)
    assert result.code == 0, result.stderr
    [stored] = stored_today(tmp_path)
    assert len(stored.title) == limits.TEXT_LIMITS["title"] and stored.title.endswith("…")
    assert len(stored.location) == limits.TEXT_LIMITS["location"]
    assert len(stored.description) == limits.TEXT_LIMITS["description"] and "\n" in stored.description
    assert stored.url == ""  # a cut URL would lead nowhere


def test_cleaning_removes_what_could_crash_or_mislead():
    assert limits.clean("a\ud800b\u202ec\u2066d\x00e\r\nf", "title") == "abcd e f"
    assert limits.clean("een\r\ntwee\x1b", "description") == "een\ntwee"
    assert limits.clean_url("https://x.example/\u202e") == "https://x.example/"


def test_a_programme_stored_before_the_limits_is_expanded_again_with_them(tmp_path):
    """A database from an older version may hold a 100,000-character title; the next round cleans it,
    although the feed itself has not changed (the expansion key names the limits' version)."""
    feed = tmp_path / "feed.ics"
    feed.write_bytes(ics(vevent("lang", "T" * 100_000)))
    config = Config(sources=(Source("wijk", str(feed)),))
    now = dt.datetime.combine(TODAY, dt.time(9), tzinfo=AMS)
    SyncWorker(config, str(tmp_path / "k.db"), lambda: now).run_once(now)
    store = Store(tmp_path / "k.db")  # as an older version left it: the long title, a key without the limits
    store.db.execute("UPDATE occurrences SET title = ?", ["T" * 100_000])
    store.db.execute("UPDATE feed_cache SET expanded_for = replace(expanded_for, ?, '')", [f"|limits {limits.VERSION}"])
    store.conn.commit()
    assert len(stored_today(tmp_path)[0].title) == 100_000
    SyncWorker(config, str(tmp_path / "k.db"), lambda: now).run_once(now)  # the new version's first round
    assert len(stored_today(tmp_path)[0].title) == limits.TEXT_LIMITS["title"]


def test_a_city_feed_counts_only_this_houses_occurrences_against_the_day_limit(tmp_path):
    """400 daily events of which 20 are this house's: the city feed is not refused (it was, as ICS)."""
    events = [vevent(f"e{i}", f"Activiteit {i}", None, "", "RRULE:FREQ=DAILY",
                     "LOCATION:" + ("Crabbehof" if i % 20 == 0 else f"Wijk {i}")) for i in range(400)]
    feed = tmp_path / "city.ics"
    feed.write_bytes(ics(*events))
    worker = SyncWorker(Config(sources=(Source("stad", str(feed), location_filter="Crabbehof"),)),
                        str(tmp_path / "k.db"), lambda: dt.datetime.combine(TODAY, dt.time(9), tzinfo=AMS))
    [status] = worker.run_once(worker.now()).sources
    assert status.failures == 0, status.last_error
    assert len(stored_today(tmp_path)) == 20
