"""Contrast as drawn: on a screenshot of the home screen, every word OCR finds stands out from what is
behind it by at least 7:1 (WCAG 1.4.6), measured on the pixels, not on the theme's numbers."""
import subprocess
from collections import Counter

import pytest

from tests.conftest import DEMO_FEED

pytestmark = pytest.mark.ui

MIN_SHARE = 0.04  # a colour must cover this share of a word's box to count as its text colour


def luminance(rgb) -> float:
    def channel(c):
        c /= 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(a, b) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def pixels(image, width, height) -> bytes:
    return subprocess.run(["convert", str(image), "-depth", "8", "rgb:-"], capture_output=True, check=True,
                          timeout=30).stdout[:width * height * 3]


def word_contrast(raw: bytes, width: int, box) -> tuple[float, tuple, tuple]:
    """(ratio, text colour, background colour) of one word's box: the background is its commonest
    colour, the text the colour (of at least MIN_SHARE of the box) that differs most from it."""
    x, y, w, h = box
    counts = Counter()
    for row in range(y, y + h):
        start = (row * width + x) * 3
        line = raw[start:start + w * 3]
        counts.update(tuple(line[i:i + 3]) for i in range(0, len(line) - 2, 3))
    total = sum(counts.values())
    background = counts.most_common(1)[0][0]
    candidates = [c for c, n in counts.items() if c != background and n >= MIN_SHARE * total]
    text = max(candidates, key=lambda c: ratio(c, background)) if candidates else background
    return ratio(text, background), text, background


def test_every_word_on_the_rendered_home_screen_has_7_to_1(screen_factory, tmp_path):
    width, height = 800, 480
    screen = screen_factory(width, height)
    config = tmp_path / "kiosk.toml"
    config.write_text('[delivery.webhook]\nurl = "http://127.0.0.1:9/hook"\ntoken = "t"\n')
    screen.start_app("--config", str(config), "--feed", str(DEMO_FEED), "--db", str(tmp_path / "k.db"),
                     "--date", "2024-03-13", "--time", "10:30")
    screen.wait_log("first programme frame drawn")
    image = screen.shot("contrast-home-800x480")
    raw = pixels(image, width, height)
    words = [w for w in screen.words(image, "raw") if len(w[0]) >= 3 and w[3] > 4 and w[4] > 4]
    assert len(words) >= 15, words  # the header, the rows and the bottom bar were read
    measured = [(word[0], *word_contrast(raw, width, word[1:])) for word in words]
    low = [(text, round(r, 1), fg, bg) for text, r, fg, bg in measured if r < 7]
    assert low == [], low
