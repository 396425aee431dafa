"""Sizes on the screen: real millimetres at the panel's density, and the visitor's text size.

kv sizes are pixels of the design panel (the official 7-inch touchscreen, 800x480 at 132 dpi) times
`u = dpi / 132`: a letter or a button has the same size in millimetres on every panel, and a larger panel
shows more of the day rather than larger letters. Touch targets are held to millimetres at `[screen] dpi`.
`KioskApp` carries the results as Kivy properties (`app.u`, `app.mm`, `app.target`, `app.primary_target`,
`app.gap`, `app.fs`, `app.portrait`) for kv.
"""
from __future__ import annotations

import dataclasses
import math

DESIGN_DPI = 132  # the official Pi touchscreen; sizes in kv are in its pixels
TEXT_SCALES = (1.0, 1.25, 1.5)  # the text-size switch: three steps
TARGET_MM, PRIMARY_TARGET_MM, GAP_MM = 15, 20, 3  # touch targets and the room between them
SHORT_MM = 110  # a panel less tall or wide than this (the 7-inch one: 92 mm) keeps titles to one line


@dataclasses.dataclass(frozen=True)
class Sizes:
    portrait: bool
    short: bool  # so small that two activities fit only with one-line titles
    u: float  # scale unit: 1 at the design panel's density
    mm: float  # pixels per millimetre on the panel
    target: int  # the smallest touch target (15 mm)
    primary_target: int  # the main action of a screen (20 mm)
    gap: int  # room between touch targets (3 mm)


def measure(size: tuple[float, float], dpi: float) -> Sizes:
    """The sizes for a window of `size` on a panel of `dpi` (pure)."""
    width, height = size
    mm = dpi / 25.4
    return Sizes(
        portrait=height > width,
        short=min(width, height) / mm < SHORT_MM,
        u=dpi / DESIGN_DPI,
        mm=mm,
        target=math.ceil(TARGET_MM * mm),
        primary_target=math.ceil(PRIMARY_TARGET_MM * mm),
        gap=math.ceil(GAP_MM * mm),
    )


def font_unit(u: float, text_step: int) -> float:
    """`app.fs`: the scale unit times the visitor's text size."""
    return u * TEXT_SCALES[text_step]
