"""Simple line icons drawn on the canvas, so they stay sharp at every size and need no image files."""
from __future__ import annotations

import math

from kivy.graphics import Color, Ellipse, Line, Mesh, Rectangle
from kivy.properties import ListProperty, StringProperty
from kivy.uix.widget import Widget

KINDS = ("globe", "speaker", "stop", "phone", "text_size", "check", "home")


class Icon(Widget):
    """A square icon of `kind`, centred in the widget, in `color`."""

    kind = StringProperty("globe")
    color = ListProperty([0, 0, 0, 1])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, kind=self._draw, color=self._draw)

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        side = min(self.width, self.height)
        if side <= 0:
            return
        x, y = self.center_x - side / 2, self.center_y - side / 2
        stroke = max(1.0, side / 14)
        with self.canvas:
            Color(*self.color)
            getattr(self, "_" + self.kind)(x, y, side, stroke)

    @staticmethod
    def _globe(x, y, s, w):
        cx, cy, r = x + s / 2, y + s / 2, s / 2 - w
        Line(circle=(cx, cy, r), width=w)
        Line(ellipse=(cx - r * 0.45, cy - r, r * 0.9, 2 * r), width=w)
        Line(points=[cx - r, cy, cx + r, cy], width=w)
        Line(points=[cx, cy - r, cx, cy + r], width=w)

    @staticmethod
    def _speaker(x, y, s, w):
        body = [x + s * 0.08, y + s * 0.36, x + s * 0.28, y + s * 0.36, x + s * 0.52, y + s * 0.14,
                x + s * 0.52, y + s * 0.86, x + s * 0.28, y + s * 0.64, x + s * 0.08, y + s * 0.64]
        vertices = []
        for i in range(0, len(body), 2):
            vertices += [body[i], body[i + 1], 0, 0]
        Mesh(vertices=vertices, indices=list(range(6)), mode="triangle_fan")
        for radius in (0.2, 0.34):
            Line(circle=(x + s * 0.5, y + s * 0.5, s * radius, 50, 130), width=w)

    @staticmethod
    def _stop(x, y, s, _w):
        Rectangle(pos=(x + s * 0.2, y + s * 0.2), size=(s * 0.6, s * 0.6))

    @staticmethod
    def _phone(x, y, s, w):
        cx, cy, r = x + s * 0.5, y + s * 0.42, s * 0.36
        Line(circle=(cx, cy, r, -60, 60), width=w * 1.6)
        for angle in (-60, 60):
            a = math.radians(90 - angle)
            ex, ey = cx + r * math.cos(a), cy + r * math.sin(a)
            Ellipse(pos=(ex - s * 0.12, ey - s * 0.1), size=(s * 0.24, s * 0.2))

    @staticmethod
    def _text_size(x, y, s, w):
        # a small and a large "A"
        for left, height in ((0.04, 0.5), (0.42, 0.86)):
            width = height * 0.62
            bx, by = x + s * left, y + s * 0.07
            Line(points=[bx, by, bx + s * width / 2, by + s * height, bx + s * width, by], width=w)
            Line(points=[bx + s * width * 0.22, by + s * height * 0.4,
                         bx + s * width * 0.78, by + s * height * 0.4], width=w)

    @staticmethod
    def _check(x, y, s, w):
        Line(points=[x + s * 0.12, y + s * 0.5, x + s * 0.4, y + s * 0.22, x + s * 0.88, y + s * 0.78],
             width=w * 1.4, joint="round", cap="round")

    @staticmethod
    def _home(x, y, s, w):
        Line(points=[x + s * 0.08, y + s * 0.5, x + s * 0.5, y + s * 0.9, x + s * 0.92, y + s * 0.5],
             width=w, joint="round", cap="round")
        Line(points=[x + s * 0.2, y + s * 0.58, x + s * 0.2, y + s * 0.1, x + s * 0.8, y + s * 0.1,
                     x + s * 0.8, y + s * 0.58], width=w, joint="round")
