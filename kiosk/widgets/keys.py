"""The values the keypads (kiosk/widgets/keypad.py) send that are not characters, for those who read them
without loading the keypads and their kv rules."""

BACKSPACE = "backspace"
