"""The anonymous daily figures: how many visits, which activities were looked at, what was asked for.

One row per day, figure and detail (an activity's title, a topic, a language, a text size) with a
count. Nothing finer than a day, no row per visit, no personal data: what a funder's report and a
city dashboard need. The kiosk adds to the counts (kiosk/figures.py); the worker deletes days older
than `figures_days` and sends whole days to the figures webhook (sync.monitoring.figurespush);
`main.py report` prints them as CSV (`write_csv`, columns in docs/fleet.md).
"""
from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import sqlite3
from typing import IO, Iterable, Mapping

from sync.store import Store

VISITS = "visits"  # from a first touch until the kiosk is left alone and returns home
ACTIVITY_VIEWS = "activity_views"  # detail: the activity's title
QR_CODES_SHOWN = "qr_codes_shown"
CALLBACK_REQUESTS = "callback_requests"  # detail: the topic
LANGUAGE_CHOICES = "language_choices"  # detail: the language code (nl, en, ar, tr, pl, uk)
TEXT_SIZE_CHOICES = "text_size_choices"  # detail: the size chosen, e.g. 125%
READ_ALOUD_USES = "read_aloud_uses"
FIGURES = (VISITS, ACTIVITY_VIEWS, QR_CODES_SHOWN, CALLBACK_REQUESTS, LANGUAGE_CHOICES, TEXT_SIZE_CHOICES,
           READ_ALOUD_USES)
WITH_DETAIL = (ACTIVITY_VIEWS, CALLBACK_REQUESTS, LANGUAGE_CHOICES, TEXT_SIZE_CHOICES)
CSV_COLUMNS = ("date", "figure", "detail", "count")

Key = tuple[dt.date, str, str]  # (day, figure, detail)


def starts_visit(last_touch: float | None, touch: float, inactivity_seconds: float) -> bool:
    """Is a touch at `touch` the first of a new visit (pure)? Times in seconds of one monotonic clock."""
    return last_touch is None or touch - last_touch >= inactivity_seconds


@dataclasses.dataclass(frozen=True)
class Row:
    day: dt.date
    figure: str
    detail: str
    count: int


def migrate(store: Store) -> None:
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS figures (day TEXT NOT NULL, figure TEXT NOT NULL, detail TEXT NOT NULL,"
        " count INTEGER NOT NULL, PRIMARY KEY (day, figure, detail))")


def add(store: Store, counts: Mapping[Key, int]) -> None:
    """Add `counts` to the stored ones, in one transaction."""
    for _day, figure, _detail in counts:
        if figure not in FIGURES:
            raise ValueError(f"unknown figure {figure!r}")
    with store.transaction() as conn:
        conn.executemany(
            "INSERT INTO figures (day, figure, detail, count) VALUES (?, ?, ?, ?)"
            " ON CONFLICT (day, figure, detail) DO UPDATE SET count = count + excluded.count",
            [(day.isoformat(), figure, detail, count) for (day, figure, detail), count in counts.items() if count])


def rows(conn: sqlite3.Connection, first: dt.date, last: dt.date) -> list[Row]:
    """Every stored count from `first` to `last` (both included), by day, figure and detail; none when the
    database has no figures yet. `conn` may be read-only (`main.py report`)."""
    if not conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'figures'").fetchone():
        return []
    found = conn.execute(
        "SELECT day, figure, detail, count FROM figures WHERE day BETWEEN ? AND ? ORDER BY day, figure, detail",
        [first.isoformat(), last.isoformat()]).fetchall()
    return [Row(dt.date.fromisoformat(day), figure, detail, count) for day, figure, detail, count in found]


def per_day(store: Store, figure: str, first: dt.date, last: dt.date) -> dict[dt.date, int]:
    """One figure's total per day from `first` to `last`, 0 on days without it."""
    totals = dict(store.conn.execute(
        "SELECT day, SUM(count) FROM figures WHERE figure = ? AND day BETWEEN ? AND ? GROUP BY day",
        [figure, first.isoformat(), last.isoformat()]).fetchall())
    days = (first + dt.timedelta(days=n) for n in range((last - first).days + 1))
    return {day: totals.get(day.isoformat(), 0) for day in days}


def days_with_figures(store: Store, before: dt.date) -> list[dt.date]:
    found = store.conn.execute(
        "SELECT DISTINCT day FROM figures WHERE day < ? ORDER BY day", [before.isoformat()]).fetchall()
    return [dt.date.fromisoformat(day) for (day,) in found]


def prune(store: Store, today: dt.date, keep_days: int) -> int:
    """Delete the days older than `keep_days` before `today`; how many rows (no write when none)."""
    cutoff = (today - dt.timedelta(days=keep_days)).isoformat()
    if not store.conn.execute("SELECT 1 FROM figures WHERE day < ? LIMIT 1", [cutoff]).fetchone():
        return 0
    with store.transaction() as conn:
        removed = conn.execute("DELETE FROM figures WHERE day < ?", [cutoff]).rowcount
        if conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'figures_pushes'").fetchone():
            conn.execute("DELETE FROM figures_pushes WHERE day < ?", [cutoff])  # their push records too
        return removed


def write_csv(found: Iterable[Row], out: IO[str]) -> None:
    """The rows as CSV with the columns date, figure, detail, count (detail empty for plain counts)."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in found:
        writer.writerow((row.day.isoformat(), row.figure, spreadsheet_safe(row.detail), row.count))


def spreadsheet_safe(text: str) -> str:
    """A feed's title as a cell that a spreadsheet shows as text, never runs as a formula (OWASP CSV injection)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def day_document(day: dt.date, found: Iterable[Row], house: str, version: str) -> dict:
    """One day's figures as the JSON the figures webhook receives (docs/fleet.md)."""
    figures: dict[str, int | dict[str, int]] = {f: ({} if f in WITH_DETAIL else 0) for f in FIGURES}
    for row in found:
        if row.day != day or row.figure not in figures:
            continue
        if row.figure in WITH_DETAIL:
            figures[row.figure][row.detail] = row.count
        else:
            figures[row.figure] += row.count
    return {"house": house, "date": day.isoformat(), "version": version, "figures": figures}
