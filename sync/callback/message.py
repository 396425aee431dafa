"""What a callback request looks like to the volunteers (pure): the webhook's JSON body, the e-mail.

Both are documented in docs/callback.md. Texts are in Dutch, for the volunteers.
"""
from __future__ import annotations

import datetime as dt
import email.utils
from email.message import EmailMessage

from sync.callback import outbox
from sync.callback.outbox import CallbackRequest
from sync.callback.phone import national

PAYLOAD_VERSION = 1
MOMENT_NL = {outbox.MORNING: "ochtend", outbox.AFTERNOON: "middag", outbox.EVENING: "avond",
             outbox.ANY: "maakt niet uit"}  # one for each of outbox.MOMENTS


def payload(request: CallbackRequest, house: str, tz: dt.tzinfo) -> dict:
    """The JSON body of the webhook (documented in docs/callback.md)."""
    return {
        "version": PAYLOAD_VERSION,
        "id": request.id,
        "created": request.created.astimezone(tz).isoformat(timespec="seconds"),
        "house": house,
        "topic": request.topic,
        "phone": request.phone,
        "phone_national": national(request.phone),
        "name": request.name or None,
        "moment": request.moment,
        "note": request.note or None,
    }


def message(request: CallbackRequest, house: str, tz: dt.tzinfo, sender: str, to: tuple[str, ...]) -> EmailMessage:
    """The e-mail to the coordinators (plain Dutch text; documented in docs/callback.md)."""
    created = request.created.astimezone(tz)
    mail = EmailMessage()
    mail["Subject"] = f"Terugbelverzoek: {request.topic} ({house})"
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = email.utils.format_datetime(created)
    mail["Message-ID"] = f"<{request.id}@wijkkiosk>"  # the same on every retry: a mail client can dedup
    mail["X-Wijkkiosk-Request"] = request.id
    lines = [
        "Iemand vroeg bij de kiosk om teruggebeld te worden.",
        "",
        f"Telefoon:  {national(request.phone)}  ({request.phone})",
        f"Naam:      {request.name or '(niet opgegeven)'}",
        f"Onderwerp: {request.topic}",
        f"Liefst:    {MOMENT_NL.get(request.moment, request.moment)}",
    ]
    if request.note:
        lines.append(f"Bij:       {request.note}")
    lines += [
        f"Gevraagd:  {created:%d-%m-%Y %H:%M}",
        f"Huis:      {house}",
        "",
        f"Kenmerk: {request.id}",
        "De kiosk heeft het nummer na verzending gewist.",
    ]
    mail.set_content("\n".join(lines) + "\n")
    return mail
