"""A small bar chart of the visits on the last days (the admin screen): one bar a day, its count above it."""
from __future__ import annotations

from kivy.properties import DictProperty, NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout

from kiosk import kvcache


class DayBar(BoxLayout):
    count = NumericProperty(0)
    share = NumericProperty(0)  # the bar's height as a part of the tallest (0..1)
    day = StringProperty("")


class FiguresChart(BoxLayout):
    totals = DictProperty({})  # date -> visits, in date order
    lang = StringProperty("nl")

    def on_totals(self, *_args) -> None:
        self._rebuild()

    def on_lang(self, *_args) -> None:
        self._rebuild()

    def _rebuild(self) -> None:
        from kiosk.i18n.format import short_day

        self.clear_widgets()
        tallest = max(self.totals.values(), default=0) or 1
        for day, count in sorted(self.totals.items()):
            self.add_widget(DayBar(count=count, share=count / tallest, day=short_day(day, self.lang)))


kvcache.load_beside(__file__)
