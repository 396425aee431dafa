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

`parse_callback` and `parse_delivery` raise ConfigError (a ValueError) naming the key that is wrong.
"""
from __future__ import annotations

import dataclasses
import ipaddress
import os
from urllib.parse import urlsplit

from sync.tables import ConfigError, get, no_unknown, subtable
from sync.texts import DEFAULT_LANGUAGE, LANGUAGES, N_

DEFAULT_TOPICS = ("Papierwinkel / formulieren", "Voedselbank", "Huiswerkhuis", "Iets anders")
# a topic's `text` is the Dutch; these are the languages a house may add its own words in
TOPIC_LANGUAGES = tuple(code for code in LANGUAGES if code != DEFAULT_LANGUAGE)
# the pictures a topic's button can show beside its words (kiosk/widgets/icons.py draws them)
TOPIC_ICONS = ("form", "food", "book", "chat", "people", "house")
DEFAULT_TOPIC_ICON = "chat"
DEFAULT_TOPIC_ICONS = dict(zip(DEFAULT_TOPICS, ("form", "food", "book", "chat")))
DEFAULT_PROMISE = N_("A volunteer will call you back within 2 working days.")
MAX_TIMEOUT = 300  # seconds for one webhook request or one SMTP session
MAX_RETRY = 24 * 3600  # seconds: retry_base and retry_max


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
    no_unknown(table, "callback", ("topics", "retention_days", "promise"))
    topics = table.get("topics", list(DEFAULT_TOPICS))
    if not isinstance(topics, list) or not topics:
        raise ConfigError("callback.topics: expected a non-empty list of texts")
    parsed = [_topic(entry) for entry in topics]
    return CallbackConfig(
        topics=tuple(text for text, _icon, _texts in parsed),
        topic_icons=tuple((text, icon) for text, icon, _texts in parsed),
        topic_texts=tuple((text, texts) for text, _icon, texts in parsed if texts),
        retention_days=get(table, "callback", "retention_days", int, 14, minimum=1, maximum=90),
        promise=get(table, "callback", "promise", str, DEFAULT_PROMISE).strip(),
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
            raise ConfigError(f"callback.topics.{unknown[0]}: unknown key in the topic {text!r}; a topic has text "
                             f"(in Dutch), icon and its text in " + ", ".join(TOPIC_LANGUAGES))
        icon = entry.get("icon", DEFAULT_TOPIC_ICONS.get(text, DEFAULT_TOPIC_ICON))
        if icon not in TOPIC_ICONS:
            raise ConfigError(f"callback.topics: icon {icon!r} of {text!r} is not one of " + ", ".join(TOPIC_ICONS))
        texts = []
        for lang in TOPIC_LANGUAGES:
            if lang in entry:
                if not isinstance(entry[lang], str) or not entry[lang].strip():
                    raise ConfigError(f"callback.topics: {lang} of {text!r}: expected a text")
                texts.append((lang, entry[lang].strip()))
        return text, icon, tuple(texts)
    raise ConfigError("callback.topics: expected a non-empty list of texts (or {text = ..., icon = ...} tables)")


def parse_delivery(table: dict) -> DeliveryConfig:
    no_unknown(table, "delivery", ("webhook", "email", "retry_base", "retry_max"))
    webhook = email = None
    if "webhook" in table:
        hook = subtable(table, "delivery", "webhook")
        no_unknown(hook, "delivery.webhook", ("url", "token", "timeout"))
        url = _webhook_url(get(hook, "delivery.webhook", "url", str, "").strip())
        webhook = WebhookConfig(url=url, token=get(hook, "delivery.webhook", "token", str, "").strip(),
                                timeout=float(get(hook, "delivery.webhook", "timeout", (int, float), 10.0,
                                                  minimum=1, maximum=MAX_TIMEOUT)))
    if "email" in table:
        mail = subtable(table, "delivery", "email")
        no_unknown(mail, "delivery.email", ("host", "port", "user", "password", "sender", "to", "ca_file", "timeout"))
        to = mail.get("to")
        if isinstance(to, str):
            to = [to]
        if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
            raise ConfigError("delivery.email.to: expected one or more e-mail addresses")
        host = get(mail, "delivery.email", "host", str, "").strip()
        sender = get(mail, "delivery.email", "sender", str, "").strip()
        if not host:
            raise ConfigError("delivery.email.host: required")
        if "@" not in sender:
            raise ConfigError("delivery.email.sender: expected an e-mail address")
        ca_file = get(mail, "delivery.email", "ca_file", str, "").strip()
        if ca_file and not os.path.isfile(ca_file):
            raise ConfigError(f"delivery.email.ca_file: no such file: {ca_file}")
        email = EmailConfig(
            host=host, to=tuple(to), sender=sender,
            port=get(mail, "delivery.email", "port", int, 587, minimum=1, maximum=65535),
            user=get(mail, "delivery.email", "user", str, "").strip(),
            password=get(mail, "delivery.email", "password", str, "").strip(),
            ca_file=ca_file,
            timeout=float(get(mail, "delivery.email", "timeout", (int, float), 20.0, minimum=1, maximum=MAX_TIMEOUT)),
        )
    base = float(get(table, "delivery", "retry_base", (int, float), 30.0, minimum=0.001, maximum=MAX_RETRY))
    return DeliveryConfig(webhook=webhook, email=email, retry_base=base,
                          retry_max=float(get(table, "delivery", "retry_max", (int, float), 3600.0, minimum=base,
                                              maximum=MAX_RETRY)))


def _webhook_url(url: str) -> str:
    """An https URL, or http to this machine only: requests carry names, phone numbers and the token."""
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
    except ValueError:  # e.g. "http://[::1" or a port that is not a number
        raise ConfigError("delivery.webhook.url: not a valid URL") from None
    if parts.scheme not in ("http", "https") or not host:
        raise ConfigError("delivery.webhook.url: expected an https URL")
    if parts.scheme == "http" and not is_loopback(host):
        raise ConfigError("delivery.webhook.url: must be https (http only to this machine: 127.0.0.1, ::1, "
                          "localhost); requests carry phone numbers and the token")
    return url


def is_loopback(host: str) -> bool:
    """localhost, 127.0.0.0/8 or ::1: http there never crosses a network."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
