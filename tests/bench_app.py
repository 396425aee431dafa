"""Figures of the running app for tests.bench: start, idle CPU, peak memory, taps, frames during a sync.

Everything runs on one Xvfb screen (tests.ui.screen.VirtualScreen) of the panel's size: the kiosk
(main.py) and the bare Kivy app (tests/bare_app.py), one after the other. CPU time and peak memory
come from /proc/<pid> (all threads); tap latency and frame lengths from the kiosk's own probe
(kiosk/diagnostics/probe.py, WIJKKIOSK_PROBE=1), read from its log.
"""
from __future__ import annotations

import os
import random
import re
import signal
import statistics
import subprocess
import time
from pathlib import Path

from tests.bench_feed import make_feed
from tests.conftest import PYTHON, ROOT
from tests.ui.screen import VirtualScreen

WIDTH, HEIGHT = 800, 480
MOMENT = ["--date", "2024-03-13", "--time", "10:30"]  # the demo programme's busy Wednesday
KIOSK_FIRST = "first programme frame drawn"
BARE_FIRST = "first frame drawn"
SETTLE = 7.0  # seconds after the first frame: the kiosk's frame rate drops after 5 s without a touch
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
# where to tap at 800x480 (kv sizes are pixels at this size): the first row (below the language bar and
# the header, 162 px), and the Back button
ROW = (WIDTH // 2, 162 + 12 + 40)
BACK = (16 + 95, 16 + 38)


class Process:
    """One app on the screen, its log read as it grows."""

    def __init__(self, command: list[str], screen: VirtualScreen, log: Path, env: dict | None = None):
        self.log = log
        self._file = log.open("w")
        self._seen = ""
        inherited = {k: v for k, v in os.environ.items() if not k.startswith(("KIVY_", "KCFG_"))}  # each app sets its own
        env = dict(inherited, DISPLAY=screen.display, XDG_STATE_HOME=str(log.parent / "state"),
                   PYTHONUNBUFFERED="1", **(env or {}))
        self.began = time.perf_counter()
        self.proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._file, stderr=subprocess.STDOUT,
                                     start_new_session=True)

    def lines(self) -> list[str]:
        self._seen = self.log.read_text(errors="replace")
        return self._seen.splitlines()

    def wait_line(self, pattern: str, skip: int = 0, timeout: float = 60) -> tuple[float, int, str]:
        """(seconds since start when seen, index, line) of the first line from `skip` on matching `pattern`."""
        deadline = time.perf_counter() + timeout
        regex = re.compile(pattern)
        while time.perf_counter() < deadline:
            lines = self.lines()
            for index in range(skip, len(lines)):
                if regex.search(lines[index]):
                    return time.perf_counter() - self.began, index, lines[index]
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.log.name}: the app exited ({self.proc.returncode}):\n" + self.tail())
            time.sleep(0.005)
        raise RuntimeError(f"{self.log.name}: no line matching {pattern!r} within {timeout} s:\n" + self.tail())

    def tail(self, count: int = 20) -> str:
        return "\n".join(self.lines()[-count:])

    def cpu_seconds(self) -> float:
        """User + system time of the whole process (all threads)."""
        fields = Path(f"/proc/{self.proc.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS

    def status_mb(self, key: str) -> float:
        for line in Path(f"/proc/{self.proc.pid}/status").read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
        raise RuntimeError(f"no {key} in /proc/{self.proc.pid}/status")

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
        self._file.close()


def kiosk(screen: VirtualScreen, work: Path, name: str, *args: str, probe: bool = False) -> Process:
    command = [PYTHON, str(ROOT / "main.py"), "--windowed", "--size", f"{WIDTH}x{HEIGHT}", *args]
    return Process(command, screen, work / f"{name}.log", {"WIJKKIOSK_PROBE": "1"} if probe else None)


def bare(screen: VirtualScreen, work: Path, name: str) -> Process:
    # its window set up like the kiosk's, multisampling included: without a GPU the kiosk draws without,
    # and a bare window with it took 0.17 s longer to show (docs/benchmarks.md, "the start, like for like")
    from kiosk.cli import gpu_draws

    return Process([PYTHON, str(ROOT / "tests" / "bare_app.py"), "--size", f"{WIDTH}x{HEIGHT}"], screen,
                   work / f"{name}.log", {"KCFG_GRAPHICS_MULTISAMPLES": "2" if gpu_draws() else "0"})


def idle_figures(app: Process, seconds: float) -> dict:
    """CPU over `seconds` of rest after the settle time, in % of one core, and the peak RSS so far."""
    time.sleep(SETTLE)
    cpu0, t0 = app.cpu_seconds(), time.perf_counter()
    time.sleep(seconds)
    cpu1, t1 = app.cpu_seconds(), time.perf_counter()
    return {"cpu_pct": 100 * (cpu1 - cpu0) / (t1 - t0), "cpu_s": cpu1 - cpu0, "seconds": t1 - t0,
            "vmhwm_mb": app.status_mb("VmHWM")}


def start_and_idle(screen: VirtualScreen, work: Path, runs: int, warmup: bool, idle_seconds: float) -> dict:
    """Start to first frame, kiosk and bare app interleaved; the last run of each then idles."""
    db = work / "start.db"
    subprocess.run([PYTHON, str(ROOT / "main.py"), "--db", str(db), "sync", "--once"], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)  # as after a reboot: the programme is in the database
    starts = {"kiosk": [], "bare": []}
    idle = {}
    for run in range(-1 if warmup else 0, runs):
        for name in ("kiosk", "bare"):
            app = (kiosk(screen, work, f"start-{name}-{run}", "--db", str(db), *MOMENT) if name == "kiosk"
                   else bare(screen, work, f"start-{name}-{run}"))
            try:
                seconds, _, _ = app.wait_line(KIOSK_FIRST if name == "kiosk" else BARE_FIRST)
                if run >= 0:
                    starts[name].append(seconds)
                if run == runs - 1:
                    idle[name] = idle_figures(app, idle_seconds)
            finally:
                app.stop()
    return {"start_kiosk_s": starts["kiosk"], "start_bare_s": starts["bare"], "idle": idle}


FRAMES = re.compile(r"probe: longest frame ([\d.]+) ms of \d+, \d+ drawn, until ([\d.]+), without the swap ([\d.]+) ms")


def _frames(lines: list[str], since: float, until: float) -> tuple[float, float]:
    """The longest frame (ms) the probe reported for periods ending in [since, until], and the longest
    without its buffer swap."""
    found = [(float(m[1]), float(m[3])) for m in map(FRAMES.search, lines) if m and since <= float(m[2]) <= until]
    return (max((f for f, _ in found), default=float("nan")), max((w for _, w in found), default=float("nan")))


def taps(screen: VirtualScreen, work: Path, count: int, long_idle: float) -> dict:
    """Tap the first activity and Back `count` times; the first tap after `long_idle` s without a touch."""
    app = kiosk(screen, work, "taps", "--db", str(work / "taps.db"), *MOMENT, probe=True)
    inside, outside, back = [], [], []
    try:
        app.wait_line(KIOSK_FIRST)
        time.sleep(long_idle)
        began = time.time()
        for _ in range(count):
            for target, name, into in ((ROW, "activity", (inside, outside)), (BACK, "home", (back, None))):
                skip = len(app.lines())
                screen._x(["xdotool", "mousemove", str(target[0]), str(target[1])])
                clicked = time.time()
                screen._x(["xdotool", "click", "1"])
                _, _, line = app.wait_line(rf"probe: screen {name} drawn ([\d.]+) ms after touch-down, at ([\d.]+)",
                                           skip, timeout=20)
                m = re.search(r"drawn ([\d.]+) ms after touch-down, at ([\d.]+)", line)
                into[0].append(float(m[1]))
                if into[1] is not None:
                    into[1].append((float(m[2]) - clicked) * 1000)
                time.sleep(0.3)
        ended = time.time()
        time.sleep(1.2)  # the probe reports once a second
        longest, work = _frames(app.lines(), began, ended + 1.0)
    finally:
        app.stop()
    return {"tap_ms": inside, "tap_from_click_ms": outside, "back_ms": back, "long_idle_s": long_idle,
            "longest_frame_ms": longest, "longest_work_ms": work}


def frames_during_sync(screen: VirtualScreen, work: Path) -> dict:
    """Longest main-thread frame while the worker re-expands a 1,000-event feed at midnight.

    The kiosk starts at 23:59:45 with the feed in its configuration; at midnight the new day wakes the
    worker, which re-expands the whole feed for the new window and writes it, while the UI moves to
    the new day's programme.
    """
    feed = work / "city.ics"
    feed.write_bytes(make_feed(random.Random(2024)))
    config = work / "city.toml"
    config.write_text(f'[[sources]]\nname = "city"\nkind = "ics"\nlocation = "{feed}"\n')
    app = kiosk(screen, work, "sync", "--config", str(config), "--db", str(work / "sync.db"),
                "--date", "2024-03-13", "--time", "23:59:45", probe=True)
    try:
        started = time.time()
        app.wait_line(KIOSK_FIRST)
        midnight = started + 15.5  # the minute tick comes at :00.5
        pattern = r"probe: sync status applied at ([\d.]+) \(changed True\)"
        skip = 0
        while True:
            _, index, line = app.wait_line(pattern, skip, timeout=60)
            applied = float(re.search(pattern, line)[1])
            if applied > midnight:
                break
            skip = index + 1
        time.sleep(1.2)
        longest, work = _frames(app.lines(), midnight - 1.0, applied + 1.0)
    finally:
        app.stop()
    return {"longest_frame_ms": longest, "longest_work_ms": work, "sync_round_s": applied - midnight}


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")
