"""What the admin screen says, from the last sync status (pure: kiosk.screens.admin.gather)."""
import datetime as dt
import os
import tempfile

import pytest

os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_HOME", tempfile.mkdtemp(prefix="kivy-"))
os.environ.setdefault("KCFG_KIVY_LOG_LEVEL", "warning")
pytest.importorskip("kivy.graphics")
from kiosk.screens.admin import gather  # noqa: E402
from sync.callback.outbox import Counts  # noqa: E402
from sync.device.clocktrust import ClockStatus  # noqa: E402
from sync.schedule.poller import SourceStatus  # noqa: E402
from sync.worker import SyncStatus  # noqa: E402
from tests.conftest import AMS  # noqa: E402

NOW = dt.datetime(2024, 3, 13, 9, 30, tzinfo=dt.timezone.utc)


def test_each_source_says_when_it_was_fetched_its_failures_and_the_events_it_skipped():
    status = SyncStatus((SourceStatus("agenda", NOW, NOW, "", 0, "2 events skipped (first: Kookhuis)"),
                         SourceStatus("stad", NOW, None, "HTTP 503", 3)), False, NOW)
    counts = {"callback": Counts(pending=1, rejected=2), "signup": Counts(delivered=3)}
    facts = gather(status, ClockStatus(True, "synchronised"), counts, 5 * 10**9, AMS, "nl")
    assert facts.sources == ("agenda: opgehaald om 10:30 uur — 2 events skipped (first: Kookhuis)",
                             "stad: nog niet opgehaald — 3 keer mislukt, laatste fout: HTTP 503")
    callbacks, signups = facts.requests.split("\n")
    assert callbacks.startswith("Bel mij terug: 1 wachten, 2 geweigerd") and facts.disk.endswith("5,0 GB")
    assert signups.startswith("Ik kom ook: 0 wachten, 0 geweigerd, 3 verstuurd"), signups


def test_the_version_is_the_projects_own_without_reading_package_metadata():
    import subprocess
    import sys
    import tomllib

    from tests.conftest import ROOT

    expected = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    out = subprocess.run([sys.executable, "-c", "import sys; from sync.version import VERSION; "
                          "print(VERSION, 'importlib.metadata' in sys.modules)"],
                         cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == [expected, "False"], out.stderr  # importlib.metadata: 3.6 MB of the kiosk
