"""Screens for when there is no programme to show: the house is closed, or the clock is not yet right."""
from __future__ import annotations

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from kiosk import kvcache


class ClosedScreen(Screen):
    """A calm, dim screen with the next opening; a touch shows the programme."""

    next_opening = ObjectProperty(None, allownone=True)  # aware datetime or None


class ClockScreen(Screen):
    """Shown until the clock is trusted, instead of a wrong day's programme."""


kvcache.load_beside(__file__)
