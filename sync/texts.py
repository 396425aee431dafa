"""Marking texts for translation where they are defined, not shown (the kiosk translates them)."""

# the kiosk's languages, in the language bar's order, each in its own name; Dutch is the default
LANGUAGES = {
    "nl": "Nederlands",
    "en": "English",
    "ar": "العربية",
    "tr": "Türkçe",
    "pl": "Polski",
    "uk": "Українська",
}
DEFAULT_LANGUAGE = "nl"
RTL_LANGUAGES = frozenset({"ar"})  # written right to left: the layout mirrors


def N_(message: str) -> str:
    """Marks `message` as a msgid for extraction; returns it unchanged."""
    return message
