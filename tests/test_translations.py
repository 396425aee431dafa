"""Every text a visitor can see is translated into every language of the language bar."""
import functools
import re
import string

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from kiosk.i18n.catalogues import DOMAIN, LANGUAGES, LOCALE_DIR, translations
from tests.conftest import ROOT

# the same map and keywords as the pybabel commands in docs/translations.md (assets/locale/babel.cfg)
METHOD_MAP = [("kiosk/**.py", "python"), ("kiosk/**.kv", "python"),
              ("sync/device/clocktrust.py", "python"),
              ("sync/callback/config.py", "python")]
KEYWORDS = {"t": None, "_": None, "N_": None, "tn": (1, 2)}
HOW_TO = "see docs/translations.md"


@functools.cache
def extracted() -> frozenset[str]:
    found = extract_from_dir(str(ROOT), METHOD_MAP, keywords=KEYWORDS)
    # a plural message (tn) is known by its singular, as babel's catalogues key it
    return frozenset(singular(message) for _file, _line, message, _comments, _context in found)


def singular(msgid: str | tuple) -> str:
    return msgid if isinstance(msgid, str) else msgid[0]


def catalogue(lang: str):
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    assert path.exists(), f"no catalogue for {lang}: {HOW_TO}"
    with path.open("rb") as fp:
        return read_po(fp, locale=lang)


def placeholders(text: str) -> list[tuple]:
    """The {fields} of a str.format template, with conversion and format spec, in a stable order."""
    return sorted((field, conversion or "", spec or "")
                  for _literal, field, spec, conversion in string.Formatter().parse(text) if field is not None)


def test_every_message_has_a_dutch_translation():
    catalog = catalogue("nl")
    messages = extracted()
    assert len(messages) > 10
    missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []


def test_placeholders_survive_translation():
    catalog = catalogue("nl")
    for message in catalog:
        if message.id and message.string:
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            assert {f for i in ids for f in re.findall(r"{\w+}", i)} == \
                {f for s in strings for f in re.findall(r"{\w+}", s)}, message.id


def test_texts_in_callback_and_admin_screens_are_found():
    messages = extracted()
    assert len(messages) > 60
    assert "Call me back" in messages or any("call" in m.lower() for m in messages)


def test_template_is_up_to_date():
    with (LOCALE_DIR / f"{DOMAIN}.pot").open("rb") as fp:
        template = {singular(message.id) for message in read_po(fp) if message.id}
    assert sorted(extracted() - template) == [], f"new messages are not in the template: {HOW_TO}"
    assert sorted(template - extracted()) == [], f"the template has messages the code no longer uses: {HOW_TO}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_is_translated(lang):
    catalog = catalogue(lang)
    problems = []
    for msgid in sorted(extracted()):
        message = catalog.get(msgid)
        forms = message.string if message and isinstance(message.string, tuple) else (message and message.string,)
        if message is None:
            problems.append(("missing", msgid))
        elif not all(form and form.strip() for form in forms):
            problems.append(("empty", msgid))
        elif message.fuzzy:
            problems.append(("fuzzy", msgid))
    assert problems == [], f"{lang}: {HOW_TO}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_placeholders_are_identical(lang):
    wrong = []
    for message in catalogue(lang):
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        try:
            if any(placeholders(s) != placeholders(ids[-1]) for s in strings):
                wrong.append(ids[0])
        except ValueError as error:  # a lone { or }
            wrong.append(f"{ids[0]} ({error})")
    assert wrong == []


@pytest.mark.parametrize("lang", LANGUAGES)
def test_catalogue_header_names_the_language_and_its_plural_forms(lang):
    catalog = catalogue(lang)
    assert catalog.mime_headers and dict(catalog.mime_headers)["Language"] == lang
    assert catalog.plural_forms == get_plural(lang).plural_forms


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_kiosk_shows_the_catalogue(lang):
    """kiosk.i18n.catalogues compiles the .po in memory: every translation in it reaches the screen."""
    gettext = translations(lang).gettext
    lost = [m.id for m in catalogue(lang) if m.id and isinstance(m.id, str) and m.string and not m.fuzzy
            and gettext(m.id) != m.string]
    assert lost == []


def test_default_topics_are_shown_in_dutch_exactly_as_configured():
    """A default topic shows in the visitor's language; in Dutch it is the configured text itself."""
    pytest.importorskip("kivy")
    from kiosk.screens.callback import DEFAULT_TOPIC_TEXTS
    from sync.callback.config import DEFAULT_TOPICS
    from sync.offer.model import VOLUNTEER_TOPIC

    topics = {*DEFAULT_TOPICS, VOLUNTEER_TOPIC}  # "Word vrijwilliger" asks with a topic of its own
    assert set(DEFAULT_TOPIC_TEXTS) == topics
    dutch = translations("nl").gettext
    assert {topic: dutch(msgid) for topic, msgid in DEFAULT_TOPIC_TEXTS.items()} == {t: t for t in topics}
    arabic = translations("ar").gettext
    assert all(arabic(msgid) not in topics for msgid in DEFAULT_TOPIC_TEXTS.values())


def test_every_language_has_a_catalogue_and_a_voice_and_may_name_a_topic():
    from kiosk.a11y.speech import ESPEAK_VOICES
    from sync.callback.config import TOPIC_LANGUAGES
    from sync.texts import DEFAULT_LANGUAGE, LANGUAGES
    assert all((LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").exists() for lang in LANGUAGES)
    assert set(ESPEAK_VOICES) == set(LANGUAGES)
    assert set(TOPIC_LANGUAGES) == set(LANGUAGES) - {DEFAULT_LANGUAGE}
