"""The programme screen's top: the language bar's rows, and the header's date line."""
import datetime as dt
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
pytest.importorskip("kivy.graphics")
from kiosk.home import HomeScreen  # noqa: E402
from kiosk.toolbar import bar_columns  # noqa: E402


@pytest.mark.parametrize("width, columns", [
    (768, 6),  # 800x480 at 132 dpi: six buttons of 112 px (Nederlands) fit, 16 px apart
    (700, 3),  # too narrow for six: two rows of three
    (448, 3),  # portrait 480x800
    (300, 2),  # three rows of two
    (200, 1),  # one under the other, never narrower than the smallest
])
def test_the_bar_has_as_many_columns_as_fit_with_full_rows(width, columns):
    assert bar_columns(width, 6, 112, 16) == columns


def test_the_bar_never_makes_a_button_smaller_than_asked():
    for width in range(100, 2000, 7):
        cols = bar_columns(width, 6, 112, 16)
        assert cols == 1 or (width - (cols - 1) * 16) / cols >= 112
        assert 6 % cols == 0


NOW = dt.datetime(2024, 3, 13, 10, 30, tzinfo=dt.timezone.utc)


def test_the_header_shows_the_house_or_how_old_the_programme_is():
    lines = HomeScreen.day_lines
    assert lines(NOW, "nl", "Ontmoetingskerk", "", 0) == "woensdag 13 maart\nOntmoetingskerk"
    assert lines(NOW, "nl", "Ontmoetingskerk", "", 2) == "woensdag 13 maart"  # larger text: the programme
    assert lines(NOW, "nl", "Ontmoetingskerk", "Bijgewerkt om 07:00", 2) == "woensdag 13 maart\nBijgewerkt om 07:00"
    assert lines(None, "nl", "Ontmoetingskerk", "", 0) == "Ontmoetingskerk"  # no trusted clock yet
