"""Configuration of callback requests and their delivery: frozen values, parsed from TOML tables.

    [callback]                       [delivery.webhook]            [delivery.email]
    topics = ["Voedselbank", ...]    url = "https://..."           host = "smtp.example.org"
      (or {text = "...", icon = "food", en = "...", ar = "...", ...})
    retention_days = 14              token = "..."                 port = 587
    promise = "..."                  timeout = 10                  user, password, sender
                                                                   to = ["a@example.org"]
    [delivery]                                                     ca_file = "/path/ca.pem" (optional)
    retry_base = 30
    retry_max = 3600

`parse_callback` and `parse_delivery` raise ValueError naming the key that is wrong.
"""
from __future__ import annotations

import dataclasses
import os
from urllib.parse import urlparse

from sync.texts import LANGUAGE_CODES, N_

DEFAULT_TOPICS = ("Papierwinkel / formulieren", "Voedselbank", "Huiswerkhuis", "Iets anders")
# a topic's `text` is the Dutch; these are the languages a house may add its own words in
TOPIC_LANGUAGES = tuple(code for code in LANGUAGE_CODES if code != "nl")
# the pictures a topic's button can show beside its words (kiosk/widgets/icons.py draws them)
TOPIC_ICONS = ("form", "food", "book", "chat", "people", "house")
DEFAULT_TOPIC_ICON = "chat"
DEFAULT_TOPIC_ICONS = dict(zip(DEFAULT_TOPICS, ("form", "food", "book", "chat")))
DEFAULT_PROMISE = N_("A volunteer will call you back within 2 working days.")


@dataclasses.dataclass(frozen=True)
class CallbackConfig:
    topics: tuple[str, ...] = DEFAULT_TOPICS
    topic_icons: tuple[tuple[str, str], ...] = tuple(DEFAULT_TOPIC_ICONS.items())  # (topic, icon) pairs
    # a house's own topics in other languages: (topic, ((lang, text), ...)) pairs
    topic_texts: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = ()
    retention_days: int = 14  # undelivered requests are erased after this
    promise: str = DEFAULT_PROMISE  # what the confirmation promises (an English msgid, or the house's own text)

    def icon(self, topic: str) -> str:
        return dict(self.topic_icons).get(topic, DEFAULT_TOPIC_ICON)

    def translated(self, topic: str, lang: str) -> str | None:
        """The house's own words for `topic` in `lang`, if it gave them."""
        return dict(dict(self.topic_texts).get(topic, ())).get(lang)


@dataclasses.dataclass(frozen=True)
class WebhookConfig:
    url: str
    token: str = ""
    timeout: float = 10.0


@dataclasses.dataclass(frozen=True)
class EmailConfig:
    host: str
    to: tuple[str, ...]
    sender: str
    port: int = 587
    user: str = ""
    password: str = ""
    ca_file: str = ""  # extra CA bundle to trust (a house's own mail server); verification stays on
    timeout: float = 20.0


@dataclasses.dataclass(frozen=True)
class DeliveryConfig:
    webhook: WebhookConfig | None = None
    email: EmailConfig | None = None
    retry_base: float = 30.0  # seconds before the first retry; doubles per attempt, with jitter
    retry_max: float = 3600.0

    @property
    def channels(self) -> tuple[str, ...]:
        return tuple(name for name in ("webhook", "email") if getattr(self, name) is not None)


def parse_callback(table: dict) -> CallbackConfig:
    _only(table, {"topics", "retention_days", "promise"}, "callback")
    topics = table.get("topics", list(DEFAULT_TOPICS))
    if not isinstance(topics, list) or not topics:
        raise ValueError("callback.topics: expected a non-empty list of texts")
    parsed = [_topic(entry) for entry in topics]
    return CallbackConfig(
        topics=tuple(text for text, _icon, _texts in parsed),
        topic_icons=tuple((text, icon) for text, icon, _texts in parsed),
        topic_texts=tuple((text, texts) for text, _icon, texts in parsed if texts),
        retention_days=_number(table, "retention_days", 14, "callback", int, minimum=1),
        promise=_text(table, "promise", DEFAULT_PROMISE, "callback"),
    )


def _topic(entry) -> tuple[str, str, tuple[tuple[str, str], ...]]:
    """A topic's (text, icon, translations): a text alone (a default topic keeps its icon and its
    translations), or {text = ..., icon = ..., en = ..., ar = ...} with the house's own words per language."""
    if isinstance(entry, str) and entry.strip():
        return entry.strip(), DEFAULT_TOPIC_ICONS.get(entry.strip(), DEFAULT_TOPIC_ICON), ()
    if isinstance(entry, dict) and isinstance(entry.get("text"), str) and entry["text"].strip():
        text = entry["text"].strip()
        unknown = sorted(set(entry) - {"text", "icon", *TOPIC_LANGUAGES})
        if unknown:
            raise ValueError(f"callback.topics.{unknown[0]}: unknown key in the topic {text!r}; a topic has text "
                             f"(in Dutch), icon and its text in " + ", ".join(TOPIC_LANGUAGES))
        icon = entry.get("icon", DEFAULT_TOPIC_ICONS.get(text, DEFAULT_TOPIC_ICON))
        if icon not in TOPIC_ICONS:
            raise ValueError(f"callback.topics: icon {icon!r} of {text!r} is not one of " + ", ".join(TOPIC_ICONS))
        texts = []
        for lang in TOPIC_LANGUAGES:
            if lang in entry:
                if not isinstance(entry[lang], str) or not entry[lang].strip():
                    raise ValueError(f"callback.topics: {lang} of {text!r}: expected a text")
                texts.append((lang, entry[lang].strip()))
        return text, icon, tuple(texts)
    raise ValueError("callback.topics: expected a non-empty list of texts (or {text = ..., icon = ...} tables)")


def parse_delivery(table: dict) -> DeliveryConfig:
    _only(table, {"webhook", "email", "retry_base", "retry_max"}, "delivery")
    webhook = email = None
    if "webhook" in table:
        hook = _table(table, "webhook", "delivery")
        _only(hook, {"url", "token", "timeout"}, "delivery.webhook")
        url = _text(hook, "url", "", "delivery.webhook")
        if urlparse(url).scheme not in ("http", "https") or not urlparse(url).netloc:
            raise ValueError("delivery.webhook.url: expected an http(s) URL")
        webhook = WebhookConfig(url=url, token=_text(hook, "token", "", "delivery.webhook"),
                                timeout=_number(hook, "timeout", 10.0, "delivery.webhook", float, minimum=1))
    if "email" in table:
        mail = _table(table, "email", "delivery")
        keys = {"host", "port", "user", "password", "sender", "to", "ca_file", "timeout"}
        _only(mail, keys, "delivery.email")
        to = mail.get("to")
        if isinstance(to, str):
            to = [to]
        if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
            raise ValueError("delivery.email.to: expected one or more e-mail addresses")
        host = _text(mail, "host", "", "delivery.email")
        sender = _text(mail, "sender", "", "delivery.email")
        if not host:
            raise ValueError("delivery.email.host: required")
        if "@" not in sender:
            raise ValueError("delivery.email.sender: expected an e-mail address")
        ca_file = _text(mail, "ca_file", "", "delivery.email")
        if ca_file and not os.path.isfile(ca_file):
            raise ValueError(f"delivery.email.ca_file: no such file: {ca_file}")
        email = EmailConfig(
            host=host, to=tuple(to), sender=sender,
            port=_number(mail, "port", 587, "delivery.email", int, minimum=1),
            user=_text(mail, "user", "", "delivery.email"),
            password=_text(mail, "password", "", "delivery.email"),
            ca_file=ca_file,
            timeout=_number(mail, "timeout", 20.0, "delivery.email", float, minimum=1),
        )
    base = _number(table, "retry_base", 30.0, "delivery", float, minimum=0.001)
    return DeliveryConfig(webhook=webhook, email=email, retry_base=base,
                          retry_max=_number(table, "retry_max", 3600.0, "delivery", float, minimum=base))


# the sections this module owns, for the config file's registry of section parsers


def _only(table: dict, allowed: set[str], section: str) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise ValueError(f"{section}.{unknown[0]}: unknown key")


def _table(table: dict, key: str, section: str) -> dict:
    value = table[key]
    if not isinstance(value, dict):
        raise ValueError(f"{section}.{key}: expected a table")
    return value


def _text(table: dict, key: str, default: str, section: str) -> str:
    value = table.get(key, default)
    if not isinstance(value, str):
        raise ValueError(f"{section}.{key}: expected a text")
    return value.strip()


def _number(table: dict, key: str, default, section: str, kind, minimum):
    value = table.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or (kind is int and not isinstance(value, int)):
        raise ValueError(f"{section}.{key}: expected a number")
    if value < minimum:
        raise ValueError(f"{section}.{key}: must be at least {minimum}")
    return kind(value)
