"""The [callback] and [delivery] sections of the configuration file."""
import tomllib

import pytest

from sync.callback.config import DEFAULT_TOPICS, parse_callback, parse_delivery
from sync.config import Config


def test_defaults():
    config = Config()
    assert config.callback.topics == DEFAULT_TOPICS
    assert config.callback.retention_days == 14
    assert config.delivery.channels == ()


def test_both_channels_from_toml():
    table = tomllib.loads('''
        [callback]
        topics = ["Voedselbank", "Iets anders"]
        retention_days = 7
        [delivery]
        retry_base = 10
        [delivery.webhook]
        url = "https://hooks.example.org/callback"
        token = "s3cret"
        [delivery.email]
        host = "smtp.example.org"
        user = "kiosk"
        password = "pw"
        sender = "kiosk@example.org"
        to = ["a@example.org", "b@example.org"]
    ''')
    callback, delivery = parse_callback(table["callback"]), parse_delivery(table["delivery"])
    assert callback.topics == ("Voedselbank", "Iets anders") and callback.retention_days == 7
    assert delivery.channels == ("webhook", "email")
    assert delivery.webhook.token == "s3cret" and delivery.retry_base == 10.0
    assert delivery.email.port == 587 and delivery.email.to == ("a@example.org", "b@example.org")


def test_a_topic_has_an_icon_its_own_the_defaults_or_the_speech_bubble():
    table = tomllib.loads('''
        topics = ["Voedselbank", "Taalcafé", {text = "Huurteam", icon = "house"}]
    ''')
    callback = parse_callback(table)
    assert callback.topics == ("Voedselbank", "Taalcafé", "Huurteam")
    assert [callback.icon(t) for t in callback.topics] == ["food", "chat", "house"]
    assert [parse_callback({}).icon(t) for t in DEFAULT_TOPICS] == ["form", "food", "book", "chat"]


def test_a_house_gives_its_own_topics_in_other_languages():
    callback = parse_callback(tomllib.loads('''
        topics = ["Voedselbank", {text = "Huurteam", icon = "house", en = "Rent team", ar = "فريق الإيجار"}]
    '''))
    assert callback.topics == ("Voedselbank", "Huurteam")  # the request keeps the Dutch text
    assert callback.translated("Huurteam", "en") == "Rent team"
    assert callback.translated("Huurteam", "ar") == "فريق الإيجار"
    assert callback.translated("Huurteam", "tr") is None and callback.translated("Voedselbank", "en") is None
    assert parse_callback({"topics": [{"text": "Voedselbank", "en": "Foodbank"}]}).icon("Voedselbank") == "food"


@pytest.mark.parametrize("section, table, key", [
    ("callback", {"topics": []}, "callback.topics"),
    ("callback", {"retention_days": "14"}, "callback.retention_days"),
    ("callback", {"retention_days": 0}, "callback.retention_days"),
    ("callback", {"colour": "red"}, "callback.colour"),
    ("callback", {"topics": [{"text": "Taalcafé", "icon": "coffee"}]}, "callback.topics"),
    ("callback", {"topics": [{"text": "Taalcafé", "colour": "red"}]}, "callback.topics.colour"),
    ("callback", {"topics": [{"icon": "book"}]}, "callback.topics"),
    ("callback", {"topics": [{"text": "Huurteam", "ua": "Орендна команда"}]}, "callback.topics.ua"),
    ("callback", {"topics": [{"text": "Huurteam", "en": ""}]}, "callback.topics"),
    ("callback", {"topics": ["Voedselbank", " "]}, "callback.topics"),
    ("delivery", {"webhook": {"url": "ftp://x"}}, "delivery.webhook.url"),
    ("delivery", {"webhook": {"url": "https://x.example", "tokn": "t"}}, "delivery.webhook.tokn"),
    ("delivery", {"email": {"host": "h", "sender": "k@x", "to": []}}, "delivery.email.to"),
    ("delivery", {"email": {"host": "h", "sender": "nobody", "to": ["a@x"]}}, "delivery.email.sender"),
    ("delivery", {"email": {"sender": "k@x", "to": ["a@x"]}}, "delivery.email.host"),
    ("delivery", {"email": {"host": "h", "sender": "k@x", "to": "a@x", "port": True}}, "delivery.email.port"),
])
def test_errors_name_the_key(section, table, key):
    parse = parse_callback if section == "callback" else parse_delivery
    with pytest.raises(ValueError, match=key.replace(".", r"\.")):
        parse(table)


def test_ca_file_must_exist(tmp_path):
    table = {"email": {"host": "h", "sender": "k@x", "to": ["a@x"], "ca_file": str(tmp_path / "nope.pem")}}
    with pytest.raises(ValueError, match=r"delivery\.email\.ca_file"):
        parse_delivery(table)


def test_a_bad_config_file_stops_the_start_with_one_line(tmp_path):
    import subprocess

    from tests.conftest import PYTHON, ROOT

    config = tmp_path / "kiosk.toml"
    config.write_text('[delivery.webhook]\nurl = "ftp://nowhere"\n')
    result = subprocess.run([PYTHON, str(ROOT / "main.py"), "--config", str(config)],
                            capture_output=True, text=True, timeout=60, env={"PATH": "/usr/bin:/bin"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "wijkkiosk: configuration: delivery.webhook.url: expected an https URL"]
