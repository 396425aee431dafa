"""The callback form's state (pure, no Kivy): one frozen value, replaced on every edit, forgotten on reset."""
from __future__ import annotations

import dataclasses

MAX_PHONE = 16  # "+31 6 12345678" and some slack
MAX_NAME = 30


@dataclasses.dataclass(frozen=True)
class CallbackForm:
    topic: str = ""
    phone: str = ""  # as typed: digits and an optional leading +
    e164: str = ""  # set once the number is valid
    name: str = ""
    moment: str = ""
    note: str = ""  # context: the activity the visitor came from
    people: int = 0  # a sign-up: how many come (1-6)

    def with_digit(self, key: str) -> "CallbackForm":
        """A digit or '+' (only first) pressed on the keypad."""
        if len(self.phone) >= MAX_PHONE or (key == "+" and self.phone) or not (key.isdigit() or key == "+"):
            return self
        return dataclasses.replace(self, phone=self.phone + key, e164="")

    def without_last_digit(self) -> "CallbackForm":
        return dataclasses.replace(self, phone=self.phone[:-1], e164="")

    def with_letter(self, key: str) -> "CallbackForm":
        """A letter, '-' or ' ' from the keyboard; capitals at the start of each part of the name."""
        if len(self.name) >= MAX_NAME or (key in "- " and (not self.name or self.name[-1] in "- ")):
            return self
        start = not self.name or self.name[-1] in "- "
        return dataclasses.replace(self, name=self.name + (key.upper() if start else key.lower()))

    def without_last_letter(self) -> "CallbackForm":
        return dataclasses.replace(self, name=self.name[:-1])
