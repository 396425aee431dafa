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


@pytest.fixture
def server():
    """A feed server on loopback serving the demo programme (tests/feedserver.py)."""
    from tests.feedserver import FeedServer

    found = FeedServer()
    found.body = DEMO_FEED.read_bytes()
    yield found
    found.close()


def local(*args) -> dt.datetime:
    """An aware datetime in Europe/Amsterdam."""
    return dt.datetime(*args, tzinfo=AMS)


# Kivy reads arguments and writes config at import; keep it away from pytest's argv and $HOME.
import os as _os  # noqa: E402
import tempfile as _tempfile  # noqa: E402

_os.environ.setdefault("KIVY_NO_ARGS", "1")
_os.environ.setdefault("KIVY_HOME", _tempfile.mkdtemp(prefix="wijkkiosk-kivy-"))
_os.environ.setdefault("KCFG_KIVY_LOG_ENABLE", "0")
_os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
