"""What the screens ask for: the one place on the main thread that writes the store or commands the worker
(for the screens, the daily figures and the resting screen).

Messages up: a screen calls `app.controller.submit_request(...)`, `submit_signup(...)`, `retry_rejected()`, `sync_now()`,
`check_pin(...)`, `reload_config()`; it never touches the store or the worker itself. Every "now"
here is the kiosk's clock (shifted by --date/--time in a preview), the same one the worker uses.
"""
from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from sync.callback import outbox
from sync.device.clock import KioskClock
from sync.monitoring import figures, screenstate
from sync.store import Store
from kiosk.bridge import WorkerBridge

if TYPE_CHECKING:
    from sync.device import pin

log = logging.getLogger("wijkkiosk")


class KioskController:
    def __init__(self, store: Store, clock: KioskClock, bridge: WorkerBridge, db_path: str,
                 reload_config: Callable[[], str], on_request: Callable[[str], None] = lambda _topic: None,
                 demo: bool = False):
        self.store, self.clock, self.bridge, self.db_path = store, clock, bridge, db_path
        self._reload_config = reload_config
        self.on_request = on_request  # the daily figures count the topic (kiosk/figures.py)
        self.demo = demo  # no settings file: requests are shown to their end, never kept, sent or counted

    # -- the visitor ---------------------------------------------------------------------------------

    def submit_request(self, request: outbox.CallbackRequest) -> str:
        """Commit a callback request (one small insert), then wake the worker to deliver it.

        sqlite3.Error when it could not be stored: the screen says so and keeps the form. In the demo
        nothing is written and "" is returned."""
        if self.demo:
            log.info("demonstration: the callback request is not kept or sent")
            return ""
        request_id = outbox.submit(self.store, request, self.clock.now())
        log.info("callback %s stored", request_id)
        self.on_request(request.topic)
        self.bridge.wake()
        return request_id

    def submit_signup(self, request: outbox.CallbackRequest) -> str:
        """Commit a sign-up (`outbox.signup_request`) like a callback request, then wake the worker.

        ValueError when it is not a complete sign-up, sqlite3.Error when it could not be stored. In the
        demo nothing is written and "" is returned."""
        if not request.is_signup:
            raise ValueError("not a sign-up")
        outbox.validate(request)  # the demo refuses what the real kiosk would
        if self.demo:
            log.info("demonstration: the sign-up is not kept or sent")
            return ""
        request_id = outbox.submit(self.store, request, self.clock.now())
        log.info("signup %s stored", request_id)
        self.bridge.wake()
        return request_id

    def signups_for(self, activity_key: str) -> int:
        """People signed up at this kiosk for the occurrence (Occurrence.key)."""
        return outbox.signups_for(self.store, activity_key)

    # -- what the kiosk counts and shows (no personal data) ------------------------------------------

    def add_figures(self, counts) -> None:
        """The visitors' daily counts (kiosk/figures.py), in one transaction; sqlite3.Error if not stored."""
        figures.add(self.store, counts)

    def save_screen_state(self, state: str, wake: bool = True) -> None:
        """open / closed / clock for the metrics file; when it changed, the worker is woken to write it."""
        if screenstate.load(self.store) != state:
            screenstate.save(self.store, state)
            if wake:
                self.bridge.wake()

    # -- the admin -----------------------------------------------------------------------------------

    def check_pin(self, digits: str) -> pin.PinCheck:
        # a slow hash on purpose (~0.1-0.25 s): rare, and only on the admin's tap, never a visitor's
        from sync.device import pin  # here: hashlib is not needed before the first frame

        return pin.check_pin(self.store, digits, self.clock.now())

    def sync_now(self) -> None:
        self.bridge.force()

    def retry_rejected(self) -> int:
        """Queue the refused requests again, due now; the number of them."""
        count = outbox.retry_rejected(self.store, self.clock.now())
        self.bridge.wake()
        return count

    def reload_config(self) -> str:
        """Read the configuration file again and apply it everywhere; a sentence for the admin."""
        return self._reload_config()

    def request_counts(self) -> outbox.Counts:
        return outbox.counts(self.store)

    def request_counts_by_kind(self) -> dict[str, outbox.Counts]:
        """Callback requests and sign-ups apart (outbox.CALLBACK, outbox.SIGNUP)."""
        return outbox.counts_by_kind(self.store)

    def free_disk(self) -> int:
        """Bytes free where the database is."""
        return shutil.disk_usage(Path(self.db_path).resolve().parent).free
