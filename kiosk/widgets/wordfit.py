"""Whether a text's words fit a width, for a key that shows a shorter text when they do not; and a text
broken into two lines, for a button that gives up width."""
from __future__ import annotations


def words_fit(text: str, room: float, font_size: float, lines: int = 2) -> bool:
    """Whether `text` fits in at most `lines` lines of `room` pixels in bold `font_size`, no word broken in
    two (Kivy would break one: "activiteite|n"); the words wrapped as Kivy wraps them, greedily."""
    from kivy.core.text import Label as CoreLabel

    measure = CoreLabel(font_size=font_size, bold=True)
    used, line = 0, ""
    for word in text.split():
        if measure.get_extents(word)[0] > room:
            return False
        joined = f"{line} {word}" if line else word
        if line and measure.get_extents(joined)[0] > room:
            used, joined = used + 1, word
        line = joined
    return used + (1 if line else 0) <= lines


def in_two_lines(text: str) -> str:
    """`text` with its space nearest the middle made a line break ("Bel mij\nterug"); one word stays as
    it is."""
    words = text.split()
    if len(words) < 2:
        return text
    middle = len(text) / 2
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - middle))
    return " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
