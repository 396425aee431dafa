"""The metrics file for node_exporter's textfile collector, written after every sync round.

Written whole to a temporary file beside it and renamed over it (prometheus_client's
`write_to_textfile`), so node_exporter never reads half a file. Names follow Prometheus' conventions:

    wijkkiosk_build_info{version}                              1
    wijkkiosk_start_time_seconds                               when the kiosk started (Unix time)
    wijkkiosk_last_round_timestamp_seconds                     when the last sync round began
    wijkkiosk_sync_rounds_total                                rounds since the start
    wijkkiosk_source_last_success_timestamp_seconds{source}   per source (absent until its first success)
    wijkkiosk_source_consecutive_failures{source}              per source, 0 when it works
    wijkkiosk_callback_requests{state}                         pending, delivered, rejected, expired
    wijkkiosk_delivery_outcomes_total{outcome}                 delivery attempts since the start: delivered,
                                                               retried, rejected; expired (erased undelivered)
    wijkkiosk_screen_state{state}                              1 for the state shown (open, closed, clock_untrusted)
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from prometheus_client import CollectorRegistry, generate_latest, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

from sync.callback.outbox import Counts
from sync.monitoring import screenstate
from sync.schedule.poller import SourceStatus


DELIVERY_OUTCOMES = ("delivered", "retried", "rejected", "expired")  # sync.callback.delivery.RoundResult


@dataclasses.dataclass(frozen=True)
class Snapshot:
    """Everything the file says, taken after a round (no personal data)."""

    version: str
    started: float  # Unix time
    finished: dt.datetime
    rounds: int
    sources: tuple[SourceStatus, ...]
    callbacks: Counts
    screen_state: str | None  # None: not known (no kiosk screen has run)
    deliveries: dict[str, int] = dataclasses.field(default_factory=dict)  # outcome -> count since the start


class _SnapshotCollector(Collector):
    def __init__(self, snapshot: Snapshot):
        self.snapshot = snapshot

    def collect(self):
        s = self.snapshot
        info = GaugeMetricFamily("wijkkiosk_build_info", "The kiosk's version.", labels=["version"])
        info.add_metric([s.version], 1)
        yield info
        yield GaugeMetricFamily("wijkkiosk_start_time_seconds", "When the kiosk started, in Unix time.",
                                value=s.started)
        yield GaugeMetricFamily("wijkkiosk_last_round_timestamp_seconds",
                                "When the last sync round began, in Unix time.", value=s.finished.timestamp())
        yield CounterMetricFamily("wijkkiosk_sync_rounds", "Sync rounds since the start.", value=s.rounds)
        success = GaugeMetricFamily("wijkkiosk_source_last_success_timestamp_seconds",
                                    "When a source last answered with a usable programme, in Unix time.",
                                    labels=["source"])
        failures = GaugeMetricFamily("wijkkiosk_source_consecutive_failures",
                                     "Failed attempts of a source since its last success.", labels=["source"])
        for source in s.sources:
            if source.last_success is not None:
                success.add_metric([source.name], source.last_success.timestamp())
            failures.add_metric([source.name], source.failures)
        yield success
        yield failures
        requests = GaugeMetricFamily("wijkkiosk_callback_requests", "Callback requests by state.",
                                     labels=["state"])
        for state in ("pending", "delivered", "rejected", "expired"):
            requests.add_metric([state], getattr(s.callbacks, state))
        yield requests
        outcomes = CounterMetricFamily("wijkkiosk_delivery_outcomes", "Delivery attempts since the start, by outcome.",
                                       labels=["outcome"])
        for outcome in DELIVERY_OUTCOMES:
            outcomes.add_metric([outcome], s.deliveries.get(outcome, 0))
        yield outcomes
        screen = GaugeMetricFamily("wijkkiosk_screen_state",
                                   "1 for what the screen shows at rest: open, closed or clock_untrusted.",
                                   labels=["state"])
        for state in screenstate.STATES:
            screen.add_metric([state], 1 if state == s.screen_state else 0)
        yield screen


def _registry(snapshot: Snapshot) -> CollectorRegistry:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_SnapshotCollector(snapshot))
    return registry


def render(snapshot: Snapshot) -> bytes:
    """The file's text."""
    return generate_latest(_registry(snapshot))


def write(path: str, snapshot: Snapshot) -> None:
    """Replace the file at `path` at once (a temporary file beside it, then a rename); OSError if it cannot."""
    write_to_textfile(path, _registry(snapshot))
