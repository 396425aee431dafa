"""Soak (part of tests.bench): simulated weeks in one process, without the UI.

`SyncWorker.run_once(now)` with a clock advanced hour by hour over a week across each DST change,
syncing the demo feed. At every local midnight the stored day is compared with the feed expanded
directly. Callback requests are submitted on a schedule (three a day, as a visitor at the screen
would) and delivered by the same rounds to a webhook on loopback that answers 503 one time in ten;
at the end every request must have arrived once (by its idempotency key) and none may be left in
the outbox with its personal data. Resident memory is read after the first day (imports and caches
warm) and at the end.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import random
import tempfile
import zoneinfo
from pathlib import Path

from sync.callback import outbox
from sync.callback.config import DeliveryConfig, WebhookConfig
from sync.config import DEMO_FEED, Config
from sync.schedule.expand import expand_body
from sync.schedule.today import day_bounds
from sync.worker import SyncWorker
from tests.receivers import WebhookReceiver

WEEKS = (dt.date(2024, 3, 28), dt.date(2024, 10, 24))  # summer time starts 31 March, ends 27 October
REQUEST_HOURS = (10, 14, 19)  # local hours at which a visitor asks for a call back


class FlakyWebhook(WebhookReceiver):
    """The volunteers' webhook: now and then busy (503), as a real one may be."""

    def __init__(self, rng: random.Random):
        super().__init__()
        self.rng = rng

    def next_reply(self) -> tuple[int, dict]:
        return (503, {}) if self.rng.random() < 0.1 else (200, {})


def rss_kib() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS in /proc/self/status")


def _facts(occurrences) -> list[tuple]:
    return sorted((o.uid, o.start.astimezone(dt.timezone.utc), o.end.astimezone(dt.timezone.utc), o.title,
                   o.status, o.location) for o in occurrences)


def soak(days: int = 7) -> dict:
    rng = random.Random(2024)
    checked, wrong, rounds, submitted = [], [], 0, []
    rss_first = None
    with tempfile.TemporaryDirectory() as folder, FlakyWebhook(rng) as hook:
        config = dataclasses.replace(Config(), delivery=DeliveryConfig(webhook=WebhookConfig(url=hook.url, token="soak")))
        tz = zoneinfo.ZoneInfo(config.timezone)
        body = DEMO_FEED.read_bytes()
        clock = {"now": None}
        worker = SyncWorker(config, str(Path(folder) / "soak.db"), lambda: clock["now"], trust_clock=True)
        for first in WEEKS:
            start_utc = dt.datetime.combine(first, dt.time(), tz).astimezone(dt.timezone.utc)
            for hour in range(days * 24 + 1):
                now = (start_utc + dt.timedelta(hours=hour)).astimezone(tz)
                clock["now"] = now
                if now.hour in REQUEST_HOURS:
                    request = outbox.CallbackRequest(topic="Voedselbank", phone=f"+3161{rng.randrange(10**7):07d}",
                                                     name="Soak", moment="any")
                    submitted.append(outbox.submit(worker.store, request, now))
                status = worker.run_once(now)
                rounds += 1
                if status.failing:
                    wrong.append(f"{now:%Y-%m-%d %H:%M}: sync failed: {status.failing[0].last_error}")
                if now.hour == 0:
                    day_start, day_end = day_bounds(now.date(), tz)
                    stored = _facts(worker.store.occurrences_between(day_start, day_end))
                    direct = expand_body("ics", body, day_start, day_end, config.timezone, "demo").occurrences
                    hours = (day_end.astimezone(dt.timezone.utc) - day_start.astimezone(dt.timezone.utc)) / dt.timedelta(hours=1)
                    checked.append(f"{now.date()} ({hours:.0f} h, {len(stored)} activities)")
                    if stored != _facts(direct):
                        wrong.append(f"{now.date()}: stored {len(stored)} occurrences, feed {len(direct)}")
                if rss_first is None and hour == 24:
                    gc.collect()
                    rss_first = rss_kib()
        left = outbox.counts(worker.store)
        with worker.store.conn:
            personal = worker.store.conn.execute(
                "SELECT COUNT(*) FROM callback_requests WHERE phone != '' OR name != ''").fetchone()[0]
        worker.store.close()
        with hook.lock:
            received = hook.keys()
    gc.collect()
    rss_last = rss_kib()
    lost = sorted(set(submitted) - set(received))
    return {"rounds": rounds, "midnights_checked": len(checked), "days": checked, "wrong": wrong,
            "requests_submitted": len(submitted), "requests_received": len(set(received)),
            "requests_sent_twice": len(received) - len(set(received)), "requests_lost": len(lost),
            "requests_pending": left.pending, "requests_with_personal_data": personal,
            "rss_after_first_day_mb": rss_first / 1024, "rss_end_mb": rss_last / 1024,
            "rss_growth_mb": (rss_last - rss_first) / 1024}


if __name__ == "__main__":
    print(soak())
