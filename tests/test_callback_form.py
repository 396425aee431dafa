"""Typing on the kiosk's keypad and keyboard."""
from kiosk.screens.callback_form import MAX_NAME, MAX_PHONE, CallbackForm


def typed(keys: str) -> CallbackForm:
    form = CallbackForm()
    for key in keys:
        form = form.with_digit(key)
    return form


def test_digits_and_one_leading_plus():
    assert typed("+31+6x").phone == "+316"
    assert typed("06").without_last_digit().phone == "0"
    assert len(typed("0" * 40).phone) == MAX_PHONE


def test_names_are_capitalised_per_part():
    form = CallbackForm()
    for key in "ANNA--MARIE  X":
        form = form.with_letter(key)
    assert form.name == "Anna-Marie X"
    assert form.without_last_letter().name == "Anna-Marie "
    assert CallbackForm().with_letter("-").name == ""
    long = CallbackForm()
    for _ in range(40):
        long = long.with_letter("A")
    assert len(long.name) == MAX_NAME
