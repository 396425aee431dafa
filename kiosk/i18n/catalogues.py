"""Translations: gettext catalogues (.po) in assets/locale, compiled when they change.

The compiled catalogue (.mo, not in git) is kept beside its .po and used while it is newer: compiling
at every start cost 15 ms and 1.3 MB before the first frame (babel's .po reader; docs/benchmarks.md).
"""
from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from sync.config import ASSETS
from kiosk.cachefiles import keep
from sync.texts import DEFAULT_LANGUAGE, LANGUAGES, RTL_LANGUAGES  # noqa: F401  (their owner; for kv and the kiosk)

LOCALE_DIR = ASSETS / "locale"
DOMAIN = "wijkkiosk"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalogue of `lang`; untranslated messages fall back to the msgid."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        return gettext.NullTranslations()
    return gettext.GNUTranslations(io.BytesIO(compiled(path, lang)))


def compiled(po: Path, lang: str) -> bytes:
    """The .mo bytes of `po`: the .mo beside it while that is newer, else compiled now and kept there
    for the next start (when the folder is writable; else compiled at every start)."""
    mo = po.with_suffix(".mo")
    try:
        if mo.stat().st_mtime_ns >= po.stat().st_mtime_ns:
            return mo.read_bytes()
    except OSError:
        pass
    from babel.messages import mofile, pofile

    with po.open("rb") as fp:
        catalog = pofile.read_po(fp, locale=lang)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    data = buffer.getvalue()
    keep(mo, data)
    return data


def gettext_for(lang: str):
    return translations(lang).gettext


def t(message: str, lang: str) -> str:
    """`message` in `lang` (the extraction keyword `t`, as `app.t` in kv)."""
    return translations(lang).gettext(message)


def tn(singular: str, plural: str, count: int, lang: str) -> str:
    """The form of `singular`/`plural` that `count` takes in `lang` (the extraction keyword `tn:1,2`)."""
    return translations(lang).ngettext(singular, plural, count)
