"""The names the screen's dates need (days and months per language), taken from Babel (CLDR) and kept.

Babel's data for one language is about 4 MB of Python objects once loaded, and Babel itself 1.5 MB
more: a sixth of the kiosk's memory above a bare Kivy window, for 26 names. So the names are taken from
Babel when they are first needed and kept in `wijkkiosk-dates.json` beside the language's catalogue
(not in git),
while Babel's data file for that language is unchanged; the next start reads that small file and never
loads Babel. tests/test_format.py checks the dates made from them against Babel's own for every day of
a year in every language.
"""
from __future__ import annotations

import datetime as dt
import functools
import importlib.util
import json
from pathlib import Path

from kiosk.cachefiles import keep
from kiosk.i18n.catalogues import DOMAIN, LOCALE_DIR

MONDAY = dt.date(2024, 1, 1)  # Babel's patterns: E weekday and M month in the format context


@functools.cache
def names(lang: str) -> dict:
    """{"days": 7 wide weekday names from Monday, "short_days": 7 short ones, "months": 12 wide month
    names}: from the kept file while it matches Babel's data, else from Babel (and kept for next time)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}-dates.json"
    key = _babel_data_key(lang)
    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = None
    if _whole(kept) and kept["babel"] == key:
        return kept
    made = _from_babel(lang, key)
    keep(path, json.dumps(made, ensure_ascii=False).encode("utf-8"))  # read-only: from Babel at every start
    return made


def _whole(kept) -> bool:
    """A kept file that says which data it came from and has every name (not damaged or cut)."""
    return (isinstance(kept, dict) and isinstance(kept.get("babel"), str)
            and all(isinstance(kept.get(field), list) and len(kept[field]) == count
                    and all(isinstance(name, str) and name for name in kept[field])
                    for field, count in (("days", 7), ("short_days", 7), ("months", 12))))


def _babel_data_key(lang: str) -> str:
    """Which Babel data the names came from: its file for `lang` (size and time), found without importing."""
    spec = importlib.util.find_spec("babel")
    data = Path(spec.origin).parent / "locale-data" / f"{lang}.dat"
    try:
        stat = data.stat()
    except OSError:
        return ""
    return f"{data}:{stat.st_size}:{stat.st_mtime_ns}"


def _from_babel(lang: str, key: str) -> dict:
    from babel.dates import format_date

    week = [MONDAY + dt.timedelta(days=i) for i in range(7)]
    return {
        "babel": key,
        "days": [format_date(day, "EEEE", locale=lang) for day in week],
        "short_days": [format_date(day, "EEEEEE", locale=lang) for day in week],
        "months": [format_date(dt.date(2024, month, 1), "MMMM", locale=lang) for month in range(1, 13)],
    }
