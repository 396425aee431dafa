"""For the UI tests: on every new screen (or popup, language, text size) one JSON line with the touch
targets (name, text, box in screen pixels from the top left), their size problems at the panel's density,
and the labels whose text does not fit. On when WIJKKIOSK_LAYOUT_REPORT names a file (kiosk.diagnostics); off in normal use.

A test reads it to tap what a visitor would tap, in any language and either direction, and to check every
screen it passed through.
"""
from __future__ import annotations

import json
import logging

from kivy.clock import Clock
from kivy.core.window import Window

from kiosk.diagnostics import targets, textfit

log = logging.getLogger(__name__)


class Reporter:
    def __init__(self, app, path: str):
        self.app, self.path, self.last, self.pending = app, path, None, None

    def start(self) -> None:
        log.info("layout reported to %s", self.path)
        Clock.schedule_interval(self._check, 0.4)

    def _check(self, _dt) -> None:
        app = self.app
        on_top = [w for w in Window.children if w is not app.root]
        signature = (app.root.current, tuple(type(w).__name__ for w in on_top), app.lang, app.text_step,
                     app.callback.error, app.speaking)
        if signature == self.last:
            return
        if signature != self.pending:  # report a screen once it has had a tick to settle its layout
            self.pending = signature
            return
        self.last = signature
        roots = on_top or [app.root.current_screen]  # a popup takes every touch while it is open
        found = [t for r in roots for t in targets.collect(r)]
        height = Window.height
        with open(self.path, "a", encoding="utf-8") as out:
            out.write(json.dumps({
                "screen": signature[0], "popups": list(signature[1]), "lang": app.lang,
                "text_step": app.text_step, "speaking": app.speaking, "px_per_mm": app.mm,
                "targets": [{"name": t.name, "text": t.text, "x": t.x, "y": height - t.top, "width": t.width,
                             "height": t.height} for t in found],
                "problems": targets.problems(found, app.mm),
                "text_problems": [p for r in roots for p in textfit.problems(r)],
                # the programme: activities wholly in view, and those below it ("Nog 3 activiteiten")
                "rows_in_view": getattr(app.root.current_screen, "in_view", None),
                "rows_below": getattr(app.root.current_screen, "below", None),
            }, ensure_ascii=False) + "\n")
