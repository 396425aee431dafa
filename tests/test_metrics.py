"""Sizes are millimetres at the panel's density: the same on every panel, so a larger one shows more."""
import pytest

from kiosk import metrics


@pytest.mark.parametrize("size, dpi", [((800, 480), 132), ((1280, 800), 149), ((1920, 1080), 102), ((480, 800), 132)])
def test_targets_and_letters_have_the_same_millimetres_on_every_panel(size, dpi):
    sizes = metrics.measure(size, dpi)
    px_per_mm = dpi / 25.4
    assert sizes.target / px_per_mm == pytest.approx(15, abs=0.3)
    assert sizes.primary_target / px_per_mm == pytest.approx(20, abs=0.3)
    assert sizes.gap / px_per_mm == pytest.approx(3, abs=0.3)
    # a 26-unit title is 5.0 mm on each panel
    assert 26 * metrics.font_unit(sizes.u, 0) / px_per_mm == pytest.approx(26 / (132 / 25.4), rel=0.01)


def test_a_larger_panel_is_not_a_larger_layout():
    small, large = metrics.measure((800, 480), 132), metrics.measure((1920, 1080), 132)
    assert small.u == large.u == 1 and small.target == large.target


def test_the_seven_inch_panel_is_short_either_way_round_and_larger_panels_are_not():
    assert metrics.measure((800, 480), 132).short and metrics.measure((480, 800), 132).short
    assert metrics.measure((480, 800), 132).portrait and not metrics.measure((800, 480), 132).portrait
    assert not metrics.measure((1280, 800), 149).short and not metrics.measure((1920, 1080), 102).short


def test_text_sizes_grow_the_letters_only():
    assert [metrics.font_unit(1.0, step) for step in range(3)] == [1.0, 1.25, 1.5]
