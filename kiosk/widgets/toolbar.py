"""The visitor's tools: the language bar of the programme screen, and the language (a globe, on the other
screens), text size and read aloud buttons, each an icon with a label."""
from __future__ import annotations

import functools

from kivy.factory import Factory
from kivy.properties import BooleanProperty, NumericProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix import label as label_module
from kivy.uix.label import Label
from kivy.uix.modalview import ModalView

from kiosk import kvcache
from kiosk.i18n.catalogues import LANGUAGES
from kiosk.i18n.mirror import MirrorBoxLayout, MirrorGridLayout
from kiosk.widgets.icons import Icon  # noqa: F401  (used by toolbar.kv)
from kiosk.widgets.common import ChoiceButton


class IconButton(ButtonBehavior, BoxLayout):
    """An icon above a short label; light (white key) or dark (an action)."""

    icon = StringProperty("globe")
    text = StringProperty("")
    dark = BooleanProperty(False)
    primary = False  # the size test holds primary targets to 20 mm, the others to 15 mm


class LanguagePicker(ModalView):
    """Six big buttons, each language in its own name; one tap switches the whole kiosk."""

    def __init__(self, choose, font_size: float, **kwargs):
        super().__init__(**kwargs)
        for code, name in LANGUAGES.items():
            button = ChoiceButton(text=name, font_size=font_size)
            button.bind(on_release=lambda _b, code=code: (self.dismiss(), choose(code)))
            self.ids.grid.add_widget(button)


class LanguageButton(ButtonBehavior, Label):
    """One language in its own name; the chosen one is dark."""

    code = StringProperty("nl")
    primary = False


class LanguageBar(MirrorGridLayout):
    """The six languages side by side, one tap each: one row where six 15-mm buttons with their names fit,
    else as few rows as fit (two of three in portrait). Right to left, a row starts at the right."""

    read_aloud = False  # the visitor hears the screen, not six language names
    target = NumericProperty(78)  # the app's sizes (bound in toolbar.kv)
    gap = NumericProperty(16)
    u = NumericProperty(1.0)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.buttons = [LanguageButton(code=code) for code in LANGUAGES]
        for button in self.buttons:
            self.add_widget(button)
        self.bind(width=self._arrange, target=self._arrange, gap=self._arrange, u=self._arrange)

    def _arrange(self, *_args) -> None:
        widest = max(_text_width(button) for button in self.buttons) + 2 * 4 * self.u  # the buttons' padding
        self.cols = bar_columns(self.width, len(self.buttons), max(self.target, widest), self.gap)


def bar_columns(width: float, count: int, smallest: float, gap: float) -> int:
    """Buttons a row for `count` buttons in as few rows as fit in `width`, each at least `smallest` wide and
    `gap` apart, the rows as even as can be (6 in 1, 2 or 3 rows: 6, 3 or 2 a row; 7 in 2 rows: 4 and 3);
    one under the other when not even two fit."""
    for rows in range(1, count + 1):
        cols = -(-count // rows)  # ceil
        if cols == 1 or (width - (cols - 1) * gap) / cols >= smallest:
            return cols
    return 1


def _text_width(label: Label) -> float:
    """The width of a label's text on one line, whatever its own text_size."""
    return _line_width(label.text, label.font_size, label.bold)


@functools.lru_cache(maxsize=64)
def _line_width(text: str, font_size: float, bold: bool) -> float:
    # measured by the labels' own text provider (kiosk.i18n.shaping: Arabic joined, as drawn), without a
    # Label widget: one with the kiosk's kv rules and a texture cost a millisecond a language at start
    return label_module.CoreLabel(font_size=font_size, bold=bold).get_extents(text)[0]


class ToolBar(MirrorBoxLayout):
    """[language] [text size] [read aloud]; `compact` leaves out the text size (a narrow bar), `languages`
    the language button (where the language bar is), and read aloud is there only when a speech engine is."""

    compact = BooleanProperty(False)
    languages = BooleanProperty(True)
    read_aloud = False  # the tools themselves are not part of what is read aloud
    speech_available = BooleanProperty(False)  # the app's (bound in toolbar.kv)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tools = {name: Factory.get(name)() for name in ("LanguageTool", "TextSizeTool", "ReadAloudTool")}
        self.bind(compact=self._arrange, languages=self._arrange, speech_available=self._arrange)
        self._arrange()

    def _arrange(self, *_args) -> None:
        speech = self.speech_available
        wanted = ((["LanguageTool"] if self.languages else []) + ([] if self.compact else ["TextSizeTool"])
                  + (["ReadAloudTool"] if speech else []))
        self.clear_widgets()
        for name in wanted:
            self.add_widget(self.tools[name])


kvcache.load_beside(__file__)
