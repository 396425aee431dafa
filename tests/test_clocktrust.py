"""When the kiosk may believe its clock (a Pi without a battery clock starts wrong)."""
import datetime as dt

from sync.clocktrust import BUILD_FLOOR, judge

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
