"""The daily figures to a webhook (`[monitoring] figures_webhook`), e.g. a city dashboard.

Each whole day (before today) that has figures is POSTed once as JSON (`figures.day_document`) over
the callback requests' webhook channel (`sync.callback.channels.Webhook.post`), with the same rules:
an `Idempotency-Key` per kiosk and day (so a resend after a crash is recognised), a retry with
backoff when the receiver is unavailable, kept aside when it refuses. Each day's state is a row in
`figures_pushes`, as each request's delivery is a row in the callback outbox.
"""
from __future__ import annotations

import datetime as dt
import logging
import random
import uuid

from sync import backoff
from sync.callback.channels import Webhook
from sync.errors import DeliveryRejected, DeliveryUnavailable
from sync.monitoring import figures
from sync.store import Store

log = logging.getLogger(__name__)

UTC = dt.timezone.utc
DAYS_PER_ROUND = 31  # a kiosk that was offline for a month catches up in one round
KIOSK_ID = "kiosk_id"  # meta: a random id of this database, for the idempotency keys
RETRY_BASE, RETRY_MAX = 60.0, 6 * 3600.0


def migrate(store: Store) -> None:
    store.conn.execute(
        "CREATE TABLE IF NOT EXISTS figures_pushes (day TEXT PRIMARY KEY, state TEXT NOT NULL,"
        " attempts INTEGER NOT NULL DEFAULT 0, next_utc TEXT NOT NULL, last_error TEXT NOT NULL DEFAULT '')")


def idempotency_key(store: Store, day: dt.date) -> str:
    """The same key for the same day of the same kiosk, every time it is sent."""
    kiosk = store.get_meta(KIOSK_ID)
    if kiosk is None:
        kiosk = str(uuid.uuid4())
        store.set_meta(KIOSK_ID, kiosk)
    return str(uuid.uuid5(uuid.UUID(kiosk), day.isoformat()))


class FiguresPusher:
    def __init__(self, webhook: Webhook, house: str, version: str, rand: random.Random | None = None):
        self.webhook, self.house, self.version = webhook, house, version
        self.rand = rand or random.Random()
        self._failing = False
        self._retried_refused = False

    def due(self, store: Store, today: dt.date, now: dt.datetime) -> list[dt.date]:
        """Whole days with figures not yet delivered (nor refused), whose next attempt is due."""
        states = {dt.date.fromisoformat(day): (state, dt.datetime.fromisoformat(next_utc))
                  for day, state, next_utc in store.conn.execute(
                      "SELECT day, state, next_utc FROM figures_pushes").fetchall()}
        days = [day for day in figures.days_with_figures(store, before=today)
                if day not in states or (states[day][0] == "pending" and states[day][1] <= now)]
        return days[:DAYS_PER_ROUND]

    def run(self, store: Store, today: dt.date, now: dt.datetime) -> int:
        """Send the days that are due; stop at the first unavailable or refused answer. How many were
        delivered. The days refused before this pusher was made (a reload: the token may be fixed) are
        due again."""
        if not self._retried_refused:
            with store.transaction() as conn:
                conn.execute("UPDATE figures_pushes SET state = 'pending', next_utc = ? WHERE state = 'rejected'",
                             [now.isoformat()])
            self._retried_refused = True
        delivered = 0
        for day in self.due(store, today, now):
            document = figures.day_document(day, figures.rows(store.conn, day, day), self.house, self.version)
            attempts = self._attempts(store, day)
            try:
                self.webhook.post(document, idempotency_key(store, day))
            except DeliveryUnavailable as exc:
                wait = backoff.delay(attempts + 1, self.rand, exc.retry_after, base=RETRY_BASE, cap=RETRY_MAX)
                self._record(store, day, "pending", attempts + 1, now + dt.timedelta(seconds=wait), str(exc))
                if not self._failing:
                    log.warning("figures webhook failing: %s; retry in %.0f s", exc, wait)
                self._failing = True
                break
            except DeliveryRejected as exc:  # e.g. a wrong token: the next days would be refused too
                self._record(store, day, "rejected", attempts + 1, now, str(exc))
                log.warning("figures of %s refused by the webhook: %s; tried again after a reload", day, exc)
                break
            self._record(store, day, "delivered", attempts + 1, now, "")
            if self._failing:
                log.info("figures webhook works again")
            self._failing = False
            delivered += 1
        return delivered

    @staticmethod
    def _attempts(store: Store, day: dt.date) -> int:
        row = store.conn.execute("SELECT attempts FROM figures_pushes WHERE day = ?", [day.isoformat()]).fetchone()
        return row[0] if row else 0

    @staticmethod
    def _record(store: Store, day: dt.date, state: str, attempts: int, next_at: dt.datetime, error: str) -> None:
        with store.transaction() as conn:
            conn.execute(
                "INSERT INTO figures_pushes (day, state, attempts, next_utc, last_error) VALUES (?, ?, ?, ?, ?)"
                " ON CONFLICT (day) DO UPDATE SET state = excluded.state, attempts = excluded.attempts,"
                " next_utc = excluded.next_utc, last_error = excluded.last_error",
                [day.isoformat(), state, attempts, next_at.astimezone(UTC).isoformat(), error])
