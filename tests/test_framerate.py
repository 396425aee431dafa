"""The resting frame rate (kiosk.platform.framerate) and its input waker (kiosk.platform.inputwaker), without a window.

The waker here is a stand-in that records how long it was asked to wait; the real one (SDL) is
used by every UI test, and tests/ui/test_kiosk_mode.py checks that the app found it.
"""
import ctypes
import ctypes.util
import os
import tempfile
import time

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
clock = pytest.importorskip("kivy.clock")
from kiosk.platform.framerate import FrameRate  # noqa: E402
from kiosk.platform.inputwaker import InputWaker, loaded_sdl  # noqa: E402

Clock = clock.Clock


class FakeWaker:
    def __init__(self, events: bool):
        self.events, self.asked = events, []

    def wait(self, seconds: float) -> bool:
        self.asked.append(seconds)
        return self.events


@pytest.fixture
def rate(monkeypatch):
    """A FrameRate on Kivy's Clock; the next Clock event is whatever a test sets `rate.next_event` to.

    (Kivy's `get_min_timeout()` is the clock time of the next event, 0.0 when one is due now; other
    tests in this process may have left events behind, so it is not left to chance here.)"""
    kivy_idle, kivy_fps = Clock.idle, Clock._max_fps
    rate = FrameRate(settle=60)
    rate.next_event = float("inf")
    monkeypatch.setattr(Clock, "get_min_timeout", lambda: rate.next_event)
    yield rate
    rate._slow_down.cancel()
    Clock.idle, Clock._max_fps = kivy_idle, kivy_fps


def test_maps_line_of_the_sdl_core_library_is_found_not_its_companions(tmp_path):
    maps = tmp_path / "maps"
    maps.write_text(
        "7f0000000000-7f0000001000 r--p 00000000 08:01 1 /venv/Kivy.libs/libSDL2_ttf-2-df2c5903.0.so.0.2200.0\n"
        "7f0000002000-7f0000003000 r--p 00000000 00:00 0 \n"
        "7f0000004000-7f0000005000 r-xp 00000000 08:01 2 /usr/lib/x86_64-linux-gnu/libSDL2-2.0.so.0.2600.5\n")
    assert loaded_sdl(maps) == "/usr/lib/x86_64-linux-gnu/libSDL2-2.0.so.0.2600.5"
    maps.write_text("7f0000002000-7f0000003000 r--p 00000000 00:00 0 [heap]\n")
    assert loaded_sdl(maps) is None
    assert loaded_sdl(tmp_path / "missing") is None


def test_a_library_without_the_wait_function_gives_no_waker(monkeypatch):
    monkeypatch.setattr("kiosk.platform.inputwaker.loaded_sdl", lambda: ctypes.util.find_library("c") or "libc.so.6")
    assert InputWaker.find() is None


def test_at_rest_an_input_event_brings_the_active_rate_back_at_once(rate):
    waker = FakeWaker(events=True)
    rate.start(waker)
    rate._set(rate.rest)
    Clock._last_tick = Clock.time()
    Clock.idle()
    assert rate.current == rate.active and rate.woken == 1
    assert 0 < waker.asked[0] <= 1 / rate.rest


def test_at_rest_without_events_the_wait_ends_when_the_next_clock_event_is_due(rate):
    waker = FakeWaker(events=False)
    rate.start(waker)
    rate._set(rate.rest)
    Clock._last_tick = Clock.time()
    rate.next_event = Clock.time() + 0.1
    Clock.idle()
    assert rate.current == rate.rest and rate.woken == 0
    assert 0 < waker.asked[0] <= 0.1


def test_an_event_due_now_is_not_waited_for(rate):
    waker = FakeWaker(events=False)
    rate.start(waker)
    rate._set(rate.rest)
    rate.next_event = 0.0
    Clock._last_tick = Clock.time()
    began = time.perf_counter()
    Clock.idle()
    assert waker.asked == [] and time.perf_counter() - began < 0.05


def test_without_a_waker_the_rate_rests_at_the_fallback_and_kivy_waits(rate, monkeypatch):
    monkeypatch.setattr("kiosk.platform.inputwaker.InputWaker.find", classmethod(lambda cls: None))
    waits = []
    monkeypatch.setattr(Clock, "idle", lambda: waits.append("kivy"))
    rate.start()
    rate._set(rate.rest)
    Clock.idle()
    assert rate.waker is None and waits == ["kivy"]  # no waker: even at the resting rate Kivy waits
    assert rate.resting_fps == rate.fallback > rate.rest
    rate._slow_down.cancel()
    rate._set(rate.resting_fps)
    assert rate.current == rate.fallback


@pytest.mark.parametrize("resting", [True, False])
def test_observers_are_called_around_every_wait_whichever_started_first(rate, resting):
    seen = []
    rate.observe(lambda: seen.append("before"), lambda: seen.append("after"))  # before start: the probe's order
    waker = FakeWaker(events=False)
    rate.start(waker)
    rate._set(rate.rest if resting else rate.active)
    Clock._last_tick = Clock.time()
    rate.next_event = Clock.time() + 0.01
    Clock.idle()
    assert seen == ["before", "after"]
    assert bool(waker.asked) == resting  # at rest the waker waited, active Kivy's own wait


def test_the_loaded_library_is_read_from_the_process_once(tmp_path, monkeypatch):
    maps = tmp_path / "maps"
    maps.write_text("7f0000004000-7f0000005000 r-xp 00000000 08:01 2 /usr/lib/libSDL2-2.0.so.0\n")
    monkeypatch.setattr("kiosk.platform.inputwaker.PROC_MAPS", maps)
    monkeypatch.setattr("kiosk.platform.inputwaker._loaded", {})
    assert loaded_sdl(maps) == "/usr/lib/libSDL2-2.0.so.0"
    maps.write_text("")  # not read again: a loaded library stays loaded
    assert loaded_sdl(maps) == "/usr/lib/libSDL2-2.0.so.0"
