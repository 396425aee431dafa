"""Right-to-left text in Kivy labels: Arabic letters joined, lines laid out right to left.

Kivy's SDL2 text provider neither shapes nor reorders. `ShapingLabel` is that provider with three
changes, so every label of the app gets them without knowing it:

- widths are measured on shaped text (`arabic_reshaper`), so Kivy wraps the logical text correctly;
- each wrapped line is reordered (`bidi.get_display`) only when it is drawn: wrap first, then reorder,
  so the first line of a paragraph stays on top;
- with `base_direction` "rtl" (set on every label while the screen is in Arabic), alignment means start
  and end: "left" is drawn on the right and "right" on the left, so a mirrored layout needs no other change;
  mixed lines (Arabic with "Kookhuis 17:30") take the paragraph's direction, and brackets and chevrons in
  right-to-left runs are mirrored ("‹ رجوع" becomes "رجوع ›"). Text without right-to-left letters (a Dutch
  title on the Arabic screen) keeps its own order.

Markup labels keep Kivy's own provider: the app uses none.
"""
from __future__ import annotations

import functools
import re
import unicodedata

from kivy.core.text import Label as ProviderLabel

# Hebrew, Arabic, Syriac, Thaana, NKo, ... and the Arabic presentation forms
_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc]")

# The one right-to-left text of a start in any other language: the language bar's "العربية", as the two
# libraries shape and reorder it (tests/test_shaping.py holds it to them). Without it they were imported
# and set up before the first frame for this one word: 10 ms. Other texts import them when first drawn:
# the visitor who chooses Arabic waits those 10 ms once; a house where nobody does keeps 0.7 MB.
KNOWN_SHAPED = {"العربية": "\ufe8d\ufedf\ufecc\ufeae\ufe91\ufef4\ufe94"}
KNOWN_VISUAL = {("العربية", rtl): "\ufe94\ufef4\ufe91\ufeae\ufecc\ufedf\ufe8d" for rtl in (True, False)}


def needs_shaping(text: str) -> bool:
    return _RTL.search(text) is not None


@functools.lru_cache(maxsize=2048)
def shaped(text: str) -> str:
    """Arabic letters in their joined forms, still in logical order."""
    if text in KNOWN_SHAPED:
        return KNOWN_SHAPED[text]
    if not needs_shaping(text):
        return text
    import arabic_reshaper

    return arabic_reshaper.reshape(text)


def _strong(char: str) -> str | None:
    """'L' or 'R' for a letter or number that sets the direction of the brackets around it."""
    kind = unicodedata.bidirectional(char)
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):  # numbers count as right-to-left for neutrals (UBA rule N1)
        return "R"
    return None


_PAIRS = {"(": ")", "[": "]", "{": "}"}


def _bracket_directions(line: str, base: str) -> dict[int, str]:
    """The direction of each bracket pair that encloses a letter (UBA rule N0), by position."""
    found, stack = {}, []
    for i, char in enumerate(line):
        if char in _PAIRS:
            stack.append(i)
        elif stack and char == _PAIRS[line[stack[-1]]]:
            opening = stack.pop()
            inside = {d for d in map(_strong, line[opening + 1:i]) if d}
            if not inside:
                continue
            if base in inside:
                direction = base
            else:  # only the opposite direction inside: it holds if the text before the pair has it too
                direction = next((d for d in map(_strong, reversed(line[:opening])) if d), base)
            found[opening] = found[i] = direction
    return found


def mirrored(line: str, rtl: bool) -> str:
    """Brackets and chevrons that stand in a right-to-left run, as their mirror glyphs.

    A bracket pair around letters takes their direction (UBA N0, simplified); any other neutral takes the
    direction of its neighbours when they agree, else the paragraph's (N1, N2).
    """
    from bidi.mirror import MIRRORED

    if not any(char in MIRRORED for char in line):
        return line
    base = "R" if rtl else "L"
    pairs = _bracket_directions(line, base)
    out = list(line)
    for i, char in enumerate(line):
        if char not in MIRRORED:
            continue
        direction = pairs.get(i)
        if direction is None:
            before = next((d for d in map(_strong, reversed(line[:i])) if d), base)
            after = next((d for d in map(_strong, line[i + 1:]) if d), base)
            direction = before if before == after else base
        if direction == "R":
            out[i] = MIRRORED[char]
    return "".join(out)


@functools.lru_cache(maxsize=2048)
def visual(line: str, rtl: bool) -> str:
    """One line as it is drawn from left to right: shaped, mirrored, then reordered."""
    if (line, rtl) in KNOWN_VISUAL:
        return KNOWN_VISUAL[line, rtl]
    if not needs_shaping(line):
        return line
    from bidi import get_display

    return get_display(mirrored(shaped(line), rtl), base_dir="R" if rtl else "L")


class ShapingLabel(ProviderLabel):
    """The platform's text provider, shaping and reordering right-to-left text line by line."""

    def get_extents(self, text):
        return super().get_extents(shaped(text))

    def _rtl(self) -> bool:
        direction = self.options.get("base_direction")
        if direction:
            return "rtl" in direction
        return needs_shaping(self.text)

    def render_lines(self, lines, options, render_text, y, size):
        rtl = self._rtl()
        if rtl:
            start_end = {"left": "right", "auto": "right", "right": "left"}
            options = dict(options, halign=start_end.get(options["halign"], options["halign"]))

        def render_visual(line, x, line_y):
            render_text(visual(line, rtl), x, line_y)

        return super().render_lines(lines, options, render_visual, y, size)


def install() -> None:
    """Make every Kivy Label draw through `ShapingLabel` (call before the first label is made)."""
    import kivy.uix.label

    kivy.uix.label.CoreLabel = ShapingLabel
