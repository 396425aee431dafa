"""On-screen keys for a kiosk without a keyboard: a numeric keypad and a letter keyboard.

Both dispatch `on_key` with the key's value: a digit, '+', a letter, '-', or BACKSPACE.
"""
from __future__ import annotations

from pathlib import Path

from kivy.lang import Builder
from kivy.properties import BooleanProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from .widgets import ChoiceButton

BACKSPACE = "backspace"
LETTER_ROWS = ("QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM")
NARROW_ROWS = ("ABCDEF", "GHIJKL", "MNOPQR", "STUVWX", "YZ-")


class KeyButton(ChoiceButton):
    """One key; `value` is what it types."""

    value = StringProperty("")


class BackspaceKey(KeyButton):
    """Removes the last character; its label follows the language (kv rule)."""

    value = StringProperty(BACKSPACE)


class NumericKeypad(GridLayout):
    __events__ = ("on_key",)

    def on_key(self, value: str) -> None:
        pass


class LetterKeyboard(BoxLayout):
    """QWERTY rows; when `narrow` (portrait), alphabetical rows of six so the keys stay wide."""

    __events__ = ("on_key",)
    narrow = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._build()

    def on_narrow(self, *_args) -> None:
        self._build()

    def _build(self) -> None:
        self.clear_widgets()
        rows = NARROW_ROWS if self.narrow else LETTER_ROWS
        columns = max(len(letters) for letters in rows)
        for number, letters in enumerate(rows):
            row = BoxLayout(spacing=self.spacing)
            self.bind(spacing=row.setter("spacing"))
            for letter in letters:
                row.add_widget(KeyButton(text=letter, value=letter, on_release=self._pressed))
            if number == len(rows) - 1:
                row.add_widget(BackspaceKey(size_hint_x=columns - len(letters), on_release=self._pressed))
            self.add_widget(row)

    def _pressed(self, key: KeyButton) -> None:
        self.dispatch("on_key", key.value)

    def on_key(self, value: str) -> None:
        pass


Builder.load_file(str(Path(__file__).with_suffix(".kv")))
