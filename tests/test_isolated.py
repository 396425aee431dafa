"""The feed's parse and expansion in a child process (sync.isolated): same result, errors come back,
a dead child keeps the last good programme."""
import datetime as dt
import os

import pytest

from sync import isolated
from sync.errors import SourceInvalid
from sync.schedule.expand import expand_body
from tests.conftest import DEMO_FEED, ROOT, local
from tests.test_worker_http import NOW, day_titles, make_worker

START, END = local(2024, 3, 12), local(2024, 4, 12)


def die(*_args):
    """Stands in for the parser in the child: the process ends without an answer."""
    os._exit(3)


def test_the_child_gives_the_same_occurrences_as_the_parse_in_this_process():
    for kind, body in (("ics", DEMO_FEED.read_bytes()),
                       ("json", (ROOT / "tests" / "fixtures" / "city-feed.json").read_bytes())):
        here = expand_body(kind, body, START, END, "Europe/Amsterdam", "demo")
        there = isolated.call("sync.schedule.expand:expand_body", kind, body, START, END, "Europe/Amsterdam", "demo")
        assert there == here and len(there.occurrences) > 0


def test_the_childs_source_error_is_raised_here():
    with pytest.raises(SourceInvalid, match="not an iCalendar file"):
        isolated.call("sync.schedule.expand:expand_body", "ics", b"<html>Onderhoud</html>", START, END, "Europe/Amsterdam", "x")


def test_a_child_that_dies_raises_child_failed():
    with pytest.raises(isolated.ChildFailed, match="exit code 3"):
        isolated.call("tests.test_isolated:die", b"body")


def test_a_dead_child_keeps_the_last_good_programme_and_backs_off(server, tmp_path, monkeypatch):
    worker = make_worker(server, tmp_path)
    assert worker.run_once(NOW).changed
    before = day_titles(tmp_path / "k.db")
    monkeypatch.setattr("sync.schedule.bounded.EXPAND", "tests.test_isolated:die")  # the child dies in it
    server.body = server.body.replace(b"Open huis met spreker", b"Open huis zonder spreker")
    later = NOW + dt.timedelta(hours=1)
    status = worker.run_once(later, force=True)
    assert not status.changed and status.failing
    assert day_titles(tmp_path / "k.db") == before
    assert worker.next_due(later) > later  # it waits before the next try
