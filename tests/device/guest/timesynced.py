#!/usr/bin/python3
"""Mark the guest's clock as synchronised, as systemd-timesyncd does after reaching a time server.

The rig has no network, and QEMU's RTC already holds the right time (like a Pi 5 with its battery).
systemd reports NTPSynchronized when the kernel's maximum error is below 16 s (adjtimex), which is
what the kiosk's clock check asks; the kernel lets it grow by 0.5 ms a second, so this holds for hours.
"""
import ctypes
import ctypes.util

ADJ_MAXERROR, ADJ_ESTERROR, ADJ_STATUS = 0x0004, 0x0008, 0x0010


class Timex(ctypes.Structure):
    _fields_ = [("modes", ctypes.c_uint), ("offset", ctypes.c_long), ("freq", ctypes.c_long),
                ("maxerror", ctypes.c_long), ("esterror", ctypes.c_long), ("status", ctypes.c_int),
                ("constant", ctypes.c_long), ("precision", ctypes.c_long), ("tolerance", ctypes.c_long),
                ("time_sec", ctypes.c_long), ("time_usec", ctypes.c_long), ("tick", ctypes.c_long),
                ("ppsfreq", ctypes.c_long), ("jitter", ctypes.c_long), ("shift", ctypes.c_int),
                ("stabil", ctypes.c_long), ("jitcnt", ctypes.c_long), ("calcnt", ctypes.c_long),
                ("errcnt", ctypes.c_long), ("stbcnt", ctypes.c_long), ("tai", ctypes.c_int),
                ("padding", ctypes.c_int * 11)]


libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
timex = Timex(modes=ADJ_MAXERROR | ADJ_ESTERROR | ADJ_STATUS, maxerror=1000, esterror=1000, status=0)
if libc.adjtimex(ctypes.byref(timex)) < 0:
    raise OSError(ctypes.get_errno(), "adjtimex")
