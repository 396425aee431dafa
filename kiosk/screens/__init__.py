"""The visitor's and the admin's screens: one .py (+ .kv) per screen; the callback steps together."""
