"""When the kiosk may believe its clock (a Pi without a battery clock starts wrong)."""
import datetime as dt

from sync.device.clocktrust import BUILD_FLOOR, judge

UTC = dt.timezone.utc
NOW = dt.datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def test_time_sync_says_yes():
    assert judge(NOW, ntp_synchronized=True).trusted


def test_not_synchronised_yet_is_not_trusted():
    status = judge(NOW, ntp_synchronized=False)
    assert not status.trusted and "not succeeded" in status.reason


def test_a_server_date_that_agrees_is_enough():
    assert judge(NOW, ntp_synchronized=False, server_date=NOW + dt.timedelta(minutes=3)).trusted
    assert not judge(NOW, ntp_synchronized=False, server_date=NOW + dt.timedelta(hours=3)).trusted


def test_before_the_build_or_the_last_sync_is_wrong_without_time_sync():
    assert not judge(BUILD_FLOOR - dt.timedelta(days=1), ntp_synchronized=None).trusted
    last = NOW + dt.timedelta(days=2)
    status = judge(NOW, ntp_synchronized=None, last_good_sync=last)
    assert not status.trusted and "earlier" in status.reason


def test_plausible_without_a_time_service():
    assert judge(NOW, ntp_synchronized=None, last_good_sync=NOW - dt.timedelta(hours=1)).trusted


def test_the_schedule_servers_date_header_vouches_for_our_clock(tmp_path, monkeypatch):
    from sync.device import clocktrust
    from sync.config import Config, Source
    from sync.worker import SyncWorker
    from tests.conftest import DEMO_FEED
    from tests.feedserver import FeedServer

    monkeypatch.setattr(clocktrust, "ntp_synchronized", lambda timeout=2.0: False)  # timesyncd: not yet
    server = FeedServer()
    try:
        server.body = DEMO_FEED.read_bytes()
        worker = SyncWorker(Config(sources=(Source("s", server.url),)), str(tmp_path / "k.db"), lambda: NOW)
        status = worker.run_once(NOW, force=True)
        assert status.clock.trusted and "server" in status.clock.reason
        server.date_offset = 3 * 3600  # our clock is three hours behind the server's
        status = worker.run_once(NOW, force=True)
        assert not status.clock.trusted
    finally:
        server.close()
