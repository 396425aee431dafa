"""A virtual screen for black-box UI tests: Xvfb, the real app, OCR, taps, screenshots, QR codes.

Uses the Debian programs Xvfb, xdotool, imagemagick (import), tesseract-ocr and zbar-tools,
the way a person would use the kiosk: look at the screen, find a phrase, tap it.
"""
from __future__ import annotations

import difflib
import json
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from kiosk.theme import PALETTE
from tests.conftest import PYTHON, ROOT

SCREENSHOTS = ROOT / "out" / "screens"
KEYPAD = ["123", "456", "789", "+0<"]  # the numeric keypad's layout, row by row
PROGRAMS = ("Xvfb", "xdotool", "import", "convert", "tesseract", "zbarimg")


def missing_programs() -> list[str]:
    return [p for p in PROGRAMS if shutil.which(p) is None]


class ScreenReader:
    """Reading a screenshot as a person would: OCR in several passes, phrases, QR codes.

    A subclass sets `workdir` (for the passes' images) and gives `_look()` (a fresh screenshot), `shot(name)`
    (one kept) and `tap(x, y)`."""

    workdir: Path
    look_pause = 0.3  # seconds between two looks while waiting for a phrase
    key_pause = 0.05  # seconds between two keys typed

    def wait_text(self, phrase: str, timeout: float = 20):
        """Look again and again until `phrase` is on screen; its centre, or AssertionError."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.find(phrase)
            if found:
                return found
            time.sleep(self.look_pause)
        raise AssertionError(self.missing(phrase, timeout))

    def type_on_keypad(self, digits: str) -> None:
        """Tap digits on the on-screen numeric keypad, found by the colour of its key outlines."""
        box = colour_box(self.shot("_keypad"), PALETTE["key_edge"])
        for digit in digits:
            row = next(r for r, keys in enumerate(KEYPAD) if digit in keys)
            self.tap(*grid_centre(box, 3, 4, KEYPAD[row].index(digit), row))
            time.sleep(self.key_pause)

    def missing(self, phrase: str, timeout: float) -> str:
        """What a failed wait says (a subclass may add what it knows, e.g. a log)."""
        return f"{phrase!r} did not appear on screen within {timeout:.0f} s"

    # OCR passes, surest first; `find` stops at the first pass that reads the phrase.
    # plain: dark buttons and key outlines painted white (they confuse tesseract's page layout, and
    # a raw pass can join a line to a key beside it). large: plain at 1.5x (small lines).
    # negative-bw / negative: the page's background black and everything inverted, so light text on
    # the dark header, buttons and night screens stands dark on light (thresholded, then not).
    # raw: the screenshot as it is, the last resort.
    PASSES = ("plain", "large", "negative-bw", "negative", "raw")

    def _pass_image(self, image: Path, name: str) -> tuple[Path, float]:
        if name == "raw":
            return image, 1
        out = self.workdir / f"{image.stem}-{name}.png"
        paint_out = ["-fuzz", "10%", "-fill", "white", "-opaque", PALETTE["key_edge"], "-opaque", PALETTE["accent"]]
        invert = ["-fuzz", "5%", "-fill", "black", "-opaque", PALETTE["background"], "-negate", "-colorspace", "gray"]
        ops = {"plain": paint_out, "large": paint_out + ["-resize", "150%"], "negative": invert,
               "negative-bw": invert + ["-threshold", "60%"]}[name]
        subprocess.run(["convert", str(image), *ops, str(out)], check=True, timeout=60)
        return out, 1.5 if name == "large" else 1

    def words(self, image: Path, name: str) -> list[tuple[str, int, int, int, int]]:
        """The words one OCR pass reads: (text, x, y, w, h) in screen pixels."""
        source, scale = self._pass_image(image, name)
        tsv = subprocess.run(["tesseract", str(source), "-", "--psm", "11", "-l", "nld+eng", "tsv"],
                             capture_output=True, text=True, timeout=60,
                             # one OpenMP thread: the same words, a pass 2.2 -> 0.33 s on 2 cores (they spin-wait)
                             env={**os.environ, "OMP_THREAD_LIMIT": "1"}).stdout
        if source != image:
            source.unlink()
        found = []
        for row in tsv.splitlines()[1:]:
            cols = row.split("\t")
            text = cols[11].strip() if len(cols) == 12 else ""
            if any(ch.isalnum() for ch in text) and float(cols[10]) > 30:  # no stray marks
                found.append((text, *(round(int(c) / scale) for c in cols[6:10])))
        return found

    @staticmethod
    def group_lines(words) -> list[list[tuple[str, int, int, int, int]]]:
        """Words grouped into lines, left to right (side-by-side columns become separate lines)."""
        rows: list[list] = []
        for word in sorted(words, key=lambda w: w[2]):
            centre = word[2] + word[4] / 2
            row = next((r for r in rows if r[0][2] <= centre <= r[0][2] + r[0][4]), None)
            if row is None:
                rows.append([word])
            else:
                row.append(word)
        lines = []
        for row in rows:
            row.sort(key=lambda w: w[1])
            line = [row[0]]
            for word in row[1:]:
                previous = line[-1]
                if word[1] - (previous[1] + previous[3]) > 2 * max(word[4], previous[4]):
                    lines.append(line)
                    line = []
                line.append(word)
            lines.append(line)
        return lines

    def lines(self, image: Path, passes=PASSES) -> list[list[tuple[str, int, int, int, int]]]:
        """All passes' lines (for reading the whole screen)."""
        return [line for name in passes for line in self.group_lines(self.words(image, name))]

    def find(self, phrase: str, image: Path | None = None, min_ratio: float = 0.8):
        """Centre (x, y) of the best match of `phrase` among consecutive words on a line, or None.

        A match that is a whole line (a button, a heading) beats the same words inside a longer
        sentence; such a near-exact match ends the search early, else every pass is tried.
        """
        image = image or self._look()
        wanted = _norm(phrase)
        count = len(wanted.split())
        best, best_score = None, min_ratio
        for name in self.PASSES:
            for line in self.group_lines(self.words(image, name)):
                for size in (count - 1, count, count + 1):
                    for i in range(0, max(0, len(line) - size) + 1):
                        group = line[i:i + size]
                        if not group:
                            continue
                        ratio = difflib.SequenceMatcher(None, wanted, _norm(" ".join(w[0] for w in group))).ratio()
                        score = ratio + (0.05 if len(group) == len(line) else 0)
                        if ratio >= min_ratio and score > best_score:
                            x0, y0 = min(w[1] for w in group), min(w[2] for w in group)
                            x1, y1 = max(w[1] + w[3] for w in group), max(w[2] + w[4] for w in group)
                            best, best_score = ((x0 + x1) // 2, (y0 + y1) // 2), score
            if best_score >= 1.0:
                return best
        return best

    def qr_codes(self, image: Path) -> list[str]:
        result = subprocess.run(["zbarimg", "--raw", "-q", "-Sdisable", "-Sqrcode.enable", str(image)],
                                capture_output=True, text=True, timeout=60)
        return [result.stdout.strip("\n")] if result.stdout.strip() else []  # one code per screen here


class VirtualScreen(ScreenReader):
    def __init__(self, width: int, height: int, workdir: Path):
        self.width, self.height, self.workdir = width, height, workdir
        read_fd, write_fd = os.pipe()
        self.xvfb = subprocess.Popen(
            ["Xvfb", "-displayfd", str(write_fd), "-screen", "0", f"{width}x{height}x24", "-nolisten", "tcp"],
            pass_fds=(write_fd,), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        os.close(write_fd)
        with os.fdopen(read_fd) as pipe:
            number = pipe.readline().strip()
        if not number:
            raise RuntimeError("Xvfb did not start")
        self.display = f":{number}"
        self.app: subprocess.Popen | None = None
        self.log = workdir / "app.log"

    # -- the app ---------------------------------------------------------------------------------

    def start_app(self, *args: str, env: dict | None = None) -> None:
        env = {**os.environ, "DISPLAY": self.display, "XDG_STATE_HOME": str(self.workdir / "state"),
               "PYTHONUNBUFFERED": "1", "WIJKKIOSK_LAYOUT_REPORT": str(self.workdir / "layout.jsonl"),
               **(env or {})}
        self.layout_report = Path(env["WIJKKIOSK_LAYOUT_REPORT"])
        command = [PYTHON, str(ROOT / "main.py"), "--windowed", "--size", f"{self.width}x{self.height}", *args]
        self._log_file = self.log.open("w")
        self.app = subprocess.Popen(command, cwd=ROOT, env=env, stdout=self._log_file,
                                    stderr=subprocess.STDOUT, start_new_session=True)

    def wait_log(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.log.read_text(errors="replace"):
                return
            if self.app.poll() is not None:
                raise AssertionError(f"the app died (exit {self.app.returncode}):\n{self.log_tail()}")
            time.sleep(0.1)
        raise AssertionError(f"{text!r} not in the app's log after {timeout}s:\n{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def reports(self) -> list[dict]:
        """The app's layout reports so far, one per screen shown (kiosk/diagnostics/layoutreport.py)."""
        report = getattr(self, "layout_report", None)
        if report is None or not report.exists():
            return []
        found = []
        for line in report.read_text(encoding="utf-8").splitlines():
            try:
                found.append(json.loads(line))
            except json.JSONDecodeError:  # still being written, or cut off when the app stopped
                pass
        return found

    def wait_screen(self, name: str, timeout: float = 20) -> dict:
        """The app's report of screen `name`, once it is the one shown (faster than OCR under load)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.reports()
            if shown and shown[-1]["screen"] == name:
                return shown[-1]
            time.sleep(0.2)
        raise AssertionError(f"screen {name!r} not shown within {timeout}s")

    def tap_target(self, screen_name: str, kind: str, text: str | None = None) -> None:
        """Tap a button the app reports on `screen_name` (when OCR cannot read it: small light text)."""
        report = self.wait_screen(screen_name)
        for t in report["targets"]:
            if t["name"] == kind and (text is None or t["text"] == text):
                self.tap(int(t["x"] + t["width"] / 2), int(t["y"] + t["height"] / 2))
                return
        raise AssertionError(f"no {kind} {text or ''} on {screen_name}")

    def layout_problems(self) -> list[str]:
        """Every size or text problem the app reported on the screens it showed (kiosk/diagnostics/layoutreport.py)."""
        found = []
        for shown in self.reports():
            where = f"{shown['screen']}{shown['popups'] or ''} {shown['lang']} text {shown['text_step']}"
            found += [f"{where}: {p}" for p in shown["problems"] + shown["text_problems"]]
        return found

    def alive(self) -> bool:
        return self.app is not None and self.app.poll() is None

    def stop(self) -> None:
        if self.app is not None and self.app.poll() is None:
            os.killpg(self.app.pid, signal.SIGTERM)
            try:
                self.app.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.app.pid, signal.SIGKILL)
                self.app.wait(5)
        if self.app is not None:
            self._log_file.close()
        self.xvfb.terminate()
        self.xvfb.wait(10)

    # -- looking -----------------------------------------------------------------------------------

    def shot(self, name: str) -> Path:
        """Save the whole screen as out/screens/<name>.png and return the path."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / f"{name}.png"
        self._x(["import", "-window", "root", str(path)])
        return path

    def _look(self) -> Path:
        """A screenshot for looking only, kept beside the app's log."""
        path = self.workdir / "look.png"
        self._x(["import", "-window", "root", str(path)])
        return path

    # -- acting ---------------------------------------------------------------------------------

    def tap(self, x: int, y: int, button: int = 1) -> None:
        """Click (1 left, 2 middle, 3 right); Kivy reads the left button as a touch."""
        self._x(["xdotool", "mousemove", str(x), str(y), "click", str(button)])

    def hold(self, x: int, y: int, seconds: float) -> None:
        """Press and hold (a long press)."""
        self._x(["xdotool", "mousemove", str(x), str(y), "mousedown", "1"])
        time.sleep(seconds)
        self._x(["xdotool", "mouseup", "1"])

    def window_ids(self) -> list[int]:
        """The app's visible X windows (one, unless SDL made another)."""
        result = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(self.app.pid)], capture_output=True,
                                text=True, env=dict(os.environ, DISPLAY=self.display), timeout=30)
        return [int(word) for word in result.stdout.split()]

    def window_id(self) -> int:
        return self.window_ids()[0]

    def key(self, keys: str) -> None:
        """Send key presses (xdotool names, e.g. "Escape", "F1", "alt+F4") to the focused app window."""
        self._x(["xdotool", "windowfocus", "--sync", str(self.window_id())])
        self._x(["xdotool", "key", "--", *keys.split()])

    def request_close(self) -> None:
        """Ask the window to close, as a window manager does (WM_DELETE_WINDOW)."""
        from Xlib import X, display, protocol

        connection = display.Display(self.display)
        protocols = connection.intern_atom("WM_PROTOCOLS")
        delete = connection.intern_atom("WM_DELETE_WINDOW")
        for window_id in self.window_ids():
            window = connection.create_resource_object("window", window_id)
            event = protocol.event.ClientMessage(window=window, client_type=protocols,
                                                 data=(32, [delete, X.CurrentTime, 0, 0, 0]))
            window.send_event(event, event_mask=X.NoEventMask)
        connection.flush()
        connection.close()

    def scroll_down(self, x: int, y: int, clicks: int = 5) -> None:
        """Turn the mouse wheel down over (x, y), as a visitor would swipe up."""
        self._x(["xdotool", "mousemove", str(x), str(y), "click", "--repeat", str(clicks), "--delay", "50", "5"])

    def _x(self, command: list[str]) -> None:
        subprocess.run(command, env=dict(os.environ, DISPLAY=self.display), check=True,
                       capture_output=True, timeout=30)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def colour_box(image: Path, colour: str, fuzz: str = "2%") -> tuple[int, int, int, int]:
    """The bounding box (x, y, width, height) of every pixel of `colour`, e.g. the outlines of keys."""
    text = subprocess.run(["convert", str(image), "-fuzz", fuzz, "-fill", "white", "+opaque", colour,
                           "-format", "%@", "info:"], capture_output=True, text=True, check=True, timeout=60).stdout
    size, x, y = text.strip().split("+")
    width, height = size.split("x")
    return int(x), int(y), int(width), int(height)


def grid_centre(box: tuple[int, int, int, int], cols: float, rows: int, col: float, row: int) -> tuple[int, int]:
    """The centre of cell (col, row) of a grid of keys that fills `box`."""
    x, y, width, height = box
    return int(x + (col + 0.5) * width / cols), int(y + (row + 0.5) * height / rows)
