"""Sizes on the screen: the scale unit of the 800x480 design, millimetres at the panel's density, text size.

kv sizes are pixels at 800x480 times `u = min(width, height) / 480`; touch targets are held to millimetres
at `[screen] dpi` as well (the larger of the two wins). `KioskApp` carries the results as Kivy properties
(`app.u`, `app.mm`, `app.target`, `app.primary_target`, `app.gap`, `app.fs`, `app.portrait`) for kv.
"""
from __future__ import annotations

import dataclasses
import math

BASE_HEIGHT = 480  # the official Pi touchscreen; sizes in kv are in pixels at this height
TEXT_SCALES = (1.0, 1.25, 1.5)  # the text-size switch: three steps
TARGET_MM, PRIMARY_TARGET_MM, GAP_MM = 15, 20, 3  # touch targets and the room between them


@dataclasses.dataclass(frozen=True)
class Sizes:
    portrait: bool
    u: float  # scale unit: 1 at 800x480
    mm: float  # pixels per millimetre on the panel
    target: int  # the smallest touch target (15 mm)
    primary_target: int  # the main action of a screen (20 mm)
    gap: int  # room between touch targets (3 mm)


def measure(size: tuple[float, float], dpi: float) -> Sizes:
    """The sizes for a window of `size` on a panel of `dpi` (pure)."""
    width, height = size
    u = min(width, height) / BASE_HEIGHT
    mm = dpi / 25.4
    # millimetres at least; on a bigger screen the design's proportions (76/100/16 px at 800x480)
    return Sizes(
        portrait=height > width,
        u=u,
        mm=mm,
        target=max(math.ceil(TARGET_MM * mm), round(76 * u)),
        primary_target=max(math.ceil(PRIMARY_TARGET_MM * mm), round(100 * u)),
        gap=max(math.ceil(GAP_MM * mm), round(16 * u)),
    )


def font_unit(u: float, text_step: int) -> float:
    """`app.fs`: the scale unit times the visitor's text size."""
    return u * TEXT_SCALES[text_step]
