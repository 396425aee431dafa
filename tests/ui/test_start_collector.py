"""main.py keeps the garbage collector off while the kiosk starts; it must come on again after the first
frame, with activities or without, and at once for the commands."""
import gc
import subprocess

import pytest

from kiosk import cli
from tests.conftest import DEMO_FEED, PYTHON, ROOT


@pytest.mark.parametrize("date, first", [
    ("2024-03-13", "first programme frame drawn"),  # the busy Wednesday: rows
    ("2024-03-17", "probe: on"),  # a Sunday without activities: the resting screen is the first frame
])
def test_the_kiosk_collects_again_after_its_first_frame(screen_factory, tmp_path, date, first):
    screen = screen_factory(800, 480)
    screen.start_app("--db", str(tmp_path / "k.db"), "--date", date, "--time", "10:30",
                     env={"WIJKKIOSK_PROBE": "1"})
    screen.wait_log(first)
    screen.wait_log("probe: garbage collector on")
    assert "probe: garbage collector off" not in screen.log.read_text()
    assert screen.alive()


def test_the_commands_collect_from_the_start(capsys):
    gc.disable()  # as main.py leaves it
    try:
        assert cli.main(["programme", "--feed", str(DEMO_FEED), "--date", "2024-03-13"]) == 0
        assert gc.isenabled()
    finally:
        gc.enable()
    assert "Open huis met spreker" in capsys.readouterr().out


def test_a_multiprocessing_child_of_main_py_collects():
    # spawn runs main.py again as __mp_main__ (sync/isolated.py's parse child): the guard keeps its collector on
    result = subprocess.run([PYTHON, "-c", "import gc, runpy; runpy.run_path('main.py', run_name='__mp_main__'); "
                             "print(gc.isenabled())"], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "True", result.stderr
