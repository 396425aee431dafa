"""What the QR code on the activity screen carries."""
from kiosk.takeaway import qr_payload
from sync.model import Occurrence
from tests.conftest import local


def test_url_when_the_activity_has_one():
    o = Occurrence("s", "u", "Kookhuis", local(2024, 3, 28, 17, 30), local(2024, 3, 28, 20), url="https://x.example/k")
    assert qr_payload(o) == "https://x.example/k"


def test_else_an_icalendar_event_in_utc():
    o = Occurrence("s", "u", "Inloop: koffie, praatje", local(2024, 3, 13, 9, 30), local(2024, 3, 13, 12),
                   location="Ontmoetingsruimte")
    assert qr_payload(o).splitlines() == [
        "BEGIN:VEVENT",
        "SUMMARY:Inloop: koffie\\, praatje",
        "DTSTART:20240313T083000Z",
        "DTEND:20240313T110000Z",
        "LOCATION:Ontmoetingsruimte",
        "END:VEVENT",
    ]
