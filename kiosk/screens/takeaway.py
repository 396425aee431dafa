"""What a visitor takes home from the activity screen: the payload of its QR code (pure)."""
from __future__ import annotations

import datetime as dt

from sync.schedule.model import Occurrence


def qr_payload(o: Occurrence) -> str:
    """The activity's web page, or else the occurrence as an iCalendar event a phone can add."""
    if o.url:
        return o.url
    return vevent(o)


def vevent(o: Occurrence) -> str:
    """A minimal VEVENT (UTC times) that phone cameras offer to add to the calendar."""
    def utc(moment: dt.datetime) -> str:
        return moment.astimezone(dt.timezone.utc).strftime("%Y%m%dT%H%M%SZ")

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")

    lines = ["BEGIN:VEVENT", f"SUMMARY:{text(o.title)}"]
    if o.all_day:
        lines += [f"DTSTART;VALUE=DATE:{o.start:%Y%m%d}", f"DTEND;VALUE=DATE:{o.end:%Y%m%d}"]
    else:
        lines += [f"DTSTART:{utc(o.start)}", f"DTEND:{utc(o.end)}"]
    if o.location:
        lines.append(f"LOCATION:{text(o.location)}")
    lines.append("END:VEVENT")
    return "\n".join(lines)
