"""Build the kiosk's fonts: Noto Sans (Latin, Greek, Cyrillic) merged with Noto Sans Arabic.

Kivy's text provider draws a label in one font file, and Arabic lines carry Latin names and numbers
("Kookhuis 17:30"), so one file must hold both scripts. Run once when the Noto fonts change:

    pip install fonttools
    python assets/fonts/merge.py /usr/share/fonts/truetype/noto   # Debian: fonts-noto-core

Both fonts are under the SIL Open Font License 1.1 (OFL.txt), which allows this merge.
"""
from __future__ import annotations

import sys
from pathlib import Path

from fontTools.merge import Merger
from fontTools.ttLib import TTFont

HERE = Path(__file__).parent
STYLES = ("Regular", "Bold")


def merge(source: Path, style: str) -> Path:
    latin = source / f"NotoSans-{style}.ttf"
    arabic = source / f"NotoSansArabic-{style}.ttf"
    font = Merger().merge([str(latin), str(arabic)])  # the first font wins shared characters (digits, space)
    # the line height of Noto Sans, not the merger's maximum of both (Arabic's is much taller)
    base = TTFont(str(latin))
    for attr in ("ascent", "descent", "lineGap"):
        setattr(font["hhea"], attr, getattr(base["hhea"], attr))
    for attr in ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent", "usWinDescent"):
        setattr(font["OS/2"], attr, getattr(base["OS/2"], attr))
    names = font["name"]
    for record in names.names:
        if record.nameID in (1, 4, 6, 16):  # family, full name, PostScript name, typographic family
            text = record.toUnicode()
            text = text.replace("NotoSans", "WijkkioskSans").replace("Noto Sans", "Wijkkiosk Sans")
            record.string = text
    target = HERE / f"WijkkioskSans-{style}.ttf"
    font.save(str(target))
    return target


def main(argv: list[str]) -> int:
    source = Path(argv[1] if len(argv) > 1 else "/usr/share/fonts/truetype/noto")
    for style in STYLES:
        target = merge(source, style)
        glyphs = len(TTFont(str(target)).getGlyphOrder())
        print(f"{target.name}: {target.stat().st_size // 1024} KiB, {glyphs} glyphs")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
