#!/usr/bin/python3
"""The rig's touchscreen, inside the guest: a uinput type-B multitouch panel in screen pixels.

    touchscreen.py WIDTH HEIGHT FIFO

Like a capacitive panel (the official display's, or a USB HDMI monitor's): INPUT_PROP_DIRECT, slots,
tracking ids, BTN_TOUCH and ABS_X/ABS_Y beside the MT axes. Each line "tap X Y [SECONDS]" written to
FIFO is one finger down at (X, Y), held, and lifted. The kernel drops an axis value that has not
changed, so a second tap at the same pixel sends no position at all, exactly as real panels do.
Tells systemd it is ready once the device exists (Type=notify).
"""
import os
import socket
import sys
import time

from evdev import AbsInfo, UInput, ecodes as e

width, height, fifo = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
panel = UInput({
    e.EV_KEY: [e.BTN_TOUCH],
    e.EV_ABS: [
        (e.ABS_X, AbsInfo(0, 0, width - 1, 0, 0, 0)),
        (e.ABS_Y, AbsInfo(0, 0, height - 1, 0, 0, 0)),
        (e.ABS_MT_SLOT, AbsInfo(0, 0, 9, 0, 0, 0)),
        (e.ABS_MT_TRACKING_ID, AbsInfo(0, 0, 65535, 0, 0, 0)),
        (e.ABS_MT_POSITION_X, AbsInfo(0, 0, width - 1, 0, 0, 0)),
        (e.ABS_MT_POSITION_Y, AbsInfo(0, 0, height - 1, 0, 0, 0)),
    ],
}, name="Wijkkiosk rig touchscreen", input_props=[e.INPUT_PROP_DIRECT])

if os.path.exists(fifo):
    os.unlink(fifo)
os.mkfifo(fifo, 0o600)
address = os.environ.get("NOTIFY_SOCKET")
if address:
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.connect("\0" + address[1:] if address.startswith("@") else address)
        sock.sendall(b"READY=1")

contact = 0
while True:
    with open(fifo) as commands:
        for line in commands:
            words = line.split()
            if len(words) < 3 or words[0] != "tap":
                print(f"touchscreen: unknown command {line!r}", flush=True)
                continue
            x, y = int(words[1]), int(words[2])
            hold = float(words[3]) if len(words) > 3 else 0.08
            contact += 1
            panel.write(e.EV_ABS, e.ABS_MT_SLOT, 0)
            panel.write(e.EV_ABS, e.ABS_MT_TRACKING_ID, contact)
            panel.write(e.EV_ABS, e.ABS_MT_POSITION_X, x)
            panel.write(e.EV_ABS, e.ABS_MT_POSITION_Y, y)
            panel.write(e.EV_KEY, e.BTN_TOUCH, 1)
            panel.write(e.EV_ABS, e.ABS_X, x)
            panel.write(e.EV_ABS, e.ABS_Y, y)
            panel.syn()
            time.sleep(hold)
            panel.write(e.EV_ABS, e.ABS_MT_TRACKING_ID, -1)
            panel.write(e.EV_KEY, e.BTN_TOUCH, 0)
            panel.syn()
            print(f"touchscreen: tap {x} {y}", flush=True)
