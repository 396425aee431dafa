"""The worker against a real, misbehaving HTTP server on 127.0.0.1: the last good programme stays."""
import dataclasses
import datetime as dt
import hashlib
import random
import sqlite3
import time

import pytest

from sync.config import Config, Source
from sync.store import Store
from sync.schedule.today import day_bounds
from sync.worker import SyncWorker
from tests.conftest import AMS, DEMO_FEED, local
from tests.feedserver import FeedServer

NOW = local(2024, 3, 13, 10, 30)
LATER = NOW + dt.timedelta(hours=1)
EMPTY = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//NL\r\nEND:VCALENDAR\r\n"


def make_worker(server, tmp_path, **config):
    settings = dict(sources=(Source("wijk", server.url),), sync_timeout=1.0, max_feed_bytes=1024 * 1024)
    settings.update(config)
    return SyncWorker(Config(**settings), str(tmp_path / "k.db"), lambda: NOW, rand=random.Random(1))


def day_titles(db_path, day=dt.date(2024, 3, 13)):
    store = Store(db_path)
    try:
        start, end = day_bounds(day, AMS)
        return [(o.title, o.status) for o in store.occurrences_between(start, end)]
    finally:
        store.close()


def files_digest(tmp_path) -> str:
    digest = hashlib.sha256()
    for name in ("k.db", "k.db-wal"):
        path = tmp_path / name
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()


@pytest.fixture
def synced(server, tmp_path):
    """A worker that has stored the demo programme once."""
    worker = make_worker(server, tmp_path)
    status = worker.run_once(NOW)
    assert status.changed and not status.failing
    before = day_titles(tmp_path / "k.db")
    assert ("Open huis met spreker", "confirmed") in before
    return worker, before


FAULTS = {
    "404": ("status", (404, {})),
    "500": ("status", (500, {})),
    "timeout": ("hang", 3),
    "connection reset": ("reset", None),
    "slow trickle": ("trickle", 0.05),
    "truncated body": ("truncated", None),
    "garbage": ("body", (b"<html><body>Onderhoud</body></html>", "text/html")),
    "binary garbage": ("body", (bytes(range(256)) * 40, "application/octet-stream")),
    "empty calendar": ("body", (EMPTY, "text/calendar")),
    "oversized with length": ("body", (b"BEGIN:VCALENDAR\r\n" + b"X" * (2 * 1024 * 1024), "text/calendar")),
    "oversized chunked": ("chunked", 3 * 1024 * 1024),
    "undecodable charset": ("body", (DEMO_FEED.read_bytes().replace(b"Co\xc3\xb6rdinator", b"Co\x81rdinator"),
                                     "text/calendar")),
    "calendar cut short": ("body", (DEMO_FEED.read_bytes()[:5000], "text/calendar")),
}


@pytest.mark.parametrize("fault", FAULTS, ids=list(FAULTS))
def test_every_fault_keeps_the_last_good_programme_and_the_worker_lives(server, tmp_path, synced, fault):
    worker, before = synced
    server.fault, server.fault_arg = FAULTS[fault]
    started = time.monotonic()
    status = worker.run_once(LATER, force=True)
    assert time.monotonic() - started < 10, "every request has a deadline"
    [source] = status.sources
    assert source.failures == 1 and source.last_error
    assert source.last_success == NOW and source.last_attempt == LATER
    assert day_titles(tmp_path / "k.db") == before

    server.fault = None  # the server heals: the next round recovers
    server.body = server.body.replace(b"Grote zaal", b"Grote zaal (beneden)")
    status = worker.run_once(LATER + dt.timedelta(hours=1), force=True)
    assert status.sources[0].failures == 0 and status.changed


def test_failure_messages_say_what_happened(server, tmp_path, synced):
    worker, _ = synced
    expected = {"404": "HTTP 404", "500": "HTTP 500", "timeout": "within 1 seconds",
                "truncated body": "incompletely", "oversized with length": "too large",
                "oversized chunked": "larger than", "empty calendar": "the last good programme is kept",
                "garbage": "not an iCalendar file", "undecodable charset": "not text in UTF-8"}
    for fault, words in expected.items():
        server.fault, server.fault_arg = FAULTS[fault]
        status = worker.run_once(LATER, force=True)
        assert words in status.sources[0].last_error, (fault, status.sources[0].last_error)


def test_304_parses_nothing_and_writes_nothing(server, tmp_path):
    server.etag = '"v1"'
    server.last_modified = "Wed, 13 Mar 2024 08:00:00 GMT"
    worker = make_worker(server, tmp_path)
    worker.run_once(NOW)
    reader = sqlite3.connect(tmp_path / "k.db")
    version = reader.execute("PRAGMA data_version").fetchone()[0]
    digest = files_digest(tmp_path)

    status = worker.run_once(LATER, force=True)
    assert server.requests[-1][2].get("If-None-Match") == '"v1"'
    assert server.requests[-1][2].get("If-Modified-Since") == server.last_modified
    assert not status.changed
    assert status.sources[0].last_success == LATER  # in memory
    assert reader.execute("PRAGMA data_version").fetchone()[0] == version
    assert files_digest(tmp_path) == digest
    reader.close()


def test_304_after_midnight_rolls_the_window_from_the_cached_body(server, tmp_path):
    server.etag = '"v1"'
    worker = make_worker(server, tmp_path, window_days=7)
    worker.run_once(NOW)
    far = dt.date(2024, 3, 13) + dt.timedelta(days=10)
    assert day_titles(tmp_path / "k.db", far) == []
    status = worker.run_once(NOW + dt.timedelta(days=4), force=True)
    assert status.changed and len(server.requests) == 2
    assert ("Inloop: koffie, een praatje en advies", "confirmed") in day_titles(tmp_path / "k.db", far)


def test_the_window_rolls_at_midnight_without_a_network(server, tmp_path):
    worker = make_worker(server, tmp_path, window_days=7)
    worker.run_once(NOW)
    server.close()  # the network is gone
    far = dt.date(2024, 3, 24)
    assert day_titles(tmp_path / "k.db", far) == []
    status = worker.run_once(local(2024, 3, 18, 0, 1), force=True)
    assert status.sources[0].failures == 1
    assert ("Inloop: koffie, een praatje en advies", "confirmed") in day_titles(tmp_path / "k.db", far)


def test_retry_after_is_honoured_when_longer_than_the_backoff(server, tmp_path, synced):
    worker, _ = synced
    server.fault, server.fault_arg = ("status", (503, {"Retry-After": "7200"}))
    worker.run_once(LATER, force=True)
    assert worker.next_due(LATER) == LATER + dt.timedelta(seconds=7200)
    count = len(server.requests)
    worker.run_once(LATER + dt.timedelta(minutes=30))  # not due: no request
    assert len(server.requests) == count
    worker.run_once(LATER + dt.timedelta(hours=2))
    assert len(server.requests) == count + 1


def test_backoff_grows_with_consecutive_failures(server, tmp_path, synced):
    worker, _ = synced
    server.fault, server.fault_arg = ("status", (500, {}))
    moment, waits = LATER, []
    for _ in range(4):
        worker.run_once(moment)
        due = worker.next_due(moment)
        waits.append((due - moment).total_seconds())
        moment = due
    assert waits == sorted(waits) and waits[-1] > 4 * waits[0] / 2
    assert worker.run_once(moment).sources[0].failures == 5


def test_latin1_body_without_charset_still_imports(server, tmp_path):
    server.body = DEMO_FEED.read_bytes().replace("Coördinator".encode(), "Coördinator".encode("cp1252"))
    server.content_type = "text/calendar"
    worker = make_worker(server, tmp_path)
    assert not worker.run_once(NOW).failing
    store = Store(tmp_path / "k.db")
    start, end = day_bounds(dt.date(2024, 3, 14), AMS)
    contacts = {o.contact for o in store.occurrences_between(start, end)}
    assert "Coördinator Huiswerkhuis" in contacts


def test_far_fewer_activities_than_before_is_suspicious_until_it_stays_a_day(server, tmp_path, synced):
    worker, before = synced
    text = DEMO_FEED.read_text()
    head, events = text.split("BEGIN:VEVENT", 1)
    first_event = "BEGIN:VEVENT" + events.split("END:VEVENT", 1)[0] + "END:VEVENT\r\n"
    server.body = (head + first_event.replace("RRULE:FREQ=DAILY", "COUNT:1") + "END:VCALENDAR\r\n").encode()
    status = worker.run_once(LATER, force=True)
    assert "kept" in status.sources[0].last_error
    assert day_titles(tmp_path / "k.db") == before
    status = worker.run_once(LATER + dt.timedelta(hours=25), force=True)
    assert status.sources[0].failures == 0 and status.changed


def test_several_sources_merge_and_a_filter_keeps_one_house(server, tmp_path):
    other = FeedServer()
    other.body = DEMO_FEED.read_bytes().replace(b"LOCATION:Grote zaal", b"LOCATION:Wijkcentrum Crabbehof")
    try:
        config = dict(sources=(Source("kerk", server.url),
                               Source("stad", other.url, location_filter="crabbehof")))
        worker = make_worker(server, tmp_path, **config)
        assert not worker.run_once(NOW).failing
        rows = day_titles(tmp_path / "k.db")
        store = Store(tmp_path / "k.db")
        start, end = day_bounds(dt.date(2024, 3, 13), AMS)
        by_source = {(o.source, o.location) for o in store.occurrences_between(start, end)}
        assert ("stad", "Wijkcentrum Crabbehof") in by_source
        assert {loc for src, loc in by_source if src == "stad"} == {"Wijkcentrum Crabbehof"}
        assert rows.count(("Open huis met spreker", "confirmed")) == 2
        other.fault, other.fault_arg = ("status", (500, {}))
        status = worker.run_once(LATER, force=True)
        assert [s.failures for s in status.sources] == [0, 1]
        assert day_titles(tmp_path / "k.db") == rows
    finally:
        other.close()


def test_a_broken_database_does_not_kill_the_worker(server, tmp_path, synced):
    worker, _ = synced
    worker.store.db.execute("DROP TABLE feed_cache")
    status = worker.run_once(LATER, force=True)
    assert status.sources[0].failures == 1 and "unexpected" in status.sources[0].last_error


def test_status_is_logged_on_change_only(server, tmp_path, synced, caplog):
    worker, _ = synced
    server.fault, server.fault_arg = ("status", (500, {}))
    with caplog.at_level("INFO", logger="sync.schedule.poller"):
        for i in range(3):
            worker.run_once(LATER + dt.timedelta(hours=i), force=True)
        server.fault = None
        worker.run_once(LATER + dt.timedelta(hours=5), force=True)
        worker.run_once(LATER + dt.timedelta(hours=6), force=True)
    messages = [r.getMessage() for r in caplog.records]
    assert len(messages) == 2
    assert "failed" in messages[0] and "recovered after 3 failures" in messages[1]


def test_status_objects_are_frozen(server, tmp_path, synced):
    worker, _ = synced
    status = worker.run_once(LATER, force=True)
    with pytest.raises(dataclasses.FrozenInstanceError):
        status.sources[0].failures = 3
