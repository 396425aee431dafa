"""Touch: one input path per platform, chosen on purpose (docs/architecture.md, "Touch input").

- kmsdrm (Raspberry Pi OS Lite, no display server): Kivy reads the touchscreen itself from
  /dev/input through libmtdev (its `probesysfs` + `mtdev` providers); no mouse provider, so one
  finger is one touch.
- a display server (X11, or XWayland on the Pi's desktop): the server owns the touchscreen and hands
  the app pointer events; Kivy's mouse provider only, so Kivy does not read the panel a second time.

The kernel sends an axis only when its value changes: a new contact on the same pixel as the last
one carries no position at all. Kivy's mtdev provider keeps each slot's position from the events it
has seen, so within one run that works; but a provider started after the last touch (the kiosk
restarted: the watchdog, an update, a reboot with a touch before it) has never seen that position,
and the touch lands at (-1, -1) and is lost (seen in the rig: a restarted kiosk ignored "Letters").
The device below fills in each slot's last known position, starting from the kernel's current values
per slot (EVIOCGMTSLOTS), so a first touch on the old pixel counts too.
"""
from __future__ import annotations

import collections
import fcntl
import logging
import struct

log = logging.getLogger("wijkkiosk.touch")

EV_SYN, EV_ABS = 0x00, 0x03
SYN_REPORT = 0x00
ABS_MT_SLOT, ABS_MT_POSITION_X, ABS_MT_POSITION_Y, ABS_MT_TRACKING_ID = 0x2F, 0x35, 0x36, 0x39
POSITIONS = (ABS_MT_POSITION_X, ABS_MT_POSITION_Y)
SDL_USEREVENT = 0x8000


def input_section(video_driver: str) -> dict[str, str]:
    """Kivy's [input] section for this platform."""
    if video_driver == "kmsdrm":  # select_all=0: only touchscreens, also where Kivy thinks it is on a Pi
        return {"touchscreen": "probesysfs,provider=mtdev,select_all=0"}
    return {"mouse": "mouse,disable_multitouch"}  # no red multitouch dots on a right click


class SlotPositions:
    """Fills the position of a new contact that the kernel left out, per slot (pure; no device)."""

    def __init__(self, known: dict[int, dict[int, int]] | None = None):
        self.slot = 0
        self.known: dict[int, dict[int, int]] = known or {}  # slot -> {axis: value}
        self.missing: dict[int, set[int]] = {}

    def feed(self, kind: int, code: int, value: int) -> list[tuple[int, int, int]]:
        """The events to pass on for one event read: itself, and before a report the positions left out."""
        if kind == EV_ABS:
            if code == ABS_MT_SLOT:
                self.slot = value
            elif code == ABS_MT_TRACKING_ID and value >= 0:
                self.missing[self.slot] = set(POSITIONS)
            elif code in POSITIONS:
                self.known.setdefault(self.slot, {})[code] = value
                self.missing.get(self.slot, set()).discard(code)
            return [(kind, code, value)]
        if kind == EV_SYN and code == SYN_REPORT and self.missing:
            filled = []
            for slot, codes in sorted(self.missing.items()):
                values = [(code, self.known.get(slot, {}).get(code)) for code in sorted(codes)]
                values = [(code, v) for code, v in values if v is not None]
                if values:
                    filled.append((EV_ABS, ABS_MT_SLOT, slot))
                    filled += [(EV_ABS, code, v) for code, v in values]
            if filled:
                filled.append((EV_ABS, ABS_MT_SLOT, self.slot))  # back to the slot the device was in
            self.missing.clear()
            return filled + [(kind, code, value)]
        return [(kind, code, value)]


def current_positions(fd: int, slots: int = 16) -> dict[int, dict[int, int]]:
    """The kernel's current position in every slot of an evdev device (EVIOCGMTSLOTS).

    Not EVIOCGABS: for a device with slots the kernel keeps MT values per slot, not in the axis."""
    known: dict[int, dict[int, int]] = {}
    for code in POSITIONS:
        request = (2 << 30) | ((4 + 4 * slots) << 16) | (ord("E") << 8) | 0x0A  # _IOR('E', 0x0a, len)
        buffer = bytearray(struct.pack(f"I{slots}i", code, *([0] * slots)))
        try:
            fcntl.ioctl(fd, request, buffer)
        except OSError:
            return {}
        for slot, value in enumerate(struct.unpack(f"I{slots}i", buffer)[1:]):
            known.setdefault(slot, {})[code] = value
    return known


def _sdl_function(name: str):
    """A function of the SDL library Kivy's window loaded, or None (no SDL, or no such function)."""
    import ctypes

    from kiosk.platform.inputwaker import loaded_sdl

    path = loaded_sdl()
    if path is None:
        return None
    try:
        return getattr(ctypes.CDLL(path), name)
    except (OSError, AttributeError):
        return None


def sdl_waker():
    """A function that puts an empty event in SDL's queue (thread-safe), or None without SDL.

    The resting main loop waits in SDL for input (kiosk/framerate.py); a touch read from /dev/input by
    Kivy's own thread is not SDL input, so it wakes the loop this way and is read in the next frame,
    not after up to half a second. Kivy's window skips event types it does not know."""
    import ctypes

    push = _sdl_function("SDL_PushEvent")
    if push is None:
        return None
    push.argtypes = [ctypes.c_void_p]
    event = (ctypes.c_uint32 * 14)(SDL_USEREVENT)  # an SDL_Event is a 56-byte union; `type` first

    def wake() -> None:
        push(ctypes.byref(event))

    return wake


def position_keeping_device(wake=None):
    """A subclass of Kivy's libmtdev Device whose events go through SlotPositions (and wake SDL)."""
    from kivy.lib.mtdev import Device, input_event

    class PositionKeepingDevice(Device):
        def __init__(self, filename):
            super().__init__(filename)
            self._slots = SlotPositions(current_positions(self._fd))
            self._queue: collections.deque = collections.deque()

        def get(self):
            if not self._queue:
                event = super().get()
                if event is None:
                    return None
                for kind, code, value in self._slots.feed(event.type, event.code, event.value):
                    self._queue.append(input_event(time=event.time, type=kind, code=code, value=value))
                if wake is not None and event.type == EV_SYN:
                    wake()
            return self._queue.popleft()

    return PositionKeepingDevice


def current_video_driver(fallback: str = "") -> str:
    """The video driver SDL chose for the open window, lower case ("kmsdrm", "x11", ...), or `fallback`."""
    import ctypes

    driver = _sdl_function("SDL_GetCurrentVideoDriver")
    if driver is None:
        return fallback
    driver.restype = ctypes.c_char_p
    name = driver()
    return name.decode().lower() if name else fallback  # SDL says "KMSDRM", "x11"


def install(video_driver: str) -> None:
    """Set Kivy's input providers for this platform (the window is open); call before the app runs."""
    from kivy.config import Config

    Config.remove_section("input")
    Config.add_section("input")
    for key, value in input_section(video_driver).items():
        Config.set("input", key, value)
    if video_driver == "kmsdrm":
        try:
            from kivy.input.providers import mtdev as mtdev_provider
        except (ImportError, OSError) as error:  # no libmtdev
            log.warning("touch: Kivy's mtdev provider is not available (%s)", error)
            return
        # the provider's thread opens its devices with this class
        mtdev_provider.Device = position_keeping_device(sdl_waker())
    log.info("touch input: %s", ", ".join(input_section(video_driver).values()))
