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
