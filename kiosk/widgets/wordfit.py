"""Whether a text's words fit a width, for a key that shows a shorter text when they do not; and a text
broken into two lines, for a button that gives up width."""
from __future__ import annotations

import functools


@functools.lru_cache(maxsize=512)
def words_fit(text: str, room: float, font_size: float, lines: int = 2) -> bool:
    """Whether `text` fits in at most `lines` lines of `room` pixels in bold `font_size`, no word broken in
    two (Kivy would break one: "activiteite|n"); the words wrapped as Kivy wraps them, greedily.
    Remembered: kv asks again at every pass of a layout, mostly with the same width."""
    used, line = 0, ""
    for word in text.split():
        if line_width(word, font_size) > room:
            return False
        joined = f"{line} {word}" if line else word
        if line and line_width(joined, font_size) > room:
            used, joined = used + 1, word
        line = joined
    return used + (1 if line else 0) <= lines


@functools.lru_cache(maxsize=1024)
def line_width(text: str, font_size: float) -> float:
    """The width of one line of `text` in bold `font_size`, in pixels."""
    from kivy.core.text import Label as CoreLabel

    return CoreLabel(font_size=font_size, bold=True).get_extents(text)[0]


def in_two_lines(text: str) -> str:
    """`text` with its space nearest the middle made a line break ("Bel mij\nterug"); one word stays as
    it is."""
    words = text.split()
    if len(words) < 2:
        return text
    middle = len(text) / 2
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - middle))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
