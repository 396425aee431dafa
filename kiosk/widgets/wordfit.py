"""Whether a text's words fit a width, for a key that shows a shorter text when they do not."""
from __future__ import annotations


def words_fit(text: str, room: float, font_size: float) -> bool:
    """Whether every word of `text` fits on a line of `room` pixels in bold `font_size` (else Kivy would
    break a word in two: "activiteite|n")."""
    from kivy.core.text import Label as CoreLabel

    measure = CoreLabel(font_size=font_size, bold=True)
    return all(measure.get_extents(word)[0] <= room for word in text.split())

