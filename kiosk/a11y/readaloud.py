"""The text of the screen, to read aloud: `screen_text(root, lang)`.

Collects the visible Labels (buttons are Labels) under `root` in reading order: top to bottom, a row
at a time, left to right (right to left in right-to-left languages). Skipped: widgets with opacity 0
or disabled, and anything with `read_aloud = False` (with its children: the phone number and name
displays, the keypads); Labels of zero size or outside the window or their ScrollView. Each row
becomes one sentence (its parts joined by commas, a full stop added when it has no end punctuation).
Last, anything phonenumbers finds as a phone number (region NL) is removed, as a safety net.

Only `screen_text` touches widgets (and imports Kivy, when called); the rest is pure.
"""
from __future__ import annotations

import dataclasses
import re
import unicodedata

from kiosk.i18n.catalogues import RTL_LANGUAGES

END_PUNCTUATION = ".!?…:;؟۔"
COMMA = {"ar": "،"}
_MARKUP_TAG = re.compile(r"\[/?(b|i|u|s|font|font_context|font_family|font_features|size|color|ref|anchor"
                         r"|sub|sup|text_language)(=[^\]]*)?\]")


@dataclasses.dataclass(frozen=True)
class Piece:
    """One Label's text and its box in window coordinates (y upwards, as in Kivy)."""

    text: str
    left: float
    bottom: float
    right: float
    top: float

    @property
    def middle(self) -> float:
        return (self.bottom + self.top) / 2


# -- pure: order, sentences, phone numbers ------------------------------------------------------------


def reading_rows(pieces: list[Piece], rtl: bool = False) -> list[list[Piece]]:
    """The pieces in rows, top to bottom; a piece whose middle lies within the height of the row's
    first (highest) piece is on that row. Within a row: left to right, or right to left when `rtl`."""
    rows: list[list[Piece]] = []
    for piece in sorted(pieces, key=lambda p: (-p.top, p.left)):
        if rows and rows[-1][0].bottom <= piece.middle <= rows[-1][0].top:
            rows[-1].append(piece)
        else:
            rows.append([piece])
    if rtl:
        return [sorted(row, key=lambda p: (-p.right, -p.top)) for row in rows]
    return [sorted(row, key=lambda p: (p.left, -p.top)) for row in rows]


def sentences(rows: list[list[str]], lang: str) -> str:
    """One sentence per row of texts: parts joined by commas, a full stop where the row has no end
    punctuation; one line per sentence."""
    comma = COMMA.get(lang, ",")
    lines = []
    for row in rows:
        parts = [line for text in row for line in _lines(text)]
        if not parts:
            continue
        sentence = parts[0]
        for part in parts[1:]:
            sentence += (" " if sentence[-1] in END_PUNCTUATION + comma else f"{comma} ") + part
        lines.append(sentence if sentence[-1] in END_PUNCTUATION else sentence + ".")
    return "\n".join(lines)


def without_phone_numbers(text: str) -> str:
    """`text` without anything phonenumbers recognises as a (Dutch or international) phone number."""
    import phonenumbers  # on first use: not needed for the kiosk's start (sync/callback/phone.py)

    matches = list(phonenumbers.PhoneNumberMatcher(text, "NL"))
    for match in reversed(matches):
        text = text[:match.start] + text[match.end:]
    if not matches:
        return text
    text = re.sub(r"[ \t]+", " ", text)
    text = re.sub(r" ([.,;:!?،؟])", r"\1", text)  # "bel ." -> "bel."
    text = re.sub(r"([,،])(?=[.,;:!?،؟])", "", text)  # ", ." -> "."
    return "\n".join(line.strip() for line in text.split("\n"))


def plain_text(text: str, markup: bool = False) -> str:
    """A Label's text as words: without Kivy markup and icon glyphs (private use characters)."""
    if markup:
        text = _MARKUP_TAG.sub("", text).replace("&bl;", "[").replace("&br;", "]").replace("&amp;", "&")
    return "".join(ch for ch in text if unicodedata.category(ch) != "Co")


def _lines(text: str) -> list[str]:
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


# -- the widget tree -------------------------------------------------------------------------------


def screen_text(root, lang: str) -> str:
    """What to read aloud of the widgets under `root` (e.g. the current screen), in language `lang`."""
    rows = reading_rows(collect(root), rtl=lang in RTL_LANGUAGES)
    return without_phone_numbers(sentences([[piece.text for piece in row] for row in rows], lang))


def collect(root) -> list[Piece]:
    """The visible, readable Labels under `root`, each with its box in window coordinates."""
    window = root.get_root_window()
    clip = (0.0, 0.0, float(window.width), float(window.height)) if window is not None else None
    pieces: list[Piece] = []
    _walk(root, clip, pieces)
    return pieces


def _walk(widget, clip, pieces: list[Piece]) -> None:
    from kivy.uix.label import Label
    from kivy.uix.stencilview import StencilView

    if getattr(widget, "read_aloud", True) is False or widget.opacity <= 0 or widget.disabled:
        return
    box = _window_box(widget)
    if isinstance(widget, StencilView):  # a ScrollView shows only what lies within it
        clip = _intersection(clip, box)
        if clip is None:
            return
    if isinstance(widget, Label) and widget.text.strip() and widget.width > 0 and widget.height > 0:
        if _intersection(clip, box) is not None:
            text = without_phone_numbers(plain_text(widget.text, widget.markup))
            if text.strip():
                pieces.append(Piece(text, *box))
    for child in reversed(widget.children):  # children lists the last added first
        _walk(child, clip, pieces)


def _window_box(widget) -> tuple[float, float, float, float]:
    left, bottom = widget.to_window(widget.x, widget.y)
    right, top = widget.to_window(widget.right, widget.top)
    return min(left, right), min(bottom, top), max(left, right), max(bottom, top)


def _intersection(clip, box):
    if clip is None:
        return box
    left, bottom = max(clip[0], box[0]), max(clip[1], box[1])
    right, top = min(clip[2], box[2]), min(clip[3], box[3])
    return (left, bottom, right, top) if right > left and top > bottom else None
