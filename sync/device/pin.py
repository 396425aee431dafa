"""The admin PIN: stored only as a salted scrypt hash; 5 wrong tries lock it for a while.

The lockout lives in the database, so a restart does not reset it. There is no default PIN:
until `python main.py set-pin` has run, the admin screen cannot be opened.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import hmac
import os

from sync.store import Store

N, R, P = 2 ** 15, 8, 1  # ~0.1-0.25 s per check here: slow for a guesser, bearable for an admin
MAX_TRIES = 5
LOCKOUT = dt.timedelta(minutes=15)
MIN_DIGITS, MAX_DIGITS = 4, 8


def valid_pin(pin: str) -> bool:
    return pin.isdigit() and pin.isascii() and MIN_DIGITS <= len(pin) <= MAX_DIGITS


def hash_pin(pin: str, salt: bytes | None = None, n: int = N, r: int = R, p: int = P) -> str:
    salt = salt or os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=n, r=r, p=p, maxmem=256 * 1024 * 1024, dklen=32)
    return f"scrypt${n}${r}${p}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_pin(pin, bytes.fromhex(salt), int(n), int(r), int(p))
    return hmac.compare_digest(candidate.split("$")[-1], digest)


@dataclasses.dataclass(frozen=True)
class PinCheck:
    ok: bool
    reason: str = ""  # "", "no_pin", "wrong", "locked"
    tries_left: int = 0
    locked_until: dt.datetime | None = None


def set_pin(store: Store, pin: str) -> None:
    if not valid_pin(pin):
        raise ValueError(f"the PIN must be {MIN_DIGITS} to {MAX_DIGITS} digits")
    store.set_metas({"admin_pin": hash_pin(pin), "admin_pin_failures": "0", "admin_pin_locked_until": ""})


def check_pin(store: Store, pin: str, now: dt.datetime) -> PinCheck:
    """Check a PIN typed on the admin keypad, counting failures and honouring the lockout."""
    stored = store.get_meta("admin_pin")
    if not stored:
        return PinCheck(False, "no_pin")
    locked = store.get_meta("admin_pin_locked_until")
    if locked:
        until = dt.datetime.fromisoformat(locked)
        if now < until:
            return PinCheck(False, "locked", locked_until=until)
    if verify_pin(pin, stored):
        store.set_metas({"admin_pin_failures": "0", "admin_pin_locked_until": ""})
        return PinCheck(True)
    failures = int(store.get_meta("admin_pin_failures") or 0) + 1  # only the main thread checks PINs
    if failures >= MAX_TRIES:
        until = now + LOCKOUT
        store.set_metas({"admin_pin_failures": "0", "admin_pin_locked_until": until.isoformat()})
        return PinCheck(False, "locked", locked_until=until)
    store.set_meta("admin_pin_failures", str(failures))
    return PinCheck(False, "wrong", tries_left=MAX_TRIES - failures)
