"""Marking texts for translation where they are defined, not shown (the kiosk translates them)."""

# the kiosk's languages (kiosk/i18n/catalogues.py gives each its own name); Dutch is the default
LANGUAGE_CODES = ("nl", "en", "ar", "tr", "pl", "uk")


def N_(message: str) -> str:
    """Marks `message` as a msgid for extraction; returns it unchanged."""
    return message
