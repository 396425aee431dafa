"""A feed's parse and expansion in the bounded child process (sync.isolated): the one way the kiosk's
worker, `sync`, `check` and `programme` run it. The child has a CPU and a memory budget
(sync.schedule.limits); whatever goes wrong in it comes back as SourceInvalid with one short line.

The parsers (icalendar, jsonschema) are imported in the child only: the kiosk's first frame does
not wait for them, and its process never holds them.
"""
from __future__ import annotations

import datetime as dt

from sync import isolated
from sync.errors import SourceInvalid, one_line
from sync.schedule import limits
from sync.schedule.model import Expansion

EXPAND = "sync.schedule.expand:expand_body"
EXPAND_DAY = "sync.schedule.expand:expand_day"


def guess_kind(body: bytes) -> str:
    """"json" for a JSON document, else "ics" (for `programme --feed` without a configuration)."""
    return "json" if body.lstrip()[:1] == b"{" else "ics"


def expand_body(kind: str, body: bytes, start: dt.datetime, end: dt.datetime, default_tz: str,
                source: str = "", location_filter: str = "") -> Expansion:
    """sync.schedule.expand.expand_body in the child."""
    return _call(EXPAND, kind, body, start, end, default_tz, source, location_filter)


def expand_day(kind: str, body: bytes, day: dt.date, default_tz: str, source: str = "") -> Expansion:
    """sync.schedule.expand.expand_day in the child."""
    return _call(EXPAND_DAY, kind, body, day, default_tz, source)


def _call(function: str, *args) -> Expansion:
    try:
        return isolated.call(function, *args, cpu_seconds=limits.CPU_SECONDS, memory_bytes=limits.MEMORY_BYTES)
    except SourceInvalid as exc:
        raise SourceInvalid(one_line(str(exc))) from None
    except isolated.BudgetExceeded as exc:
        raise SourceInvalid(f"the feed needs {exc} to read") from None
    except Exception as exc:  # the child died (ChildFailed), or a parser's error nobody mapped: still one line
        raise SourceInvalid(one_line(f"the feed could not be read: {type(exc).__name__}: {exc}")) from None
