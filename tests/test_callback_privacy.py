"""No phone number or name in any log line of a full flow: submit, failed delivery, retry, delivered."""
import datetime as dt
import logging

from sync.callback import outbox
from sync.callback.config import DeliveryConfig, WebhookConfig
from sync.config import Config
from sync.store import Store
from sync.worker import SyncWorker
from tests.conftest import local
from tests.receivers import WebhookReceiver

NOW = local(2024, 3, 13, 10, 31)
FORMS = ["+31687654321", "0687654321", "06 87654321", "687654321", "87654321", "Wilhelmina"]


def test_no_personal_data_in_logs(tmp_path, caplog, capfd, demo_feed):
    caplog.set_level(logging.DEBUG)  # every logger, requests and urllib3 included
    with WebhookReceiver([(503, {}), (500, {})]) as hook:
        config = Config(delivery=DeliveryConfig(webhook=WebhookConfig(url=hook.url, token="t"), retry_base=1))
        worker = SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW)
        ui = Store(tmp_path / "k.db")
        outbox.migrate(ui)
        outbox.submit(ui, outbox.CallbackRequest(topic="Voedselbank", phone="+31687654321",
                                                 name="Wilhelmina", moment="evening"), NOW)
        for seconds in (0, 5, 60):
            status = worker.run_once(NOW + dt.timedelta(seconds=seconds))
    assert status.callbacks == outbox.Counts(delivered=1) and len(hook.received) == 3
    logged = "\n".join(f"{r.name} {r.getMessage()} {r.args}" for r in caplog.records)
    assert "failing" in logged and "recovered" in logged and "delivered" in logged  # the log did speak
    assert "urllib3" in logged  # DEBUG lines of the HTTP library were captured too
    out, err = capfd.readouterr()
    for text in (logged, out, err):
        for form in FORMS:
            assert form not in text
