"""The programme screen's top: the language bar's rows, and the header's date line."""
import datetime as dt
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
pytest.importorskip("kivy.graphics")
from kiosk.screens.home import HomeScreen  # noqa: E402
from kiosk.widgets.toolbar import bar_columns  # noqa: E402


@pytest.mark.parametrize("width, count, columns", [
    (768, 6, 6),  # 800x480 at 132 dpi: six buttons of 112 px (the longest name and padding), 16 px apart
    (700, 6, 3),  # too narrow for six: two rows of three, not four and two
    (448, 6, 3),  # portrait 480x800
    (300, 6, 2),  # three rows of two
    (200, 6, 1),  # one under the other
    (768, 7, 4),  # a seventh language: rows of four and three
])
def test_the_bar_has_as_few_rows_as_fit_and_rows_as_even_as_can_be(width, count, columns):
    assert bar_columns(width, count, 112, 16) == columns


def test_the_bar_never_makes_a_button_smaller_than_asked():
    for count in range(1, 9):
        for width in range(100, 2000, 7):
            cols = bar_columns(width, count, 112, 16)
            assert cols == 1 or (width - (cols - 1) * 16) / cols >= 112, (count, width)
            assert cols == count or bar_columns(width + 500, count, 112, 16) >= cols


NOW = dt.datetime(2024, 3, 13, 10, 30, tzinfo=dt.timezone.utc)


def test_the_header_shows_the_house_or_how_old_the_programme_is():
    lines = HomeScreen.day_lines
    assert lines(NOW, "nl", "Ontmoetingskerk", "", 0) == "woensdag 13 maart\nOntmoetingskerk"
    assert lines(NOW, "nl", "Ontmoetingskerk", "", 2) == "woensdag 13 maart"  # larger text: the programme
    assert lines(NOW, "nl", "Ontmoetingskerk", "Bijgewerkt om 07:00", 2) == "woensdag 13 maart\nBijgewerkt om 07:00"
    assert lines(None, "nl", "Ontmoetingskerk", "", 0) == "Ontmoetingskerk"  # no trusted clock yet
    assert lines(NOW, "nl", "Ontmoetingskerk", "", 0, narrow=True) == "woensdag 13 maart"  # portrait: the programme
    assert lines(NOW, "nl", "Ontmoetingskerk", "Bijgewerkt om 07:00", 0, narrow=True).endswith("07:00")
