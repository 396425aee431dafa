"""`main.py check`: every source read, every channel reached, nothing stored or sent."""
import datetime as dt
import subprocess

import pytest

from sync import check
from sync.callback.config import DeliveryConfig, EmailConfig, WebhookConfig
from sync.config import Config, Source
from sync.schedule.model import Expansion
from tests.conftest import DEMO_FEED, PYTHON, ROOT
from tests.receivers import SmtpReceiver, WebhookReceiver, free_port, self_signed

NOW = dt.datetime(2024, 3, 13, 9, 0, tzinfo=dt.timezone.utc)


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("tls"))


def test_a_readable_source_and_an_unreachable_one():
    config = Config(sources=(Source("demo", str(DEMO_FEED)),
                             Source("stad", f"http://127.0.0.1:{free_port()}/agenda.ics")), sync_timeout=2)
    demo, town, channels = check.run(config, NOW)
    assert demo.ok and "activities in the next 42 days" in demo.detail
    assert not town.ok and "cannot reach" in town.detail
    assert channels.ok and "no delivery channel" in channels.detail


def test_a_filter_that_matches_nothing_is_a_problem():
    config = Config(sources=(Source("demo", str(DEMO_FEED), location_filter="Crabbehof"),))
    [finding] = check.check_sources(config, NOW)
    assert not finding.ok and "Crabbehof" in finding.detail


def test_channels_are_reached_without_sending(cert):
    with WebhookReceiver() as hook, SmtpReceiver(*cert) as smtp:
        good = Config(delivery=DeliveryConfig(
            webhook=WebhookConfig(url=hook.url, token="t", timeout=5),
            email=EmailConfig(host="127.0.0.1", port=smtp.port, user="kiosk", password="pw",
                              sender="kiosk@example.org", to=("a@example.org",), ca_file=str(cert[0]))))
        assert [f.ok for f in check.check_channels(good)] == [True, True]
        bad = Config(delivery=DeliveryConfig(
            email=EmailConfig(host="127.0.0.1", port=smtp.port, user="kiosk", password="wrong",
                              sender="kiosk@example.org", to=("a@example.org",), ca_file=str(cert[0]))))
        [finding] = check.check_channels(bad)
        assert not finding.ok and "refused" in finding.detail
    assert hook.received == [] and smtp.messages == []


def test_the_command_says_ok_or_fail_and_sets_the_exit_code(tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(f'[[sources]]\nname = "demo"\nlocation = "{DEMO_FEED}"\n')
    good = subprocess.run([PYTHON, str(ROOT / "main.py"), "--config", str(config), "check"],
                          capture_output=True, text=True, timeout=60)
    assert good.returncode == 0, good.stdout + good.stderr
    assert good.stdout.splitlines()[0].startswith("OK    source demo")
    config.write_text(f'[[sources]]\nname = "weg"\nlocation = "{tmp_path / "nope.ics"}"\n')
    bad = subprocess.run([PYTHON, str(ROOT / "main.py"), "--config", str(config), "check"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1
    assert bad.stdout.splitlines()[0].startswith("FAIL  source weg") and "not found" in bad.stdout


def test_check_expands_over_the_window_the_worker_uses(monkeypatch, tmp_path):
    from sync.worker import SyncWorker

    seen = []

    def expand_body(kind, body, start, end, *args):
        seen.append((start, end))
        return Expansion([], "Europe/Amsterdam")

    monkeypatch.setattr("sync.check.bounded.expand_body", expand_body)
    config = Config(sources=(Source("demo", str(DEMO_FEED)),))
    check.check_sources(config, NOW)
    assert seen == [SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW).window(NOW)]
    assert seen[0][0] == dt.datetime(2024, 3, 12, tzinfo=seen[0][0].tzinfo)  # from yesterday's midnight
