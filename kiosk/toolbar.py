"""The visitor's tools on every screen: language, text size and read aloud, each an icon with a label."""
from __future__ import annotations

from pathlib import Path

from kivy.app import App
from kivy.factory import Factory
from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.modalview import ModalView

from .i18n import LANGUAGES
from .mirror import MirrorBoxLayout
from .icons import Icon  # noqa: F401  (used by toolbar.kv)
from .widgets import ChoiceButton


class IconButton(ButtonBehavior, BoxLayout):
    """An icon above a short label; light (white key) or dark (an action)."""

    icon = StringProperty("globe")
    text = StringProperty("")
    dark = BooleanProperty(False)
    primary = False  # the size test holds primary targets to 20 mm, the others to 15 mm


class LanguagePicker(ModalView):
    """Six big buttons, each language in its own name; one tap switches the whole kiosk."""

    def __init__(self, choose, **kwargs):
        super().__init__(**kwargs)
        for code, name in LANGUAGES.items():
            button = ChoiceButton(text=name, font_size=self.font_size())
            button.bind(on_release=lambda _b, code=code: (self.dismiss(), choose(code)))
            self.ids.grid.add_widget(button)

    @staticmethod
    def font_size() -> float:
        from kivy.app import App

        return 26 * App.get_running_app().fs


class ToolBar(MirrorBoxLayout):
    """[language] [text size] [read aloud]; `compact` leaves out the text size (a narrow bar), and read
    aloud is there only when a speech engine is."""

    compact = BooleanProperty(False)
    read_aloud = False  # the tools themselves are not part of what is read aloud

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.tools = {name: Factory.get(name)() for name in ("LanguageTool", "TextSizeTool", "ReadAloudTool")}
        self.bind(compact=self._arrange)
        App.get_running_app().bind(speech_available=self._arrange)
        self._arrange()

    def _arrange(self, *_args) -> None:
        speech = App.get_running_app().speech_available
        wanted = ["LanguageTool"] + ([] if self.compact else ["TextSizeTool"]) + (["ReadAloudTool"] if speech else [])
        self.clear_widgets()
        for name in wanted:
            self.add_widget(self.tools[name])


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
