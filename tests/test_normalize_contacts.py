"""E-mails are lower-case and valid or None, phones E.164 or None, postal codes per country."""

from __future__ import annotations

import phonenumbers
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.contacts import (
    canonical_email,
    canonical_phone,
    canonical_postal_code,
    country_code,
    phone_extension,
    split_emails,
)

# --- e-mail ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("jane.doe@example.com", "jane.doe@example.com"),
        ("  Jane.Doe@Example.COM ", "jane.doe@example.com"),
        ("mailto:jane@example.com", "jane@example.com"),
        ("MAILTO:Jane@Example.com?subject=Hello", "jane@example.com"),
        ("<jane@example.com>", "jane@example.com"),
        ("Jane Doe <Jane@Example.com>", "jane@example.com"),
        ("jane+jobs@sub.example.co.uk", "jane+jobs@sub.example.co.uk"),
        ("rita@x.test", "rita@x.test"),
        ("zoë@exämple.de", "zoë@exämple.de"),
        ("jane@", None),
        ("@example.com", None),
        ("jane doe@example.com", None),
        ("jane..doe@example.com", None),
        ("jane@localhost", None),
        ("jane@example", None),
        ("jane@exa mple.com", None),
        ("not an email", None),
        ("Null", None),
        ("", None),
        (None, None),
        ("a" * 300 + "@example.com", None),
    ],
)
def test_canonical_email(raw: str | None, expected: str | None) -> None:
    assert canonical_email(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a@x.com; b@y.org", ["a@x.com", "b@y.org"]),
        ("A@x.com,b@y.org , a@X.COM", ["a@x.com", "b@y.org"]),
        ("a@x.com b@y.org\nc@z.net", ["a@x.com", "b@y.org", "c@z.net"]),
        ("Jane Doe <jane@x.com>; junk", ["jane@x.com"]),
        ("junk; more junk", []),
        ("Null", []),
        (None, []),
    ],
)
def test_split_emails(raw: str | None, expected: list[str]) -> None:
    assert split_emails(raw) == expected


local_parts = st.from_regex(r"[a-z0-9]{1,10}([._+-][a-z0-9]{1,8}){0,2}", fullmatch=True)
domains = st.from_regex(
    r"[a-z][a-z0-9]{0,9}(\.[a-z][a-z0-9]{0,6}){0,2}\.[a-z]{2,6}", fullmatch=True
)
SPECIAL_TLDS = ("local", "localhost", "onion", "arpa", "invalid")


@settings(max_examples=150, deadline=None)
@given(local_parts, domains.filter(lambda d: not d.endswith(SPECIAL_TLDS)), st.booleans())
def test_email_is_case_insensitive_and_idempotent(local: str, domain: str, mailto: bool) -> None:
    address = f"{local}@{domain}"
    spelled = f"  {'MailTo:' if mailto else ''}{address.upper()} "
    assert canonical_email(spelled) == address
    assert canonical_email(address.title()) == address
    assert canonical_email(address) == address


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(max_size=40),
        st.builds(
            "{}@{}.{}".format,
            st.text(min_size=1, max_size=8),
            st.text(min_size=1, max_size=8),
            domains,
        ),
    )
)
def test_email_canonical_form_is_a_fixed_point(value: str) -> None:
    canonical = canonical_email(value)
    if canonical is not None:
        assert canonical == canonical.lower()
        assert canonical_email(canonical) == canonical


# --- phone -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "region", "expected"),
    [
        ("(555) 123-4567", "US", "+15551234567"),
        ("555.123.4567", "US", "+15551234567"),
        ("555-123-4567", "US", "+15551234567"),
        ("5551234567", "US", "+15551234567"),
        ("+1 555 123 4567", "US", "+15551234567"),
        ("1-555-123-4567 x89", "US", "+15551234567"),
        ("(202) 555-0143 ext. 12", "US", "+12025550143"),
        ("+44 20 7946 0958", "US", "+442079460958"),
        ("020 7946 0958", "GB", "+442079460958"),
        ("+91 98765 43210", "US", "+919876543210"),
        ("098765 43210", "IN", "+919876543210"),
        ("+49 30 1234567", "US", "+49301234567"),
        ("011 44 20 7946 0958", "US", "+442079460958"),
        ("+1-800-FLOWERS", "US", "+18003569377"),
        ("123-4567", "US", None),
        ("12345", "US", None),
        ("+1 (555) 123-45678", "US", None),
        ("555 123 4567 555 987 6543", "US", None),
        ("phone", "US", None),
        ("Null", "US", None),
        ("", "US", None),
        (None, "US", None),
    ],
)
def test_canonical_phone(raw: str | None, region: str, expected: str | None) -> None:
    assert canonical_phone(raw, default_region=region) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1-555-123-4567 x89", "89"),
        ("(555) 123-4567 ext. 12", "12"),
        ("555-123-4567 extension 345", "345"),
        ("(555) 123-4567 #7", "7"),
        ("(555) 123-4567", None),
        ("not a phone x12", None),
        (None, None),
    ],
)
def test_phone_extension(raw: str | None, expected: str | None) -> None:
    assert phone_extension(raw) == expected


NANP_FORMATS = (
    "({a}) {b}-{c}",
    "{a}.{b}.{c}",
    "{a}-{b}-{c}",
    "{a}{b}{c}",
    "+1 {a} {b} {c}",
    "1-{a}-{b}-{c}",
    "1 ({a}) {b}-{c}",
    "+1.{a}.{b}.{c}",
    "  {a} {b} {c}  ",
)


@settings(max_examples=150, deadline=None)
@given(
    st.from_regex(r"[2-9][0-9]{2}", fullmatch=True),
    st.from_regex(r"[2-9][0-9]{2}", fullmatch=True),
    st.from_regex(r"[0-9]{4}", fullmatch=True),
    st.sampled_from(NANP_FORMATS),
)
def test_us_phone_formats_share_one_e164(area: str, exchange: str, line: str, fmt: str) -> None:
    canonical = canonical_phone(fmt.format(a=area, b=exchange, c=line))
    assert canonical == f"+1{area}{exchange}{line}"
    assert canonical_phone(canonical) == canonical


REGIONS = ("US", "GB", "IN", "DE", "FR", "MX", "BR", "CA", "AU", "ES", "NG", "PL")
FORMATS = (
    phonenumbers.PhoneNumberFormat.E164,
    phonenumbers.PhoneNumberFormat.INTERNATIONAL,
    phonenumbers.PhoneNumberFormat.NATIONAL,
    phonenumbers.PhoneNumberFormat.RFC3966,
)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(REGIONS),
    st.sampled_from([phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE]),
    st.sampled_from(FORMATS),
    st.from_regex(r"[0-9]{2}", fullmatch=True),
)
def test_international_formats_share_one_e164(
    region: str, number_type: int, fmt: int, last_digits: str
) -> None:
    example = phonenumbers.example_number_for_type(region, number_type)
    digits = str(example.national_number)
    number = phonenumbers.parse(digits[:-2] + last_digits, region)
    expected = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    spelled = phonenumbers.format_number(number, fmt)
    assert canonical_phone(spelled, default_region=region) == expected
    assert canonical_phone(expected) == expected


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 +-().x#abc", max_size=25))
def test_phone_canonical_form_is_a_fixed_point(value: str) -> None:
    canonical = canonical_phone(value)
    if canonical is not None:
        assert canonical.startswith("+")
        assert canonical[1:].isdigit()
        assert canonical_phone(canonical) == canonical


# --- postal code -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "country", "expected"),
    [
        ("02134", "US", "02134"),
        ("2134", "US", "02134"),
        ("501", "US", "00501"),
        (" 94103 ", "USA", "94103"),
        ("12345-6789", "US", "12345"),
        ("123456789", "United States", "12345"),
        ("12345 6789", "US", "12345"),
        ("1234567", "US", None),
        ("ABCDE", "US", None),
        ("k1a0b1", "CA", "K1A 0B1"),
        ("K1A-0B1", "Canada", "K1A 0B1"),
        ("m5v 3l9", "CAN", "M5V 3L9"),
        ("sw1a1aa", "UK", "SW1A 1AA"),
        ("SW1A 1AA", "GB", "SW1A 1AA"),
        ("ec1a   1bb", "United Kingdom", "EC1A 1BB"),
        ("m1 1ae", "England", "M1 1AE"),
        ("10115", "DE", "10115"),
        ("75008 ", "France", "75008"),
        ("1234 ab", "NL", "1234 AB"),
        ("k1a0b1", None, "K1A 0B1"),
        ("sw1a1aa", None, "SW1A 1AA"),
        ("2134", None, "02134"),
        ("Null", "US", None),
        ("", "US", None),
        (None, "US", None),
    ],
)
def test_canonical_postal_code(raw: str | None, country: str | None, expected: str | None) -> None:
    assert canonical_postal_code(raw, country) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("us", "US"),
        ("U.S.A.", "US"),
        ("united  states", "US"),
        ("Canada", "CA"),
        ("uk", "GB"),
        ("Deutschland", "DEUTSCHLAND"),
        ("Null", None),
    ],
)
def test_country_code(raw: str, expected: str | None) -> None:
    assert country_code(raw) == expected
