"""Marking texts for translation where they are defined, not shown (the kiosk translates them)."""


def N_(message: str) -> str:
    """Marks `message` as a msgid for extraction; returns it unchanged."""
    return message
