"""Phone number validation (pure): Dutch numbers, with or without +31, to E.164 or a reason.

phonenumbers is imported on first use, not with this module: its metadata costs about 26 ms and
2.7 MB, which the kiosk's start does not need (measured in docs/benchmarks.md).
"""
from __future__ import annotations

import dataclasses

# reason codes; the UI turns each into a sentence
EMPTY, TOO_SHORT, TOO_LONG, NOT_DUTCH, NOT_CALLABLE, INVALID = (
    "empty", "too_short", "too_long", "not_dutch", "not_callable", "invalid")

# not 0800/0900 service numbers, pagers or shared-cost numbers
CALLABLE = ("MOBILE", "FIXED_LINE", "FIXED_LINE_OR_MOBILE", "VOIP")  # phonenumbers.PhoneNumberType names
NATIONAL_LENGTH = 9  # Dutch mobile and landline numbers: 9 digits after the 0 or +31


@dataclasses.dataclass(frozen=True)
class PhoneResult:
    e164: str = ""  # "+31612345678" when valid
    reason: str = ""  # one of the codes above when not

    @property
    def ok(self) -> bool:
        return bool(self.e164)


def normalise(text: str, region: str = "NL") -> PhoneResult:
    """Validate what the visitor typed; a Dutch mobile or landline number in E.164, or a reason."""
    import phonenumbers
    from phonenumbers import NumberParseException, PhoneNumberType

    digits = "".join(ch for ch in text if ch.isdigit() or ch == "+")
    if not digits.strip("+"):
        return PhoneResult(reason=EMPTY)
    if digits.startswith("0031"):
        digits = "+31" + digits[4:]
    try:
        number = phonenumbers.parse(digits, region)
    except NumberParseException as exc:
        if exc.error_type == NumberParseException.TOO_LONG:
            return PhoneResult(reason=TOO_LONG)
        return PhoneResult(reason=TOO_SHORT if len(digits) < 10 else INVALID)
    if number.country_code != phonenumbers.country_code_for_region(region):
        return PhoneResult(reason=NOT_DUTCH)
    if phonenumbers.is_valid_number_for_region(number, region):
        if phonenumbers.number_type(number) not in {getattr(PhoneNumberType, name) for name in CALLABLE}:
            return PhoneResult(reason=NOT_CALLABLE)
        return PhoneResult(e164=phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))
    length = len(phonenumbers.national_significant_number(number))
    if length < NATIONAL_LENGTH:
        return PhoneResult(reason=TOO_SHORT)
    if length > NATIONAL_LENGTH:
        return PhoneResult(reason=TOO_LONG)
    return PhoneResult(reason=INVALID)


def national(e164: str) -> str:
    """'06 12345678' for a volunteer to read and dial."""
    import phonenumbers

    number = phonenumbers.parse(e164, None)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def as_typed(text: str, region: str = "NL") -> str:
    """What the visitor typed, grouped for reading while typing: '06 12345678', '+31 6 12345678'."""
    import phonenumbers

    formatter = phonenumbers.AsYouTypeFormatter(region)
    shown = ""
    for ch in text:
        shown = formatter.input_digit(ch)
    return shown
