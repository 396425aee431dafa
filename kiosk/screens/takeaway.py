"""What a visitor takes home from the activity screen: the payload of its QR code (pure).

A payload is at most MAX_QR_BYTES, so that the code stays small enough to scan from the panel (version 15,
77 modules, at error correction M): an activity's web page when its address fits, else the occurrence as
an iCalendar event a phone can add, its title and place cut to fit.
"""
from __future__ import annotations

import datetime as dt

from sync.schedule.model import Occurrence

MAX_QR_BYTES = 400  # fits QR version 15 at error correction M (412 bytes)


def qr_payload(o: Occurrence) -> str:
    """The activity's web page, or else the occurrence as an iCalendar event a phone can add."""
    if o.url and len(o.url.encode("utf-8")) <= MAX_QR_BYTES:
        return o.url
    return vevent(o)


def vevent(o: Occurrence, budget: int = MAX_QR_BYTES) -> str:
    """A minimal VEVENT (UTC times) that phone cameras offer to add to the calendar, within `budget` bytes."""
    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    if o.all_day:
        times = [f"DTSTART;VALUE=DATE:{o.start:%Y%m%d}", f"DTEND;VALUE=DATE:{o.end:%Y%m%d}"]
    else:
        times = [f"DTSTART:{utc(o.start)}", f"DTEND:{utc(o.end)}"]
    fixed = ["BEGIN:VEVENT", "SUMMARY:", *times, "END:VEVENT"] + (["LOCATION:"] if o.location else [])
    room = budget - len("\n".join(fixed).encode("utf-8"))
    location = _fit(o.location, room // 3) if o.location else ""  # the title first: up to 2/3 of the room
    summary = _fit(o.title, room - len(location.encode("utf-8")))
    lines = ["BEGIN:VEVENT", f"SUMMARY:{summary}", *times]
    if location:
        lines.append(f"LOCATION:{location}")
    lines.append("END:VEVENT")
    return "\n".join(lines)


def _escaped(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fit(value: str, room: int) -> str:
    """`value` escaped for iCalendar, cut (with "…") to at most `room` bytes of UTF-8."""
    text = _escaped(value)
    if len(text.encode("utf-8")) <= room:
        return text
    ellipsis = "…"
    cut = text.encode("utf-8")[:max(0, room - len(ellipsis.encode("utf-8")))].decode("utf-8", "ignore")
    if (len(cut) - len(cut.rstrip("\\"))) % 2:
        cut = cut[:-1]  # never half an escape
    return cut + ellipsis if cut else ""
