"""Phone numbers typed on the keypad: Dutch mobile and landline, with or without +31."""
import pytest

from sync.callback import phone


@pytest.mark.parametrize("typed, e164", [
    ("0612345678", "+31612345678"),
    ("+31612345678", "+31612345678"),
    ("0031612345678", "+31612345678"),
    ("06-1234 5678", "+31612345678"),
    ("0781234567", "+31781234567"),   # Dordrecht landline
    ("+31781234567", "+31781234567"),
    ("020 123 4567", "+31201234567"),
])
def test_valid_dutch_numbers_become_e164(typed, e164):
    assert phone.normalise(typed) == phone.PhoneResult(e164=e164)


@pytest.mark.parametrize("typed, reason", [
    ("", phone.EMPTY),
    ("+", phone.EMPTY),
    ("0612", phone.TOO_SHORT),
    ("061234567", phone.TOO_SHORT),
    ("06123456789", phone.TOO_LONG),
    ("+316123456789", phone.TOO_LONG),
    ("+32470123456", phone.NOT_DUTCH),
    ("0800-1234", phone.NOT_CALLABLE),
    ("0900-1234567", phone.NOT_CALLABLE),
    ("0001234567", phone.INVALID),
])
def test_invalid_numbers_give_a_reason(typed, reason):
    result = phone.normalise(typed)
    assert (result.ok, result.reason) == (False, reason)


def test_national_format_for_the_volunteer():
    assert phone.national("+31612345678") == "06 12345678"
    assert phone.national("+31781234567") == "078 123 4567"
