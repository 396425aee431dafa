"""Colours, fonts and sizes. Every text/background pair here is meant to reach 7:1 (WCAG AAA)."""
from __future__ import annotations

from sync.config import ASSETS

FONTS = ASSETS / "fonts"


def rgb(hex_colour: str) -> tuple[float, float, float, float]:
    h = hex_colour.lstrip("#")
    return tuple(int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)) + (1.0,)


# name: hex. Pairs used on screen are listed in TEXT_PAIRS (checked by a test).
PALETTE = {
    "background": "#F6F2EA",  # warm paper
    "card": "#FFFFFF",
    "card_past": "#ECE7DD",
    "card_now": "#FFE7A3",  # soft yellow: what is on now
    "card_cancelled": "#F7E1DE",
    "ink": "#1A1A1A",
    "ink_muted": "#474747",
    "accent": "#0A4F5C",  # deep teal: header and buttons
    "on_accent": "#FFFFFF",
    "cancelled": "#8A1C12",
    "next": "#0A4F5C",
    "night": "#10191B",  # closed and clock screens: dim
    "on_night": "#E6E6E6",
    "on_night_muted": "#B8B8B8",
    "key": "#FFFFFF",  # on-screen keys
    "key_edge": "#8A6E4B",  # a key's outline (not text; a hue no text blends into, so tests can find keys)
    "error": "#8A1C12",  # inline error text on the page
}

TEXT_PAIRS = [
    ("ink", "background"), ("ink", "card"), ("ink", "card_now"), ("ink", "card_past"),
    ("ink_muted", "card_past"), ("ink_muted", "background"), ("ink_muted", "card"),
    ("on_accent", "accent"), ("cancelled", "card_cancelled"), ("ink", "card_cancelled"),
    ("next", "card"), ("on_night", "night"), ("on_night_muted", "night"),
    ("ink", "key"), ("error", "background"),
]

C = {name: rgb(value) for name, value in PALETTE.items()}


def register_fonts() -> None:
    """Make Noto Sans with Noto Sans Arabic (one merged file, see assets/fonts/merge.py) the font of every
    label, drawn through the shaping provider (joined Arabic, right-to-left lines), in boxes that mirror."""
    from kivy.core.text import LabelBase

    from kiosk.i18n import mirror, shaping

    LabelBase.register(
        name="Roboto",
        fn_regular=str(FONTS / "WijkkioskSans-Regular.ttf"),
        fn_bold=str(FONTS / "WijkkioskSans-Bold.ttf"),
    )
    shaping.install()
    mirror.install()
