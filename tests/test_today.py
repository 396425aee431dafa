"""What is on now, next, and what is past."""
import datetime as dt

from sync.schedule.model import CANCELLED, Occurrence
from sync.schedule.today import ALL_DAY, LATER, NEXT, NOW, PAST, day_bounds, day_rows
from tests.conftest import AMS, local


def occ(title, h1, h2, **kw):
    return Occurrence("s", title, title, local(2024, 3, 13, *h1), local(2024, 3, 13, *h2), **kw)


def states(rows):
    return [(r.occurrence.title, r.state) for r in rows]


def test_now_next_past_later():
    day = [occ("Inloop", (9, 30), (12,)), occ("Papierwinkel", (10,), (12,)),
           occ("Lunch", (12,), (13, 30)), occ("Koken", (17, 30), (20,)), occ("Vroeg", (8,), (9,))]
    rows = day_rows(day, local(2024, 3, 13, 11))
    assert states(rows) == [("Vroeg", PAST), ("Inloop", NOW), ("Papierwinkel", NOW),
                            ("Lunch", NEXT), ("Koken", LATER)]


def test_all_starting_together_are_next_and_end_is_exclusive():
    day = [occ("A", (9,), (10,)), occ("B", (10,), (11,)), occ("C", (10,), (12,))]
    assert states(day_rows(day, local(2024, 3, 13, 10))) == [("A", PAST), ("B", NOW), ("C", NOW)]
    assert states(day_rows(day, local(2024, 3, 13, 9, 30))) == [("A", NOW), ("B", NEXT), ("C", NEXT)]


def test_cancelled_is_never_next():
    day = [occ("Weg", (12,), (13,), status=CANCELLED), occ("Wel", (14,), (15,))]
    assert states(day_rows(day, local(2024, 3, 13, 11))) == [("Weg", "cancelled"), ("Wel", NEXT)]


def test_all_day_comes_first():
    all_day = Occurrence("s", "Markt", "Markt", local(2024, 3, 13), local(2024, 3, 14), all_day=True)
    rows = day_rows([occ("A", (9,), (10,)), all_day], local(2024, 3, 13, 8))
    assert states(rows) == [("Markt", ALL_DAY), ("A", NEXT)]


def test_day_bounds_on_dst_days_are_23_and_25_hours():
    start, end = day_bounds(dt.date(2024, 3, 31), AMS)
    assert end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc) == dt.timedelta(hours=23)
    start, end = day_bounds(dt.date(2024, 10, 27), AMS)
    assert end.astimezone(dt.timezone.utc) - start.astimezone(dt.timezone.utc) == dt.timedelta(hours=25)


def test_a_day_of_hundreds_shows_a_bounded_list_around_now():
    from sync.schedule.today import MAX_ROWS, within_limit

    day = [Occurrence("s", str(i), f"A{i}", local(2024, 3, 13, 0) + dt.timedelta(minutes=2 * i),
                      local(2024, 3, 13, 0) + dt.timedelta(minutes=2 * i + 1)) for i in range(700)]
    rows = day_rows(day, local(2024, 3, 13, 20))
    shown, left_out = within_limit(rows)
    assert len(shown) == MAX_ROWS and left_out == 700 - MAX_ROWS
    assert [r.state for r in shown[:4]] == [PAST, PAST, NOW, NEXT]  # two that have passed, then what comes
    early = within_limit(day_rows(day, local(2024, 3, 12, 20)))[0]
    assert early[0].occurrence.title == "A0"
    late = within_limit(day_rows(day, local(2024, 3, 14, 1)))[0]  # all passed: the last ones
    assert late[-1].occurrence.title == "A699"
    assert within_limit(rows[:5]) == (rows[:5], 0)
