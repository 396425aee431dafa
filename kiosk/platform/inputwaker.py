"""Wait for SDL's next input event without taking it: the resting frame rate's wake-up.

Kivy reads SDL's events once a frame and has no way to sleep until one arrives. SDL has:
`SDL_WaitEventTimeout(NULL, ms)` blocks (on X11 in poll() on the display's socket) until an event
is queued or the time is up, and leaves the event in the queue for Kivy's own poll. The function
is called through ctypes in the SDL library that Kivy's window has already loaded (found in
/proc/self/maps), from the main thread, which is the thread SDL's video calls belong to.
"""
from __future__ import annotations

import ctypes
import logging
from pathlib import Path

log = logging.getLogger("wijkkiosk.inputwaker")


PROC_MAPS = Path("/proc/self/maps")
_loaded: dict[Path, str] = {}  # a library once loaded stays loaded: three parts ask at start, one reads


def loaded_sdl(maps: Path = PROC_MAPS) -> str | None:
    """Path of the SDL2 core library mapped into this process (Kivy's wheel or the system's), if any."""
    if maps == PROC_MAPS and maps in _loaded:
        return _loaded[maps]
    try:
        lines = maps.read_text().splitlines()  # a few thousand lines under llvmpipe: a millisecond
    except OSError:
        return None
    for line in lines:
        if "libSDL2-2" not in line:  # most of the lines, without splitting them
            continue
        fields = line.split(maxsplit=5)  # address perms offset device inode [path]
        path = fields[5] if len(fields) == 6 else ""
        if Path(path).name.startswith("libSDL2-2") and ".so" in path:  # not libSDL2_image, _ttf, _mixer
            if maps == PROC_MAPS:
                _loaded[maps] = path
            return path
    return None


class InputWaker:
    def __init__(self, library: ctypes.CDLL):
        self._wait = library.SDL_WaitEventTimeout
        self._wait.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self._wait.restype = ctypes.c_int

    @classmethod
    def find(cls) -> InputWaker | None:
        path = loaded_sdl()
        if path is None:
            log.info("no SDL library loaded: the frame rate rests without an input waker")
            return None
        try:
            return cls(ctypes.CDLL(path))
        except (OSError, AttributeError) as error:
            log.warning("SDL at %s has no usable SDL_WaitEventTimeout (%s): no input waker", path, error)
            return None

    def wait(self, seconds: float) -> bool:
        """True when an event is waiting (it stays queued), False when `seconds` passed without one."""
        return self._wait(None, max(1, round(seconds * 1000))) == 1
