"""The SQLite store: one transaction per replace, a day query, private file."""
import datetime as dt
import os
import stat

from sync.model import CANCELLED, Occurrence
from sync.store import Store
from sync.today import day_bounds
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
