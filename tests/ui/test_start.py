"""What main.py does for the kiosk's start: the garbage collector off until the first frame (on again after
it, with activities or without, and at once for the commands), and the dataclasses' methods kept."""
import gc
import subprocess
import time

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
    assert "garbage collection on again" not in screen.log.read_text()  # the fallback at rest did not do it
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


def test_the_kiosk_keeps_its_dataclass_methods_for_the_next_start(screen_factory, tmp_path):
    from kiosk import methodcache

    methodcache.PATH.unlink(missing_ok=True)
    screen = screen_factory(800, 480)
    screen.start_app("--db", str(tmp_path / "k.db"), "--date", "2024-03-13", "--time", "10:30")
    screen.wait_log("first programme frame drawn")
    deadline = time.monotonic() + 30  # kept after the first frame (this start compiled them), again at rest
    while not methodcache.PATH.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert methodcache.PATH.exists(), screen.log_tail()
    # the settings' classes need no compiling now (main.py installs the same way)
    code = ("from kiosk import methodcache; methodcache.install(); import sync.config, sync.store; "
            "print(methodcache.compiled)")
    result = subprocess.run([PYTHON, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "0", result.stderr
