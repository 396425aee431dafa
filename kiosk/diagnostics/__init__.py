"""Opt-in measurement for tests and benchmarks, off in normal use: the only reader of WIJKKIOSK_* variables.

- WIJKKIOSK_PROBE=1: the benchmark's timing probe (probe.py);
- WIJKKIOSK_LAYOUT_REPORT=<file>: each screen's touch targets and text fit, for the UI tests
  (layoutreport.py, with targets.py and textfit.py);
- WIJKKIOSK_SPEECH_WAV=<file>: reading aloud writes a WAV file instead of playing (kiosk.a11y.speech).

`KioskApp.on_start` calls `install(app)` once. The probe times frames through `app.frame_rate.observe`:
the frame rate is the one owner of `Clock.idle`, so which of them starts first does not matter.
"""
from __future__ import annotations

import dataclasses
import os

PROBE = "WIJKKIOSK_PROBE"
LAYOUT_REPORT = "WIJKKIOSK_LAYOUT_REPORT"
SPEECH_WAV = "WIJKKIOSK_SPEECH_WAV"


@dataclasses.dataclass(frozen=True)
class Wanted:
    probe: bool = False
    layout_report: str = ""  # a file
    speech_wav: str = ""  # a file

    def __bool__(self) -> bool:
        return self.probe or bool(self.layout_report or self.speech_wav)


def wanted(environ=os.environ) -> Wanted:
    return Wanted(environ.get(PROBE, "") == "1", environ.get(LAYOUT_REPORT, ""), environ.get(SPEECH_WAV, ""))


def install(app, asked: Wanted | None = None) -> None:
    """Start what the environment (or `asked`) asks for; nothing at all in normal use."""
    asked = wanted() if asked is None else asked
    if asked.speech_wav:
        app.visitor.speech_wav = asked.speech_wav
        app.visitor.configure(app.kiosk_config)
    if asked.probe:
        from kiosk.diagnostics import probe

        probe.Probe(app).start()
    if asked.layout_report:
        from kiosk.diagnostics import layoutreport

        app.layout_reporter = layoutreport.Reporter(app, asked.layout_report)  # Clock keeps weak refs
        app.layout_reporter.start()
