"""The activity screen: details of one occurrence and a QR code to take home."""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.screenmanager import Screen

from sync.schedule.model import Occurrence
from kiosk.screens.takeaway import qr_payload


class ActivityScreen(Screen):
    occurrence = ObjectProperty(None, allownone=True)
    qr_data = StringProperty("")

    def callback_context(self) -> dict:
        """A callback asked for here names the activity (the request's note)."""
        return {"note": self.occurrence.title} if self.occurrence else {}

    def on_occurrence(self, _instance, occurrence: Occurrence | None) -> None:
        self.qr_data = qr_payload(occurrence) if occurrence else ""


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
