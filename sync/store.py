"""The SQLite file: the single source of truth.

The worker writes the programme (with its sources' help offers), the feed cache and the deliveries; the main thread reads the
programme and writes a visitor's request, a re-queue, the PIN's counter, the daily figures and the screen
state, all through kiosk/controller.py.
Each thread opens its own `Store`; the file is in WAL mode so a reader never waits for a writer.
`transaction()` is the explicit write transaction (BEGIN IMMEDIATE) for rows that must be durable
before the kiosk says so, and for the settings (`set_metas`; not nestable: never inside another
transaction); `db.atomic()` (sqlite-utils, nestable) groups the other writes.
"""
from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import os
import sqlite3
import zoneinfo
from pathlib import Path

from sync.errors import DatabaseUnusable, shown_location
from sync.offer import section
from sync.offer.model import HouseOffer
from sync.schedule.model import Occurrence, Signup

UTC = dt.timezone.utc
SCHEMA_VERSION = 3


def _utc(value: dt.datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _from_utc(text: str, tz: dt.tzinfo) -> dt.datetime:
    value = dt.datetime.fromisoformat(text)  # as `_utc` writes it ("...Z"); no zone: UTC all the same
    return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(tz)


class Store:
    """One connection to the kiosk's database, for one thread."""

    def __init__(self, path: str | os.PathLike):
        """Open (or create) the file; DatabaseUnusable when it cannot be used, with the reason in one line."""
        self.path = str(path)
        conn = None
        try:
            if self.path != ":memory:":
                _check_path(Path(self.path))
                Path(self.path).parent.mkdir(parents=True, exist_ok=True)
                _touch_private(Path(self.path))
            conn = sqlite3.connect(self.path, timeout=10)
            self.conn = conn
            self._db = None
            conn.execute("PRAGMA recursive_triggers=on")  # as sqlite-utils sets it
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            self._migrate()
        except (sqlite3.Error, OSError) as exc:
            if conn is not None:
                conn.close()
            raise DatabaseUnusable(f"{shown_location(self.path)}: {_unusable(exc)}") from None

    @property
    def db(self):
        """The connection in sqlite-utils, for writes and migrations: imported at the first use, so that
        the kiosk's start (reads only, on an up-to-date file) does without it (about 30 ms and 3 MB)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    @contextlib.contextmanager
    def transaction(self):
        """BEGIN IMMEDIATE ... COMMIT on this store's connection (ROLLBACK on error); yields the connection."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        try:
            conn.execute("COMMIT")
        except BaseException:  # e.g. a full disk: never leave the write lock held for the next caller
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise

    def close(self) -> None:
        self.conn.close()

    def _migrate(self) -> None:
        """Create or extend the tables; writes nothing when the file is already up to date."""
        if self.conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").fetchone():
            row = self.conn.execute("SELECT value FROM meta WHERE name = 'schema_version'").fetchone()
            if row is not None and row[0] == str(SCHEMA_VERSION):
                return
        with self.db.atomic():
            self.db["occurrences"].create(
                {
                    "key": str, "source": str, "uid": str, "title": str, "location": str,
                    "description": str, "url": str, "contact": str, "status": str,
                    "all_day": int, "start_utc": str, "end_utc": str, "tz": str,
                },
                pk="key",
                if_not_exists=True,
            )
            self.db["occurrences"].create_index(["start_utc"], if_not_exists=True)
            self.db["feed_cache"].create(
                {"source": str, "body": bytes, "tz": str, "fetched_utc": str},
                pk="source",
                if_not_exists=True,
            )
            # version 2: per-language texts and category; HTTP validators and the expanded window
            _add_columns(self.db["occurrences"], {"category": str, "titles": str, "descriptions": str})
            _add_columns(self.db["feed_cache"], {"etag": str, "last_modified": str, "expanded_for": str,
                                                 "count": int})
            # version 3: a JSON feed's help section per source (sync.offer.section's shape), and an
            # occurrence's sign-up (both NULL: none; closes_before in seconds, places NULL: no limit)
            self.db["offers"].create({"source": str, "section": str}, pk="source", if_not_exists=True)
            _add_columns(self.db["occurrences"], {"signup_places": int, "signup_closes_before": int})
            self.db["meta"].create({"name": str, "value": str}, pk="name", if_not_exists=True)
            self.db["meta"].upsert({"name": "schema_version", "value": str(SCHEMA_VERSION)}, pk="name")

    # -- occurrences -------------------------------------------------------------------------

    def replace_occurrences(self, source: str, occurrences: list[Occurrence]) -> None:
        """Replace everything stored for `source` by `occurrences`, in one transaction."""
        with self.db.atomic():
            self._write_occurrences(source, occurrences)

    def replace_programme(self, source: str, occurrences: list[Occurrence], feed: "CachedFeed",
                          offer: HouseOffer = HouseOffer()) -> None:
        """A source's new programme, its help offer (none: cleared) and the feed body they came from,
        in one transaction."""
        with self.db.atomic():
            self._write_occurrences(source, occurrences)
            self._write_offer(source, offer)
            self.save_feed(feed)

    def _write_occurrences(self, source: str, occurrences: list[Occurrence]) -> None:
        rows = [
            {
                "key": o.key, "source": source, "uid": o.uid, "title": o.title,
                "location": o.location, "description": o.description, "url": o.url,
                "contact": o.contact, "status": o.status, "all_day": int(o.all_day),
                "start_utc": _utc(o.start), "end_utc": _utc(o.end), "tz": str(o.start.tzinfo),
                "category": o.category, "titles": _json(o.titles), "descriptions": _json(o.descriptions),
                "signup_places": o.signup.places if o.signup else None,
                "signup_closes_before": o.signup.closes_before // dt.timedelta(seconds=1) if o.signup else None,
            }
            for o in occurrences
        ]
        self.conn.execute("DELETE FROM occurrences WHERE source = ?", [source])
        if rows:  # one prepared statement: sqlite-utils' insert_all took 17 of a 1,000-event import's 300 ms
            names = list(rows[0])
            self.conn.executemany(
                f"INSERT OR REPLACE INTO occurrences ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                [tuple(row.values()) for row in rows])

    def _write_offer(self, source: str, offer: HouseOffer) -> None:
        self.conn.execute("DELETE FROM offers WHERE source = ?", [source])
        if not section.is_empty(offer):
            self.db["offers"].insert(
                {"source": source, "section": json.dumps(section.to_section(offer), ensure_ascii=False)})

    def feed_offer(self) -> HouseOffer:
        """The help offers and volunteer roles of every source's feed, by source name (none: an empty one)."""
        merged = HouseOffer()
        for source, text in self.conn.execute("SELECT source, section FROM offers ORDER BY source").fetchall():
            merged = merged.merged(section.from_section(json.loads(text), source))
        return merged

    def occurrences_between(self, start: dt.datetime, end: dt.datetime) -> list[Occurrence]:
        """Occurrences that overlap [start, end), in time order."""
        rows = self.conn.execute(
            "SELECT * FROM occurrences WHERE start_utc < ? AND (end_utc > ? OR start_utc >= ?)"
            " ORDER BY start_utc, title",
            [_utc(end), _utc(start), _utc(start)],
        )
        cols = [c[0] for c in rows.description]
        return [_occurrence(dict(zip(cols, row))) for row in rows.fetchall()]

    def next_occurrence_after(self, moment: dt.datetime) -> Occurrence | None:
        """The first confirmed occurrence that starts at or after `moment`."""
        row = self.conn.execute(
            "SELECT * FROM occurrences WHERE start_utc >= ? AND status != 'cancelled'"
            " ORDER BY start_utc, title LIMIT 1",
            [_utc(moment)],
        )
        cols = [c[0] for c in row.description]
        found = row.fetchone()
        return _occurrence(dict(zip(cols, found))) if found else None

    # -- small settings and counters ---------------------------------------------------------

    def get_meta(self, name: str) -> str | None:
        row = self.conn.execute("SELECT value FROM meta WHERE name = ?", [name]).fetchone()
        return row[0] if row else None

    def set_meta(self, name: str, value: str) -> None:
        self.set_metas({name: value})

    def set_metas(self, values: dict[str, str]) -> None:
        """Set several settings at once: all of them or none. Without sqlite-utils: the kiosk saves its
        screen's state at the first tick, before the first frame."""
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO meta (name, value) VALUES (?, ?)"
                " ON CONFLICT(name) DO UPDATE SET value = excluded.value",
                list(values.items()),
            )

    # -- the last good feed body, so the window can roll without a network ---------------------

    def save_feed(self, feed: "CachedFeed") -> None:
        self.db["feed_cache"].upsert(
            {"source": feed.source, "body": feed.body, "tz": feed.tz, "fetched_utc": _utc(feed.fetched),
             "etag": feed.etag, "last_modified": feed.last_modified, "expanded_for": feed.expanded_for,
             "count": feed.count},
            pk="source",
        )

    def last_sync(self) -> dt.datetime | None:
        """When a source last brought a new programme (a floor for the clock; survives a restart)."""
        row = self.conn.execute("SELECT max(fetched_utc) FROM feed_cache").fetchone()
        return _from_utc(row[0], UTC) if row and row[0] else None

    def cached_feed(self, source: str) -> "CachedFeed | None":
        row = self.conn.execute(
            "SELECT body, tz, fetched_utc, etag, last_modified, expanded_for, count FROM feed_cache"
            " WHERE source = ?", [source]
        ).fetchone()
        if row is None:
            return None
        body, tz, fetched, etag, last_modified, expanded_for, count = row
        return CachedFeed(source, bytes(body), tz, _from_utc(fetched, UTC), etag or "", last_modified or "",
                          expanded_for or "", count or 0)

    def last_successes(self) -> dict[str, dt.datetime]:
        """When each source's stored programme was last fetched (survives a restart)."""
        rows = self.conn.execute("SELECT source, fetched_utc FROM feed_cache").fetchall()
        return {source: _from_utc(fetched, UTC) for source, fetched in rows}

    def forget_sources_except(self, names: list[str]) -> None:
        """Drop the programme and offer of sources that are no longer configured (no write if there are none)."""
        marks = ",".join("?" * len(names)) or "''"
        stale = self.conn.execute(
            f"SELECT COUNT(*) FROM feed_cache WHERE source NOT IN ({marks})", names).fetchone()[0]
        stale += self.conn.execute(
            f"SELECT COUNT(*) FROM occurrences WHERE source NOT IN ({marks})", names).fetchone()[0]
        stale += self.conn.execute(
            f"SELECT COUNT(*) FROM offers WHERE source NOT IN ({marks})", names).fetchone()[0]
        if stale:
            with self.db.atomic():
                self.conn.execute(f"DELETE FROM occurrences WHERE source NOT IN ({marks})", names)
                self.conn.execute(f"DELETE FROM offers WHERE source NOT IN ({marks})", names)
                self.conn.execute(f"DELETE FROM feed_cache WHERE source NOT IN ({marks})", names)


@dataclasses.dataclass(frozen=True)
class CachedFeed:
    """The last good body of a source, its HTTP validators and what was expanded from it."""

    source: str
    body: bytes
    tz: str
    fetched: dt.datetime  # when this body was fetched
    etag: str = ""
    last_modified: str = ""
    expanded_for: str = ""  # the window (and settings) the stored occurrences were expanded for
    count: int = 0  # occurrences stored from it


def _occurrence(row: dict) -> Occurrence:
    tz = zoneinfo.ZoneInfo(row["tz"]) if row["tz"] not in ("", "UTC") else UTC
    return Occurrence(
        source=row["source"], uid=row["uid"], title=row["title"],
        start=_from_utc(row["start_utc"], tz), end=_from_utc(row["end_utc"], tz),
        location=row["location"], description=row["description"], url=row["url"],
        contact=row["contact"], status=row["status"], all_day=bool(row["all_day"]),
        category=row.get("category") or "", titles=_from_json(row.get("titles")),
        descriptions=_from_json(row.get("descriptions")), signup=_signup(row),
    )


def _signup(row: dict) -> Signup | None:
    if row.get("signup_closes_before") is None:
        return None
    return Signup(row["signup_places"], dt.timedelta(seconds=row["signup_closes_before"]))


def _json(texts: dict[str, str]) -> str:
    return json.dumps(texts, ensure_ascii=False, sort_keys=True) if texts else ""


def _from_json(text: str | None) -> dict[str, str]:
    return json.loads(text) if text else {}


def _add_columns(table, columns: dict) -> None:
    for name, kind in columns.items():
        if name not in table.columns_dict:
            table.add_column(name, kind)


def _check_path(path: Path) -> None:
    """A database is a regular file (or not there yet): a folder or a device is refused before anything
    is written or its mode changed."""
    if path.is_dir():
        raise DatabaseUnusable(f"{shown_location(str(path))}: this is a folder, not a database file")
    if path.exists() and not path.is_file():
        raise DatabaseUnusable(f"{shown_location(str(path))}: not a regular file")


def damaged(exc: BaseException) -> bool:
    """Whether `exc` says the database file itself is damaged or not SQLite (not a passing lock)."""
    return getattr(exc, "sqlite_errorname", "") in ("SQLITE_CORRUPT", "SQLITE_NOTADB")


def _unusable(exc: Exception) -> str:
    """Why the database cannot be used, in words a volunteer can act on."""
    if damaged(exc):
        return "not a SQLite database, or damaged (restore a backup, or move it away to start afresh)"
    if isinstance(exc, OSError):
        return f"cannot open it: {exc.strerror or type(exc).__name__}"
    return f"cannot use it: {str(exc)[:80]}"


def _touch_private(path: Path) -> None:
    """Create the database file readable by its owner only (it may hold personal data)."""
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)
    os.chmod(path, 0o600)
