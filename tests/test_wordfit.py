"""A key's words: whether they fit two lines of its room, and a button's words broken in two."""
import os

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")

from kivy.core.text import Label as CoreLabel  # noqa: E402

from kiosk.widgets.wordfit import in_two_lines, words_fit  # noqa: E402


def width(text: str) -> float:
    return CoreLabel(font_size=18, bold=True).get_extents(text)[0]


def test_words_fit_in_two_lines_and_not_in_more():
    room = max(width("Hulp in"), width("de wijk")) + 1
    assert words_fit("Hulp in de wijk", room, 18)
    # every word fits, but four lines of them do not: the key shows its short words ("Hulp")
    assert not words_fit("Hulp in de wijk", width("Hulp") + 1, 18)
    assert words_fit("Hulp in de wijk", width("Hulp") + 1, 18, lines=4)


def test_a_word_wider_than_the_room_does_not_fit():
    assert not words_fit("vrijwilliger", width("vrijwilliger") - 1, 18)
    assert words_fit("vrijwilliger", width("vrijwilliger") + 1, 18, lines=1)
    assert words_fit("", 10, 18)


def test_a_button_breaks_its_words_at_the_space_nearest_the_middle():
    assert in_two_lines("Bel mij terug") == "Bel mij\nterug"
    assert in_two_lines("Call me back") == "Call me\nback"
    assert in_two_lines("Proszę o telefon") == "Proszę o\ntelefon"
    assert in_two_lines("Передзвоніть") == "Передзвоніть"  # one word: one line
