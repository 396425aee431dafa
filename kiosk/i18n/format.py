"""Text for the screen: dates, times and sentences in the visitor's language (pure, no Kivy)."""
from __future__ import annotations

import datetime as dt

from sync.schedule.model import Occurrence
from kiosk.i18n.catalogues import gettext_for
from kiosk.i18n.datenames import names


def date_in_words(day: dt.date, lang: str) -> str:
    """'woensdag 13 maart': Babel's "EEEE d MMMM" (from its names, kiosk/i18n/datenames.py)."""
    words = names(lang)
    return f"{words['days'][day.weekday()]} {day.day} {words['months'][day.month - 1]}"


def clock(moment: dt.datetime, lang: str) -> str:
    """'09:30' (minute resolution): Babel's "HH:mm", the same digits in every language."""
    return f"{moment:%H:%M}"


def time_range(o: Occurrence, lang: str) -> str:
    _ = gettext_for(lang)
    if o.all_day:
        return _("All day")
    return f"{clock(o.start, lang)} – {clock(o.end, lang)}"


def when(o: Occurrence, lang: str) -> str:
    """'woensdag 13 maart, 10:00 – 12:00'."""
    return f"{date_in_words(o.start.date(), lang)}, {time_range(o, lang)}"


def next_opening(moment: dt.datetime | None, today: dt.date, lang: str) -> str:
    """The sentence on an empty day: when is the house open next? (None: nothing is planned.)"""
    _ = gettext_for(lang)
    if moment is None:
        return _("No activities are planned yet.")
    day = moment.date()
    if day == today + dt.timedelta(days=1):
        return _("Tomorrow we are open again from {time}.").format(time=clock(moment, lang))
    return _("We are open again on {day} from {time}.").format(
        day=date_in_words(day, lang), time=clock(moment, lang)
    )


def opening(moment: dt.datetime | None, now: dt.datetime, lang: str) -> str:
    """'Vandaag open vanaf 09:30' / 'Morgen open vanaf ...' / 'Open op donderdag 14 maart vanaf ...'."""
    _ = gettext_for(lang)
    if moment is None:
        return _("The next opening is not known yet.")
    day, today = moment.date(), now.date()
    if day == today:
        return _("Open today from {time}.").format(time=clock(moment, lang))
    if day == today + dt.timedelta(days=1):
        return _("Open tomorrow from {time}.").format(time=clock(moment, lang))
    return _("Open on {day} from {time}.").format(day=date_in_words(day, lang), time=clock(moment, lang))


def updated_at(moment: dt.datetime, now: dt.datetime, lang: str) -> str:
    """'Bijgewerkt om 07:00', or 'Bijgewerkt op dinsdag 26 maart om 07:00' when not today."""
    _ = gettext_for(lang)
    local = moment.astimezone(now.tzinfo)
    if local.date() == now.date():
        return _("Updated at {time}").format(time=clock(local, lang))
    return _("Updated on {day} at {time}").format(day=date_in_words(local.date(), lang), time=clock(local, lang))


def short_day(day: dt.date, lang: str) -> str:
    """'wo 13' (a bar chart's day): Babel's "EEEEEE d"."""
    return f"{names(lang)['short_days'][day.weekday()]} {day.day}"


def signup_until(closes: dt.datetime, now: dt.datetime, lang: str) -> str:
    """'Aanmelden kan tot 16:00' (today), or '... tot donderdag 28 maart 16:00'."""
    _ = gettext_for(lang)
    local = closes.astimezone(now.tzinfo)
    if local.date() == now.date():
        return _("You can sign up until {time}.").format(time=clock(local, lang))
    return _("You can sign up until {day} {time}.").format(day=date_in_words(local.date(), lang),
                                                           time=clock(local, lang))
