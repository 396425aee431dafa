"""Deliver callback requests from the outbox, one round at a time, over the configured channels.

`Deliverer.run` expires what is past the retention cap, attempts every due delivery once and records
the outcome per channel (sync.callback.channels), each in its own transaction; a refused request is
kept for the admin screen, an unavailable channel is retried with backoff. Log lines name a request
by its UUID only, never by phone number or name.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import random
from typing import TYPE_CHECKING

from sync import backoff
from sync.callback import outbox
from sync.callback.config import DeliveryConfig
from sync.errors import DeliveryRejected, DeliveryUnavailable
from sync.store import Store

if TYPE_CHECKING:
    from sync.callback.channels import Channel  # imported by the worker only when a channel is configured

log = logging.getLogger(__name__)


@dataclasses.dataclass(frozen=True)
class RoundResult:
    delivered: int = 0
    retried: int = 0
    rejected: int = 0
    expired: int = 0


class Deliverer:
    """Attempts every due delivery once per round; remembers per channel whether it is failing."""

    def __init__(self, config: DeliveryConfig, channels: list[Channel], house: str, tz: dt.tzinfo,
                 retention_days: int, rand: random.Random | None = None):
        self.config = config
        self.channels = {c.name: c for c in channels}
        self.house, self.tz, self.retention_days = house, tz, retention_days
        self.rand = rand or random.Random()
        self._failing: dict[str, bool] = {}

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(self.channels)

    def run(self, store: Store, now: dt.datetime) -> RoundResult:
        delivered = retried = rejected = 0
        expired = outbox.expire(store, now, self.retention_days)  # never send what is past the cap
        if expired:
            log.warning("%d callback request(s) erased undelivered after %d days", expired, self.retention_days)
        erased = expired > 0
        for item in outbox.due(store, self.names, now):
            request, channel = item.request, self.channels[item.channel]
            try:
                try:
                    channel.send(request, self.house, self.tz)
                except (DeliveryRejected, DeliveryUnavailable):
                    raise
                except Exception as exc:  # a bug must not block the queue; the type only (no data)
                    raise DeliveryUnavailable(f"unexpected {type(exc).__name__}") from None
            except DeliveryUnavailable as exc:
                delay = backoff.delay(item.attempts + 1, self.rand, exc.retry_after,
                                      base=self.config.retry_base, cap=self.config.retry_max)
                outbox.mark_retry(store, request.id, channel.name, now + dt.timedelta(seconds=delay), str(exc))
                self._changed(channel.name, failing=True, detail=f"{exc}; retry in {delay:.0f} s")
                retried += 1
            except DeliveryRejected as exc:
                outbox.mark_rejected(store, request.id, channel.name, self.names, now, str(exc))
                log.warning("%s %s rejected by %s: %s", request.kind, request.id, channel.name, exc)
                rejected += 1
            else:
                erased |= outbox.mark_delivered(store, request.id, channel.name, self.names, now)
                self._changed(channel.name, failing=False, detail="")
                log.info("%s %s delivered by %s", request.kind, request.id, channel.name)
                delivered += 1
        if erased:
            outbox.wipe_free_pages(store)
        return RoundResult(delivered, retried, rejected, expired)

    def _changed(self, channel: str, failing: bool, detail: str) -> None:
        """Log a channel's state on change only: first failure, recovery."""
        before = self._failing.get(channel, False)
        self._failing[channel] = failing
        if failing and not before:
            log.warning("callback channel %s failing: %s", channel, detail)
        elif before and not failing:
            log.info("callback channel %s recovered", channel)
