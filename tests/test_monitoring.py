"""Monitoring: the heartbeat to a loopback monitor, the metrics file through promtool, the daily figures."""
import dataclasses
import datetime as dt
import io
import json
import logging
import shutil
import subprocess

import pytest

from kiosk import cli
from sync import check
from sync.callback import outbox
from sync.callback.config import DeliveryConfig, WebhookConfig
from sync.config import Config, ConfigError, Source, parse
from sync.device.clocktrust import ClockStatus
from sync.monitoring import figures, heartbeat, screenstate
from sync.monitoring.config import MonitoringConfig
from sync.schedule.poller import SourceStatus
from sync.store import Store
from sync.worker import SyncWorker
from tests.conftest import DEMO_FEED, ROOT, local
from tests.receivers import PingReceiver, WebhookReceiver, free_port

NOW = local(2024, 3, 13, 10, 31)
PHONE, NAME = "+31612345678", "Fatima"


def worker(tmp_path, monitoring: MonitoringConfig, sources=None) -> SyncWorker:
    config = Config(sources=sources or (Source("demo", str(DEMO_FEED)),), monitoring=monitoring)
    return SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW, trust_clock=True, channels=[])


def missing_source(tmp_path):
    return Source("agenda", str(tmp_path / "gone.ics"))


# -- the heartbeat ---------------------------------------------------------------------------------


def test_healthchecks_hears_success_then_a_failure_with_its_reason(tmp_path):
    with PingReceiver() as monitor:
        url = f"{monitor.base}/ping/5f1c"
        good = worker(tmp_path, MonitoringConfig(ping_url=url))
        good.run_once(NOW)
        bad = worker(tmp_path, MonitoringConfig(ping_url=url),
                     sources=(Source("demo", str(DEMO_FEED)), missing_source(tmp_path)))
        bad.run_once(NOW)
        assert [r["method"] for r in monitor.received] == ["GET", "GET"]  # one failure is no alarm yet
        for _ in range(heartbeat.FAILURES_FOR_ALARM - 1):
            bad.run_once(NOW, force=True)
    success, *_, failure = monitor.received
    assert (success["method"], success["path"], success["body"]) == ("GET", "/ping/5f1c", "")
    assert (failure["method"], failure["path"]) == ("POST", "/ping/5f1c/fail")
    assert failure["body"] == "source agenda: file missing"  # the name and the kind, not the file's path
    assert "gone.ics" not in failure["body"]


def test_uptime_kuma_hears_up_and_down_in_its_query(tmp_path):
    with PingReceiver() as monitor:
        url = f"{monitor.base}/api/push/Ab12?status=up&msg=OK&ping="
        worker(tmp_path, MonitoringConfig(ping_url=url)).run_once(NOW)
        down_worker = worker(tmp_path, MonitoringConfig(ping_url=url), sources=(missing_source(tmp_path),))
        for _ in range(heartbeat.FAILURES_FOR_ALARM):
            down_worker.run_once(NOW, force=True)
    up, down = (monitor.received[0]["path"], monitor.received[-1]["path"])
    assert all(r["method"] == "GET" for r in monitor.received)
    assert up == "/api/push/Ab12?ping=&status=up&msg=OK"
    assert down == "/api/push/Ab12?ping=&status=down&msg=source+agenda%3A+file+missing"


def test_error_kinds_are_fixed_words():
    assert heartbeat.error_kind("the server answered HTTP 503") == "HTTP 503"
    assert heartbeat.error_kind("no answer within 30 seconds") == "timeout"
    assert heartbeat.error_kind("the JSON feed does not match the format at activities/0: 'Fatima +316'") \
        == "invalid feed"
    failing = SourceStatus("stad", failures=3, last_error="cannot reach the server (refused)")
    assert heartbeat.reason([SourceStatus("demo"), failing], None) == "source stad: unreachable"
    assert heartbeat.reason([SourceStatus("stad", failures=2, last_error="refused")], None) == ""  # not yet
    untrusted = ClockStatus(False, "not synchronised")
    assert heartbeat.reason([], untrusted, clock_settled=False) == ""  # a boot waits for the network time
    assert heartbeat.reason([], untrusted) == "clock not trusted"


def test_a_failing_ping_is_logged_once_never_raises_and_its_recovery_once(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="sync.monitoring.heartbeat")
    port = free_port()
    beat = heartbeat.Heartbeat(f"http://127.0.0.1:{port}/ping/x", timeout=2)
    assert beat.beat("") is False and beat.beat("") is False  # nobody listens
    with PingReceiver(status=500) as refusing:
        beat.url = f"{refusing.base}/ping/x"
        assert beat.beat("") is False
    with PingReceiver() as monitor:
        beat.url = f"{monitor.base}/ping/x"
        assert beat.beat("") is True and beat.beat("") is True
    lines = [r.getMessage() for r in caplog.records]
    assert len([line for line in lines if "failed" in line]) == 1
    assert len([line for line in lines if "works again" in line]) == 1


def test_a_dead_monitor_does_not_change_the_round(tmp_path):
    w = worker(tmp_path, MonitoringConfig(ping_url=f"http://127.0.0.1:{free_port()}/p", ping_timeout=1))
    status = w.run_once(NOW)
    assert not status.failing and status.sources[0].last_success == NOW


def test_check_reaches_the_monitor(tmp_path):
    with PingReceiver() as monitor:
        config = Config(monitoring=MonitoringConfig(ping_url=f"{monitor.base}/ping/c"))
        [finding] = check.check_monitoring(config)
    assert finding.ok and "HTTP 200" in finding.detail
    assert [r["method"] for r in monitor.received] == ["GET"]
    config = Config(monitoring=MonitoringConfig(ping_url=f"http://127.0.0.1:{free_port()}/p", ping_timeout=1))
    [finding] = check.check_monitoring(config)
    assert not finding.ok and "unreachable" in finding.detail


# -- the metrics file ------------------------------------------------------------------------------


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian package prometheus) is not installed")
def test_the_metrics_file_passes_promtool_and_says_what_happened(tmp_path):
    path = tmp_path / "metrics" / "wijkkiosk.prom"
    path.parent.mkdir()
    w = worker(tmp_path, MonitoringConfig(prometheus_textfile=str(path)),
               sources=(Source("demo", str(DEMO_FEED)), missing_source(tmp_path)))
    screenstate.save(w.store, screenstate.CLOSED)  # as the kiosk's screen would
    outbox.submit(w.store, outbox.CallbackRequest(topic="Voedselbank", phone=PHONE, name=NAME), NOW)
    w.run_once(NOW)
    w.run_once(NOW + dt.timedelta(minutes=5), force=True)
    text = path.read_text()
    result = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout + result.stderr == ""  # not even a naming warning
    metrics = {line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
               for line in text.splitlines() if line and not line.startswith("#")}
    assert metrics['wijkkiosk_source_consecutive_failures{source="agenda"}'] == 2
    assert metrics['wijkkiosk_source_consecutive_failures{source="demo"}'] == 0
    assert metrics['wijkkiosk_source_last_success_timestamp_seconds{source="demo"}'] == \
        (NOW + dt.timedelta(minutes=5)).timestamp()
    assert 'wijkkiosk_source_last_success_timestamp_seconds{source="agenda"}' not in metrics
    assert metrics["wijkkiosk_sync_rounds_total"] == 2
    assert metrics['wijkkiosk_callback_requests{state="pending"}'] == 1
    assert metrics['wijkkiosk_screen_state{state="closed"}'] == 1
    assert metrics['wijkkiosk_screen_state{state="open"}'] == 0
    assert metrics["wijkkiosk_last_round_timestamp_seconds"] == (NOW + dt.timedelta(minutes=5)).timestamp()
    assert [p.name for p in path.parent.iterdir()] == ["wijkkiosk.prom"]  # no temporary file left behind
    assert PHONE not in text and NAME not in text


def test_an_unwritable_metrics_file_is_logged_once(tmp_path, caplog):
    caplog.set_level(logging.INFO, logger="sync.monitoring.monitor")
    folder = tmp_path / "gone"
    w = worker(tmp_path, MonitoringConfig(prometheus_textfile=str(folder / "w.prom")))
    w.run_once(NOW)
    w.run_once(NOW, force=True)
    assert len([r for r in caplog.records if "metrics file failed" in r.getMessage()]) == 1
    folder.mkdir()
    w.run_once(NOW, force=True)
    assert (folder / "w.prom").exists()
    assert any("works again" in r.getMessage() for r in caplog.records)


# -- the daily figures -----------------------------------------------------------------------------


def day(n: int) -> dt.date:
    return dt.date(2024, 3, n)


def stored(tmp_path) -> Store:
    store = Store(tmp_path / "k.db")
    figures.migrate(store)
    return store


def test_the_report_prints_documented_columns_whose_sums_match(tmp_path, capsys):
    store = stored(tmp_path)
    figures.add(store, {(day(11), figures.VISITS, ""): 4, (day(11), figures.ACTIVITY_VIEWS, "Taalcafé"): 2})
    figures.add(store, {(day(11), figures.VISITS, ""): 3, (day(12), figures.VISITS, ""): 5,
                        (day(12), figures.CALLBACK_REQUESTS, "Voedselbank"): 1,
                        (day(13), figures.VISITS, ""): 9})
    store.close()
    assert cli.main(["--db", str(tmp_path / "k.db"), "report", "--from", "2024-03-11", "--to", "2024-03-12"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "date,figure,detail,count"
    rows = [line.split(",") for line in lines[1:]]
    assert sum(int(r[3]) for r in rows if r[1] == "visits") == 12  # 4 + 3 on the 11th, 5 on the 12th
    assert ["2024-03-11", "activity_views", "Taalcafé", "2"] in rows
    assert ["2024-03-12", "callback_requests", "Voedselbank", "1"] in rows
    assert all(r[0] <= "2024-03-12" for r in rows)  # the 13th is outside


def test_old_days_are_deleted_after_figures_days(tmp_path):
    store = stored(tmp_path)
    figures.add(store, {(day(1), figures.VISITS, ""): 1, (day(3), figures.VISITS, ""): 1})
    assert figures.prune(store, day(13), keep_days=11) == 1
    assert [r.day for r in figures.rows(store.conn, day(1), day(13))] == [day(3)]
    assert figures.prune(store, day(13), keep_days=11) == 0


def test_whole_days_go_to_the_figures_webhook_once_with_a_stable_key(tmp_path):
    store = stored(tmp_path)
    figures.add(store, {(day(11), figures.VISITS, ""): 4, (day(12), figures.VISITS, ""): 5,
                        (day(12), figures.LANGUAGE_CHOICES, "ar"): 2, (day(13), figures.VISITS, ""): 1})
    outbox.migrate(store)
    outbox.submit(store, outbox.CallbackRequest(topic="Voedselbank", phone=PHONE, name=NAME), NOW)
    store.close()
    with WebhookReceiver(replies=[(200, {}), (503, {})]) as hook:
        monitoring = MonitoringConfig(figures_webhook=WebhookConfig(url=hook.url, token="t"))
        w = worker(tmp_path, monitoring)
        w.run_once(NOW)  # the 11th arrives, the 12th meets a 503
        w.run_once(NOW + dt.timedelta(hours=7))  # past its backoff: the 12th arrives
        w.run_once(NOW + dt.timedelta(hours=8))  # nothing left; today (the 13th) is not whole yet
    bodies = [r["body"] for r in hook.received]
    assert [b["date"] for b in bodies] == ["2024-03-11", "2024-03-12", "2024-03-12"]
    assert bodies[2]["figures"]["visits"] == 5 and bodies[2]["figures"]["language_choices"] == {"ar": 2}
    assert bodies[2]["figures"]["read_aloud_uses"] == 0
    keys = [r["headers"]["Idempotency-Key"] for r in hook.received]
    assert keys[1] == keys[2] != keys[0]
    assert PHONE not in json.dumps(bodies) and NAME not in json.dumps(bodies)


# -- the configuration -----------------------------------------------------------------------------


def test_the_monitoring_table_is_parsed_and_checked(tmp_path):
    config = parse({"monitoring": {"ping_url": "https://hc-ping.com/x", "prometheus_textfile": "w.prom",
                                   "figures_days": 30}}, base=tmp_path)
    assert config.monitoring.ping_url == "https://hc-ping.com/x"
    assert config.monitoring.prometheus_textfile == str(tmp_path / "w.prom")
    assert config.monitoring.figures_days == 30 and config.monitoring.figures_webhook is None
    assert Config().monitoring.figures_days == 400
    for table, key in (({"ping_url": "ftp://x"}, "monitoring.ping_url"),
                       ({"prometheus_textfile": "w.txt"}, "monitoring.prometheus_textfile"),
                       ({"figures_days": 0}, "monitoring.figures_days"),
                       ({"figures_webhook_token": "t"}, "monitoring.figures_webhook_token"),
                       ({"pingurl": "x"}, "monitoring.pingurl")):
        with pytest.raises(ConfigError, match=key):
            parse({"monitoring": table}, base=tmp_path)


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool (Debian package prometheus) is not installed")
def test_the_alert_rules_in_the_fleet_guide_are_valid(tmp_path):
    guide = (ROOT / "docs" / "fleet.md").read_text()
    rules = guide.split("# wijkkiosk-rules.yml\n", 1)[1].split("```", 1)[0]
    (tmp_path / "rules.yml").write_text(rules)
    result = subprocess.run(["promtool", "check", "rules", str(tmp_path / "rules.yml")], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "SUCCESS: 2 rules found" in result.stdout


def test_a_visit_ends_when_the_kiosk_is_left_alone_for_the_inactivity_time():
    assert figures.starts_visit(None, 5.0, 90)
    assert not figures.starts_visit(5.0, 94.9, 90)  # the same visitor, still within the time
    assert figures.starts_visit(5.0, 95.0, 90)  # the kiosk went home: someone new


def test_a_title_that_looks_like_a_formula_stays_text_in_the_csv():
    out = io.StringIO()
    figures.write_csv([figures.Row(dt.date(2024, 3, 13), figures.ACTIVITY_VIEWS, '=HYPERLINK("x")', 2),
                       figures.Row(dt.date(2024, 3, 13), figures.ACTIVITY_VIEWS, "Kookhuis", 1)], out)
    lines = out.getvalue().splitlines()
    assert lines[1] == "2024-03-13,activity_views,\"'=HYPERLINK(\"\"x\"\")\",2" and lines[2].endswith(",Kookhuis,1")


def test_a_refused_day_stops_the_round_and_is_sent_again_after_a_reload(tmp_path):
    """A wrong token refuses every day: one a round, not the whole backlog; a reload (a fixed token) sends them."""
    store = stored(tmp_path)
    figures.add(store, {(day(11), figures.VISITS, ""): 4, (day(12), figures.VISITS, ""): 5})
    store.close()
    with WebhookReceiver(replies=[(401, {}), (401, {}), (200, {}), (200, {})]) as hook:
        monitoring = MonitoringConfig(figures_webhook=WebhookConfig(url=hook.url, token="wrong"))
        w = worker(tmp_path, monitoring)
        w.run_once(NOW)
        assert [r["body"]["date"] for r in hook.received] == ["2024-03-11"]
        w.run_once(NOW + dt.timedelta(minutes=1))
        w.reload(w.config)  # the admin's "reload" with the token put right (not started: at once)
        w.run_once(NOW + dt.timedelta(minutes=2))
    assert [r["body"]["date"] for r in hook.received] == ["2024-03-11", "2024-03-12", "2024-03-11", "2024-03-12"]


def test_the_figures_webhook_carries_its_token_over_https_only(tmp_path):
    with pytest.raises(ConfigError, match="monitoring.figures_webhook: must be https"):
        parse({"monitoring": {"figures_webhook": "http://dashboard.example/figures"}}, base=tmp_path)
    config = parse({"monitoring": {"figures_webhook": "http://127.0.0.1:8080/figures"}}, base=tmp_path)
    assert config.monitoring.figures_webhook.url == "http://127.0.0.1:8080/figures"


def test_the_metrics_file_counts_what_the_deliverer_did(tmp_path):
    """The deliverer's round results (SyncStatus.delivery) add up in the metrics file: a channel in trouble
    shows as retries before any request is refused."""
    path = tmp_path / "wijkkiosk.prom"
    with WebhookReceiver(replies=[(503, {}), (200, {})]) as hook:
        config = Config(sources=(Source("demo", str(DEMO_FEED)),),
                        monitoring=MonitoringConfig(prometheus_textfile=str(path)),
                        delivery=DeliveryConfig(webhook=WebhookConfig(url=hook.url, token="t"), retry_base=1))
        w = SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW, trust_clock=True)
        outbox.submit(w.store, outbox.CallbackRequest(topic="Voedselbank", phone=PHONE, name=NAME), NOW)
        w.run_once(NOW)
        w.run_once(NOW + dt.timedelta(minutes=5))
    text = path.read_text()
    assert 'wijkkiosk_delivery_outcomes_total{outcome="retried"} 1.0' in text
    assert 'wijkkiosk_delivery_outcomes_total{outcome="delivered"} 1.0' in text
    assert 'wijkkiosk_delivery_outcomes_total{outcome="rejected"} 0.0' in text
    if shutil.which("promtool"):
        result = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True)
        assert result.returncode == 0 and result.stdout + result.stderr == "", result.stdout + result.stderr
