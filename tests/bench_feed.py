"""Benchmark (not a test): feed import against recurring-ical-events alone, and the bytes an unchanged
feed writes. Run: python -m tests.bench_feed   Prints measured figures; nothing passes or fails."""
from __future__ import annotations

import datetime as dt
import random
import statistics
import tempfile
import time
import zoneinfo
from pathlib import Path

import icalendar
import recurring_ical_events

from sync.config import Config, Source
from sync.schedule.expand import expand_body
from sync.store import Store
from sync.worker import SyncWorker
from tests.feedserver import FeedServer

AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2024, 3, 13, 10, 30, tzinfo=AMS)
EVENTS, RECURRING, ROUNDS = 1000, 60, 7
RULES = ["FREQ=DAILY", "FREQ=WEEKLY;BYDAY=MO,WE,FR", "FREQ=WEEKLY;BYDAY=TU", "FREQ=MONTHLY;BYDAY=2WE,4WE",
         "FREQ=MONTHLY;BYDAY=-1TH", "FREQ=WEEKLY;INTERVAL=2;BYDAY=SA"]
VTIMEZONE = """BEGIN:VTIMEZONE
TZID:Europe/Amsterdam
BEGIN:DAYLIGHT
TZOFFSETFROM:+0100
TZOFFSETTO:+0200
TZNAME:CEST
DTSTART:19700329T020000
RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU
END:DAYLIGHT
BEGIN:STANDARD
TZOFFSETFROM:+0200
TZOFFSETTO:+0100
TZNAME:CET
DTSTART:19701025T030000
RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU
END:STANDARD
END:VTIMEZONE"""


def make_feed(rand: random.Random) -> bytes:
    """1,000 events around NOW, 60 of them recurring, as a city-wide publisher would write them."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Wijkkiosk//bench//NL", VTIMEZONE]
    for i in range(EVENTS):
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rand.randrange(0, 150))
        start = dt.datetime.combine(day, dt.time(rand.randrange(8, 21), rand.choice([0, 15, 30, 45])))
        end = start + dt.timedelta(minutes=rand.choice([60, 90, 120, 180]))
        lines += ["BEGIN:VEVENT", f"UID:bench-{i}@wijkkiosk.example", "DTSTAMP:20240301T120000Z",
                  f"DTSTART;TZID=Europe/Amsterdam:{start:%Y%m%dT%H%M%S}",
                  f"DTEND;TZID=Europe/Amsterdam:{end:%Y%m%dT%H%M%S}",
                  f"SUMMARY:Activiteit {i}", f"LOCATION:Zaal {i % 7}",
                  f"DESCRIPTION:Omschrijving van activiteit {i} in gewone taal."]
        if i < RECURRING:
            lines.append(f"RRULE:{RULES[i % len(RULES)]}")
            if i % 3 == 0:
                exdate = start + dt.timedelta(days=7 * rand.randrange(1, 8))
                lines.append(f"EXDATE;TZID=Europe/Amsterdam:{exdate:%Y%m%dT%H%M%S}")
        lines.append("END:VEVENT")
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def import_figures(rounds: int = ROUNDS) -> dict:
    """Median import time (parse + expand + store) against recurring-ical-events alone, interleaved."""
    body = make_feed(random.Random(2024))
    with tempfile.TemporaryDirectory() as folder:
        worker = SyncWorker(Config(sources=(Source("bench", "unused"),)), str(Path(folder) / "w.db"), lambda: NOW)
        start, end = worker.window(NOW)
        store = Store(Path(folder) / "k.db")

        def ours():
            occurrences = expand_body("ics", body, start, end, "Europe/Amsterdam", "bench").occurrences
            store.replace_occurrences("bench", occurrences)
            return occurrences

        def library_alone():
            return recurring_ical_events.of(icalendar.Calendar.from_ical(body)).between(start, end)

        count = len(ours())
        assert count == len(library_alone()), "both must expand the same occurrences"
        mine, theirs = [], []
        for _ in range(rounds):  # interleaved, so that both see the same machine load
            mine.append(timed(ours))
            theirs.append(timed(library_alone))
        store.close()
    ours_s, lib_s = statistics.median(mine), statistics.median(theirs)
    return {"events": EVENTS, "recurring": RECURRING, "kib": len(body) / 1024, "occurrences": count,
            "window": f"{start:%Y-%m-%d} .. {end:%Y-%m-%d}", "rounds": rounds,
            "import_ms": ours_s * 1000, "library_ms": lib_s * 1000, "ratio": ours_s / lib_s}


def unchanged_figures() -> dict:
    """What a second round against an unchanged feed (304) adds to the database."""
    body = make_feed(random.Random(2024))
    with tempfile.TemporaryDirectory() as folder:
        server = FeedServer()
        server.body, server.etag = body, '"bench-1"'
        db = Path(folder) / "sync.db"
        worker = SyncWorker(Config(sources=(Source("bench", server.url),)), str(db), lambda: NOW)
        worker.run_once(NOW)
        files = [db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-journal")]
        sizes = sum(f.stat().st_size for f in files if f.exists())
        contents = [f.read_bytes() for f in files if f.exists()]
        changes = worker.store.conn.total_changes
        status = worker.run_once(NOW + dt.timedelta(minutes=10), force=True)
        after_sizes = sum(f.stat().st_size for f in files if f.exists())
        written = sum(a != b for a, b in zip(contents, [f.read_bytes() for f in files if f.exists()]))
        sent = server.requests[-1][2].get("If-None-Match", "none")
        rows = worker.store.conn.total_changes - changes
        worker.store.close()
        server.close()
    return {"if_none_match": sent, "changed": status.changed, "bytes_added": after_sizes - sizes,
            "files_changed": written, "rows_changed": rows}


def main() -> None:
    f = import_figures()
    print(f"feed: {f['events']} events ({f['recurring']} recurring), {f['kib']:.0f} KiB; "
          f"window {f['window']}: {f['occurrences']} occurrences; median of {f['rounds']} runs")
    print(f"import (parse + expand + store):      {f['import_ms']:7.1f} ms")
    print(f"recurring-ical-events alone (+parse): {f['library_ms']:7.1f} ms")
    print(f"ratio: {f['ratio']:.2f} (goal <= 1.2)")
    u = unchanged_figures()
    print(f"unchanged feed (If-None-Match {u['if_none_match']}, programme changed: {u['changed']}): "
          f"{u['bytes_added']} bytes added to db+wal, {u['files_changed']} files with changed bytes, "
          f"{u['rows_changed']} rows changed (goal 0)")


if __name__ == "__main__":
    main()
