"""Every text the screens show has a Dutch translation."""
import re

import pytest

from kiosk.i18n import gettext_for
from tests.conftest import ROOT

SOURCES = sorted((ROOT / "kiosk").glob("*.kv")) + sorted((ROOT / "kiosk").glob("*.py"))
MSGID = re.compile(r'\b(?:app\.t|self\.app\.t|t|N_)\(\s*"((?:[^"\\]|\\.)+)"')


def msgids() -> list[str]:
    found = set()
    for path in SOURCES:
        text = path.read_text()
        # implicit concatenation of adjacent string literals inside a call
        text = re.sub(r'"\s*\n\s*"', "", text)
        found.update(m.encode().decode("unicode_escape") if "\\" in m else m for m in MSGID.findall(text))
    return sorted(found)


def test_the_sources_have_texts():
    assert len(msgids()) > 40


@pytest.mark.parametrize("msgid", msgids())
def test_dutch_translation_exists(msgid):
    assert gettext_for("nl")(msgid) != msgid
