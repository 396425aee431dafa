"""What the QR code on the activity screen carries."""
from kiosk.screens.takeaway import qr_payload
from sync.schedule.model import Occurrence
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


def test_the_code_with_its_fixed_mask_reads_back(tmp_path):
    """The matrix (one fixed mask, kiosk.widgets.common.MASK_PATTERN) as an image, read by zbarimg."""
    import os
    import shutil
    import subprocess
    import tempfile

    import pytest

    if shutil.which("zbarimg") is None:
        pytest.skip("needs zbarimg (zbar-tools)")
    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
    widgets = pytest.importorskip("kiosk.widgets.common")
    for payload in (qr_payload(Occurrence("s", "u", "Inloop: koffie, praatje", local(2024, 3, 13, 9, 30),
                                          local(2024, 3, 13, 12), location="Ontmoetingsruimte")),
                    "https://x.example/kookhuis?week=12"):
        matrix = widgets.qr_matrix(payload)
        quiet, scale = widgets.QUIET_ZONE, 6
        side = len(matrix) + 2 * quiet
        dark = [[False] * side for _ in range(quiet)]
        dark += [[False] * quiet + row + [False] * quiet for row in matrix]
        dark += [[False] * side for _ in range(quiet)]
        lines = [" ".join("1" if cell else "0" for cell in row for _ in range(scale)) for row in dark for _ in range(scale)]
        image = tmp_path / "code.pbm"
        image.write_text(f"P1\n{side * scale} {side * scale}\n" + "\n".join(lines) + "\n")
        read = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
                              capture_output=True, text=True, timeout=30)
        assert read.stdout.rstrip("\n") == payload


def test_an_address_too_long_to_scan_becomes_the_event_within_the_limit():
    from kiosk.screens.takeaway import MAX_QR_BYTES

    o = Occurrence("s", "u", "Kookhuis", local(2024, 3, 28, 17, 30), local(2024, 3, 28, 20),
                   url="https://x.example/" + "a" * 2400)
    payload = qr_payload(o)
    assert payload.startswith("BEGIN:VEVENT") and "SUMMARY:Kookhuis" in payload
    assert len(payload.encode("utf-8")) <= MAX_QR_BYTES


def test_a_huge_title_and_place_are_cut_to_fit_whole_characters_and_escapes():
    from kiosk.screens.takeaway import MAX_QR_BYTES

    for title in ("Ж" * 100_000, "a,b;" * 30_000, "\\" * 5_000, "x" * 5_000):
        o = Occurrence("s", "u", title, local(2024, 3, 13, 9, 30), local(2024, 3, 13, 12), location="Zaal " * 500)
        payload = qr_payload(o)
        assert len(payload.encode("utf-8")) <= MAX_QR_BYTES, title[:10]
        lines = dict(line.split(":", 1) for line in payload.splitlines())
        assert lines["SUMMARY"].endswith("…") and lines["LOCATION"].endswith("…")
        assert len(lines["SUMMARY"]) > len(lines["LOCATION"]) > 20  # the title gets the larger part
        body = lines["SUMMARY"][:-1]
        assert (len(body) - len(body.rstrip("\\"))) % 2 == 0  # no escape cut in half
        assert "DTSTART:20240313T083000Z" in payload


def test_data_that_fits_no_qr_code_draws_none_instead_of_failing():
    import os
    import tempfile

    import pytest

    os.environ.setdefault("KIVY_NO_ARGS", "1")
    os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
    widgets = pytest.importorskip("kiosk.widgets.common")
    assert widgets.qr_matrix("a" * 5_000) is None
    assert len(widgets.qr_matrix("a" * 400)) == 77  # version 15
