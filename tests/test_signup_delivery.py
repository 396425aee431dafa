"""Sign-ups ("Ik kom ook") in the outbox: validation, delivery to a real webhook and SMTP server on loopback,
erasure, the people counted per occurrence, and an older database."""
import datetime as dt
from email.header import decode_header, make_header
import sqlite3

import pytest

from sync.callback import outbox
from sync.callback.message import payload
from sync.schedule.model import Occurrence, Signup
from sync.store import Store
from tests.conftest import AMS, local
from tests.receivers import SmtpReceiver, WebhookReceiver
from tests.test_delivery import NOW, PHONE, cert, deliverer, email, row, store, submit, webhook  # noqa: F401

KOOKHUIS = Occurrence("stad", "kookhuis", "Kookhuis", local(2024, 4, 5, 18), local(2024, 4, 5, 20),
                      signup=Signup(20, dt.timedelta(hours=2)))
LUNCH = Occurrence("stad", "lunch", "Zaterdaglunch", local(2024, 3, 16, 12), local(2024, 3, 16, 13), signup=Signup())


def sign_up(store, occurrence=KOOKHUIS, people=3, name="Fatima", phone="", when=NOW):
    return outbox.submit(store, outbox.signup_request(occurrence, people, name, phone), when)


def subject(mail) -> str:
    return str(make_header(decode_header(mail["Subject"])))


def stored(store, request_id):
    found = row(store, request_id)
    return {k: found[k] for k in ("kind", "people", "activity_key", "activity_start_utc", "topic", "status",
                                  "phone", "name", "note")}


# -- what the outbox accepts ------------------------------------------------------------------------


def test_a_signup_without_a_phone_is_accepted_and_kept_with_its_activity(store):
    request_id = sign_up(store)
    assert stored(store, request_id) == {
        "kind": "signup", "people": 3, "activity_key": "stad|kookhuis|20240405T160000Z",
        "activity_start_utc": "2024-04-05T16:00:00.000000+00:00", "topic": "Kookhuis", "status": "pending",
        "phone": "", "name": "Fatima", "note": ""}


@pytest.mark.parametrize("change, words", [
    (dict(name=""), "first name"),
    (dict(name="   "), "first name"),
    (dict(people=0), "1 to 6 people"),
    (dict(people=7), "1 to 6 people"),
    (dict(people=True), "1 to 6 people"),
    (dict(people=2.0), "1 to 6 people"),
    (dict(activity_key=""), "its activity"),
    (dict(activity_start=None), "its activity"),
    (dict(activity_start=dt.datetime(2024, 4, 5, 18)), "its activity"),  # naive
    (dict(topic=""), "its activity"),
    (dict(kind="lottery"), "unknown kind"),
])
def test_an_incomplete_signup_is_refused_and_nothing_stored(store, change, words):
    import dataclasses

    request = dataclasses.replace(outbox.signup_request(KOOKHUIS, 3, "Fatima"), **change)
    with pytest.raises(ValueError, match=words):
        outbox.submit(store, request, NOW)
    assert store.db.execute("SELECT COUNT(*) FROM callback_requests").fetchone()[0] == 0


def test_a_callback_still_needs_a_phone_and_carries_no_signup_fields(store):
    with pytest.raises(ValueError, match="phone"):
        outbox.submit(store, outbox.CallbackRequest(topic="Voedselbank", name="Fatima"), NOW)
    request_id = outbox.submit(store, outbox.CallbackRequest(topic="Voedselbank", phone=PHONE, people=4,
                                                             activity_key="x"), NOW)
    assert {k: stored(store, request_id)[k] for k in ("kind", "people", "activity_key", "activity_start_utc")} == {
        "kind": "callback", "people": 0, "activity_key": "", "activity_start_utc": None}


# -- delivery ---------------------------------------------------------------------------------------


def test_delivered_exactly_once_to_the_webhook_and_by_mail_with_the_new_fields_then_erased(store, cert):
    request_id = sign_up(store, phone=PHONE)
    with WebhookReceiver() as hook, SmtpReceiver(*cert) as smtp:
        both = deliverer(webhook(hook.url), email(smtp.port, cert[0]))
        assert both.run(store, NOW).delivered == 2
        assert both.run(store, NOW + dt.timedelta(hours=1)).delivered == 0
    [got] = hook.received
    assert got["headers"]["Idempotency-Key"] == request_id
    assert got["body"] == {
        "version": 2, "kind": "signup", "id": request_id, "created": "2024-03-13T10:31:00+01:00",
        "house": "Ontmoetingskerk Sterrenburg", "topic": "Kookhuis", "phone": PHONE,
        "phone_national": "06 12345678", "name": "Fatima", "moment": "any", "note": None,
        "signup": {"activity": "Kookhuis", "start": "2024-04-05T18:00:00+02:00", "people": 3,
                   "key": "stad|kookhuis|20240405T160000Z"},
    }
    [(recipients, mail)] = smtp.messages
    assert subject(mail) == "Aanmelding: Kookhuis, vrijdag 5 april 18:00 — 3 personen"
    assert (mail["Message-ID"], mail["X-Wijkkiosk-Request"], mail["X-Wijkkiosk-Kind"]) == (
        f"<{request_id}@wijkkiosk>", request_id, "signup")
    text = mail.get_payload(decode=True).decode()
    assert "Activiteit: Kookhuis" in text and "Wanneer:    vrijdag 5 april 2024 18:00" in text
    assert "Personen:   3" in text and "Naam:       Fatima" in text and "06 12345678" in text
    # erased: the name and number; kept for the counts: kind, people, the occurrence
    after = stored(store, request_id)
    assert (after["phone"], after["name"], after["note"], after["status"]) == ("", "", "", "delivered")
    assert (after["kind"], after["people"], after["activity_key"]) == ("signup", 3, KOOKHUIS.key)
    assert outbox.signups_for(store, KOOKHUIS.key) == 3


def test_a_signup_without_a_phone_in_the_body_and_the_mail(store, cert):
    sign_up(store, occurrence=LUNCH, people=1, name="Jan")
    with WebhookReceiver() as hook, SmtpReceiver(*cert) as smtp:
        deliverer(webhook(hook.url), email(smtp.port, cert[0])).run(store, NOW)
    [got] = hook.received
    assert (got["body"]["phone"], got["body"]["phone_national"], got["body"]["name"]) == ("", "", "Jan")
    assert got["body"]["signup"] == {"activity": "Zaterdaglunch", "start": "2024-03-16T12:00:00+01:00",
                                     "people": 1, "key": LUNCH.key}
    [(_, mail)] = smtp.messages
    assert subject(mail) == "Aanmelding: Zaterdaglunch, zaterdag 16 maart 12:00 — 1 persoon"
    text = mail.get_payload(decode=True).decode()
    assert "Telefoon:   (niet opgegeven)" in text and "De kiosk heeft de naam na verzending gewist." in text


def test_no_trace_of_an_erased_name_or_number_in_the_files(store, tmp_path):
    sign_up(store, name="Wilhelmina", phone="+31687654321")
    with WebhookReceiver() as hook:
        deliverer(webhook(hook.url)).run(store, NOW)
    raw = b"".join(p.read_bytes() for p in tmp_path.glob("k.db*"))
    assert b"+31687654321" not in raw and b"Wilhelmina" not in raw


def test_an_undelivered_signup_is_erased_after_the_retention_cap_and_still_counted(store):
    old = sign_up(store, when=NOW - dt.timedelta(days=14, minutes=1))
    with WebhookReceiver([(503, {})] * 10) as hook:
        assert deliverer(webhook(hook.url), retention_days=14).run(store, NOW).expired == 1
    assert hook.received == []
    after = stored(store, old)
    assert (after["status"], after["name"], after["phone"], after["people"]) == ("expired", "", "", 3)
    assert outbox.signups_for(store, KOOKHUIS.key) == 3  # the visitor was told they are coming


# -- counting, and what is kept how long -------------------------------------------------------------


def test_signups_for_counts_people_per_occurrence_whatever_the_state(store):
    sign_up(store, people=3)
    rejected = sign_up(store, people=2, name="Anna")
    sign_up(store, people=6, name="Ali", occurrence=LUNCH)
    submit(store)  # a callback request: not a sign-up
    outbox.due(store, ("webhook",), NOW)
    outbox.mark_rejected(store, rejected, "webhook", ("webhook",), NOW, "HTTP 400")
    assert outbox.signups_for(store, KOOKHUIS.key) == 5
    assert outbox.signups_for(store, LUNCH.key) == 6
    assert outbox.signups_for(store, "stad|kookhuis|20240412T160000Z") == 0  # the next week's Kookhuis
    assert outbox.counts_by_kind(store) == {"callback": outbox.Counts(pending=1),
                                            "signup": outbox.Counts(pending=2, rejected=1)}
    assert outbox.counts(store) == outbox.Counts(pending=3, rejected=1)  # both kinds, as before


def test_a_signups_tombstone_is_deleted_a_day_after_its_occurrence_in_the_delivery_round(store):
    delivered, callback = sign_up(store, occurrence=LUNCH), submit(store)
    with WebhookReceiver() as hook:
        deliverer(webhook(hook.url)).run(store, NOW)
    pending = sign_up(store, occurrence=LUNCH, name="Anna")
    day_after = LUNCH.start + outbox.SIGNUP_KEPT_AFTER
    outbox.expire(store, day_after - dt.timedelta(seconds=1), 14)
    assert outbox.signups_for(store, LUNCH.key) == 6  # not yet deleted
    # not delivered when the lunch began: too late to be of use, erased (counted still, no name)
    assert row(store, pending)["name"] == "" and row(store, pending)["status"] == outbox.EXPIRED
    with WebhookReceiver([(503, {})] * 5) as hook:
        deliverer(webhook(hook.url)).run(store, day_after + dt.timedelta(seconds=1))
        assert hook.received == []  # the erased sign-up is not sent late
    # both sign-ups are gone with their delivery rows; the callback's tombstone stays
    assert {r[0] for r in store.db.execute("SELECT id FROM callback_requests")} == {callback}
    assert store.db.execute("SELECT COUNT(*) FROM callback_deliveries WHERE request_id IN (?, ?)",
                            [delivered, pending]).fetchone()[0] == 0
    assert outbox.signups_for(store, LUNCH.key) == 0


# -- an older kiosk's database ----------------------------------------------------------------------


def test_an_old_database_opens_and_its_requests_are_callbacks(tmp_path):
    conn = sqlite3.connect(tmp_path / "k.db")
    conn.executescript(  # the first release's tables, one request waiting
        "CREATE TABLE callback_requests (id TEXT PRIMARY KEY, created_utc TEXT NOT NULL, topic TEXT NOT NULL,"
        " moment TEXT NOT NULL, phone TEXT NOT NULL, name TEXT NOT NULL, note TEXT NOT NULL,"
        " status TEXT NOT NULL DEFAULT 'pending', erased_utc TEXT);"
        "CREATE TABLE callback_deliveries (request_id TEXT NOT NULL REFERENCES callback_requests(id),"
        " channel TEXT NOT NULL, state TEXT NOT NULL DEFAULT 'pending', attempts INTEGER NOT NULL DEFAULT 0,"
        " next_utc TEXT NOT NULL, last_error TEXT NOT NULL DEFAULT '', done_utc TEXT,"
        " PRIMARY KEY (request_id, channel));"
        "INSERT INTO callback_requests (id, created_utc, topic, moment, phone, name, note) VALUES"
        " ('old-1', '2024-03-13T09:00:00.000000+00:00', 'Voedselbank', 'morning', '+31612345678', 'W', '');")
    conn.commit()
    conn.close()
    store = Store(tmp_path / "k.db")
    outbox.migrate(store)
    outbox.migrate(store)  # again: nothing to add
    [due] = outbox.due(store, ("webhook",), NOW)
    assert (due.request.kind, due.request.people, due.request.activity_start) == ("callback", 0, None)
    assert payload(due.request, "Huis", AMS)["kind"] == "callback" and "signup" not in payload(due.request, "Huis", AMS)
    new = sign_up(store)
    assert outbox.counts_by_kind(store) == {"callback": outbox.Counts(pending=1), "signup": outbox.Counts(pending=1)}
    assert stored(store, new)["people"] == 3


def test_the_documented_bodies_and_signup_mail_are_what_the_kiosk_sends():
    import dataclasses
    import json

    from sync.callback.message import message
    from tests.conftest import ROOT

    doc = (ROOT / "docs" / "callback.md").read_text()
    documented = [json.loads(block.split("```", 1)[0]) for block in doc.split("```json\n")[1:]]
    request = dataclasses.replace(outbox.signup_request(KOOKHUIS, 3, "Fatima"),
                                  id="9b2e6f10-4c1d-4e7a-8f0e-2a5d3c9b7e41", created=NOW)
    assert payload(request, "Ontmoetingskerk Sterrenburg", AMS) in documented
    callback = outbox.CallbackRequest("Voedselbank", PHONE, "morning", "Fatima", id="3f0c2a4e-9a51-4a8e-9a0b-7f1d2d0c6b11",
                                      created=NOW)
    assert payload(callback, "Ontmoetingskerk Sterrenburg", AMS) in documented
    mail = message(request, "Ontmoetingskerk Sterrenburg", AMS, "kiosk@example.org", ("desk@example.org",))
    example = f"Subject: {mail['Subject']}\n\n{mail.get_content()}"
    assert f"```\n{example}```" in doc
