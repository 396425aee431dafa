"""Touch targets at the panel's real size: at least 15 mm, main actions 20 mm, 3 mm apart.

`problems()` is pure geometry; `collect()` finds the targets of what is on screen (the current screen or
a popup on top). kiosk/diagnostics/layoutreport.py writes both down for the UI tests.
"""
from __future__ import annotations

import dataclasses
import math

from kiosk.metrics import GAP_MM, PRIMARY_TARGET_MM, TARGET_MM

TOLERANCE_PX = 1.0  # rounding of layout positions


@dataclasses.dataclass(frozen=True)
class Target:
    name: str  # the widget's class
    x: float
    y: float
    width: float
    height: float
    primary: bool = False
    side: float | None = None  # the smaller side of the whole target, when part of it is scrolled away
    text: str = ""

    def __str__(self) -> str:
        return f"{self.name} {self.text!r}" if self.text else self.name

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def top(self) -> float:
        return self.y + self.height

    def contains(self, other: Target) -> bool:
        return (self.x <= other.x and self.y <= other.y and self.right >= other.right
                and self.top >= other.top)

    def gap(self, other: Target) -> float:
        """The distance between the two boxes (0 when they touch or overlap)."""
        dx = max(0.0, other.x - self.right, self.x - other.right)
        dy = max(0.0, other.y - self.top, self.y - other.top)
        return math.hypot(dx, dy)


def problems(targets: list[Target], px_per_mm: float) -> list[str]:
    """Every target that is too small, and every pair that is too close, in words with millimetres."""
    found = []
    for t in targets:
        need = PRIMARY_TARGET_MM if t.primary else TARGET_MM
        side = t.side if t.side is not None else min(t.width, t.height)
        if side + TOLERANCE_PX < need * px_per_mm:
            found.append(f"{t}: {side / px_per_mm:.1f} mm, needs {need:g} mm")
    for i, a in enumerate(targets):
        for b in targets[i + 1:]:
            if a.contains(b) or b.contains(a):
                continue
            gap = a.gap(b)
            if gap + TOLERANCE_PX < GAP_MM * px_per_mm:
                found.append(f"{a} and {b}: {gap / px_per_mm:.1f} mm apart, need {GAP_MM:g} mm")
    return found


def collect(root) -> list[Target]:
    """The tappable widgets under `root` that a visitor can see and use, in window coordinates."""
    from kivy.uix.behaviors import ButtonBehavior
    from kivy.uix.scrollview import ScrollView

    window = root.get_root_window()
    found: list[Target] = []

    def visible_box(widget):
        x, y = widget.to_window(widget.x, widget.y)
        return x, y, widget.width, widget.height

    def walk(widget, clip):
        if widget.opacity <= 0 or widget.disabled or widget.width <= 0 or widget.height <= 0:
            return
        x, y, w, h = visible_box(widget)
        if clip is not None:
            cx, cy, cw, ch = clip
            if x >= cx + cw or x + w <= cx or y >= cy + ch or y + h <= cy:
                return  # scrolled out of view, or off the window
        if isinstance(widget, ButtonBehavior):
            label = getattr(widget, "text", "")
            if clip is not None:  # the part a finger can reach
                cx, cy, cw, ch = clip
                x0, y0 = max(x, cx), max(y, cy)
                x1, y1 = min(x + w, cx + cw), min(y + h, cy + ch)
            else:
                x0, y0, x1, y1 = x, y, x + w, y + h
            found.append(Target(type(widget).__name__, x0, y0, x1 - x0, y1 - y0,
                                bool(getattr(widget, "primary", False)), side=min(w, h), text=label))
            return
        if isinstance(widget, ScrollView):
            clip = visible_box(widget)
        for child in widget.children:
            walk(child, clip)

    walk(root, (0, 0, window.width, window.height) if window is not None else None)
    return found
