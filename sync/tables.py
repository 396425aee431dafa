"""Checks for the configuration file's tables, one set for every section (sync.config, sync.callback.config).

Each check raises ConfigError naming the setting as `section.key`.
"""
from __future__ import annotations

import math


class ConfigError(ValueError):
    """The configuration file is missing, unreadable or wrong; the message names the key."""


def get(table: dict, where: str, key: str, kind, default, required: bool = False, minimum=None, maximum=None):
    """table[key] (or `default`), of `kind` (a type or a tuple of types), from `minimum` to `maximum`;
    a number must be finite (TOML allows nan and inf)."""
    path = f"{where}.{key}" if where else key
    if key not in table:
        if required:
            raise ConfigError(f"{path}: missing")
        return default
    value = table[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) or not isinstance(value, kinds):
        wanted = {str: "text", int: "a whole number", float: "a number"}[kinds[-1]]
        raise ConfigError(f"{path}: expected {wanted}, got {shown(value)}")
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"{path}: expected a finite number, got {value}")
    if isinstance(value, str) and required and not value.strip():
        raise ConfigError(f"{path}: must not be empty")
    if minimum is not None and value < minimum:
        raise ConfigError(f"{path}: must be at least {minimum:g}, got {shown(value)}")
    if maximum is not None and value > maximum:
        raise ConfigError(f"{path}: must be at most {maximum:g}, got {shown(value)}")
    return value


def shown(value, limit: int = 40) -> str:
    """A setting's value as an error message quotes it: its repr, cut to `limit` characters."""
    if isinstance(value, int) and abs(value) >= 10 ** limit:  # repr() of a 5000-digit number raises
        return f"a number of more than {limit} digits"
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def no_unknown(table: dict, where: str, known: tuple[str, ...]) -> None:
    """Every key of `table` is one of `known`."""
    for key in table:
        if key not in known:
            raise ConfigError(f"{where}.{key}: unknown setting (known: {', '.join(known)})")


def subtable(table: dict, where: str, key: str) -> dict:
    """table[key], which must be a table ([where.key])."""
    value = table[key]
    if not isinstance(value, dict):
        raise ConfigError(f"{where}.{key}: expected a table")
    return value
