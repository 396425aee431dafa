"""What the screens ask for (kiosk.controller), with one "now": the kiosk's clock, shifted in a preview."""
import datetime as dt
import os
import tempfile

import pytest

from sync.callback import outbox
from sync.device import pin
from sync.device.clock import KioskClock
from sync.store import Store

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
pytest.importorskip("kivy")
from kiosk.controller import KioskController  # noqa: E402

PREVIEW = dt.datetime(2024, 3, 13, 10, 30)  # main.py --date 2024-03-13 --time 10:30


class Bridge:
    def __init__(self):
        self.commands = []

    def wake(self):
        self.commands.append("wake")

    def force(self):
        self.commands.append("force")


@pytest.fixture
def controller(tmp_path):
    store = Store(tmp_path / "k.db")
    outbox.migrate(store)
    clock = KioskClock.shifted_to("Europe/Amsterdam", PREVIEW)
    yield KioskController(store, clock, Bridge(), str(tmp_path / "k.db"), lambda: "reloaded")
    store.close()


def test_a_submitted_request_is_stored_at_the_kiosks_now_and_wakes_the_worker(controller):
    controller.submit_request(outbox.CallbackRequest(topic="Voedselbank", phone="+31612345678"))
    assert controller.bridge.commands == ["wake"]
    due = outbox.due(controller.store, ("webhook",), controller.clock.now())
    assert len(due) == 1 and controller.request_counts().pending == 1


def test_in_the_demo_a_request_is_neither_kept_nor_sent(controller):
    controller.demo = True
    counted = []
    controller.on_request = counted.append
    assert controller.submit_request(outbox.CallbackRequest(topic="Voedselbank", phone="+31612345678")) == ""
    assert controller.bridge.commands == []
    assert controller.request_counts() == outbox.Counts()
    assert controller.store.db.execute("SELECT COUNT(*) FROM callback_requests").fetchone()[0] == 0
    assert counted == []  # nor counted in the daily figures


def test_a_refused_request_sent_again_is_due_at_the_kiosks_now_also_in_a_preview(controller):
    # before, the admin screen re-queued at the real UTC time: in a preview of 2024 never due
    now = controller.clock.now()
    request_id = outbox.submit(controller.store, outbox.CallbackRequest(topic="Voedselbank", phone="+31612345678"), now)
    assert len(outbox.due(controller.store, ("webhook",), now)) == 1
    outbox.mark_rejected(controller.store, request_id, "webhook", ("webhook",), now, "HTTP 400")
    assert controller.retry_rejected() == 1
    assert [d.request.id for d in outbox.due(controller.store, ("webhook",), controller.clock.now())] == [request_id]
    assert controller.bridge.commands == ["wake"]  # delivery only: the sources are not pulled for it


def test_pin_lockout_counts_in_the_kiosks_time(controller):
    pin.set_pin(controller.store, "2468")
    for _ in range(pin.MAX_TRIES):
        result = controller.check_pin("0000")
    assert result.reason == "locked"
    assert abs(result.locked_until - controller.clock.now()) < dt.timedelta(hours=1)  # 2024, not today


def test_sync_now_forces_every_source(controller):
    controller.sync_now()
    assert controller.bridge.commands == ["force"]


def test_screen_state_is_saved_through_the_controller_and_wakes_the_worker_only_on_a_change(controller):
    from sync.monitoring import screenstate

    controller.save_screen_state(screenstate.OPEN, wake=False)  # the first: the worker reads it anyway
    controller.save_screen_state(screenstate.OPEN)
    assert controller.bridge.commands == []
    controller.save_screen_state(screenstate.CLOSED)
    assert screenstate.load(controller.store) == screenstate.CLOSED and controller.bridge.commands == ["wake"]


def kookhuis_signup(people=3, name="Fatima", phone=""):
    from sync.schedule.model import Occurrence, Signup

    start = dt.datetime(2024, 4, 5, 18, tzinfo=dt.timezone(dt.timedelta(hours=2)))
    kookhuis = Occurrence("stad", "kookhuis", "Kookhuis", start, start + dt.timedelta(hours=2), signup=Signup(20))
    return outbox.signup_request(kookhuis, people, name, phone), kookhuis.key


def test_a_signup_is_stored_at_the_kiosks_now_wakes_the_worker_and_is_counted_apart(controller):
    counted = []
    controller.on_request = counted.append
    request, key = kookhuis_signup()
    request_id = controller.submit_signup(request)
    assert controller.bridge.commands == ["wake"]
    [due] = outbox.due(controller.store, ("webhook",), controller.clock.now())
    assert due.request.id == request_id and due.request.created.date() == PREVIEW.date()  # the preview's day
    assert (due.request.kind, due.request.people, due.request.phone) == ("signup", 3, "")
    assert controller.signups_for(key) == 3 and controller.signups_for("other") == 0
    assert controller.request_counts_by_kind() == {"callback": outbox.Counts(), "signup": outbox.Counts(pending=1)}
    assert counted == []  # not a callback request in the daily figures


def test_a_signup_in_the_demo_is_neither_kept_nor_sent_and_a_callback_is_not_a_signup(controller):
    with pytest.raises(ValueError):
        controller.submit_signup(outbox.CallbackRequest(topic="Voedselbank", phone="+31612345678"))
    with pytest.raises(ValueError):
        controller.submit_signup(kookhuis_signup(people=7)[0])
    controller.demo = True
    assert controller.submit_signup(kookhuis_signup()[0]) == ""
    assert controller.bridge.commands == []
    assert controller.store.db.execute("SELECT COUNT(*) FROM callback_requests").fetchone()[0] == 0
