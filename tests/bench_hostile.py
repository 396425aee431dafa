"""Benchmark (not a test): `main.py sync --once`, `programme` and `check` on the hostile feeds of issue 17
(feed content side): wall time and peak memory (the command and its parse child, wait4's ru_maxrss).
Run: python -m tests.bench_hostile   Prints a Markdown table; nothing passes or fails."""
from __future__ import annotations

import tempfile
from pathlib import Path

from tests.hostile import GOOD_ICS, REFUSED, TODAY, activity, ics, json_feed, run, vevent, write_config
from tests.test_hostile_feeds import ECHOING, SKIPPED_ICS, SKIPPED_JSON

OTHER = [
    ("baseline: a good 2-event feed", "ics", GOOD_ICS),
    ("6-7 impossible times (3 of 5 events)", "ics", SKIPPED_ICS),
    ("8 json duplicate id+start", "json", SKIPPED_JSON),
    ("9 json lone surrogate title", "json", json_feed(activity("s", "Koffie\ud800"))),
    ("9 ics zone \"Europe\"", "ics", ics(vevent("k"), header="X-WR-TIMEZONE:Europe\r\n")),
    ("9 json 300-character zone", "json", json_feed(activity("k"), timezone="Europe/" + "x" * 293)),
    ("10 ics 4 MB bad line", *ECHOING[0]),
    ("10 json 4 MB publisher", *ECHOING[1]),
    ("12 100,000-character title", "ics", ics(vevent("lang", "T" * 100_000))),
]


def measure(kind: str, body: bytes) -> list[tuple[str, float, float, str]]:
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        config = write_config(folder, kind, body)
        results = [("sync", run("--config", str(config), "--db", str(folder / "k.db"), "sync", "--once")),
                   ("programme", run("programme", "--feed", str(folder / f"feed.{kind}"), "--date", str(TODAY))),
                   ("check", run("check", "--config", str(config)))]
    return [(name, r.seconds, r.peak_mb, f"exit {r.code}") for name, r in results]


def main() -> None:
    print("| row | feed | `sync --once` | `programme` | `check` |")
    print("|---|---|---|---|---|")
    for row, kind, body, *_ in OTHER + REFUSED:
        cells = [f"{seconds:.2f} s, {peak:.0f} MB, {code}" for _, seconds, peak, code in measure(kind, body)]
        print(f"| {row} | {len(body):,} B | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
