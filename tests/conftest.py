import datetime as dt
import sys
import zoneinfo
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DEMO_FEED = ROOT / "assets" / "demo" / "ontmoetingskerk-sterrenburg.ics"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
AMS = zoneinfo.ZoneInfo("Europe/Amsterdam")
PYTHON = sys.executable


@pytest.fixture
def demo_feed() -> Path:
    return DEMO_FEED


def local(*args) -> dt.datetime:
    """An aware datetime in Europe/Amsterdam."""
    return dt.datetime(*args, tzinfo=AMS)
