"""E-mail addresses, phone numbers and postal codes in canonical form.

E-mails are lower-case and syntax-checked (no DNS lookups); phones are E.164 where the number
is possible for its region; postal codes are formatted per country.
"""

from __future__ import annotations

import re

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from normalize.text import null_if_blank

# --- e-mail ------------------------------------------------------------------------------------

_MAILTO = re.compile(r"^mailto:", re.IGNORECASE)
_EMAIL_SEPARATORS = re.compile(r"[;,\s]+")
# An address is at most 254 characters; a display name may add some, a field full of junk more.
_MAX_INPUT_LENGTH = 512


def canonical_email(value: str | None) -> str | None:
    """Lower-cased, syntax-checked e-mail address, else None.

    Trims, strips ``mailto:`` (and its ``?subject=`` query), angle brackets and a display name
    (``Jane Doe <jane@x.com>``), then validates with email-validator without DNS. The local
    part is lower-cased too: strictly it is case-sensitive, but no mainstream provider treats
    it so, and matching needs one spelling.
    ``.test`` domains are accepted because the simulator uses them (RFC 2606 reserves them).

    >>> canonical_email(" MailTo:Jane.Doe@Example.COM ")
    'jane.doe@example.com'
    """
    value = null_if_blank(value)
    if value is None:
        return None
    address = value
    if _MAILTO.match(address):
        address = _MAILTO.sub("", address).split("?", 1)[0].strip()
    if address.startswith("<") and address.endswith(">"):
        address = address[1:-1].strip()
    if not address or len(address) > _MAX_INPUT_LENGTH:
        return None
    try:
        validated = validate_email(
            address, check_deliverability=False, test_environment=True, allow_display_name=True
        )
    except EmailNotValidError:
        return None
    return validated.normalized.lower()


def split_emails(value: str | None) -> list[str]:
    """Canonical addresses from a field that may hold several, in order, without duplicates.

    Separators are ``;``, ``,`` and whitespace; tokens that are not addresses are dropped.

    >>> split_emails("A@x.com; b@y.org,  a@X.com junk")
    ['a@x.com', 'b@y.org']
    """
    value = null_if_blank(value)
    if value is None:
        return []
    addresses: list[str] = []
    for token in _EMAIL_SEPARATORS.split(value):
        address = canonical_email(token)
        if address is not None and address not in addresses:
            addresses.append(address)
    return addresses


# --- phone -------------------------------------------------------------------------------------


def _parse_phone(value: str | None, default_region: str) -> phonenumbers.PhoneNumber | None:
    value = null_if_blank(value)
    if value is None:
        return None
    try:
        return phonenumbers.parse(value, default_region.upper())
    except phonenumbers.NumberParseException:
        return None


def canonical_phone(value: str | None, default_region: str = "US") -> str | None:
    """E.164 form of a phone number, or None when it is not a possible number.

    Numbers without a country code are read in ``default_region``. "Possible" checks only the
    length for the region, not whether the range is allocated, so fictional 555 numbers pass;
    numbers that are only possible as local (no area code) are rejected because their E.164
    form would be wrong. Extensions are dropped here; see :func:`phone_extension`.

    >>> canonical_phone("1-555-123-4567 x89")
    '+15551234567'
    """
    number = _parse_phone(value, default_region)
    if number is None:
        return None
    if phonenumbers.is_possible_number_with_reason(number) != (
        phonenumbers.ValidationResult.IS_POSSIBLE
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_extension(value: str | None, default_region: str = "US") -> str | None:
    """The extension of a phone number (``x89``, ``ext. 89``, ``#89``), else None.

    >>> phone_extension("(555) 123-4567 ext. 89")
    '89'
    """
    number = _parse_phone(value, default_region)
    if number is None or not number.extension:
        return None
    return number.extension


# --- postal code -------------------------------------------------------------------------------

_COUNTRY_ALIASES = {
    "US": "US", "USA": "US", "U.S.": "US", "U.S.A.": "US", "UNITED STATES": "US",
    "UNITED STATES OF AMERICA": "US", "AMERICA": "US",
    "CA": "CA", "CAN": "CA", "CANADA": "CA",
    "GB": "GB", "UK": "GB", "U.K.": "GB", "GBR": "GB", "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB", "WALES": "GB",
    "NORTHERN IRELAND": "GB",
}  # fmt: skip

# ZIP or ZIP+4, with or without the hyphen; 3-4 digit values are ZIPs whose leading zeros a
# spreadsheet dropped (00501 Holtsville NY, 02134 Boston).
_US_ZIP = re.compile(r"(\d{5})(?:[-\s]?\d{4})?|(\d{3,4})")
_CA_POSTCODE = re.compile(r"([ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z])[\s-]?(\d[ABCEGHJ-NPRSTV-Z]\d)")
_UK_POSTCODE = re.compile(r"([A-Z]{1,2}\d[A-Z\d]?)\s*(\d[A-Z]{2})")


def country_code(country: str | None) -> str | None:
    """ISO code for the country spellings the postal-code rules need (US, CA, GB), else the
    trimmed upper-cased input; None when blank.

    >>> country_code("United States"), country_code("uk"), country_code("de")
    ('US', 'GB', 'DE')
    """
    country = null_if_blank(country)
    if country is None:
        return None
    upper = " ".join(country.upper().split())
    return _COUNTRY_ALIASES.get(upper, upper)


def canonical_postal_code(value: str | None, country: str | None = "US") -> str | None:
    """Postal code formatted for its country; None when blank or not a valid US ZIP.

    - US: five digits. ZIP+4 is cut to the five-digit ZIP: the +4 names a delivery route, which
      no search or match uses, and keeping both forms would split equal locations. Three- and
      four-digit values get their spreadsheet-dropped leading zeros back.
    - Canada: ``A1A 1A1``. UK: upper case with one space before the three-character inward code.
    - Other countries: trimmed, upper case, inner whitespace collapsed.
    - ``country=None``: the shape decides (US ZIP, Canadian, UK), else the generic rule.

    >>> canonical_postal_code("2134"), canonical_postal_code("k1a0b1", "Canada")
    ('02134', 'K1A 0B1')
    """
    value = null_if_blank(value)
    if value is None:
        return None
    code = " ".join(value.upper().split())
    match country_code(country):
        case "US":
            return _us_zip(code)
        case "CA":
            return _canadian_postcode(code) or code
        case "GB":
            return _uk_postcode(code) or code
        case None:
            return _us_zip(code) or _canadian_postcode(code) or _uk_postcode(code) or code
        case _:
            return code


def _us_zip(code: str) -> str | None:
    match = _US_ZIP.fullmatch(code)
    return None if match is None else (match.group(1) or match.group(2)).zfill(5)


def _canadian_postcode(code: str) -> str | None:
    match = _CA_POSTCODE.fullmatch(code)
    return None if match is None else f"{match.group(1)} {match.group(2)}"


def _uk_postcode(code: str) -> str | None:
    match = _UK_POSTCODE.fullmatch(code)
    return None if match is None else f"{match.group(1)} {match.group(2)}"
