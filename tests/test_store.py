"""The SQLite store: one transaction per replace, a day query, private file."""
import datetime as dt
import os
import sqlite3
import stat

import pytest

from sync.schedule.model import CANCELLED, Occurrence, Signup
from sync.store import Store
from sync.schedule.today import day_bounds
from tests.conftest import AMS, local


def occ(title, start, end, **kw):
    return Occurrence(source=kw.pop("source", "s"), uid=title, title=title, start=start, end=end, **kw)


def test_roundtrip_keeps_zone_and_fields(tmp_path):
    store = Store(tmp_path / "k.db")
    o = occ("Kookhuis", local(2024, 3, 28, 17, 30), local(2024, 3, 28, 20), location="Grote zaal",
            url="https://x.example/k", status=CANCELLED, description="d", contact="c")
    store.replace_occurrences("s", [o])
    start, end = day_bounds(dt.date(2024, 3, 28), AMS)
    assert store.occurrences_between(start, end) == [o]
    assert store.occurrences_between(start, end)[0].start.utcoffset() == dt.timedelta(hours=1)


def test_signup_survives_the_store(tmp_path):
    store = Store(tmp_path / "k.db")
    kookhuis = occ("Kookhuis", local(2024, 4, 5, 18), local(2024, 4, 5, 20),
                   signup=Signup(20, dt.timedelta(minutes=120)))
    lunch = occ("Lunch", local(2024, 4, 5, 12), local(2024, 4, 5, 13), signup=Signup())
    koffie = occ("Koffie", local(2024, 4, 5, 10), local(2024, 4, 5, 11))
    store.replace_occurrences("s", [kookhuis, lunch, koffie])
    start, end = day_bounds(dt.date(2024, 4, 5), AMS)
    found = {o.title: o for o in store.occurrences_between(start, end)}
    assert found == {"Kookhuis": kookhuis, "Lunch": lunch, "Koffie": koffie}
    assert found["Kookhuis"].signup_closes == local(2024, 4, 5, 16)
    assert (found["Lunch"].signup, found["Koffie"].signup) == (Signup(None, dt.timedelta(0)), None)
    assert store.next_occurrence_after(local(2024, 4, 5, 17)) == kookhuis


def test_day_query_takes_overlaps_and_sorts(tmp_path):
    store = Store(tmp_path / "k.db")
    night = occ("Nachtwake", local(2024, 3, 12, 22), local(2024, 3, 13, 2))
    late = occ("Avond", local(2024, 3, 13, 19), local(2024, 3, 13, 21))
    early = occ("Ochtend", local(2024, 3, 13, 9), local(2024, 3, 13, 10))
    tomorrow = occ("Morgen", local(2024, 3, 14, 9), local(2024, 3, 14, 10))
    store.replace_occurrences("s", [late, tomorrow, night, early])
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    assert [o.title for o in store.occurrences_between(start, end)] == ["Nachtwake", "Ochtend", "Avond"]
    assert store.next_occurrence_after(end).title == "Morgen"


def test_replace_touches_only_its_source(tmp_path):
    store = Store(tmp_path / "k.db")
    a = occ("A", local(2024, 3, 13, 9), local(2024, 3, 13, 10), source="a")
    b = occ("B", local(2024, 3, 13, 11), local(2024, 3, 13, 12), source="b")
    store.replace_occurrences("a", [a])
    store.replace_occurrences("b", [b])
    store.replace_occurrences("a", [])
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    assert [o.title for o in store.occurrences_between(start, end)] == ["B"]


def test_a_failed_replace_keeps_the_old_programme(tmp_path):
    store = Store(tmp_path / "k.db")
    old = occ("Oud", local(2024, 3, 13, 9), local(2024, 3, 13, 10))
    store.replace_occurrences("s", [old])
    broken = occ("Nieuw", local(2024, 3, 13, 9), local(2024, 3, 13, 10))
    object.__setattr__(broken, "start", None)  # makes the insert fail half-way
    try:
        store.replace_occurrences("s", [occ("Eerst", local(2024, 3, 13, 8), local(2024, 3, 13, 9)), broken])
    except Exception:
        pass
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    assert [o.title for o in store.occurrences_between(start, end)] == ["Oud"]


def test_wal_mode_and_owner_only_file(tmp_path):
    path = tmp_path / "k.db"
    store = Store(path)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_a_second_connection_reads_what_the_first_wrote(tmp_path):
    writer, reader = Store(tmp_path / "k.db"), Store(tmp_path / "k.db")
    writer.replace_occurrences("s", [occ("A", local(2024, 3, 13, 9), local(2024, 3, 13, 10))])
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    assert [o.title for o in reader.occurrences_between(start, end)] == ["A"]


def test_opening_an_up_to_date_file_writes_nothing(tmp_path):
    Store(tmp_path / "k.db").close()
    before = [(p.name, p.read_bytes()) for p in sorted(tmp_path.iterdir())]
    Store(tmp_path / "k.db").close()
    assert [(p.name, p.read_bytes()) for p in sorted(tmp_path.iterdir())] == before


def test_a_version_1_file_gets_the_new_columns_and_keeps_its_rows(tmp_path):
    import sqlite3

    conn = sqlite3.connect(tmp_path / "k.db")
    conn.executescript(
        "CREATE TABLE occurrences (key TEXT PRIMARY KEY, source TEXT, uid TEXT, title TEXT, location TEXT,"
        " description TEXT, url TEXT, contact TEXT, status TEXT, all_day INTEGER, start_utc TEXT,"
        " end_utc TEXT, tz TEXT);"
        "CREATE TABLE feed_cache (source TEXT PRIMARY KEY, body BLOB, tz TEXT, fetched_utc TEXT);"
        "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT);"
        "INSERT INTO meta VALUES ('schema_version', '1');"
        "INSERT INTO occurrences VALUES ('s|A|20240313T080000Z', 's', 'A', 'A', '', '', '', '', 'confirmed', 0,"
        " '2024-03-13T08:00:00Z', '2024-03-13T09:00:00Z', 'Europe/Amsterdam');"
        "INSERT INTO feed_cache VALUES ('s', x'00', 'Europe/Amsterdam', '2024-03-13T06:00:00Z');")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "k.db")
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    [a] = store.occurrences_between(start, end)
    assert (a.title, a.titles, a.category, a.signup) == ("A", {}, "", None)
    cached = store.cached_feed("s")
    assert (cached.etag, cached.expanded_for, cached.count) == ("", "", 0)
    assert store.last_successes() == {"s": dt.datetime(2024, 3, 13, 6, tzinfo=dt.timezone.utc)}


def test_a_version_2_file_gets_the_signup_columns(tmp_path):
    old = Store(tmp_path / "k.db")
    old.replace_occurrences("s", [occ("A", local(2024, 3, 13, 9), local(2024, 3, 13, 10))])
    old.db.execute("ALTER TABLE occurrences DROP COLUMN signup_places")
    old.db.execute("ALTER TABLE occurrences DROP COLUMN signup_closes_before")
    old.set_meta("schema_version", "2")
    old.close()
    store = Store(tmp_path / "k.db")
    assert store.get_meta("schema_version") == "3"
    start, end = day_bounds(dt.date(2024, 3, 13), AMS)
    [a] = store.occurrences_between(start, end)
    assert (a.title, a.signup) == ("A", None)


def test_a_failed_commit_leaves_no_transaction_open(tmp_path):
    """After a COMMIT that fails (here: a deferred foreign key), the next transaction can begin."""
    store = Store(tmp_path / "k.db")
    store.db.execute("PRAGMA foreign_keys = ON")
    store.db.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
    store.db.execute("CREATE TABLE child (pid INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED)")
    store.conn.commit()
    with pytest.raises(sqlite3.IntegrityError):
        with store.transaction() as conn:
            conn.execute("INSERT INTO child VALUES (7)")  # no parent 7: refused at COMMIT
    assert not store.conn.in_transaction
    with store.transaction() as conn:
        conn.execute("INSERT INTO parent VALUES (1)")
    assert store.db.execute("SELECT COUNT(*) FROM parent").fetchone()[0] == 1


def test_reading_an_up_to_date_file_does_not_load_sqlite_utils(tmp_path):
    """The kiosk's start reads (the programme, the help offers, the last syncs, the outbox's counts) and
    saves the screen's state (a setting): sqlite-utils, for the other writes and migrations, is imported
    later (about 30 ms and 3 MB of the start)."""
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "k.db"
    Store(path).replace_occurrences("s", [occ("Inloop", local(2024, 3, 28, 9, 30), local(2024, 3, 28, 12))])
    script = (
        "import datetime as dt, sys\n"
        "from sync.store import Store\n"
        "from sync.callback import outbox\n"
        "from sync.monitoring import figures\n"
        "from sync.schedule.today import day_bounds\n"
        "from tests.conftest import AMS\n"
        f"store = Store({str(path)!r})\n"
        "outbox.migrate(store); figures.migrate(store)\n"
        "start, end = day_bounds(dt.date(2024, 3, 28), AMS)\n"
        "titles = [o.title for o in store.occurrences_between(start, end)]\n"
        "store.feed_offer(); store.last_successes(); store.get_meta('pin'); outbox.counts_by_kind(store)\n"
        "store.set_meta('x', '1')\n"
        "print(titles, 'sqlite_utils' in sys.modules)\n"
        "print(store.get_meta('x'))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:2] == ["['Inloop'] False", "1"]
