import os

import pytest

from tests.ui.screen import VirtualScreen, missing_programs


@pytest.fixture
def screen_factory(tmp_path):
    """Start a virtual screen of a given size; everything is stopped after the test."""
    missing = missing_programs()
    if missing:
        message = f"UI tests need {', '.join(missing)} (see README: apt-get install ...)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    screens = []

    def start(width: int, height: int) -> VirtualScreen:
        screen = VirtualScreen(width, height, tmp_path / f"{width}x{height}")
        (tmp_path / f"{width}x{height}").mkdir(exist_ok=True)
        screens.append(screen)
        return screen

    yield start
    for screen in screens:
        screen.stop()
    # every screen a test passed through: touch targets of 15 mm (20 for main actions), 3 mm apart, and
    # text that fits, at the test's window size and the default density (the official 7-inch panel)
    problems = [p for screen in screens for p in screen.layout_problems()]
    if problems:
        pytest.fail("layout problems:\n" + "\n".join(dict.fromkeys(problems)))
