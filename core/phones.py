"""French phone numbers: one rule for what the portal accepts, one way to show them.

The ERP import and the forms a tenant fills use the same `parse`, so a tenant cannot
type a mobile the import would refuse (and the other way round). Numbers are stored in
E.164 ("+33612345661").
"""

import functools
import re
from enum import StrEnum

import phonenumbers

# Metropolitan France and the overseas departments and territories.
FRENCH_COUNTRY_CODES = {33, 262, 269, 508, 590, 594, 596, 681, 687, 689}
MOBILE_TYPES = {
    phonenumbers.PhoneNumberType.MOBILE,
    phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
}


class Problem(StrEnum):
    INVALID = "invalid"  # not a phone number, or with an extension
    FOREIGN = "foreign"  # a valid number outside France
    NOT_MOBILE = "not_mobile"  # a landline where a mobile is needed


class PhoneError(ValueError):
    def __init__(self, problem: Problem):
        super().__init__(problem.value)
        self.problem = problem


def _compiled(desc: phonenumbers.PhoneNumberDesc | None) -> tuple[re.Pattern, set[int]] | None:
    if desc is None or not desc.national_number_pattern:
        return None
    return re.compile(desc.national_number_pattern), set(desc.possible_length)


def _france_types() -> tuple[list[tuple[int, tuple[re.Pattern, set[int]]]], bool]:
    """phonenumbers' table for metropolitan France, compiled once: each type with its
    pattern, in the order phonenumbers tries them (phonenumberutil._number_type_helper)."""
    france = phonenumbers.PhoneMetadata.metadata_for_region("FR")
    if france is None:
        raise ImportError("phonenumbers has no metadata for France")
    kind = phonenumbers.PhoneNumberType
    ordered = [
        (kind.UNKNOWN, france.general_desc),
        (kind.PREMIUM_RATE, france.premium_rate),
        (kind.TOLL_FREE, france.toll_free),
        (kind.SHARED_COST, france.shared_cost),
        (kind.VOIP, france.voip),
        (kind.PERSONAL_NUMBER, france.personal_number),
        (kind.PAGER, france.pager),
        (kind.UAN, france.uan),
        (kind.VOICEMAIL, france.voicemail),
        (kind.FIXED_LINE, france.fixed_line),
        (kind.MOBILE, france.mobile),
    ]
    types = [(name, compiled) for name, desc in ordered if (compiled := _compiled(desc))]
    return types, bool(france.same_mobile_and_fixed_line_pattern)


_types, _SAME_MOBILE_AND_FIXED = _france_types()
(_, _FRANCE), *_FRANCE_TYPES = _types
_FRANCE_MOBILE = dict(_FRANCE_TYPES).get(phonenumbers.PhoneNumberType.MOBILE)


def _matches(national: str, desc: tuple[re.Pattern, set[int]]) -> bool:
    pattern, lengths = desc
    return (not lengths or len(national) in lengths) and pattern.fullmatch(national) is not None


@functools.cache
def _first_type_pattern(length: int) -> re.Pattern | None:
    """One pattern for the types a number of that length may be, each an alternative in
    phonenumbers' order: the group it matches (`lastgroup`) names the first type whose
    pattern the number matches, as if each pattern were tried in turn (one match instead
    of up to ten)."""
    alternatives = [
        f"(?P<t{index}>{pattern.pattern})"
        for index, (_name, (pattern, lengths)) in enumerate(_FRANCE_TYPES)
        if not lengths or length in lengths
    ]
    return re.compile("|".join(alternatives)) if alternatives else None


def _type_of(national: str) -> int:
    """The type of a French national number, as phonenumbers tells it."""
    if not _matches(national, _FRANCE):
        return phonenumbers.PhoneNumberType.UNKNOWN
    pattern = _first_type_pattern(len(national))
    match = pattern.fullmatch(national) if pattern is not None else None
    if match is None or match.lastgroup is None:
        return phonenumbers.PhoneNumberType.UNKNOWN
    name = _FRANCE_TYPES[int(match.lastgroup[1:])][0]
    mobile = _FRANCE_MOBILE
    if name == phonenumbers.PhoneNumberType.FIXED_LINE and (
        _SAME_MOBILE_AND_FIXED or (mobile is not None and _matches(national, mobile))
    ):
        return phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE
    if name == phonenumbers.PhoneNumberType.MOBILE and _SAME_MOBILE_AND_FIXED:
        return phonenumbers.PhoneNumberType.UNKNOWN
    return name


def parse(value: str, *, mobile: bool) -> str:
    """The E.164 form of a French number typed any way ("06 12 34 56 78", "+33 6…").

    Raises PhoneError: each caller words the problem for its reader.
    """
    return _plain_french(value, mobile) or _parsed(value, mobile)


def _plain_french(value: str, mobile: bool) -> str | None:
    """The E.164 form of a good number as ERPs and tenants usually write it ("06 12 34 56
    78", "0612345678", "+33 6 12 34 56 78"), or None: anything else, bad numbers
    included, goes through phonenumbers (tests/core/test_phones.py: both agree)."""
    digits = value.replace(" ", "")
    if len(digits) == 10 and digits[0] == "0":
        national = digits[1:]
    elif len(digits) == 12 and digits.startswith("+33"):
        national = digits[3:]
    else:
        return None
    if not (national.isascii() and national.isdigit()) or national[0] == "0":
        return None
    kind = _type_of(national)
    if kind == phonenumbers.PhoneNumberType.UNKNOWN or (mobile and kind not in MOBILE_TYPES):
        return None
    return "+33" + national


def _parsed(value: str, mobile: bool) -> str:
    try:
        number = phonenumbers.parse(value, "FR")
    except phonenumbers.NumberParseException:
        raise PhoneError(Problem.INVALID) from None
    if not phonenumbers.is_valid_number(number) or number.extension:
        raise PhoneError(Problem.INVALID)
    if number.country_code not in FRENCH_COUNTRY_CODES:
        raise PhoneError(Problem.FOREIGN)
    if mobile and phonenumbers.number_type(number) not in MOBILE_TYPES:
        raise PhoneError(Problem.NOT_MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national(e164: str) -> str:
    """ "+33612345678" → "06 12 34 56 78" ("" stays "")."""
    if not e164:
        return ""
    return phonenumbers.format_number(
        phonenumbers.parse(e164), phonenumbers.PhoneNumberFormat.NATIONAL
    )


def _national_digits(e164: str) -> str:
    return "0" + e164.removeprefix("+33") if e164.startswith("+33") else e164


def masked(e164: str) -> str:
    """ "+33612345661" → "06*****61", as the Habitat Hauts-de-France guide shows it."""
    number = _national_digits(e164)
    return f"{number[:2]}*****{number[-2:]}"


def for_display(e164: str) -> str:
    """ "+33612345661" → "06 •• •• •• 61": recognisable, as French numbers are read."""
    number = _national_digits(e164)
    hidden_pairs = (len(number) - 3) // 2
    return " ".join([number[:2], *["••"] * hidden_pairs, number[-2:]])


def for_log(e164: str) -> str:
    """ "+33612345661" → "***61": enough to tell two messages apart in a log."""
    return f"***{e164[-2:]}"
