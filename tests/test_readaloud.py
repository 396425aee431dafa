"""Read aloud, the text: reading order, sentences, no phone numbers; on real Kivy widgets (in their own
process, tests/readaloud_screen.py), private widgets are skipped and the engine gets only the rest."""
import json
import os
import shutil
import subprocess
import wave

import pytest

from kiosk.a11y.readaloud import Piece, plain_text, reading_rows, sentences, without_phone_numbers
from tests.conftest import PYTHON, ROOT
from tests.readaloud_screen import PRIVATE


def texts(rows):
    return [[piece.text for piece in row] for row in rows]


def test_rows_top_to_bottom_then_left_to_right():
    pieces = [
        Piece("Bingo", 200, 300, 500, 350), Piece("14:00", 10, 310, 150, 340),  # a row, different heights
        Piece("Programma", 10, 420, 790, 470),
        Piece("Terug", 10, 10, 390, 60), Piece("Voorlezen", 410, 10, 790, 60),
        Piece("Koffie", 200, 360, 500, 410), Piece("10:00", 10, 370, 150, 400),
    ]
    assert texts(reading_rows(pieces)) == [["Programma"], ["10:00", "Koffie"], ["14:00", "Bingo"],
                                           ["Terug", "Voorlezen"]]
    assert texts(reading_rows(pieces, rtl=True)) == [["Programma"], ["Koffie", "10:00"], ["Bingo", "14:00"],
                                                     ["Voorlezen", "Terug"]]


def test_a_tall_piece_beside_a_column_reads_before_it():
    pieces = [Piece("Links", 0, 0, 100, 300), Piece("Een", 100, 200, 300, 300), Piece("Twee", 100, 100, 300, 200)]
    assert texts(reading_rows(pieces)) == [["Links", "Een", "Twee"]]


def test_each_row_is_a_sentence():
    rows = [["Programma van vandaag"], ["10:00 – 12:00", "Koffieochtend", "Grote zaal"],
            ["Vragen?", "Bel ons"], ["Tijd:", "10:00\nZaal 2"], ["   "]]
    assert sentences(rows, "nl") == ("Programma van vandaag.\n10:00 – 12:00, Koffieochtend, Grote zaal.\n"
                                     "Vragen? Bel ons.\nTijd: 10:00, Zaal 2.")
    assert sentences([["صباح القهوة", "Grote zaal"], ["أسئلة؟"]], "ar") == "صباح القهوة، Grote zaal.\nأسئلة؟"


@pytest.mark.parametrize("text, expected", [
    ("Bel 06-12345678 of 078 123 4567.", "Bel of."),
    ("Uw nummer, +31 6 12345678, klopt dat?", "Uw nummer, klopt dat?"),
    ("Nummer: 0031612345678\nNaam", "Nummer:\nNaam"),
    ("10:00 – 12:00, Zaal 2, 13-03-2024, 2 euro, Lied 112.", "10:00 – 12:00, Zaal 2, 13-03-2024, 2 euro, Lied 112."),
])
def test_phone_numbers_are_removed(text, expected):
    assert without_phone_numbers(text) == expected


def test_markup_and_icon_glyphs_are_not_read():
    assert plain_text("[b]Vandaag[/b] [color=#ff0000]open[/color] &bl;1&br;", markup=True) == "Vandaag open [1]"
    assert plain_text("[b]as typed[/b]") == "[b]as typed[/b]"
    assert plain_text("\ue5c4 Terug") == " Terug"


# -- real Kivy widgets, in their own process --------------------------------------------------------

EXPECTED = {
    "nl": "Programma van vandaag.\n10:00 – 12:00, Koffieochtend, Grote zaal.\n14:00 – 16:00, Bingo, Zaal 2.\n"
          "Vragen? Bel ons op of kom langs.\nAvondwandeling.\nTerug, Bel mij terug.",
    "ar": "برنامج اليوم.\n10:00 – 12:00، صباح القهوة، Grote zaal.\n14:00 – 16:00، بينغو، Zaal 2.\n"
          "أسئلة؟ اتصل بنا على أو تعال إلينا.\nنزهة مسائية.\nرجوع، اتصلوا بي.",
}


@pytest.fixture(scope="module")
def screens(tmp_path_factory):
    """Each language's screen, collected and spoken (to a WAV file) by tests/readaloud_screen.py."""
    results = {}
    for lang in EXPECTED:
        out = tmp_path_factory.mktemp(f"readaloud-{lang}") / "screen.wav"
        env = dict(os.environ, SDL_VIDEODRIVER="offscreen", WIJKKIOSK_SPEECH_WAV=str(out))
        result = subprocess.run([PYTHON, "-m", "tests.readaloud_screen", lang], cwd=ROOT, env=env,
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stdout + result.stderr
        results[lang] = (json.loads(result.stdout.strip().splitlines()[-1]), out)
    return results


@pytest.mark.parametrize("lang", EXPECTED)
def test_the_screen_is_read_in_order_without_hidden_or_private_widgets(screens, lang):
    output, _wav = screens[lang]
    assert output["window"] == [800, 480]
    assert output["text"] == EXPECTED[lang]
    for hidden in (*PRIVATE, "Verborgen", "Uitgeschakeld", "Nul", "Buiten beeld", "Onzichtbaar", "4567"):
        assert hidden not in output["text"]


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (Debian package espeak-ng)")
@pytest.mark.parametrize("lang", EXPECTED)
def test_the_engine_speaks_that_text_and_nothing_private(screens, lang):
    output, wav = screens[lang]
    assert output["engine"] == "espeak-ng"
    handed = wav.with_name(wav.name + ".txt").read_text(encoding="utf-8")
    assert handed == output["text"]
    assert not any(private in handed for private in PRIVATE) and "078 123 4567" not in handed
    assert wav.read_bytes()[:4] == b"RIFF"
    with wave.open(str(wav)) as audio:
        assert audio.getnframes() / audio.getframerate() > 0.5
