"""The kiosk in a rig guest, installed as docs/install-pi.md says, and looked at from outside."""
from __future__ import annotations

import re
import time
from pathlib import Path

from tests.device.guest import HEIGHT, TOUCH_FIFO, WIDTH, Guest
from tests.ui.screen import ScreenReader

HOME = "/home/kiosk/wijkkiosk"
CONFIG = "/etc/wijkkiosk/kiosk.toml"
FEED_DIR = "/var/lib/rig/feed"
RECEIVED = "/var/lib/rig/received.jsonl"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "out" / "device"

# The rig's own services in the guest: the touchscreen, the schedule server and the callback receiver
# on the guest's loopback, and "time sync" (the guest has no network; see guest/timesynced.py).
RIG_UNITS = {
    "rig-touch.service": f"""[Unit]
Description=Rig touchscreen (uinput)
Before=wijkkiosk.service
[Service]
Type=notify
NotifyAccess=main
ExecStart=/usr/bin/python3 /mnt/project/tests/device/guest/touchscreen.py {WIDTH} {HEIGHT} {TOUCH_FIFO}
[Install]
WantedBy=multi-user.target
""",
    "rig-feed.service": f"""[Unit]
Description=Rig schedule server on loopback
Before=wijkkiosk.service
[Service]
ExecStart=/usr/bin/python3 -m http.server 8080 --bind 127.0.0.1 --directory {FEED_DIR}
[Install]
WantedBy=multi-user.target
""",
    "rig-webhook.service": f"""[Unit]
Description=Rig callback receiver on loopback
Before=wijkkiosk.service
[Service]
ExecStart=/usr/bin/python3 /mnt/project/tests/device/guest/webhook.py 8081 {RECEIVED}
[Install]
WantedBy=multi-user.target
""",
    "rig-timesync.service": """[Unit]
Description=Rig time sync (marks the RTC's time as synchronised)
Before=time-sync.target wijkkiosk.service
Wants=time-sync.target
[Service]
Type=oneshot
ExecStart=/usr/bin/python3 /mnt/project/tests/device/guest/timesynced.py
[Install]
WantedBy=multi-user.target
""",
}


def kiosk_config(opening_hours: str = "08:00-22:00", inactivity_seconds: int = 120) -> str:
    """The rig's house: the demo programme from the guest's loopback, open 08:00-22:00, a webhook.

    Visitor screens wait 120 s before going home: OCR under emulation takes its time."""
    days = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
    hours = "\n".join(f'{day} = "{opening_hours}"' for day in days)
    return f"""house_name = "Ontmoetingskerk Sterrenburg"
timezone = "Europe/Amsterdam"
inactivity_seconds = {inactivity_seconds}

[[sources]]
name = "kerk"
kind = "ics"
location = "http://127.0.0.1:8080/agenda.ics"

[sync]
interval_minutes = 10
timeout_seconds = 10

[screen]
idle_warning_seconds = 20

[opening_hours]
{hours}

[delivery.webhook]
url = "http://127.0.0.1:8081/"
"""


class DeviceKiosk(ScreenReader):
    """The guest's screen read by OCR, its touchscreen, the kiosk's journal."""

    def __init__(self, guest: Guest, workdir: Path, name: str):
        self.guest = guest
        self.workdir = workdir
        self.name = name
        self.shots = 0

    # -- installing ------------------------------------------------------------------------------

    def install_rig_services(self) -> None:
        for name, text in RIG_UNITS.items():
            self.guest.write(f"/etc/systemd/system/{name}", text)
        self.guest.run(f"mkdir -p {FEED_DIR} && cp /mnt/project/assets/demo/ontmoetingskerk-sterrenburg.ics "
                       f"{FEED_DIR}/agenda.ics && systemctl daemon-reload && "
                       f"systemctl enable --now {' '.join(RIG_UNITS)}")

    def install(self, config: str) -> None:
        """Steps 2-4 of docs/install-pi.md: the project, its configuration, the unit (enable --now)."""
        self.guest.run(f"mkdir -p {HOME} && cp -r /mnt/project/main.py /mnt/project/pyproject.toml "
                       f"/mnt/project/kiosk /mnt/project/sync /mnt/project/assets {HOME}/ && "
                       f"find {HOME} -name __pycache__ -prune -exec rm -rf {{}} + && chown -R kiosk: {HOME}")
        self.guest.write(CONFIG, config, mode="0600")
        self.guest.run("chown -R kiosk: /etc/wijkkiosk")
        self.guest.run(f"cp {HOME}/assets/systemd/wijkkiosk.service /etc/systemd/system/ && "
                       "systemctl daemon-reload && systemctl enable --now --no-block wijkkiosk")

    # -- looking -------------------------------------------------------------------------------

    def shot(self, label: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.shots += 1
        return self.guest.screenshot(SCREENSHOTS / f"{self.name}-{self.shots:02d}-{label}.png")

    def _look(self) -> Path:
        return self.guest.screenshot(self.workdir / "look.png")

    look_pause = 2  # a look is a screendump and OCR in an emulated guest
    key_pause = 0.3

    def missing(self, phrase: str, timeout: float) -> str:
        self.shot("missing")
        return f"{super().missing(phrase, timeout)} (the guest's screen)\njournal:\n{self.journal_tail()}"

    def journal(self, unit: str = "wijkkiosk") -> str:
        return self.guest.journal(unit)

    def journal_tail(self, lines: int = 40) -> str:
        """The kiosk's and systemd's last lines about it, without Kivy's start-up chatter."""
        return self.guest.run(f"journalctl -b -o short-precise --no-pager -u wijkkiosk | grep -v "
                              f"'INFO kivy: \\(GL\\|MTD\\|Logger\\|Python\\|Kivy\\|Image\\|Factory\\)' | "
                              f"tail -n {lines}", check=False)[1]

    def wait_journal(self, pattern: str, timeout: float = 180, unit: str = "wijkkiosk") -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            text = self.journal(unit)
            if re.search(pattern, text):
                return text
            time.sleep(2)
        raise AssertionError(f"no journal line matching {pattern!r} within {timeout:.0f} s:\n{text[-3000:]}")

    def kiosk_pid(self) -> int:
        return int(self.guest.run("systemctl show -p MainPID --value wijkkiosk")[1].strip() or 0)

    def unit_times(self) -> dict[str, int]:
        """Monotonic timestamps of the unit (microseconds since boot), as systemd recorded them."""
        props = ("ExecMainStartTimestampMonotonic", "ActiveEnterTimestampMonotonic")
        out = self.guest.run(f"systemctl show -p {' -p '.join(props)} wijkkiosk")[1]
        return {k: int(v) for k, v in (line.split("=", 1) for line in out.split()) if v.isdigit()}

    def tap(self, x: int, y: int) -> None:
        self.guest.tap(x, y)
