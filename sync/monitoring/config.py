"""The [monitoring] table: a frozen value, parsed from TOML.

    [monitoring]
    ping_url = "https://hc-ping.com/<uuid>"          # or Uptime Kuma's "https://kuma.example/api/push/<token>"
    ping_timeout_seconds = 5
    prometheus_textfile = "/var/lib/prometheus/node-exporter/wijkkiosk.prom"
    figures_days = 400                                # how long the daily figures are kept
    figures_webhook = "https://dashboard.example/figures"
    figures_webhook_token = "..."

`parse_monitoring` raises ConfigError (a ValueError) naming the key that is wrong.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from urllib.parse import urlparse

from sync.callback.config import WebhookConfig, is_loopback
from sync.tables import ConfigError, get, no_unknown

KEYS = ("ping_url", "ping_timeout_seconds", "prometheus_textfile", "figures_days", "figures_webhook",
        "figures_webhook_token")


@dataclasses.dataclass(frozen=True)
class MonitoringConfig:
    ping_url: str = ""  # "": no heartbeat
    ping_timeout: float = 5.0  # seconds; short, so that a slow monitor never holds up a round for long
    prometheus_textfile: str = ""  # "": no metrics file
    figures_days: int = 400  # daily figures older than this are deleted
    figures_webhook: WebhookConfig | None = None  # the daily figures as JSON, e.g. to a city dashboard


def parse_monitoring(table: dict, base: Path | None = None) -> MonitoringConfig:
    no_unknown(table, "monitoring", KEYS)
    ping_url = _url(table, "ping_url")
    timeout = float(get(table, "monitoring", "ping_timeout_seconds", (int, float), 5.0, minimum=1))
    if timeout > 30:
        raise ConfigError(f"monitoring.ping_timeout_seconds: at most 30, got {timeout:g}")
    textfile = get(table, "monitoring", "prometheus_textfile", str, "").strip()
    if textfile:
        path = Path(textfile)
        if not path.is_absolute() and base is not None:
            path = base / path
        if path.suffix != ".prom":
            raise ConfigError("monitoring.prometheus_textfile: node_exporter reads only files ending in .prom")
        # a folder that is not there (yet) is no reason not to start: `check` names it, a failed write is logged
        textfile = str(path)
    days = get(table, "monitoring", "figures_days", int, 400, minimum=1)
    webhook_url = _url(table, "figures_webhook")
    if webhook_url.startswith("http:") and not is_loopback(urlparse(webhook_url).hostname or ""):
        raise ConfigError("monitoring.figures_webhook: must be https (http only to this machine); "
                          "the token must not cross a network in clear text")
    token = get(table, "monitoring", "figures_webhook_token", str, "").strip()
    if token and not webhook_url:
        raise ConfigError("monitoring.figures_webhook_token: only with figures_webhook")
    webhook = WebhookConfig(url=webhook_url, token=token) if webhook_url else None
    return MonitoringConfig(ping_url=ping_url, ping_timeout=timeout, prometheus_textfile=textfile,
                            figures_days=days, figures_webhook=webhook)


def _url(table: dict, key: str) -> str:
    url = get(table, "monitoring", key, str, "").strip()
    if url and (urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc):
        raise ConfigError(f"monitoring.{key}: expected an http(s) URL, got {url!r}")
    return url
