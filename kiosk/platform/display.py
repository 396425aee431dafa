"""Display power: the configured commands that switch the panel off when the house closes and on again."""
from __future__ import annotations

import logging
import shlex
import subprocess

log = logging.getLogger("wijkkiosk")


def run_display_command(command: str) -> None:
    """Start `command` ([screen] display_on_command / display_off_command) and do not wait for it."""
    if command:
        try:
            subprocess.Popen(shlex.split(command), stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        except OSError as exc:
            log.warning("display command failed: %s", exc)
