"""What a callback request or sign-up looks like to the volunteers (pure): the webhook's JSON body, the e-mail.

Both are documented in docs/callback.md. Texts are in Dutch, for the volunteers.
"""
from __future__ import annotations

import datetime as dt
import email.utils
from email.message import EmailMessage

from sync.callback import outbox
from sync.callback.outbox import CallbackRequest
from sync.callback.phone import national

PAYLOAD_VERSION = 2  # 2: "kind" and, for a sign-up, "signup" (a sign-up's phone may be empty)
MOMENT_NL = {outbox.MORNING: "ochtend", outbox.AFTERNOON: "middag", outbox.EVENING: "avond",
             outbox.ANY: "maakt niet uit"}  # one for each of outbox.MOMENTS
DAYS_NL = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
MONTHS_NL = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september",
             "oktober", "november", "december")


def payload(request: CallbackRequest, house: str, tz: dt.tzinfo) -> dict:
    """The JSON body of the webhook (documented in docs/callback.md)."""
    body = {
        "version": PAYLOAD_VERSION,
        "kind": request.kind,
        "id": request.id,
        "created": request.created.astimezone(tz).isoformat(timespec="seconds"),
        "house": house,
        "topic": request.topic,
        "phone": request.phone,
        "phone_national": national(request.phone) if request.phone else "",
        "name": request.name or None,
        "moment": request.moment,
        "note": request.note or None,
    }
    if request.is_signup:
        body["signup"] = {"activity": request.topic,
                          "start": request.activity_start.astimezone(tz).isoformat(timespec="seconds"),
                          "people": request.people, "key": request.activity_key}
    return body


def dutch_moment(moment: dt.datetime, year: bool = False) -> str:
    """'vrijdag 5 april 18:00', with `year` 'vrijdag 5 april 2024 18:00' (the volunteers read Dutch)."""
    day = f"{DAYS_NL[moment.weekday()]} {moment.day} {MONTHS_NL[moment.month - 1]}"
    return f"{day} {moment.year} {moment:%H:%M}" if year else f"{day} {moment:%H:%M}"


def people_nl(count: int) -> str:
    return "1 persoon" if count == 1 else f"{count} personen"


def message(request: CallbackRequest, house: str, tz: dt.tzinfo, sender: str, to: tuple[str, ...]) -> EmailMessage:
    """The e-mail to the coordinators (plain Dutch text; documented in docs/callback.md)."""
    created = request.created.astimezone(tz)
    mail = EmailMessage()
    if request.is_signup:
        start = request.activity_start.astimezone(tz)
        mail["Subject"] = f"Aanmelding: {request.topic}, {dutch_moment(start)} — {people_nl(request.people)}"
    else:
        mail["Subject"] = f"Terugbelverzoek: {request.topic} ({house})"
    mail["From"] = sender
    mail["To"] = ", ".join(to)
    mail["Date"] = email.utils.format_datetime(created)
    mail["Message-ID"] = f"<{request.id}@wijkkiosk>"  # the same on every retry: a mail client can dedup
    mail["X-Wijkkiosk-Request"] = request.id
    mail["X-Wijkkiosk-Kind"] = request.kind
    lines = _signup_lines(request, house, created, tz) if request.is_signup else _callback_lines(request, house, created)
    mail.set_content("\n".join(lines) + "\n")
    return mail


def _callback_lines(request: CallbackRequest, house: str, created: dt.datetime) -> list[str]:
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
    return lines


def _signup_lines(request: CallbackRequest, house: str, created: dt.datetime, tz: dt.tzinfo) -> list[str]:
    start = request.activity_start.astimezone(tz)
    phone = f"{national(request.phone)}  ({request.phone})" if request.phone else "(niet opgegeven)"
    lines = [
        "Iemand meldde zich bij de kiosk aan voor een activiteit.",
        "",
        f"Activiteit: {request.topic}",
        f"Wanneer:    {dutch_moment(start, year=True)}",
        f"Personen:   {request.people}",
        f"Naam:       {request.name}",
        f"Telefoon:   {phone}",
    ]
    if request.note:
        lines.append(f"Opmerking:  {request.note}")
    lines += [
        f"Aangemeld:  {created:%d-%m-%Y %H:%M}",
        f"Huis:       {house}",
        "",
        f"Kenmerk: {request.id}",
        "De kiosk heeft naam en nummer na verzending gewist." if request.phone
        else "De kiosk heeft de naam na verzending gewist.",
    ]
    return lines
