"""The theme's colours: every text on its background at WCAG AAA (7:1)."""


def test_every_text_colour_pair_of_the_theme_reaches_7_to_1():
    from kiosk.theme import PALETTE, TEXT_PAIRS

    def luminance(hex_colour):
        channels = [int(hex_colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    for text, background in TEXT_PAIRS:
        light, dark = sorted((luminance(PALETTE[text]), luminance(PALETTE[background])), reverse=True)
        assert (light + 0.05) / (dark + 0.05) >= 7, (text, background)
