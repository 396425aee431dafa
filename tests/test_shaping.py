"""Arabic on screen: joined letters, right-to-left lines, mirrored brackets; Latin text left alone."""
import os

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kiosk.i18n.shaping import mirrored, needs_shaping, shaped, visual  # noqa: E402

BACK = "رجوع"  # "back"


def test_arabic_letters_are_joined():
    # isolated letters (U+06xx) become their joined presentation forms (U+FExx)
    assert all("\u0600" <= c <= "\u06ff" for c in BACK)
    assert all("\ufe70" <= c <= "\ufeff" for c in shaped(BACK))


def test_a_line_is_drawn_right_to_left_with_latin_names_and_times_in_their_own_order():
    line = visual("المكان: Grote zaal 17:30", True)
    assert line.startswith("Grote zaal 17:30 :")  # the Latin run and the time keep their order...
    assert line.endswith(shaped("المكان")[::-1])  # ...and the Arabic word is reversed, at the right


def test_brackets_and_chevrons_are_mirrored_in_right_to_left_runs_only():
    assert visual("‹ " + BACK, True).endswith("›")
    assert visual("(" + BACK + ") Kookhuis (17:30)", True) == "(17:30) Kookhuis (" + shaped(BACK)[::-1] + ")"
    assert mirrored("Kookhuis (nl)", True) == "Kookhuis (nl)"  # between Latin letters: unchanged


def test_text_without_right_to_left_letters_keeps_its_order():
    for text in ("Loop binnen voor een kop koffie?", "09:30 – 12:00", "‹  Terug"):
        assert not needs_shaping(text)
        assert visual(text, True) == text and visual(text, False) == text
