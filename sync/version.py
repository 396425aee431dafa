"""The kiosk's version (the admin screen, the monitoring pings and figures): pyproject.toml's.

The kiosk runs from its project folder (docs/install-pi.md), so its pyproject.toml is read; only a copy
without it asks the installed package's metadata. importlib.metadata cost 3.6 MB of the kiosk's
memory: it reads installed packages' METADATA with the email package.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def _version() -> str:
    try:
        with PYPROJECT.open("rb") as fp:
            return str(tomllib.load(fp)["project"]["version"])
    except (OSError, KeyError, TypeError, ValueError):  # ValueError: not TOML, or not UTF-8
        pass
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("wijkkiosk")
    except PackageNotFoundError:
        return "unknown"


VERSION = _version()
