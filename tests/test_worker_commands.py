"""The worker's command queue: a command given during a round is never lost, and a reload is one worker."""
import dataclasses
import datetime as dt
import threading
from pathlib import Path

import pytest

from sync.config import Config, Source
from sync.worker import SyncWorker
from tests.conftest import DEMO_FEED

NOW = dt.datetime(2024, 3, 13, 10, 0, tzinfo=dt.timezone.utc)


class BlockingWorker(SyncWorker):
    """Rounds that record how they were asked for; the first one waits until the test lets it go."""

    def __init__(self, config, db_path):
        super().__init__(config, db_path, lambda: NOW, trust_clock=True, channels=[])
        self.rounds: list[tuple[bool, str]] = []
        self.in_round = threading.Event()
        self.release = threading.Event()
        self.round_done = threading.Semaphore(0)

    def run_once(self, now, force=False):
        self.rounds.append((force, self.config.house_name))
        if len(self.rounds) == 1:
            self.in_round.set()
            self.release.wait(10)
        try:
            return super().run_once(now, force)
        finally:
            self.round_done.release()


def start(tmp_path, **config) -> BlockingWorker:
    worker = BlockingWorker(Config(sources=(Source("demo", str(DEMO_FEED)),), **config), str(tmp_path / "k.db"))
    worker.start()
    assert worker.in_round.wait(10)
    return worker


def second_round(worker) -> tuple[bool, str]:
    assert worker.round_done.acquire(timeout=10) and worker.round_done.acquire(timeout=30)
    return worker.rounds[1]


@pytest.mark.parametrize("command, forced", [("force", True), ("wake", False)])
def test_a_command_given_during_a_round_is_the_next_round(tmp_path, command, forced):
    worker = start(tmp_path)
    getattr(worker, command)()  # "Nu ophalen", or a request submitted, while the first round runs
    worker.release.set()
    try:
        assert second_round(worker) == (forced, Config().house_name)
    finally:
        worker.stop()


def test_a_wake_and_a_force_together_force(tmp_path):
    worker = start(tmp_path)
    worker.force()
    worker.wake()
    worker.release.set()
    try:
        assert second_round(worker)[0] is True
        assert worker.round_done.acquire(timeout=1) is False  # both were taken by one round
    finally:
        worker.stop()


def test_a_reload_is_the_same_thread_with_the_new_configuration(tmp_path):
    worker = start(tmp_path)
    thread = worker._thread
    renamed = dataclasses.replace(worker.config, house_name="Buurthuis De Linde")
    worker.reload(renamed)
    worker.release.set()
    try:
        assert second_round(worker) == (True, "Buurthuis De Linde")
        assert worker._thread is thread and worker.poller.config is renamed
        assert [t.name for t in threading.enumerate()].count("sync-worker") == 1
    finally:
        worker.stop()


def test_stop_during_a_round_ends_the_thread_after_it(tmp_path):
    worker = start(tmp_path)
    worker.force()
    stopper = threading.Thread(target=worker.stop, kwargs={"timeout": 30})
    stopper.start()
    worker.release.set()
    stopper.join(30)
    assert not worker.running and len(worker.rounds) == 1  # the stop wins over the force queued before it


def test_a_rounds_status_says_what_its_deliveries_did(tmp_path):
    """The deliverer's outcome reaches the status (the admin screen's and the monitoring's source)."""
    from sync.callback import outbox
    from sync.callback.config import DeliveryConfig, WebhookConfig
    from sync.store import Store
    from tests.receivers import WebhookReceiver

    with WebhookReceiver([(503, {})]) as hook:
        config = Config(delivery=DeliveryConfig(webhook=WebhookConfig(url=hook.url, token="t"), retry_base=1))
        worker = SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW, trust_clock=True)
        ui = Store(tmp_path / "k.db")
        outbox.migrate(ui)
        outbox.submit(ui, outbox.CallbackRequest(topic="Voedselbank", phone="+31687654321", name="W",
                                                 moment="evening"), NOW)
        first = worker.run_once(NOW)
        second = worker.run_once(NOW + dt.timedelta(seconds=60))
    assert (first.delivery.retried, first.delivery.delivered) == (1, 0)
    assert (second.delivery.retried, second.delivery.delivered) == (0, 1)


def test_a_round_over_a_file_without_channels_imports_no_network_libraries(tmp_path):
    """The demo (a file, no channel) never loads requests, urllib3, smtplib or ssl: 7 MB of the kiosk's peak."""
    import subprocess
    import sys

    script = (
        "import datetime as dt, sys\n"
        "from sync.config import Config\n"
        "from sync.worker import SyncWorker\n"
        "now = dt.datetime(2024, 3, 13, 10, 0, tzinfo=dt.timezone.utc)\n"
        f"status = SyncWorker(Config(), {str(tmp_path / 'k.db')!r}, lambda: now).run_once(now, force=True)\n"
        "assert status.sources[0].last_error == '', status.sources[0].last_error\n"
        "print(sorted(m for m in ('requests', 'urllib3', 'smtplib', 'ssl') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).resolve().parent.parent,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
