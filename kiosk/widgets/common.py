"""Reusable widgets: a big button, a tappable card, a crisp QR code."""
from __future__ import annotations

import logging

from kivy.graphics.texture import Texture
from kivy.properties import BooleanProperty, ListProperty, NumericProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.floatlayout import FloatLayout
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from kiosk import kvcache
from kiosk.widgets.icons import Icon  # noqa: F401  (the kv rules below use it)

log = logging.getLogger("wijkkiosk")

QUIET_ZONE = 4  # modules of white around the code, as the standard asks
# One fixed mask instead of scoring all eight: the scoring is pure Python and runs on the main
# thread at every tap on an activity (measured 13-14 ms a code with it, about 4 ms without). The
# standard allows any mask; the score only avoids patterns that might confuse a scanner.
MASK_PATTERN = 0


class BigButton(ButtonBehavior, Label):
    """A large, high-contrast button with a text label."""

    primary = BooleanProperty(False)  # a screen's main action: held to 20 mm instead of 15 (tests)
    icon = StringProperty("")  # a kiosk.widgets.icons kind, drawn above the words
    icon_side = NumericProperty(48)


class ChoiceButton(BigButton):
    """A light button for one of several choices (topics, moments, keys); actions stay dark."""


class Card(ButtonBehavior, FloatLayout):
    """A rounded, tappable panel; its rule places the children."""

    background = ListProperty([1, 1, 1, 1])
    primary = BooleanProperty(False)


def qr_matrix(data: str) -> list[list[bool]] | None:
    """The modules of the QR code for `data`, without quiet zone (True = dark); None when it does not fit
    in a QR code at all (the screen then shows none rather than fail; kiosk.screens.takeaway keeps
    payloads far smaller)."""
    import qrcode  # when the first code is drawn, not before the programme's first frame
    import qrcode.exceptions

    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0, mask_pattern=MASK_PATTERN)
    code.add_data(data)
    try:
        code.make(fit=True)
    except (ValueError, qrcode.exceptions.DataOverflowError):  # "Invalid version" past version 40
        log.warning("QR code not drawn: %d bytes do not fit", len(data.encode("utf-8")))
        return None
    return code.get_matrix()


class QRCode(Widget):
    """Draws `data` as a QR code from the qrcode matrix, one texel per module, nearest filter."""

    data = StringProperty("")
    texture = ObjectProperty(None, allownone=True)

    def on_data(self, _instance, data: str) -> None:
        if not data:
            self.texture = None
            return
        matrix = qr_matrix(data)
        if matrix is None:
            self.texture = None
            return
        n = len(matrix) + 2 * QUIET_ZONE
        pixels = bytearray(b"\xff" * (n * n))
        for y, row in enumerate(matrix):
            # Kivy textures start at the bottom row
            base = (n - 1 - (y + QUIET_ZONE)) * n + QUIET_ZONE
            for x, dark in enumerate(row):
                if dark:
                    pixels[base + x] = 0
        texture = Texture.create(size=(n, n), colorfmt="luminance")
        texture.mag_filter = "nearest"
        texture.min_filter = "nearest"
        texture.blit_buffer(bytes(pixels), colorfmt="luminance", bufferfmt="ubyte")
        self.texture = texture

    def snap(self, available: float, texture=None) -> int:
        """The largest side <= `available` that gives every module the same whole number of pixels."""
        texture = texture or self.texture
        if texture is None:
            return int(available)
        n = texture.width
        return max(n, int(available // n) * n)


kvcache.load_beside(__file__)
