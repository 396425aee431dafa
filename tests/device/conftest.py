"""Fixtures of the device rig: the cached image, and guests booted from overlays of it.

The scenarios are slow (a whole Debian boots under TCG emulation), so they run apart from the
other tests: `.ci/run` calls `pytest tests/device` after the rest, and the other runs leave this
folder out. Each scenario module boots its own guest(s); what a module's scenarios share is one
boot, in the order the module lists them.
"""
from __future__ import annotations

import datetime as dt
import os
import time
import zoneinfo

import pytest

from tests.device import image as rig_image
from tests.device.guest import Guest
from tests.device.kiosk import DeviceKiosk

TIMINGS: list[tuple[str, float]] = []  # (what, seconds), printed at the end of the session


def pytest_collection_modifyitems(config, items):
    for item in items:
        item.add_marker(pytest.mark.device)


@pytest.fixture(scope="session")
def rig_image_dir():
    missing = rig_image.missing_programs()
    if missing:
        pytest.skip(f"the device rig needs {', '.join(missing)}")
    if os.geteuid() != 0:
        pytest.skip("the device rig builds its image with mmdebstrap and chroot: run it as root")
    started = time.monotonic()
    folder = rig_image.build(log=lambda line: print(line, flush=True))
    TIMINGS.append(("image (build or cache)", time.monotonic() - started))
    return folder


def house_daytime() -> str:
    """Today 10:00 in the rig's house (Europe/Amsterdam), as QEMU's -rtc base: the guest's clock starts there
    and runs on, also across its reboots, so that every scenario meets the house open (08:00-22:00)
    whatever the time of day the rig runs at; the night scenario sets the clock itself."""
    zone = zoneinfo.ZoneInfo("Europe/Amsterdam")
    morning = dt.datetime.combine(dt.datetime.now(zone).date(), dt.time(10), tzinfo=zone)
    return morning.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")


@pytest.fixture(scope="module")
def boot(rig_image_dir, tmp_path_factory):
    """boot(name, **guest options) -> a DeviceKiosk on a freshly booted guest with the rig's services."""
    guests = []

    def start(name: str, **options) -> DeviceKiosk:
        workdir = tmp_path_factory.mktemp(name)
        options.setdefault("rtc_base", house_daytime())
        guest = Guest(workdir, **options)
        guests.append(guest)
        guest.start()
        TIMINGS.append((f"{name}: boot to guest agent", guest.boot_seconds))
        kiosk = DeviceKiosk(guest, workdir, name)
        kiosk.install_rig_services()
        return kiosk

    yield start
    for guest in guests:
        try:  # the guest's whole journal, every boot, beside its serial console log
            journal = guest.run("journalctl -o short-precise --no-pager", check=False, timeout=120)[1]
            (guest.workdir / "journal.txt").write_text(journal)
        except Exception as error:  # a guest that died says so in serial.log
            (guest.workdir / "journal.txt").write_text(f"no journal: {error}\n")
        guest.stop()
        guest.overlay.unlink(missing_ok=True)  # the logs stay in pytest's temporary folder


def pytest_terminal_summary(terminalreporter):
    if TIMINGS:
        terminalreporter.write_line("device rig timings (s):")
        for what, seconds in TIMINGS:
            terminalreporter.write_line(f"  {what}: {seconds:.1f}")
