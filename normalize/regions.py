"""US state codes, country and city display forms for the location columns.

Kept apart from ``contacts`` (postal codes) because these are display normalisations, not
identifiers: a value that is not recognised is kept as written (trimmed), never dropped.
"""

from __future__ import annotations

from normalize.contacts import country_code
from normalize.text import null_if_blank

US_STATES: dict[str, str] = {
    "ALABAMA": "AL", "ALASKA": "AK", "ARIZONA": "AZ", "ARKANSAS": "AR", "CALIFORNIA": "CA",
    "COLORADO": "CO", "CONNECTICUT": "CT", "DELAWARE": "DE", "DISTRICT OF COLUMBIA": "DC",
    "FLORIDA": "FL", "GEORGIA": "GA", "HAWAII": "HI", "IDAHO": "ID", "ILLINOIS": "IL",
    "INDIANA": "IN", "IOWA": "IA", "KANSAS": "KS", "KENTUCKY": "KY", "LOUISIANA": "LA",
    "MAINE": "ME", "MARYLAND": "MD", "MASSACHUSETTS": "MA", "MICHIGAN": "MI", "MINNESOTA": "MN",
    "MISSISSIPPI": "MS", "MISSOURI": "MO", "MONTANA": "MT", "NEBRASKA": "NE", "NEVADA": "NV",
    "NEW HAMPSHIRE": "NH", "NEW JERSEY": "NJ", "NEW MEXICO": "NM", "NEW YORK": "NY",
    "NORTH CAROLINA": "NC", "NORTH DAKOTA": "ND", "OHIO": "OH", "OKLAHOMA": "OK", "OREGON": "OR",
    "PENNSYLVANIA": "PA", "RHODE ISLAND": "RI", "SOUTH CAROLINA": "SC", "SOUTH DAKOTA": "SD",
    "TENNESSEE": "TN", "TEXAS": "TX", "UTAH": "UT", "VERMONT": "VT", "VIRGINIA": "VA",
    "WASHINGTON": "WA", "WEST VIRGINIA": "WV", "WISCONSIN": "WI", "WYOMING": "WY",
    "PUERTO RICO": "PR", "GUAM": "GU", "VIRGIN ISLANDS": "VI", "AMERICAN SAMOA": "AS",
    "NORTHERN MARIANA ISLANDS": "MP", "WASHINGTON DC": "DC", "WASHINGTON D.C.": "DC",
}  # fmt: skip
_US_STATE_CODES = frozenset(US_STATES.values())
# Codes the postal-code rules know; other countries keep their written name.
_COUNTRY_CODES_KEPT = frozenset({"US", "CA", "GB"})


def _collapse(value: str) -> str:
    return " ".join(value.split())


def canonical_country(value: str | None) -> str | None:
    """``US``, ``CA`` or ``GB`` for their many spellings; other countries as written (trimmed).

    >>> canonical_country(" United States "), canonical_country("uk"), canonical_country("Spain")
    ('US', 'GB', 'Spain')
    """
    value = null_if_blank(value)
    if value is None:
        return None
    code = country_code(value)
    return code if code in _COUNTRY_CODES_KEPT else _collapse(value)


def canonical_state(value: str | None, country: str | None = None) -> str | None:
    """Two-letter code for a US state written out or in any case, when the country is the US
    or unknown; anything else trimmed as written.

    >>> canonical_state("new york"), canonical_state("tx"), canonical_state("Bavaria", "DE")
    ('NY', 'TX', 'Bavaria')
    """
    value = null_if_blank(value)
    if value is None:
        return None
    if country not in (None, "US"):
        return _collapse(value)
    upper = _collapse(value.upper())
    if upper in _US_STATE_CODES:
        return upper
    return US_STATES.get(upper, _collapse(value))


def display_city(value: str | None) -> str | None:
    """A city fit to show: single spaces, and ALL-CAPS or all-lower turned to title case.

    >>> display_city("  SAN   FRANCISCO "), display_city("McAllen")
    ('San Francisco', 'McAllen')
    """
    value = null_if_blank(value)
    if value is None:
        return None
    value = _collapse(value)
    if value.isupper() or value.islower():
        return value.title()
    return value
