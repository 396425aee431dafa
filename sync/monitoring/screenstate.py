"""What the screen shows at rest, as the kiosk last saw it: open, closed or clock untrusted.

The kiosk (main thread) saves it in the database's meta table when it changes; the worker reads it
for the metrics file. The database is the way between them, as for callback requests.
"""
from __future__ import annotations

from sync.store import Store

OPEN, CLOSED, CLOCK_UNTRUSTED = "open", "closed", "clock_untrusted"
STATES = (OPEN, CLOSED, CLOCK_UNTRUSTED)
META_NAME = "screen_state"


def save(store: Store, state: str) -> None:
    if state not in STATES:
        raise ValueError(f"unknown screen state {state!r}")
    store.set_meta(META_NAME, state)


def load(store: Store) -> str | None:
    """The last state saved, or None (no kiosk has run on this database, e.g. `main.py sync --once`)."""
    state = store.get_meta(META_NAME)
    return state if state in STATES else None
