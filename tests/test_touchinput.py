"""Touch input: the position a new contact left out is filled in from its slot; one path per platform."""
from kiosk.platform.touchinput import (ABS_MT_POSITION_X as X, ABS_MT_POSITION_Y as Y, ABS_MT_SLOT as SLOT,
                              ABS_MT_TRACKING_ID as TRACKING, EV_ABS, EV_SYN, SYN_REPORT, SlotPositions,
                              input_section)

EV_KEY, BTN_TOUCH = 0x01, 0x14A
REPORT = (EV_SYN, SYN_REPORT, 0)


def feed(slots, events):
    return [out for event in events for out in slots.feed(*event)]


def tap(contact, *positions):
    """A finger down as the kernel sends it (positions only where they changed), then lifted."""
    down = [(EV_ABS, TRACKING, contact), *[(EV_ABS, code, value) for code, value in positions],
            (EV_KEY, BTN_TOUCH, 1), REPORT]
    return down, [(EV_ABS, TRACKING, -1), (EV_KEY, BTN_TOUCH, 0), REPORT]


def test_a_second_tap_on_the_same_pixel_gets_the_position_again():
    slots = SlotPositions()
    down, up = tap(1, (X, 120), (Y, 300))
    assert feed(slots, down) == down  # nothing left out, nothing added
    assert feed(slots, up) == up
    down, up = tap(2)  # the same pixel: the kernel sends no position
    assert feed(slots, down) == [(EV_ABS, TRACKING, 2), (EV_KEY, BTN_TOUCH, 1),
                                 (EV_ABS, SLOT, 0), (EV_ABS, X, 120), (EV_ABS, Y, 300), (EV_ABS, SLOT, 0), REPORT]
    assert feed(slots, up) == up  # lifting needs no position


def test_only_the_axis_left_out_is_filled_in():
    slots = SlotPositions()
    feed(slots, tap(1, (X, 120), (Y, 300))[0])
    down, _ = tap(2, (X, 121))  # one pixel to the right, same row
    assert feed(slots, down)[-3:] == [(EV_ABS, Y, 300), (EV_ABS, SLOT, 0), REPORT]


def test_a_provider_started_after_the_last_touch_starts_from_the_kernels_values():
    slots = SlotPositions({0: {X: 75, Y: 435}})  # read from the device when it was opened
    out = feed(slots, tap(7)[0])
    assert (EV_ABS, X, 75) in out and (EV_ABS, Y, 435) in out


def test_slots_are_kept_apart():
    slots = SlotPositions()
    events = [(EV_ABS, SLOT, 1), (EV_ABS, TRACKING, 5), (EV_ABS, X, 10), (EV_ABS, Y, 20), REPORT,
              (EV_ABS, TRACKING, -1), REPORT, (EV_ABS, SLOT, 0), (EV_ABS, TRACKING, 6), (EV_ABS, X, 400),
              (EV_ABS, Y, 200), REPORT, (EV_ABS, SLOT, 1), (EV_ABS, TRACKING, 7), REPORT]
    out = feed(slots, events)
    assert out[-5:] == [(EV_ABS, SLOT, 1), (EV_ABS, X, 10), (EV_ABS, Y, 20), (EV_ABS, SLOT, 1), REPORT]


def test_one_input_path_per_platform():
    assert input_section("kmsdrm") == {"touchscreen": "probesysfs,provider=mtdev,select_all=0"}  # no mouse: one touch a finger
    assert input_section("x11") == {"mouse": "mouse,disable_multitouch"}  # the display server owns the panel
    assert input_section("") == input_section("x11")


def test_the_video_driver_comes_from_sdl_in_lower_case(monkeypatch):
    """SDL names its drivers "KMSDRM" and "x11"; the input path is chosen by the lower-case name."""
    import ctypes

    from kiosk.platform import touchinput

    class FakeSDL:
        def __init__(self, name):
            self.SDL_GetCurrentVideoDriver = lambda: name

    monkeypatch.setattr("kiosk.platform.inputwaker.loaded_sdl", lambda: "/fake/libSDL2-2.0.so.0")
    monkeypatch.setattr(ctypes, "CDLL", lambda _path: FakeSDL(b"KMSDRM"))
    assert touchinput.current_video_driver("x11") == "kmsdrm"
    monkeypatch.setattr(ctypes, "CDLL", lambda _path: FakeSDL(None))
    assert touchinput.current_video_driver("x11") == "x11"
