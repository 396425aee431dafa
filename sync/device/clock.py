"""The kiosk's notion of "now": the wall clock, optionally shifted for previews and demos."""
from __future__ import annotations

import datetime as dt
import zoneinfo


class KioskClock:
    """`now()` in the house's zone; `shifted_to` makes it run from another moment onwards."""

    def __init__(self, tz: str | dt.tzinfo, offset: dt.timedelta = dt.timedelta(0)):
        self.tz = zoneinfo.ZoneInfo(tz) if isinstance(tz, str) else tz
        self.offset = offset
        self.preview = False  # True when an operator chose the moment (--date/--time)

    def now(self) -> dt.datetime:
        # arithmetic in UTC: aware arithmetic within one zone is wall-clock arithmetic
        return (dt.datetime.now(dt.timezone.utc) + self.offset).astimezone(self.tz)

    @classmethod
    def shifted_to(cls, tz: str | dt.tzinfo, moment: dt.datetime) -> "KioskClock":
        """A clock that shows `moment` (naive: local time in `tz`) now, and ticks on from there."""
        clock = cls(tz)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=clock.tz)
        clock.offset = moment.astimezone(dt.timezone.utc) - dt.datetime.now(dt.timezone.utc)
        clock.preview = True
        return clock
