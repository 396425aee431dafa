"""An opt-in timing probe for the benchmark (WIJKKIOSK_PROBE=1, kiosk.diagnostics); off in normal use.

It logs, as `probe:` lines:
- for each screen change, the milliseconds from the last touch-down (`touch.time_start`, epoch) to
  the end of the frame whose buffers were swapped with the new screen (the next frame's start);
- every `period` seconds, the longest main-thread frame: the time from the clock's wake-up to its
  next sleep (callbacks, input, layout, drawing and the swap; the sleep itself excluded), and the
  longest frame without its buffer swap (`Window.flip`: under llvmpipe the whole picture is drawn
  there, on the CPU): the main thread's own work, which DESIGN holds to 50 ms;
- each sync status the main thread applies;
- whether the garbage collector is on, when that changes (main.py keeps it off until the first frame).
"""
from __future__ import annotations

import gc
import logging
import time

from kivy.clock import Clock
from kivy.core.window import Window

log = logging.getLogger("wijkkiosk.probe")


class Probe:
    def __init__(self, app, period: float = 1.0):
        self.app, self.period = app, period
        self._touch_down = None  # epoch of the last touch-down
        self._pending = None  # (screen, touch-down epoch) waiting for its frame
        self._swapped = False
        self._awake = time.perf_counter()
        self._longest = 0.0
        self._longest_work = 0.0  # the longest frame less its buffer swap
        self._swap = 0.0  # seconds in Window.flip during the current frame
        self._frames = 0
        self._drawn = 0
        self._collecting = None  # gc.isenabled() at the last report

    def start(self) -> None:
        self.app.frame_rate.observe(self._waiting, self._awoken)  # around the frame's wait
        flip = Window.flip

        def timed_flip(*args, **kwargs):
            began = time.perf_counter()
            result = flip(*args, **kwargs)
            self._swap += time.perf_counter() - began
            return result

        Window.flip = timed_flip  # WindowBase.on_flip calls self.flip()
        Window.bind(on_touch_down=self._touched, on_flip=self._flip)
        self.app.root.bind(current=self._screen_changed)
        self.app.bind(status=lambda _app, status: log.info("probe: sync status applied at %.3f (changed %s)",
                                                           time.time(), status.changed if status else None))
        Clock.schedule_interval(self._report, self.period)
        log.info("probe: on")

    def _waiting(self) -> None:
        self._frame_done(time.perf_counter() - self._awake)

    def _awoken(self) -> None:
        self._awake = time.perf_counter()

    def _touched(self, _window, touch) -> None:
        self._touch_down = touch.time_start

    def _screen_changed(self, _manager, name: str) -> None:
        self._pending, self._swapped = (name, self._touch_down), False
        self._touch_down = None

    def _flip(self, *_args) -> None:
        self._drawn += 1
        if self._pending is not None:
            self._swapped = True  # on_flip runs just before the swap; the frame ends after it

    def _frame_done(self, seconds: float) -> None:
        self._frames += 1
        self._longest = max(self._longest, seconds)
        self._longest_work = max(self._longest_work, seconds - self._swap)
        self._swap = 0.0
        if self._swapped:
            (name, touched), self._pending, self._swapped = self._pending, None, False
            now = time.time()
            since = f"{(now - touched) * 1000:.1f} ms after touch-down" if touched else "without a touch"
            log.info("probe: screen %s drawn %s, at %.3f", name, since, now)

    def _report(self, _dt) -> None:
        log.info("probe: longest frame %.1f ms of %d, %d drawn, until %.3f, without the swap %.1f ms",
                 self._longest * 1000, self._frames, self._drawn, time.time(), self._longest_work * 1000)
        self._longest, self._longest_work, self._frames, self._drawn = 0.0, 0.0, 0, 0
        if gc.isenabled() != self._collecting:
            self._collecting = gc.isenabled()
            log.info("probe: garbage collector %s", "on" if self._collecting else "off")
