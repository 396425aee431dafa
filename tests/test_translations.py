"""Every text a visitor can see has a Dutch translation in the catalogue."""
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT

METHOD_MAP = [("kiosk/**.py", "python"), ("kiosk/**.kv", "python"),
              ("sync/clocktrust.py", "python"), ("sync/worker.py", "python"),
              ("sync/callback_config.py", "python")]


def extracted() -> set[str]:
    found = extract_from_dir(str(ROOT), METHOD_MAP, keywords={"t": None, "_": None, "N_": None})
    return {message for _file, _line, message, _comments, _context in found if isinstance(message, str)}


def test_every_message_has_a_dutch_translation():
    with (ROOT / "assets/locale/nl/LC_MESSAGES/wijkkiosk.po").open("rb") as fp:
        catalog = read_po(fp, locale="nl")
    messages = extracted()
    assert len(messages) > 10
    missing = sorted(m for m in messages if not (catalog.get(m) and catalog.get(m).string))
    assert missing == []


def test_placeholders_survive_translation():
    with (ROOT / "assets/locale/nl/LC_MESSAGES/wijkkiosk.po").open("rb") as fp:
        catalog = read_po(fp, locale="nl")
    import re
    for message in catalog:
        if message.id and message.string:
            assert set(re.findall(r"{\w+}", message.id)) == set(re.findall(r"{\w+}", message.string)), message.id


def test_texts_in_callback_and_admin_screens_are_found():
    messages = extracted()
    assert len(messages) > 60
    assert "Call me back" in messages or any("call" in m.lower() for m in messages)

