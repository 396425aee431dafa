"""Ask for a call back on the real app, as a visitor would: every step, an invalid number first.

The app's webhook points at a receiver started here; the request must arrive there. The keypad and
the keyboard are found by the colour of their key outlines (theme "key_edge") and read as a grid,
as a person sees a phone keypad; what was typed is checked by reading the screen.
"""
import json
import subprocess
import time

import pytest

from kiosk.theme import PALETTE
from tests.conftest import DEMO_FEED, PYTHON, ROOT
from tests.receivers import PingReceiver, WebhookReceiver
from tests.ui.screen import colour_box, grid_centre

pytestmark = pytest.mark.ui

MOMENT = ["--date", "2024-03-13", "--time", "10:30"]
LETTERS = ["ABCDEFGH", "IJKLMNOP", "QRSTUVWX", "YZ-"]  # 15 mm keys at 800x480: eight a row


def type_digits(screen, digits: str) -> None:
    screen.type_on_keypad(digits)


def type_letters(screen, word: str) -> None:
    box = colour_box(screen.shot("_keyboard"), PALETTE["key_edge"])
    for letter in word.upper():
        row = next(r for r, keys in enumerate(LETTERS) if letter in keys)
        screen.tap(*grid_centre(box, 8, 4, LETTERS[row].index(letter), row))
        time.sleep(0.05)


def step(screen, phrase: str, name: str):
    screen.wait_text(phrase)
    return screen.shot(f"callback-{name}-800x480")


def test_a_visitor_asks_for_a_call_back(screen_factory, tmp_path):
    screen = screen_factory(800, 480)
    metrics = tmp_path / "wijkkiosk.prom"
    with WebhookReceiver() as hook, PingReceiver() as monitor:
        config = tmp_path / "kiosk.toml"
        config.write_text(f'[delivery.webhook]\nurl = "{hook.url}"\ntoken = "ui-test"\n'
                          '[callback]\npromise = "A volunteer will call you back within 2 working days."\n'
                          f'[monitoring]\nping_url = "{monitor.base}/ping/ui"\nprometheus_textfile = "{metrics}"\n')
        screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"),
                         *MOMENT)
        screen.wait_log("first programme frame drawn")
        home = screen.shot("callback-0-home-800x480")
        screen.tap(*screen.find("Bel mij", home))  # "Bel mij / terug": two lines beside the help keys

        topics = step(screen, "Waarmee kunnen we", "1-topic")  # "... u helpen?" wraps beside the tools
        assert screen.find("Papierwinkel / formulieren", topics) and screen.find("Iets anders", topics)
        screen.tap(*screen.find("Voedselbank", topics))

        step(screen, "Uw telefoonnummer", "2-phone")
        type_digits(screen, "061234")
        screen.tap(*screen.find("Verder"))
        error = step(screen, "Dit nummer is te kort", "2-phone-error")
        assert screen.find("06 1234", error), "the typed number stays on screen"
        type_digits(screen, "5678")
        typed = step(screen, "06 12345678", "2-phone-typed")
        screen.tap(*screen.find("Verder", typed))

        step(screen, "Uw voornaam", "3-name")
        type_letters(screen, "fatima")
        step(screen, "Fatima", "3-name-typed")
        screen.tap_target("callback_name", "OneLineButton")  # "Verder ›": small white text, OCR misses it

        moments = step(screen, "Wanneer mogen we u bellen?", "4-moment")
        screen.tap(*screen.find("Middag", moments))

        consent = step(screen, "Klopt dit?", "5-consent")
        for text in ("Onderwerp: Voedselbank", "Telefoon: 06 12345678", "Naam: Fatima", "Wanneer: middag",
                     "nooit langer dan 14 dagen"):
            assert screen.find(text, consent), text
        screen.tap(*screen.find("Ja, verstuur", consent))

        done = step(screen, "Dank u wel!", "6-done")
        assert screen.find("binnen 2 werkdagen", done)
        deadline = time.monotonic() + 20
        while not hook.received and time.monotonic() < deadline:
            time.sleep(0.2)
        [got] = hook.received
        assert got["headers"]["Authorization"] == "Bearer ui-test"
        body = got["body"]
        assert (body["topic"], body["phone"], body["name"], body["moment"]) == (
            "Voedselbank", "+31612345678", "Fatima", "afternoon")
        assert got["headers"]["Idempotency-Key"] == body["id"]

        # the button, not the same words in the sentence above it
        screen.tap_target("callback_done", "IconAction", "Terug naar het programma")
        screen.wait_text("Vandaag")
        assert screen.alive()
        screen.stop()  # the day's figures are written as the kiosk stops
    log = screen.log.read_text()
    assert "0612345678" not in log and "12345678" not in log and "Fatima" not in log, json.dumps(body)

    # the monitoring outputs count the request, and know nothing of who asked
    report = subprocess.run([PYTHON, str(ROOT / "main.py"), "--db", str(tmp_path / "k.db"), "report",
                             "--from", "2024-03-13", "--to", "2024-03-13"], capture_output=True, text=True, cwd=ROOT,
                            timeout=60)
    assert "2024-03-13,callback_requests,Voedselbank,1" in report.stdout.splitlines()
    assert "2024-03-13,visits,,1" in report.stdout.splitlines()
    assert 'wijkkiosk_callback_requests{state="delivered"} 1.0' in metrics.read_text()
    assert monitor.received, "the heartbeat was sent"
    outputs = [report.stdout, metrics.read_text(), json.dumps(monitor.received)]
    for output in outputs:
        assert "12345678" not in output and "Fatima" not in output and "fatima" not in output


def test_the_demo_runs_the_whole_flow_and_keeps_nothing(screen_factory, tmp_path):
    """Without a settings file (README command 1) "Bel mij terug" is there, the flow runs to its end, and the
    confirmation says it was a demonstration; nothing is written to the outbox."""
    import sqlite3

    screen = screen_factory(800, 480)
    db = tmp_path / "k.db"
    screen.start_app("--db", str(db), *MOMENT)
    screen.wait_log("first programme frame drawn")
    screen.tap(*screen.find("Bel mij"))  # "Bel mij / terug" on two lines (the demo has help and roles)
    screen.tap(*screen.find("Voedselbank", step(screen, "Waarmee kunnen we", "demo-1-topic")))
    screen.wait_text("Uw telefoonnummer")
    type_digits(screen, "0612345678")
    screen.tap(*screen.find("Verder", step(screen, "06 12345678", "demo-2-phone")))
    screen.wait_text("Uw voornaam")
    screen.tap_target("callback_name", "OneLineButton")  # no name: it may be left out
    screen.tap(*screen.find("Middag", step(screen, "Wanneer mogen we u bellen?", "demo-4-moment")))
    screen.tap(*screen.find("Ja, verstuur", step(screen, "Klopt dit?", "demo-5-consent")))
    done = step(screen, "Bedankt voor het proberen!", "demo-6-done")
    assert screen.find("demonstratie", done) and screen.find("niet bewaard", done)
    assert "callback request is not kept or sent" in screen.log.read_text()
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM callback_requests").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM callback_deliveries").fetchone()[0] == 0
    assert screen.alive()
