"""Translations: gettext catalogues (.po) in assets/locale, compiled in memory at start."""
from __future__ import annotations

import functools
import gettext
import io

from babel.messages import mofile, pofile

from sync.config import ASSETS

LOCALE_DIR = ASSETS / "locale"
DOMAIN = "wijkkiosk"
DEFAULT_LANGUAGE = "nl"
# the languages of the language bar, in its order, each with its own name for itself
LANGUAGES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
}
RTL_LANGUAGES = frozenset({"ar"})


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
