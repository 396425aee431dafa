"""Text that does not fit: a label whose text is larger than its box (drawn over its neighbours), cut
short with an ellipsis, partly off the window, or drawn over another label's text. The largest text size
must leave none of these."""
from __future__ import annotations

TOLERANCE_PX = 2.0


def _intersection(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    return (x0, y0, x1 - x0, y1 - y0) if x1 > x0 and y1 > y0 else None


def problems(root) -> list[str]:
    """Every visible label under `root` whose text does not fit, in words."""
    from kivy.uix.label import Label
    from kivy.uix.scrollview import ScrollView

    window = root.get_root_window()
    found: list[str] = []
    drawn: list[tuple[str, tuple]] = []  # (text, the part of its texture one can see)

    def walk(widget, clip):
        if widget.opacity <= 0 or widget.width <= 0 or widget.height <= 0:
            return
        x, y = widget.to_window(widget.x, widget.y)
        if isinstance(widget, Label) and widget.text.strip():
            text = " ".join(widget.text.split())[:40]
            tw, th = widget.texture_size
            inner = getattr(widget._label, "_internal_size", None)  # the text itself, beyond a fixed text_size
            if inner:
                tw, th = max(tw, inner[0]), max(th, inner[1])
            if th > widget.height + TOLERANCE_PX or tw > widget.width + TOLERANCE_PX:
                found.append(f"{text!r}: text {tw:.0f}x{th:.0f} px in a box of {widget.width:.0f}x{widget.height:.0f}")
            elif widget.shorten and getattr(widget._label, "is_shortened", False) and not getattr(widget, "cut_to_fit", False):
                found.append(f"{text!r}: cut short")
            if clip is None and window is not None:
                if x < -TOLERANCE_PX or y < -TOLERANCE_PX or x + widget.width > window.width + TOLERANCE_PX \
                        or y + widget.height > window.height + TOLERANCE_PX:
                    found.append(f"{text!r}: partly off the screen")
            # Kivy draws a label's texture centred in its box
            cx, cy = x + widget.width / 2, y + widget.height / 2
            ink = (cx - widget.texture_size[0] / 2, cy - widget.texture_size[1] / 2, *widget.texture_size)
            visible = _intersection(ink, clip) if clip is not None else ink
            if visible:
                drawn.append((text, visible))
        if isinstance(widget, ScrollView):
            box = (x, y, widget.width, widget.height)
            clip = _intersection(box, clip) if clip is not None else box
            if clip is None:
                return
        for child in widget.children:
            walk(child, clip)

    walk(root, None)
    for i, (text_a, a) in enumerate(drawn):
        for text_b, b in drawn[i + 1:]:
            both = _intersection(a, b)
            if both and both[2] > TOLERANCE_PX and both[3] > TOLERANCE_PX:
                found.append(f"{text_a!r} and {text_b!r} are drawn over each other")
    return found
