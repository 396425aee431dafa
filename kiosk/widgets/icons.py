"""Simple line icons drawn on the canvas, so they stay sharp at every size and need no image files."""
from __future__ import annotations

import math

from kivy.graphics import Color, Ellipse, Line, Mesh, Rectangle
from kivy.properties import ListProperty, StringProperty
from kivy.uix.widget import Widget

KINDS = ("globe", "speaker", "stop", "phone", "text_size", "check", "home",
         "form", "food", "book", "chat", "people", "house",  # topics (sync.callback.config.TOPIC_ICONS)
         "sunrise", "sun", "moon", "clock",  # moments of the day
         "sync", "send", "gear", "power",  # the admin's actions
         "down", "up",  # the programme: more activities below, back to the top
         "heart")  # volunteering


class Icon(Widget):
    """A square icon of `kind`, centred in the widget, in `color`."""

    kind = StringProperty("globe")
    color = ListProperty([0, 0, 0, 1])

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(pos=self._draw, size=self._draw, kind=self._draw, color=self._draw)
        self._draw()

    def _draw(self, *_args) -> None:
        self.canvas.clear()
        side = min(self.width, self.height)
        if side <= 0 or not self.kind:
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
    def _down(x, y, s, w):
        Line(points=[x + s * 0.5, y + s * 0.85, x + s * 0.5, y + s * 0.2], width=w, cap="round")  # an arrow down
        Line(points=[x + s * 0.2, y + s * 0.48, x + s * 0.5, y + s * 0.16, x + s * 0.8, y + s * 0.48],
             width=w, joint="round", cap="round")

    @staticmethod
    def _up(x, y, s, w):
        Line(points=[x + s * 0.5, y + s * 0.15, x + s * 0.5, y + s * 0.8], width=w, cap="round")  # an arrow up
        Line(points=[x + s * 0.2, y + s * 0.52, x + s * 0.5, y + s * 0.84, x + s * 0.8, y + s * 0.52],
             width=w, joint="round", cap="round")

    @staticmethod
    def _stop(x, y, s, _w):
        Rectangle(pos=(x + s * 0.2, y + s * 0.2), size=(s * 0.6, s * 0.6))

    @staticmethod
    def _phone(x, y, s, w):
        cx, cy, r = x + s * 0.5, y + s * 0.28, s * 0.36  # the handset (arc and ends) centred
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

    @staticmethod
    def _form(x, y, s, w):
        # a sheet with a folded corner and lines of writing
        l, r, b, t, fold = x + s * 0.2, x + s * 0.8, y + s * 0.06, y + s * 0.94, s * 0.2
        Line(points=[l, b, r, b, r, t - fold, r - fold, t, l, t], width=w, close=True, joint="round")
        for row in (0.64, 0.46, 0.28):  # thinner than the outline, so the lines stay apart at every size
            Line(points=[l + s * 0.12, y + s * row, r - s * 0.12, y + s * row], width=w * 0.6)

    @staticmethod
    def _food(x, y, s, w):
        # a shopping bag with its handle
        Line(points=[x + s * 0.14, y + s * 0.62, x + s * 0.86, y + s * 0.62, x + s * 0.78, y + s * 0.06,
                     x + s * 0.22, y + s * 0.06], width=w, close=True, joint="round")
        Line(circle=(x + s * 0.5, y + s * 0.62, s * 0.2, -90, 90), width=w)

    @staticmethod
    def _book(x, y, s, w):
        # an open book: two pages meeting at the spine
        cx = x + s * 0.5
        for side in (-1, 1):
            outer = cx + side * s * 0.44
            Line(points=[cx, y + s * 0.16, outer, y + s * 0.24, outer, y + s * 0.86, cx, y + s * 0.78],
                 width=w, joint="round")
        Line(points=[cx, y + s * 0.16, cx, y + s * 0.78], width=w)

    @staticmethod
    def _chat(x, y, s, w):
        # a speech balloon with its tail at the bottom left
        Line(rounded_rectangle=(x + s * 0.08, y + s * 0.3, s * 0.84, s * 0.58, s * 0.12), width=w)
        Line(points=[x + s * 0.26, y + s * 0.3, x + s * 0.2, y + s * 0.08, x + s * 0.44, y + s * 0.3],
             width=w, joint="round")

    @staticmethod
    def _people(x, y, s, w):
        # two people: heads and shoulders
        for cx, r in ((0.3, 0.14), (0.72, 0.12)):
            Ellipse(pos=(x + s * (cx - r), y + s * (0.72 - r)), size=(2 * s * r, 2 * s * r))
            Line(circle=(x + s * cx, y + s * 0.06, s * (r + 0.1), -90, 90), width=w)

    @staticmethod
    def _house(x, y, s, w):
        # the home icon with a door (housing, rent): the home icon alone means "back to the programme"
        Icon._home(x, y, s, w)
        Line(points=[x + s * 0.42, y + s * 0.1, x + s * 0.42, y + s * 0.38, x + s * 0.58, y + s * 0.38,
                     x + s * 0.58, y + s * 0.1], width=w)

    @staticmethod
    def _heart(x, y, s, w):
        # a heart (volunteering), its outline from the classic parametric curve
        points = []
        for step in range(0, 61):
            a = 2 * math.pi * step / 60
            hx = 16 * math.sin(a) ** 3
            hy = 13 * math.cos(a) - 5 * math.cos(2 * a) - 2 * math.cos(3 * a) - math.cos(4 * a)
            points += [x + s * (0.5 + hx / 36), y + s * (0.52 + hy / 36)]
        Line(points=points, width=w, joint="round", close=True)

    @staticmethod
    def _rays(cx, cy, inner, outer, w, angles):
        for angle in angles:
            a = math.radians(angle)
            Line(points=[cx + inner * math.cos(a), cy + inner * math.sin(a),
                         cx + outer * math.cos(a), cy + outer * math.sin(a)], width=w, cap="round")

    @staticmethod
    def _sunrise(x, y, s, w):
        # half a sun above the horizon
        cx, cy, r = x + s * 0.5, y + s * 0.3, s * 0.22
        Line(circle=(cx, cy, r, -90, 90), width=w)
        Line(points=[x + s * 0.04, cy, x + s * 0.96, cy], width=w, cap="round")
        Icon._rays(cx, cy, r + s * 0.1, r + s * 0.24, w, (20, 55, 90, 125, 160))

    @staticmethod
    def _sun(x, y, s, w):
        cx, cy, r = x + s * 0.5, y + s * 0.5, s * 0.2
        Line(circle=(cx, cy, r), width=w)
        Icon._rays(cx, cy, r + s * 0.1, r + s * 0.26, w, range(0, 360, 45))

    @staticmethod
    def _moon(x, y, s, w):
        # a crescent: the outer arc of one circle, the inner arc of a second one set to the upper right
        cx, cy, big = x + s * 0.5, y + s * 0.5, s * 0.4
        dx, dy, small = s * 0.22, s * 0.16, s * 0.34
        d = math.hypot(dx, dy)
        along = (d * d + big * big - small * small) / (2 * d)  # where the circles cross, along the centres
        half = math.acos(max(-1.0, min(1.0, along / big)))
        base = math.atan2(dy, dx)
        points = []
        for i in range(25):  # the outer arc, the long way round
            a = base + half + (2 * math.pi - 2 * half) * i / 24
            points += [cx + big * math.cos(a), cy + big * math.sin(a)]
        ox, oy = cx + dx, cy + dy
        start = math.atan2(points[-1] - oy, points[-2] - ox)
        end = math.atan2(points[1] - oy, points[0] - ox)
        if end > start:
            end -= 2 * math.pi
        for i in range(1, 24):  # the inner arc back, inside the outer circle
            a = start + (end - start) * i / 24
            points += [ox + small * math.cos(a), oy + small * math.sin(a)]
        Line(points=points, width=w, close=True, joint="round")

    @staticmethod
    def _clock(x, y, s, w):
        cx, cy = x + s * 0.5, y + s * 0.5
        Line(circle=(cx, cy, s * 0.42), width=w)
        Line(points=[cx, cy + s * 0.3, cx, cy, cx + s * 0.2, cy - s * 0.1], width=w, joint="round", cap="round")

    @staticmethod
    def _arrow_head(tip_x, tip_y, angle, size, w):
        for turn in (150, -150):
            a = math.radians(angle + turn)
            Line(points=[tip_x, tip_y, tip_x + size * math.cos(a), tip_y + size * math.sin(a)], width=w,
                 cap="round")

    @staticmethod
    def _sync(x, y, s, w):
        # two arrows chasing each other round a circle
        cx, cy, r = x + s * 0.5, y + s * 0.5, s * 0.36
        for start in (0, 180):
            Line(circle=(cx, cy, r, start + 20, start + 160), width=w)
            end = math.radians(90 - (start + 160))  # Kivy's arc angles run clockwise from 12 o'clock
            tip_x, tip_y = cx + r * math.cos(end), cy + r * math.sin(end)
            Icon._arrow_head(tip_x, tip_y, math.degrees(end) - 90, s * 0.16, w)

    @staticmethod
    def _send(x, y, s, w):
        # a paper plane
        Line(points=[x + s * 0.06, y + s * 0.5, x + s * 0.94, y + s * 0.86, x + s * 0.62, y + s * 0.1,
                     x + s * 0.44, y + s * 0.4], width=w, close=True, joint="round")
        Line(points=[x + s * 0.44, y + s * 0.4, x + s * 0.94, y + s * 0.86], width=w)

    @staticmethod
    def _gear(x, y, s, w):
        cx, cy = x + s * 0.5, y + s * 0.5
        Line(circle=(cx, cy, s * 0.28), width=w)
        Line(circle=(cx, cy, s * 0.1), width=w)
        for angle in range(0, 360, 60):
            a = math.radians(angle)
            Line(points=[cx + s * 0.3 * math.cos(a), cy + s * 0.3 * math.sin(a),
                         cx + s * 0.44 * math.cos(a), cy + s * 0.44 * math.sin(a)], width=w * 1.5)

    @staticmethod
    def _power(x, y, s, w):
        cx, cy = x + s * 0.5, y + s * 0.46
        Line(circle=(cx, cy, s * 0.38, 35, 325), width=w)
        Line(points=[cx, cy + s * 0.1, cx, y + s * 0.94], width=w, cap="round")
