"""When does the home screen say how old the programme is?"""
import datetime as dt

from sync.schedule.freshness import is_stale, last_update
from tests.conftest import local

NOW = local(2024, 3, 28, 10, 30)


def test_the_oldest_source_counts_and_memory_beats_an_older_database_time():
    stored = {"a": local(2024, 3, 28, 7), "b": local(2024, 3, 28, 9)}
    assert last_update(["a", "b"], {}, stored) == local(2024, 3, 28, 7)
    assert last_update(["a", "b"], {"a": local(2024, 3, 28, 10, 20)}, stored) == local(2024, 3, 28, 9)
    assert last_update(["a", "c"], {"a": None}, stored) == local(2024, 3, 28, 7)
    assert last_update(["c"], {}, stored) is None


def test_stale_after_two_intervals_and_five_minutes_or_while_failing():
    interval = 600
    assert not is_stale(NOW - dt.timedelta(minutes=25), NOW, interval, failing=False)
    assert is_stale(NOW - dt.timedelta(minutes=25, seconds=1), NOW, interval, failing=False)
    assert is_stale(NOW - dt.timedelta(minutes=3), NOW, interval, failing=True)
    assert not is_stale(None, NOW, interval, failing=True)
