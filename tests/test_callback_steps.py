"""The callback flow's logic, without a window: validation, step order, commit before confirmation."""
import os
import tempfile

import pytest

from sync.callback import outbox
from sync.store import Store
from tests.conftest import local

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
callback = pytest.importorskip("kiosk.screens.callback")
from kiosk.i18n.catalogues import gettext_for  # noqa: E402
from sync.config import Config  # noqa: E402
from kiosk.controller import KioskController  # noqa: E402


class FakeApp:
    """What CallbackFlow uses of KioskApp: screens by name, texts, the configuration, the controller (real,
    with the worker's bridge faked)."""

    def __init__(self, store):
        self.root = type("Root", (), {"current": "home"})()
        self.store, self.kiosk_config = store, Config()
        clock = type("Clock", (), {"now": staticmethod(lambda: local(2024, 3, 13, 10, 31))})()
        bridge = type("Bridge", (), {"wake": lambda _self: self.events.append("wake")})()
        self.controller = KioskController(store, clock, bridge, str(store.path), lambda: "")
        self.events = []

    def t(self, message, lang="nl"):
        return gettext_for(lang)(message)

    def show(self, name):
        if name == "callback_done":  # the confirmation: the request must already be committed
            self.events.append(("stored", outbox.counts(Store(self.store.path)).pending))
        self.events.append(name)
        self.root.current = name

    def go_home(self):
        self.events.append("home")


@pytest.fixture
def flow(tmp_path):
    store = Store(tmp_path / "k.db")
    outbox.migrate(store)
    return callback.CallbackFlow(FakeApp(store))


def press(flow, keys):
    for key in keys:
        flow.phone_key(key)


def test_a_whole_request(flow):
    flow.start(note="Papierwinkel")
    flow.choose_topic("Voedselbank")
    press(flow, "0612")
    flow.phone_done()
    assert flow.error.startswith("Dit nummer is te kort") and flow.app.root.current == "callback_phone"
    press(flow, "345678")
    assert flow.error == "" and flow.phone_text == "06 12345678"
    flow.phone_done()
    for key in "ANNA":
        flow.name_key(key)
    flow.name_done(skip=False)
    flow.choose_moment("evening")
    assert flow.summary_tail.startswith("Naam: Anna") and "14 dagen" in flow.consent_text
    flow.lang = "en"
    assert flow.summary_tail.startswith("Name: Anna") and "14 days" in flow.consent_text
    flow.confirm()
    assert flow.app.events[-3:] == ["wake", ("stored", 1), "callback_done"]
    assert flow.form.phone == "" and flow.form.name == ""  # forgotten once stored
    flow.lang = "nl"
    assert "in de avond" in flow.promise_text
    row = flow.app.store.conn.execute("SELECT topic, phone, name, moment, note FROM callback_requests").fetchone()
    assert row == ("Voedselbank", "+31612345678", "Anna", "evening", "Papierwinkel")


def test_back_walks_the_steps_and_leaves_from_the_first(flow):
    flow.start()
    flow.choose_topic("Huiswerkhuis")
    flow.back()
    assert flow.app.root.current == "callback_topic"
    flow.back()
    assert flow.app.events[-1] == "home"


def test_reset_forgets_everything(flow):
    flow.start()
    flow.choose_topic("Voedselbank")
    press(flow, "06")
    flow.phone_done()
    flow.reset()
    assert flow.form == callback.CallbackForm() and flow.error == ""


def test_topics_in_the_visitors_language(flow):
    import dataclasses

    from sync.callback.config import parse_callback
    own = parse_callback({"topics": [{"text": "Voedselbank", "tr": "Gıda bankası Sterrenburg"},
                                     {"text": "Huurteam", "en": "Rent team"}, "Taalcafé"]})
    flow.configure(dataclasses.replace(flow.config, callback=own))
    assert flow.topic_label("Voedselbank", "en") == "Food bank"  # a default topic: the catalogue
    assert flow.topic_label("Voedselbank", "tr") == "Gıda bankası Sterrenburg"  # unless the house says
    assert flow.topic_label("Voedselbank", "nl") == "Voedselbank"
    assert flow.topic_label("Huurteam", "en") == "Rent team"  # the house's own words
    assert flow.topic_label("Huurteam", "tr") == "Huurteam"  # not given: as written
    assert flow.topic_label("Taalcafé", "en") == "Taalcafé"


def test_every_moment_has_its_texts_on_the_screen_and_in_the_volunteers_message():
    from sync.callback import message

    assert set(callback.MOMENT_TEXTS) == set(outbox.MOMENTS) == set(message.MOMENT_NL)
