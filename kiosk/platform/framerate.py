"""An adaptive frame rate: smooth while a visitor touches the screen, nearly asleep at rest.

Kivy's main loop wakes `maxfps` times a second even when nothing changes; under Mesa llvmpipe
that alone costs a few percent of a core. After `settle` seconds without a touch the loop rests.

At rest the loop waits in SDL (`SDL_WaitEventTimeout`, see kiosk/platform/inputwaker.py) until an input
event arrives, the next Clock event is due, or `1 / rest_fps` has passed, whichever is first. An
event sets the active rate at once, so the touch is read and dispatched within one active frame,
not after a resting frame. Without the waker (no SDL library found) the loop rests at
`fallback_fps` and a first touch may wait one such frame.

Kivy has no public setter for the rate at run time: `Clock._max_fps` is what its `idle()` reads.
This is the one place that replaces `Clock.idle` (the frame's wait); a probe that times frames asks
`observe()` to be called around that wait.
"""
from __future__ import annotations

import logging
from typing import Callable

from kivy.clock import Clock

from kiosk.platform.inputwaker import InputWaker

ACTIVE_FPS = 60
REST_FPS = 2  # with the waker: what still waits for no event, e.g. a status handed over by the worker
FALLBACK_FPS = 10  # without it: a first touch waits up to one such frame, 100 ms
SETTLE_SECONDS = 5
log = logging.getLogger("wijkkiosk.framerate")


class FrameRate:
    def __init__(self, active: float = ACTIVE_FPS, rest: float = REST_FPS, fallback: float = FALLBACK_FPS,
                 settle: float = SETTLE_SECONDS):
        self.active, self.rest, self.fallback = active, rest, fallback
        self.waker: InputWaker | None = None
        self.woken = 0  # resting waits ended by an event (read by tests)
        self._observers: list[tuple[Callable[[], None], Callable[[], None]]] = []
        self._slow_down = Clock.create_trigger(lambda _dt: self._set(self.resting_fps), settle)

    @property
    def resting_fps(self) -> float:
        return self.rest if self.waker else self.fallback

    def start(self, waker: InputWaker | None = None) -> None:
        self.waker = waker or InputWaker.find()
        kivy_idle = Clock.idle

        def idle():
            for before, _after in self._observers:
                before()
            resting = self.waker is not None and Clock._max_fps == self.rest
            result = self._rest() if resting else kivy_idle()
            for _before, after in self._observers:
                after()
            return result

        Clock.idle = idle  # Clock.tick() calls self.idle(): the frame's wait
        log.info("frame rate %g fps, at rest %g fps%s", self.active, self.resting_fps,
                 " and woken by input" if self.waker else " (no input waker)")
        self.touched()

    def observe(self, before_wait: Callable[[], None], after_wait: Callable[[], None]) -> None:
        """Call `before_wait` when a frame's work is done and `after_wait` when the next frame begins."""
        self._observers.append((before_wait, after_wait))

    def touched(self) -> None:
        self._set(self.active)
        self._slow_down.cancel()
        self._slow_down()

    @property
    def current(self) -> float:
        return Clock._max_fps

    def _rest(self) -> float:
        """Kivy's idle() at rest: wait for an input event, the next Clock event or the resting frame."""
        deadline = min(Clock._last_tick + 1 / self.rest, Clock.get_min_timeout())
        remaining = deadline - Clock.time()
        if remaining > 0.001 and self.waker.wait(remaining):
            self.woken += 1
            self.touched()  # the event is read after this frame; the next frame must not rest
        current = Clock.time()
        Clock._dt = current - Clock._last_tick
        Clock._last_tick = current
        return current

    @staticmethod
    def _set(fps: float) -> None:
        Clock._max_fps = float(fps)
