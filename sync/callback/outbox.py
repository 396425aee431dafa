"""The durable outbox of callback requests, in the kiosk's SQLite file (one `Store` per thread).

A request is committed (WAL, synchronous=FULL, one explicit transaction) before the visitor sees a
confirmation. Each has a UUID, the idempotency key of every delivery attempt. Each configured channel
has its own delivery row. Once every channel has delivered, or once the retention cap has passed,
the personal data (phone, name, note) is overwritten and only a tombstone for the counts remains.

    request.status:   pending --all channels delivered--> delivered (erased)
                      pending --a channel rejected------> rejected (kept for the admin screen)
                      pending / rejected --older than the cap--> expired (erased)
    delivery.state:   pending --2xx / 250--> delivered;  --4xx / 5xx permanent--> rejected
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import uuid

from sync.store import Store

UTC = dt.timezone.utc
PENDING, DELIVERED, REJECTED, EXPIRED = "pending", "delivered", "rejected", "expired"
MORNING, AFTERNOON, EVENING, ANY = "morning", "afternoon", "evening", "any"
MOMENTS = (MORNING, AFTERNOON, EVENING, ANY)  # when the visitor may be called; the moment step's order


@dataclasses.dataclass(frozen=True)
class CallbackRequest:
    """What a visitor asked for. `phone` is E.164; `name` and `note` may be empty."""

    topic: str
    phone: str
    moment: str = ANY
    name: str = ""
    note: str = ""  # context, e.g. the activity the visitor was looking at
    id: str = ""
    created: dt.datetime | None = None


@dataclasses.dataclass(frozen=True)
class Due:
    """One delivery to attempt now."""

    request: CallbackRequest
    channel: str
    attempts: int


@dataclasses.dataclass(frozen=True)
class Counts:
    """Numbers for the admin screen; no personal data."""

    pending: int = 0
    delivered: int = 0
    rejected: int = 0
    expired: int = 0


def _utc(moment: dt.datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def migrate(store: Store) -> None:
    conn = store.db.conn
    conn.execute("PRAGMA secure_delete=ON")  # erased values are overwritten with zeros in the file
    with store.transaction():
        conn.execute(
            "CREATE TABLE IF NOT EXISTS callback_requests ("
            " id TEXT PRIMARY KEY, created_utc TEXT NOT NULL, topic TEXT NOT NULL, moment TEXT NOT NULL,"
            " phone TEXT NOT NULL, name TEXT NOT NULL, note TEXT NOT NULL,"
            " status TEXT NOT NULL DEFAULT 'pending', erased_utc TEXT)"
        )
        conn.execute(
            "CREATE TABLE IF NOT EXISTS callback_deliveries ("
            " request_id TEXT NOT NULL REFERENCES callback_requests(id), channel TEXT NOT NULL,"
            " state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
            " next_utc TEXT NOT NULL, last_error TEXT NOT NULL DEFAULT '', done_utc TEXT,"
            " PRIMARY KEY (request_id, channel))"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS callback_requests_status ON callback_requests(status)")


def submit(store: Store, request: CallbackRequest, now: dt.datetime) -> str:
    """Commit a new request durably and return its UUID; only then may the UI confirm it."""
    if not request.phone or request.moment not in MOMENTS or not request.topic:
        raise ValueError("a request needs a topic, a phone number and a known moment")
    request_id = str(uuid.uuid4())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO callback_requests (id, created_utc, topic, moment, phone, name, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            [request_id, _utc(now), request.topic, request.moment, request.phone, request.name, request.note],
        )
    return request_id


def due(store: Store, channels: tuple[str, ...], now: dt.datetime) -> list[Due]:
    """Deliveries to attempt now, oldest request first; adds rows for newly configured channels."""
    with store.transaction() as conn:
        for channel in channels:
            conn.execute(
                "INSERT OR IGNORE INTO callback_deliveries (request_id, channel, next_utc)"
                " SELECT id, ?, created_utc FROM callback_requests WHERE status = 'pending'",
                [channel],
            )
    if not channels:
        return []
    marks = ",".join("?" * len(channels))
    rows = store.db.conn.execute(
        "SELECT r.id, r.created_utc, r.topic, r.moment, r.phone, r.name, r.note, d.channel, d.attempts"
        " FROM callback_deliveries d JOIN callback_requests r ON r.id = d.request_id"
        f" WHERE r.status = 'pending' AND d.state = 'pending' AND d.next_utc <= ? AND d.channel IN ({marks})"
        " ORDER BY r.created_utc, d.channel",
        [_utc(now), *channels],
    ).fetchall()
    return [
        Due(CallbackRequest(id=r[0], created=dt.datetime.fromisoformat(r[1]), topic=r[2], moment=r[3],
                            phone=r[4], name=r[5], note=r[6]), r[7], r[8])
        for r in rows
    ]


def mark_delivered(store: Store, request_id: str, channel: str, channels: tuple[str, ...],
                   now: dt.datetime) -> bool:
    """Record a delivery; erase the request if every configured channel has it. True if erased."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE callback_deliveries SET state = 'delivered', attempts = attempts + 1, last_error = '',"
            " done_utc = ? WHERE request_id = ? AND channel = ?",
            [_utc(now), request_id, channel],
        )
        return _settle(conn, request_id, channels, now)


def mark_retry(store: Store, request_id: str, channel: str, at: dt.datetime, error: str) -> None:
    """Record a failed attempt to retry at `at`. `error` must hold no personal data."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE callback_deliveries SET attempts = attempts + 1, next_utc = ?, last_error = ?"
            " WHERE request_id = ? AND channel = ?",
            [_utc(at), error, request_id, channel],
        )


def mark_rejected(store: Store, request_id: str, channel: str, channels: tuple[str, ...],
                  now: dt.datetime, error: str) -> None:
    """The receiver refused the request for good: keep it, counted, for the admin screen."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE callback_deliveries SET state = 'rejected', attempts = attempts + 1, last_error = ?,"
            " done_utc = ? WHERE request_id = ? AND channel = ?",
            [error, _utc(now), request_id, channel],
        )
        _settle(conn, request_id, channels, now)


def _settle(conn, request_id: str, channels: tuple[str, ...], now: dt.datetime) -> bool:
    states = dict(conn.execute(
        "SELECT channel, state FROM callback_deliveries WHERE request_id = ?", [request_id]).fetchall())
    wanted = [states.get(channel, PENDING) for channel in channels]
    if wanted and all(state == DELIVERED for state in wanted):
        _erase(conn, [request_id], DELIVERED, now)
        return True
    if REJECTED in wanted and PENDING not in wanted:
        conn.execute("UPDATE callback_requests SET status = 'rejected' WHERE id = ?", [request_id])
    return False


def _erase(conn, ids: list[str], status: str, now: dt.datetime) -> None:
    conn.executemany(
        "UPDATE callback_requests SET phone = '', name = '', note = '', status = ?, erased_utc = ? WHERE id = ?",
        [(status, _utc(now), request_id) for request_id in ids],
    )


def expire(store: Store, now: dt.datetime, retention_days: int) -> int:
    """Erase requests not delivered within the retention cap; return how many."""
    cutoff = _utc(now - dt.timedelta(days=retention_days))
    with store.transaction() as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM callback_requests WHERE status IN ('pending', 'rejected') AND created_utc < ?",
            [cutoff]).fetchall()]
        _erase(conn, ids, EXPIRED, now)
        conn.execute(
            "UPDATE callback_deliveries SET state = 'expired' WHERE state IN ('pending', 'rejected')"
            " AND request_id IN (SELECT id FROM callback_requests WHERE status = 'expired')")
    return len(ids)


def retry_rejected(store: Store, now: dt.datetime) -> int:
    """Put rejected requests back in the queue (the admin screen's "retry"); return how many."""
    with store.transaction() as conn:
        conn.execute(
            "UPDATE callback_deliveries SET state = 'pending', next_utc = ? WHERE state = 'rejected'",
            [_utc(now)])
        return conn.execute(
            "UPDATE callback_requests SET status = 'pending' WHERE status = 'rejected'").rowcount


def next_due(store: Store, channels: tuple[str, ...]) -> dt.datetime | None:
    """When the earliest pending delivery is due, or None."""
    if not channels:
        return None
    marks = ",".join("?" * len(channels))
    row = store.db.conn.execute(
        "SELECT MIN(d.next_utc) FROM callback_deliveries d JOIN callback_requests r ON r.id = d.request_id"
        f" WHERE r.status = 'pending' AND d.state = 'pending' AND d.channel IN ({marks})",
        list(channels)).fetchone()
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None


def counts(store: Store) -> Counts:
    found = dict(store.db.conn.execute(
        "SELECT status, COUNT(*) FROM callback_requests GROUP BY status").fetchall())
    return Counts(**{k: found.get(k, 0) for k in (PENDING, DELIVERED, REJECTED, EXPIRED)})


def wipe_free_pages(store: Store) -> None:
    """Move the WAL into the file and truncate it, so erased values leave no old page copies."""
    store.db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
