"""The durable outbox of callback requests and sign-ups, in the kiosk's SQLite file (one `Store` per thread).

A sign-up ("Ik kom ook" for one occurrence of an activity) is a request of its own kind in the same
queue: the same delivery, retry, expiry and erasure. Its tombstone (kind, people, the occurrence's key
and start: no personal data) counts the people signed up, and is deleted a day after the occurrence.

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

from sync.schedule.model import Occurrence
from sync.store import Store

UTC = dt.timezone.utc
PENDING, DELIVERED, REJECTED, EXPIRED = "pending", "delivered", "rejected", "expired"
MORNING, AFTERNOON, EVENING, ANY = "morning", "afternoon", "evening", "any"
MOMENTS = (MORNING, AFTERNOON, EVENING, ANY)  # when the visitor may be called; the moment step's order
CALLBACK, SIGNUP = "callback", "signup"
KINDS = (CALLBACK, SIGNUP)
MAX_PEOPLE = 6  # one sign-up: 1 to 6 people
SIGNUP_KEPT_AFTER = dt.timedelta(days=1)  # a sign-up's tombstone, after its occurrence's start


@dataclasses.dataclass(frozen=True)
class CallbackRequest:
    """What a visitor asked for. `phone` is E.164; `name` and `note` may be empty.

    A sign-up (kind SIGNUP, made with `signup_request`) has `topic` = the activity's Dutch title, 1 to 6
    `people`, a `name` (required), a `phone` (optional) and the occurrence's key and aware start."""

    topic: str
    phone: str = ""
    moment: str = ANY
    name: str = ""
    note: str = ""  # context, e.g. the activity the visitor was looking at
    id: str = ""
    created: dt.datetime | None = None
    kind: str = CALLBACK
    people: int = 0  # sign-ups only
    activity_key: str = ""  # sign-ups only: Occurrence.key
    activity_start: dt.datetime | None = None  # sign-ups only: the occurrence's start

    @property
    def is_signup(self) -> bool:
        return self.kind == SIGNUP


def signup_request(occurrence: Occurrence, people: int, name: str, phone: str = "") -> CallbackRequest:
    """A sign-up for `occurrence` by `name` for `people` (1-6); `phone` (E.164) is optional."""
    return CallbackRequest(topic=occurrence.title, phone=phone, name=name, kind=SIGNUP, people=people,
                           activity_key=occurrence.key, activity_start=occurrence.start)


def validate(request: CallbackRequest) -> None:
    """ValueError unless the request can be queued: a callback needs a topic, a phone number and a known
    moment; a sign-up a first name, 1 to 6 people and its activity (title, key, aware start)."""
    if request.kind == CALLBACK:
        if not request.phone or request.moment not in MOMENTS or not request.topic:
            raise ValueError("a request needs a topic, a phone number and a known moment")
    elif request.kind == SIGNUP:
        people = request.people
        if not request.name.strip():
            raise ValueError("a sign-up needs a first name")
        if isinstance(people, bool) or not isinstance(people, int) or not 1 <= people <= MAX_PEOPLE:
            raise ValueError(f"a sign-up is for 1 to {MAX_PEOPLE} people")
        start = request.activity_start
        if not request.topic or not request.activity_key or start is None or start.utcoffset() is None:
            raise ValueError("a sign-up needs its activity: a title, the occurrence's key and aware start")
    else:
        raise ValueError(f"unknown kind of request: {request.kind!r}")


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


# added after the first release (an older file gets them with these defaults)
_ADDED_COLUMNS = {"kind": "TEXT NOT NULL DEFAULT 'callback'", "people": "INTEGER NOT NULL DEFAULT 0",
                  "activity_key": "TEXT NOT NULL DEFAULT ''", "activity_start_utc": "TEXT"}


def migrate(store: Store) -> None:
    conn = store.conn
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
        present = {row[1] for row in conn.execute("PRAGMA table_info(callback_requests)")}
        for name, definition in _ADDED_COLUMNS.items():
            if name not in present:
                conn.execute(f"ALTER TABLE callback_requests ADD COLUMN {name} {definition}")
        conn.execute("CREATE INDEX IF NOT EXISTS callback_requests_activity ON callback_requests(activity_key)"
                     " WHERE kind = 'signup'")


def submit(store: Store, request: CallbackRequest, now: dt.datetime) -> str:
    """Commit a new request or sign-up durably and return its UUID; only then may the UI confirm it.
    ValueError when it is not complete (`validate`)."""
    import uuid  # here, not at the top: uuid loads platform (3 ms before the kiosk's first frame)

    validate(request)
    signup = request.is_signup
    request_id = str(uuid.uuid4())
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO callback_requests (id, created_utc, topic, moment, phone, name, note, kind, people,"
            " activity_key, activity_start_utc) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [request_id, _utc(now), request.topic, ANY if signup else request.moment, request.phone,
             request.name, request.note, request.kind, request.people if signup else 0,
             request.activity_key if signup else "", _utc(request.activity_start) if signup else None],
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
    rows = store.conn.execute(
        "SELECT r.id, r.created_utc, r.topic, r.moment, r.phone, r.name, r.note, d.channel, d.attempts,"
        " r.kind, r.people, r.activity_key, r.activity_start_utc"
        " FROM callback_deliveries d JOIN callback_requests r ON r.id = d.request_id"
        f" WHERE r.status = 'pending' AND d.state = 'pending' AND d.next_utc <= ? AND d.channel IN ({marks})"
        " ORDER BY r.created_utc, d.channel",
        [_utc(now), *channels],
    ).fetchall()
    return [
        Due(CallbackRequest(id=r[0], created=dt.datetime.fromisoformat(r[1]), topic=r[2], moment=r[3],
                            phone=r[4], name=r[5], note=r[6], kind=r[9], people=r[10], activity_key=r[11],
                            activity_start=dt.datetime.fromisoformat(r[12]) if r[12] else None), r[7], r[8])
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
    """Erase requests not delivered within the retention cap, and sign-ups not delivered when their
    activity starts (too late to be of use); return how many. Delete the tombstones (erased, delivered
    or expired) of sign-ups whose occurrence started more than a day ago."""
    cutoff = _utc(now - dt.timedelta(days=retention_days))
    with store.transaction() as conn:
        ids = [r[0] for r in conn.execute(
            "SELECT id FROM callback_requests WHERE status IN ('pending', 'rejected') AND created_utc < ?",
            [cutoff]).fetchall()]
        ids += [r[0] for r in conn.execute(
            "SELECT id FROM callback_requests WHERE kind = 'signup' AND status IN ('pending', 'rejected')"
            " AND activity_start_utc < ? AND created_utc >= ?", [_utc(now), cutoff]).fetchall()]
        _erase(conn, ids, EXPIRED, now)
        conn.execute(
            "UPDATE callback_deliveries SET state = 'expired' WHERE state IN ('pending', 'rejected')"
            " AND request_id IN (SELECT id FROM callback_requests WHERE status = 'expired')")
        past = ("SELECT id FROM callback_requests WHERE kind = 'signup' AND status IN ('delivered', 'expired')"
                " AND activity_start_utc < ?")
        gone = [_utc(now - SIGNUP_KEPT_AFTER)]
        conn.execute(f"DELETE FROM callback_deliveries WHERE request_id IN ({past})", gone)
        conn.execute(f"DELETE FROM callback_requests WHERE id IN ({past})", gone)
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
    row = store.conn.execute(
        "SELECT MIN(d.next_utc) FROM callback_deliveries d JOIN callback_requests r ON r.id = d.request_id"
        f" WHERE r.status = 'pending' AND d.state = 'pending' AND d.channel IN ({marks})",
        list(channels)).fetchone()
    return dt.datetime.fromisoformat(row[0]) if row and row[0] else None


def counts(store: Store) -> Counts:
    """Requests of both kinds by status."""
    found = dict(store.conn.execute(
        "SELECT status, COUNT(*) FROM callback_requests GROUP BY status").fetchall())
    return Counts(**{k: found.get(k, 0) for k in (PENDING, DELIVERED, REJECTED, EXPIRED)})


def counts_by_kind(store: Store) -> dict[str, Counts]:
    """Counts per kind (CALLBACK, SIGNUP; both always present), for the admin screen."""
    found: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
    for kind, status, count in store.conn.execute(
            "SELECT kind, status, COUNT(*) FROM callback_requests GROUP BY kind, status").fetchall():
        found.setdefault(kind, {})[status] = count
    return {kind: Counts(**{k: by_status.get(k, 0) for k in (PENDING, DELIVERED, REJECTED, EXPIRED)})
            for kind, by_status in found.items()}


def signups_for(store: Store, activity_key: str) -> int:
    """How many people signed up at this kiosk for the occurrence (Occurrence.key): every committed
    sign-up, whatever its delivery state (the visitor was told they are coming). No names."""
    row = store.conn.execute(
        "SELECT COALESCE(SUM(people), 0) FROM callback_requests WHERE kind = 'signup' AND activity_key = ?",
        [activity_key]).fetchone()
    return row[0]


def wipe_free_pages(store: Store) -> None:
    """Move the WAL into the file and truncate it, so erased values leave no old page copies."""
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
