"""The line icons (kiosk.widgets.icons): every kind the screens and the configuration name can be drawn."""
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
pytest.importorskip("kivy.graphics")
from sync.offer.model import DEFAULT_HELP_ICON, HELP_ICONS  # noqa: E402
from kiosk.widgets.icons import KINDS, Icon  # noqa: E402
from sync.callback.config import DEFAULT_TOPIC_ICON, TOPIC_ICONS  # noqa: E402


@pytest.mark.parametrize("kind", KINDS)
def test_every_kind_draws_inside_its_square(kind):
    icon = Icon(kind=kind, pos=(100, 50), size=(80, 48))  # not square: the icon is the centred 48x48
    lines = [i for i in icon.canvas.children if getattr(i, "points", None)]
    assert len(icon.canvas.children) > 1
    xs = [x for line in lines for x in line.points[0::2]]
    ys = [y for line in lines for y in line.points[1::2]]
    if xs:  # drawn with lines (not only shapes): they stay inside the square
        assert 116 - 1 <= min(xs) and max(xs) <= 164 + 1
        assert 50 - 1 <= min(ys) and max(ys) <= 98 + 1


def test_no_kind_draws_nothing():
    assert len(Icon(kind="", size=(48, 48)).canvas.children) == 0


def test_every_icon_a_topic_may_name_exists():
    assert set(TOPIC_ICONS) <= set(KINDS) and DEFAULT_TOPIC_ICON in TOPIC_ICONS


def test_every_icon_a_help_tile_may_name_exists():
    assert set(HELP_ICONS) <= set(KINDS) and DEFAULT_HELP_ICON in HELP_ICONS
