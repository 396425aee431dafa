"""Hostile feeds for tests/test_hostile_feeds.py and tests/bench_hostile.py: tiny bodies built here,
and a runner that times a command and measures its peak memory (its own and its children's)."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import subprocess
import threading
import time
from pathlib import Path

from tests.conftest import PYTHON, ROOT

TODAY = dt.date.today()


def stamp(day: dt.date, hour: int = 10, minute: int = 0) -> str:
    return f"{day:%Y%m%d}T{hour:02d}{minute:02d}00"


def vevent(uid: str, summary: str = "Koffie", start: str | None = None, end: str | None = "", *lines: str) -> str:
    """One VEVENT; `start` defaults to today 10:00, `end` to an hour later (None: no DTEND)."""
    start = start or stamp(TODAY)
    if end == "":
        end = start[:9] + f"{int(start[9:11]) + 1:02d}" + start[11:]
    props = [f"UID:{uid}", f"SUMMARY:{summary}", f"DTSTART:{start}"]
    props += [f"DTEND:{end}"] if end else []
    return "BEGIN:VEVENT\r\n" + "".join(p + "\r\n" for p in props + list(lines)) + "END:VEVENT\r\n"


def ics(*events: str, header: str = "") -> bytes:
    return ("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//hostile//NL\r\n" + header
            + "".join(events) + "END:VCALENDAR\r\n").encode("utf-8")


def activity(id: str, title: str = "Koffie", day: dt.date = TODAY, **fields) -> dict:
    return {"id": id, "title": {"nl": title}, "start": f"{day}T10:00", "end": f"{day}T11:00", **fields}


def json_feed(*activities: dict, **fields) -> bytes:
    return json.dumps({"version": 1, **fields, "activities": list(activities)}).encode("utf-8")


GOOD_ICS = ics(vevent("goed-1", "Koffieochtend"), vevent("goed-2", "Kookhuis", stamp(TODAY, 17)))


def daily_events(count: int) -> bytes:
    return ics(*(vevent(f"e{i}", f"Dagelijks {i}", stamp(TODAY), None, "RRULE:FREQ=DAILY") for i in range(count)))


# the rows of issue 17 whose feed is refused as a whole: (row, kind, body, words the one line holds)
REFUSED = [
    ("1 ics INTERVAL=0", "ics", ics(vevent("nul", "Nul", None, "", "RRULE:FREQ=DAILY;INTERVAL=0")), "INTERVAL=0"),
    ("1 ics INTERVAL=abc", "ics", ics(vevent("abc", "Abc", None, "", "RRULE:FREQ=DAILY;INTERVAL=abc")),
     "its rule cannot be read"),
    ("1 json INTERVAL=0", "json", json_feed(activity("nul", rrule="FREQ=DAILY;INTERVAL=0")), "INTERVAL=0"),
    ("2 SECONDLY", "ics", ics(vevent("sec", "Elke seconde", None, "", "RRULE:FREQ=SECONDLY")), "SECONDLY"),
    ("2 SECONDLY from 1970", "ics", ics(vevent("sec70", "Sinds 1970", "19700101T000000", "19700101T000001",
                                               "RRULE:FREQ=SECONDLY")), "SECONDLY"),
    ("2 MINUTELY+BYSECOND from 1900", "ics", ics(vevent("min", "Sinds 1900", "19000101T000000", "19000101T000001",
                                                        "RRULE:FREQ=MINUTELY;BYSECOND=0,15,30,45")), "MINUTELY"),
    ("2 HOURLY from year 1", "ics", ics(vevent("uur", "Sinds jaar 1", "00010101T000000", "00010101T000001",
                                               "RRULE:FREQ=HOURLY")), "HOURLY"),
    ("3 json SECONDLY", "json", json_feed(activity("sec", rrule="FREQ=SECONDLY")), "SECONDLY"),
    ("4 20k daily VEVENTs", "ics", daily_events(20_000), "20000 events"),
    ("4 json 30k daily", "json", json_feed(*(activity(f"a{i}", rrule="FREQ=DAILY") for i in range(30_000))),
     "30000 events"),
    ("4 4k daily VEVENTs", "ics", daily_events(4000), "occurrences in the window"),
    ("5 MINUTELY", "ics", ics(vevent("minuut", "Elke minuut", None, "", "RRULE:FREQ=MINUTELY")), "MINUTELY"),
    ("5 DAILY 1,440 times a day", "ics", ics(vevent("minuut", "Elke minuut", None, "",
                                                    "RRULE:FREQ=DAILY;BYHOUR=" + ",".join(map(str, range(24)))
                                                    + ";BYMINUTE=" + ",".join(map(str, range(60))))),
     "1440 times a day"),
    ("5 RDATE 720 times on one day", "ics", ics(vevent("rdate", "Elke twee minuten", None, "", "RDATE:" + ",".join(
        f"{TODAY:%Y%m%d}T{h:02d}{m:02d}00" for h in range(24) for m in range(0, 60, 2)))), "720 times on"),
]


def write_config(folder: Path, kind: str, body: bytes, name: str = "wijk") -> Path:
    """A configuration with one file source holding `body`; returns its path."""
    feed = folder / f"feed.{kind}"
    feed.write_bytes(body)
    config = folder / "kiosk.toml"
    config.write_text(f'[[sources]]\nname = "{name}"\nkind = "{kind}"\nlocation = "{feed}"\n', encoding="utf-8")
    return config


@dataclasses.dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    seconds: float
    peak_mb: float  # the largest resident set of the command and every process it waited for


def run(*args: str, timeout: float = 120) -> Run:
    """`main.py args` in a subprocess: its output, wall time and peak memory (wait4's ru_maxrss)."""
    out_path, err_path = (Path(os.environ.get("TMPDIR", "/tmp")) / f"hostile-{os.getpid()}-{n}" for n in "oe")
    with out_path.open("w+b") as out, err_path.open("w+b") as err:
        start = time.monotonic()
        process = subprocess.Popen([PYTHON, str(ROOT / "main.py"), *args], stdout=out, stderr=err, cwd=ROOT)
        timer = threading.Timer(timeout, process.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            timer.cancel()
        seconds = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0), err.seek(0)
        result = Run(process.returncode, out.read().decode(), err.read().decode(), seconds, usage.ru_maxrss / 1024)
    out_path.unlink(), err_path.unlink()
    return result
