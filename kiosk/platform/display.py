"""Switch the panel off outside opening hours and on again: a house's commands, or DRM's DPMS.

Under SDL's kmsdrm driver (Raspberry Pi OS Lite) there is no display server to ask: the kiosk itself
holds the DRM device, and only the holder (the DRM master) may change a connector's properties. So
the kiosk sets the connector's standard "DPMS" property on SDL's own DRM file descriptor (from
`SDL_GetWindowWMInfo`), through libdrm with ctypes. That needs no root and no udev rule, and it
works for HDMI and DSI panels alike (the KMS driver turns the backlight or the HDMI signal off).

With a display server (X11 or Wayland desktop) the house sets `[screen] display_off_command` and
`display_on_command`; configured commands always win.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import logging
import shlex
import subprocess

from kiosk.platform.inputwaker import loaded_sdl

log = logging.getLogger("wijkkiosk.display")

DPMS_ON, DPMS_OFF = 0, 3
SDL_SYSWM_KMSDRM = 13
DRM_MODE_CONNECTED = 1


class _SDLVersion(ctypes.Structure):
    _fields_ = [("major", ctypes.c_uint8), ("minor", ctypes.c_uint8), ("patch", ctypes.c_uint8)]


class _KMSDRMInfo(ctypes.Structure):
    _fields_ = [("dev_index", ctypes.c_int), ("drm_fd", ctypes.c_int), ("gbm_dev", ctypes.c_void_p)]


class _WMInfoUnion(ctypes.Union):
    _fields_ = [("kmsdrm", _KMSDRMInfo), ("dummy", ctypes.c_uint8 * 64)]


class _SysWMInfo(ctypes.Structure):
    _fields_ = [("version", _SDLVersion), ("subsystem", ctypes.c_int), ("info", _WMInfoUnion)]


class _ModeRes(ctypes.Structure):
    _fields_ = [("count_fbs", ctypes.c_int), ("fbs", ctypes.POINTER(ctypes.c_uint32)),
                ("count_crtcs", ctypes.c_int), ("crtcs", ctypes.POINTER(ctypes.c_uint32)),
                ("count_connectors", ctypes.c_int), ("connectors", ctypes.POINTER(ctypes.c_uint32)),
                ("count_encoders", ctypes.c_int), ("encoders", ctypes.POINTER(ctypes.c_uint32)),
                ("min_width", ctypes.c_uint32), ("max_width", ctypes.c_uint32),
                ("min_height", ctypes.c_uint32), ("max_height", ctypes.c_uint32)]


class _Connector(ctypes.Structure):
    _fields_ = [("connector_id", ctypes.c_uint32), ("encoder_id", ctypes.c_uint32),
                ("connector_type", ctypes.c_uint32), ("connector_type_id", ctypes.c_uint32),
                ("connection", ctypes.c_int), ("mmWidth", ctypes.c_uint32), ("mmHeight", ctypes.c_uint32),
                ("subpixel", ctypes.c_int), ("count_modes", ctypes.c_int), ("modes", ctypes.c_void_p),
                ("count_props", ctypes.c_int), ("props", ctypes.POINTER(ctypes.c_uint32)),
                ("prop_values", ctypes.POINTER(ctypes.c_uint64)),
                ("count_encoders", ctypes.c_int), ("encoders", ctypes.POINTER(ctypes.c_uint32))]


class _Property(ctypes.Structure):
    _fields_ = [("prop_id", ctypes.c_uint32), ("flags", ctypes.c_uint32), ("name", ctypes.c_char * 32)]


class DrmDpms:
    """DPMS of every connected connector, on the DRM device SDL's kmsdrm window holds."""

    def __init__(self, libdrm: ctypes.CDLL, fd: int):
        self.fd = fd
        self._switched_off: list[tuple[int, int]] = []
        self._drm = libdrm
        libdrm.drmModeGetResources.restype = ctypes.POINTER(_ModeRes)
        libdrm.drmModeGetConnectorCurrent.restype = ctypes.POINTER(_Connector)
        libdrm.drmModeGetConnectorCurrent.argtypes = [ctypes.c_int, ctypes.c_uint32]
        libdrm.drmModeGetProperty.restype = ctypes.POINTER(_Property)
        libdrm.drmModeGetProperty.argtypes = [ctypes.c_int, ctypes.c_uint32]
        libdrm.drmModeConnectorSetProperty.argtypes = [ctypes.c_int, ctypes.c_uint32, ctypes.c_uint32,
                                                       ctypes.c_uint64]
        for free in ("drmModeFreeResources", "drmModeFreeConnector", "drmModeFreeProperty"):
            getattr(libdrm, free).argtypes = [ctypes.c_void_p]

    @classmethod
    def find(cls) -> DrmDpms | None:
        """The DPMS switch of SDL's kmsdrm window, or None (another video driver, no SDL, no libdrm)."""
        sdl_path = loaded_sdl()
        if sdl_path is None:
            return None
        try:
            sdl = ctypes.CDLL(sdl_path)
            sdl.SDL_GL_GetCurrentWindow.restype = ctypes.c_void_p
            sdl.SDL_GetWindowWMInfo.argtypes = [ctypes.c_void_p, ctypes.POINTER(_SysWMInfo)]
            window = sdl.SDL_GL_GetCurrentWindow()
            info = _SysWMInfo()
            info.version = _SDLVersion(2, 0, 22)  # the first SDL with the KMSDRM member
            if not window or not sdl.SDL_GetWindowWMInfo(window, ctypes.byref(info)):
                return None
            if info.subsystem != SDL_SYSWM_KMSDRM or info.info.kmsdrm.drm_fd < 0:
                return None
            drm_path = ctypes.util.find_library("drm")  # only now: it runs ldconfig (about 10 ms at start)
            if drm_path is None:
                return None
            return cls(ctypes.CDLL(drm_path), info.info.kmsdrm.drm_fd)
        except (OSError, AttributeError) as error:
            log.info("no DRM display power (%s)", error)
            return None

    def _connectors(self) -> list[tuple[int, int]]:
        """(connector id, DPMS property id) of every connected connector."""
        found = []
        resources = self._drm.drmModeGetResources(self.fd)
        if not resources:
            return found
        try:
            for i in range(resources.contents.count_connectors):
                # the state the kernel has, without probing the monitor again (no EDID read here)
                connector = self._drm.drmModeGetConnectorCurrent(self.fd, resources.contents.connectors[i])
                if not connector:
                    continue
                c = connector.contents
                for j in range(c.count_props):
                    prop = self._drm.drmModeGetProperty(self.fd, c.props[j])
                    if prop:
                        if prop.contents.name == b"DPMS" and c.connection == DRM_MODE_CONNECTED:
                            found.append((c.connector_id, prop.contents.prop_id))
                        self._drm.drmModeFreeProperty(prop)
                self._drm.drmModeFreeConnector(connector)
        finally:
            self._drm.drmModeFreeResources(resources)
        return found

    def set(self, on: bool) -> bool:
        """Switch; True when at least one connector took it. On again are exactly the connectors that
        were switched off, connected or not: many monitors stop reporting themselves in standby."""
        done = False
        targets = self._switched_off if on and self._switched_off else self._connectors()
        for connector_id, prop_id in targets:
            if self._drm.drmModeConnectorSetProperty(self.fd, connector_id, prop_id,
                                                     DPMS_ON if on else DPMS_OFF) == 0:
                done = True
            else:
                log.warning("DRM connector %d refused DPMS %s", connector_id, "on" if on else "off")
        if done:
            self._switched_off = [] if on else targets
        return done


class DisplayPower:
    """The panel's power: `off()` when the house closes, `on()` when it opens or a visitor touches."""

    def __init__(self, off_command: str = "", on_command: str = "", dpms: DrmDpms | None = None):
        self.off_command, self.on_command = off_command, on_command
        self._dpms = dpms
        self.is_on = True

    @classmethod
    def for_window(cls, off_command: str, on_command: str) -> DisplayPower:
        """Commands when the house configured them, else DPMS under kmsdrm, else nothing to switch."""
        dpms = None if (off_command or on_command) else DrmDpms.find()
        if dpms is not None:
            log.info("the display is switched by DRM DPMS outside opening hours")
        return cls(off_command, on_command, dpms)

    def on(self) -> None:
        self._switch(True)

    def off(self) -> None:
        self._switch(False)

    def _switch(self, on: bool) -> None:
        if on == self.is_on:
            return
        command = self.on_command if on else self.off_command
        if command:
            self.is_on = on
            try:
                subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            except (OSError, ValueError) as exc:  # ValueError: unbalanced quotes in the setting
                log.warning("display command failed: %s", exc)
        elif self._dpms is None:
            self.is_on = on
        elif self._dpms.set(on):  # failed: is_on stays, and the next screen change tries again
            self.is_on = on
            log.info("display %s (DPMS)", "on" if on else "off")
