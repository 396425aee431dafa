"""On-screen keys for a kiosk without a keyboard: a numeric keypad and a letter keyboard.

Both dispatch `on_key` with the key's value: a digit, '+', a letter, '-', or BACKSPACE (kiosk/widgets/keys.py).
"""
from __future__ import annotations

from kivy.properties import NumericProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

from kiosk import kvcache
from kiosk.widgets.common import ChoiceButton
from kiosk.widgets.keys import BACKSPACE

LETTER_ROWS = ("QWERTYUIOP", "ASDFGHJKL-", "ZXCVBNM")
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ-"


class KeyButton(ChoiceButton):
    """One key; `value` is what it types."""

    value = StringProperty("")


class BackspaceKey(KeyButton):
    """Removes the last character; its label follows the language (kv rule)."""

    value = StringProperty(BACKSPACE)


class NumericKeypad(GridLayout):
    read_aloud = False  # the keys are not read out (kiosk/a11y/readaloud.py)
    __events__ = ("on_key",)

    def on_key(self, value: str) -> None:
        pass


class LetterKeyboard(BoxLayout):
    """QWERTY rows when ten keys of `min_key` pixels fit across; else alphabetical rows, as many keys
    a row as fit, so that no key is smaller than a fingertip needs (15 mm, the app's `target`)."""

    __events__ = ("on_key",)
    read_aloud = False
    min_key = NumericProperty(0)

    _rows: tuple = ()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.bind(width=self._build, min_key=self._build, spacing=self._build)
        self._build()

    def rows(self) -> tuple[str, ...]:
        columns = int((self.width + self.spacing) // (self.min_key + self.spacing)) if self.min_key else 10
        if columns >= len(LETTER_ROWS[0]):
            return LETTER_ROWS
        columns = max(columns, 4)
        return tuple(ALPHABET[i:i + columns] for i in range(0, len(ALPHABET), columns))

    def _build(self, *_args) -> None:
        rows = self.rows()
        if rows == self._rows:
            return
        self._rows = rows
        self.clear_widgets()
        columns = max(len(letters) for letters in rows)
        if len(rows[-1]) > columns - 1:  # the backspace needs a place of its own
            rows = (*rows, "")
        for number, letters in enumerate(rows):
            row = BoxLayout(spacing=self.spacing)
            for letter in letters:
                row.add_widget(KeyButton(text=letter, value=letter, on_release=self._pressed))
            if number == len(rows) - 1:
                row.add_widget(BackspaceKey(size_hint_x=columns - len(letters), on_release=self._pressed))
            self.add_widget(row)

    def _pressed(self, key: KeyButton) -> None:
        self.dispatch("on_key", key.value)

    def on_key(self, value: str) -> None:
        pass


kvcache.load_beside(__file__)
