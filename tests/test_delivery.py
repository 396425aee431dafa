"""Delivery of callback requests to a real HTTP receiver and a real SMTP server on loopback."""
import datetime as dt
import random
import os
import stat

import pytest

from sync.callback import outbox
from sync.callback.config import DeliveryConfig, EmailConfig, WebhookConfig
from sync.config import Config
from sync.backoff import MAX_RETRY_AFTER, delay, retry_after
from sync.callback.channels import Email, Webhook
from sync.callback.delivery import Deliverer
from sync.store import Store
from sync.worker import SyncWorker
from tests.conftest import AMS, local
from tests.receivers import SmtpReceiver, WebhookReceiver, free_port, self_signed

NOW = local(2024, 3, 13, 10, 31)
PHONE, NAME = "+31612345678", "Fatima"
CONFIG = DeliveryConfig(retry_base=30, retry_max=3600)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "k.db")
    outbox.migrate(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def cert(tmp_path_factory):
    return self_signed(tmp_path_factory.mktemp("tls"))


def submit(store, when=NOW, **kw):
    request = outbox.CallbackRequest(topic=kw.get("topic", "Voedselbank"), phone=kw.get("phone", PHONE),
                                     name=kw.get("name", NAME), moment="morning", note=kw.get("note", ""))
    return outbox.submit(store, request, when)


def deliverer(*channels, retention_days=14):
    return Deliverer(CONFIG, list(channels), "Ontmoetingskerk Sterrenburg", AMS, retention_days, rand=FixedRandom(0.5))


def row(store, request_id):
    cursor = store.conn.execute("SELECT * FROM callback_requests WHERE id = ?", [request_id])
    return dict(zip([c[0] for c in cursor.description], cursor.fetchone()))


def webhook(url, token="s3cret"):
    return Webhook(WebhookConfig(url=url, token=token, timeout=5))


def email(port, ca_file, password="pw", to=("coordinator@example.org", "desk@example.org")):
    return Email(EmailConfig(host="127.0.0.1", port=port, user="kiosk", password=password,
                             sender="kiosk@example.org", to=to, ca_file=str(ca_file), timeout=10))


# -- webhook ------------------------------------------------------------------------------------


def test_webhook_delivers_the_documented_body_and_erases(store):
    request_id = submit(store, note="Papierwinkel")
    with WebhookReceiver() as hook:
        result = deliverer(webhook(hook.url)).run(store, NOW)
    assert result.delivered == 1
    [got] = hook.received
    assert got["headers"]["Authorization"] == "Bearer s3cret"
    assert got["headers"]["Idempotency-Key"] == request_id
    assert got["headers"]["Content-Type"] == "application/json"
    assert got["body"] == {
        "version": 2, "kind": "callback", "id": request_id, "created": "2024-03-13T10:31:00+01:00",
        "house": "Ontmoetingskerk Sterrenburg", "topic": "Voedselbank", "phone": PHONE,
        "phone_national": "06 12345678", "name": NAME, "moment": "morning", "note": "Papierwinkel",
    }
    stored = row(store, request_id)
    assert (stored["phone"], stored["name"], stored["note"], stored["status"]) == ("", "", "", "delivered")
    assert stored["topic"] == "Voedselbank"  # the tombstone keeps what the counts need
    assert outbox.counts(store) == outbox.Counts(delivered=1)


@pytest.mark.parametrize("status", [408, 429, 500, 502, 503])
def test_webhook_retries_with_backoff_then_delivers(store, status):
    request_id = submit(store)
    with WebhookReceiver([(status, {})]) as hook:
        channel = deliverer(webhook(hook.url))
        assert channel.run(store, NOW).retried == 1
        # first retry: 30 s ceiling, equal jitter with rand 0.5 -> 22.5 s
        assert outbox.next_due(store, ("webhook",)) == NOW + dt.timedelta(seconds=22.5)
        assert channel.run(store, NOW + dt.timedelta(seconds=20)).delivered == 0
        assert channel.run(store, NOW + dt.timedelta(seconds=23)).delivered == 1
    assert [r["headers"]["Idempotency-Key"] for r in hook.received] == [request_id, request_id]
    assert row(store, request_id)["phone"] == ""


def test_network_errors_are_retried(store):
    request_id = submit(store)
    channel = deliverer(webhook(f"http://127.0.0.1:{free_port()}/nobody"))
    assert channel.run(store, NOW).retried == 1
    assert channel.run(store, NOW + dt.timedelta(seconds=23)).retried == 1
    # the second retry waits longer: 60 s ceiling -> 45 s
    assert outbox.next_due(store, ("webhook",)) == NOW + dt.timedelta(seconds=23 + 45)
    assert row(store, request_id)["phone"] == PHONE


def test_retry_after_is_honoured(store):
    submit(store)
    with WebhookReceiver([(429, {"Retry-After": "120"}), (503, {"Retry-After": "7"})]) as hook:
        channel = deliverer(webhook(hook.url))
        channel.run(store, NOW)
        assert outbox.next_due(store, ("webhook",)) == NOW + dt.timedelta(seconds=120)
        assert channel.run(store, NOW + dt.timedelta(seconds=119)).retried == 0
        channel.run(store, NOW + dt.timedelta(seconds=120))
        # a shorter Retry-After than our own backoff (2nd retry: 60 s ceiling, jitter 0.5 -> 45 s):
        # the longer wait wins, as for schedule sources
        assert outbox.next_due(store, ("webhook",)) == NOW + dt.timedelta(seconds=165)
        assert channel.run(store, NOW + dt.timedelta(seconds=165)).delivered == 1
    assert len(hook.received) == 3


def test_retry_after_as_http_date():
    now = dt.datetime(2024, 3, 13, 9, 0, tzinfo=dt.timezone.utc)
    assert retry_after("Wed, 13 Mar 2024 09:02:00 GMT", now, MAX_RETRY_AFTER) == 120
    assert retry_after("Wed, 13 Mar 2024 08:00:00 GMT", now, MAX_RETRY_AFTER) == 0
    assert retry_after("soon", now) is None and retry_after(None, now) is None
    assert retry_after("999999999", now, MAX_RETRY_AFTER) == MAX_RETRY_AFTER


@pytest.mark.parametrize("status", [400, 401, 404, 410, 422])
def test_other_4xx_are_rejected_and_kept_for_the_admin_screen(store, status):
    request_id = submit(store)
    with WebhookReceiver([(status, {})]) as hook:
        channel = deliverer(webhook(hook.url))
        assert channel.run(store, NOW).rejected == 1
        assert channel.run(store, NOW + dt.timedelta(hours=2)).delivered == 0
        assert len(hook.received) == 1
        assert outbox.counts(store) == outbox.Counts(rejected=1)
        assert row(store, request_id)["phone"] == PHONE  # kept until the admin retries or the cap
        assert outbox.retry_rejected(store, NOW + dt.timedelta(hours=3)) == 1
        assert channel.run(store, NOW + dt.timedelta(hours=3)).delivered == 1
    assert outbox.counts(store) == outbox.Counts(delivered=1)


class FixedRandom(random.Random):
    def __init__(self, value: float):
        super().__init__()
        self.value = value

    def random(self) -> float:
        return self.value


def test_backoff_grows_to_its_cap():
    delays = [delay(n, FixedRandom(1.0), base=30, cap=3600) for n in range(1, 10)]
    assert delays[:4] == [30, 60, 120, 240] and max(delays) == 3600
    assert delay(3, FixedRandom(0.0), base=30, cap=3600) == 60  # jitter stays in [ceiling/2, ceiling]


# -- e-mail ----------------------------------------------------------------------------------------


def test_email_over_starttls_with_login_to_every_coordinator(store, cert):
    request_id = submit(store)
    with SmtpReceiver(*cert) as smtp:
        result = deliverer(email(smtp.port, cert[0])).run(store, NOW)
    assert result.delivered == 1
    [(recipients, mail)] = smtp.messages
    assert recipients == ["coordinator@example.org", "desk@example.org"]
    assert mail["Message-ID"] == f"<{request_id}@wijkkiosk>"
    assert mail["X-Wijkkiosk-Request"] == request_id
    assert "Voedselbank" in mail["Subject"]
    text = mail.get_payload(decode=True).decode()
    assert "06 12345678" in text and NAME in text and "ochtend" in text
    assert row(store, request_id)["phone"] == ""


def test_email_temporary_failure_is_retried_permanent_is_rejected(store, cert):
    first, second = submit(store), submit(store, when=NOW + dt.timedelta(seconds=1))
    with SmtpReceiver(*cert, replies=["451 4.3.0 try again later", "550 5.7.1 no"]) as smtp:
        result = deliverer(email(smtp.port, cert[0])).run(store, NOW + dt.timedelta(seconds=2))
        assert (result.retried, result.rejected) == (1, 1)
        assert deliverer(email(smtp.port, cert[0])).run(store, NOW + dt.timedelta(minutes=1)).delivered == 1
    assert row(store, first)["status"] == "delivered" and row(store, second)["status"] == "rejected"


def test_email_wrong_password_is_rejected(store, cert):
    submit(store)
    with SmtpReceiver(*cert) as smtp:
        assert deliverer(email(smtp.port, cert[0], password="wrong")).run(store, NOW).rejected == 1
    assert smtp.messages == []


def test_email_certificate_is_verified(store, cert, tmp_path):
    other_ca, _key = self_signed(tmp_path)  # the server's certificate is not signed by this one
    submit(store)
    with SmtpReceiver(*cert) as smtp:
        assert deliverer(email(smtp.port, other_ca)).run(store, NOW).retried == 1
    assert smtp.messages == []
    [(error,)] = store.conn.execute("SELECT last_error FROM callback_deliveries").fetchall()
    assert "SSLCertVerificationError" in error


# -- both channels, erasure ---------------------------------------------------------------------


def test_erased_only_when_every_channel_delivered(store, cert):
    request_id = submit(store)
    with WebhookReceiver() as hook, SmtpReceiver(*cert, replies=["421 4.7.0 busy"]) as smtp:
        both = deliverer(webhook(hook.url), email(smtp.port, cert[0]))
        result = both.run(store, NOW)
        assert (result.delivered, result.retried) == (1, 1)
        assert row(store, request_id)["phone"] == PHONE
        assert both.run(store, NOW + dt.timedelta(minutes=1)).delivered == 1
    assert len(hook.received) == 1 and len(smtp.messages) == 1  # the webhook is not sent twice
    assert row(store, request_id)["phone"] == ""


def test_undelivered_requests_are_erased_after_the_cap(store):
    old = submit(store, when=NOW - dt.timedelta(days=14, minutes=1))
    recent = submit(store, when=NOW - dt.timedelta(days=13))
    with WebhookReceiver([(503, {})] * 10) as hook:
        result = deliverer(webhook(hook.url), retention_days=14).run(store, NOW)
    assert result.expired == 1 and len(hook.received) == 1  # the expired one is not even tried
    assert (row(store, old)["status"], row(store, old)["phone"], row(store, old)["name"]) == ("expired", "", "")
    assert row(store, recent)["phone"] == PHONE
    assert outbox.counts(store) == outbox.Counts(pending=1, expired=1)


def test_no_trace_of_an_erased_number_in_the_files(store, tmp_path):
    submit(store, phone="+31687654321", name="Wilhelmina")
    with WebhookReceiver() as hook:
        deliverer(webhook(hook.url)).run(store, NOW)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("k.db*"))
    assert b"+31687654321" not in raw and b"Wilhelmina" not in raw


def test_database_files_are_owner_only(store, tmp_path):
    submit(store)
    files = list(tmp_path.glob("k.db*"))
    assert {p.name for p in files} >= {"k.db", "k.db-wal", "k.db-shm"}
    assert {stat.S_IMODE(os.stat(p).st_mode) for p in files} == {0o600}


def test_the_worker_delivers_after_the_sources(tmp_path, demo_feed):
    with WebhookReceiver() as hook:
        config = Config(delivery=DeliveryConfig(webhook=WebhookConfig(url=hook.url)))
        worker = SyncWorker(config, str(tmp_path / "k.db"), lambda: NOW)
        ui = Store(tmp_path / "k.db")
        outbox.migrate(ui)
        request_id = submit(ui)
        status = worker.run_once(NOW)
    assert status.changed and status.callbacks == outbox.Counts(delivered=1)
    assert hook.keys() == [request_id]
