"""Backoff after failures (pure): exponential, jittered, capped; Retry-After wins when longer."""
import datetime as dt
import random

from sync import backoff
from sync.backoff import retry_after


def test_grows_exponentially_within_its_jitter_band():
    rand = random.Random(7)
    for failures, ceiling in [(1, 60), (2, 120), (3, 240), (4, 480)]:
        for _ in range(50):
            wait = backoff.delay(failures, rand)
            assert ceiling / 2 <= wait <= ceiling


def test_is_capped_even_after_very_many_failures():
    rand = random.Random(3)
    assert all(backoff.CAP / 2 <= backoff.delay(n, rand) <= backoff.CAP for n in (7, 20, 1000))


def test_jitter_spreads_kiosks_apart():
    waits = {round(backoff.delay(5, random.Random(seed)), 3) for seed in range(20)}
    assert len(waits) == 20


def test_retry_after_overrides_only_when_longer():
    rand = random.Random(1)
    assert backoff.delay(1, rand, retry_after=7200) == 7200
    assert backoff.delay(6, random.Random(1), retry_after=5) == backoff.delay(6, random.Random(1))


def test_no_failures_no_wait():
    assert backoff.delay(0, random.Random(1)) == 0


def test_retry_after_header_in_seconds_or_as_an_http_date():
    now = dt.datetime(2024, 3, 13, 9, 0, tzinfo=dt.timezone.utc)
    assert retry_after("120", now) == 120
    assert retry_after("Wed, 13 Mar 2024 09:30:00 GMT", now) == 1800
    assert retry_after("Wed, 13 Mar 2024 08:30:00 GMT", now) == 0
    assert retry_after("soon", now) is None and retry_after("", now) is None
