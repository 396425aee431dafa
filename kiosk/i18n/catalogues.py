"""Translations: gettext catalogues (.po) in assets/locale, compiled in memory at start."""
from __future__ import annotations

import functools
import gettext
import io

from babel.messages import mofile, pofile

from sync.config import ASSETS
from sync.texts import DEFAULT_LANGUAGE, LANGUAGES, RTL_LANGUAGES  # noqa: F401  (their owner; for kv and the kiosk)

LOCALE_DIR = ASSETS / "locale"
DOMAIN = "wijkkiosk"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang`; untranslated messages fall back to the msgid."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fp:
        catalog = pofile.read_po(fp, locale=lang)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str):
    return translations(lang).gettext


def t(message: str, lang: str) -> str:
    """`message` in `lang` (the extraction keyword `t`, as `app.t` in kv)."""
    return translations(lang).gettext(message)
