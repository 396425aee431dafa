"""Widgets used by several screens: buttons, cards, QR code, keys, the visitor's tools, icons."""
