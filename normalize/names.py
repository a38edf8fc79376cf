"""Personal names: display form, matching keys, nickname variants and full-name splitting.

Display functions keep what a person wrote wherever it is plausible (mixed case is trusted);
matching functions (`name_key`, `name_keys`, `first_name_variants`) throw away case, diacritics
and punctuation and must never be shown to a user.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from functools import cache

from nameparser import HumanName

from normalize.nicknames import NICKNAME_GROUPS
from normalize.text import null_if_blank

# --- display -----------------------------------------------------------------------------------

# Lower-case surname particles, except as the first word ("De la Cruz", "Juan de la Cruz") or
# the last, where they are surnames of their own (Vietnamese Le and Do, Chinese Lo). Single
# letters (Spanish "y", Portuguese "e") are left out: in a capitalised name they are far more
# often initials.
_PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "de", "del", "della", "dei", "degli", "di", "da", "dal",
        "das", "do", "dos", "du", "la", "le", "les", "lo", "ter", "ten", "te", "het", "bin",
        "binti", "bint", "ibn", "al", "el",
    }
)  # fmt: skip
# Arabic article joined by a hyphen: "Ahmed al-Rashid".
_HYPHENATED_ARTICLES = frozenset({"al", "el"})
_UPPER_TOKENS = {"ii": "II", "iii": "III", "iv": "IV", "vi": "VI", "vii": "VII", "phd": "PhD"}

# "Mac" is a prefix only in these surnames; a blanket rule would give "MacHado" or "MacIas".
_MAC_SURNAMES = frozenset(
    {
        "macarthur", "macaulay", "macbeth", "maccallum", "macdonald", "macdougall", "macduff",
        "macfarlane", "macgregor", "macinnes", "macintosh", "macintyre", "mackay", "mackenzie",
        "mackinnon", "maclachlan", "maclean", "macleod", "macmillan", "macnamara", "macneil",
        "macneill", "macpherson", "macquarrie", "macrae", "macdowell", "maclaren", "macallister",
    }
)  # fmt: skip

# Letters after these are capitalised: O'Brien, D'Angelo, J.R.
_CAPITALISE_AFTER = re.compile(r"(['’.])")


def _has_mixed_case(value: str) -> bool:
    return any(c.isupper() for c in value) and any(c.islower() for c in value)


def _capitalise(text: str) -> str:
    """Title-case the first cased letter, lower-case the rest; leading marks stay as they are."""
    for i, char in enumerate(text):
        if char.lower() != char.upper():
            return text[:i] + char.title() + text[i + 1 :].lower()
    return text


def _capitalise_piece(piece: str) -> str:
    lower = piece.lower()
    if lower.startswith("mc") and len(lower) > 2:
        return "Mc" + _capitalise(lower[2:])
    if lower in _MAC_SURNAMES:
        return "Mac" + _capitalise(lower[3:])
    parts = _CAPITALISE_AFTER.split(lower)
    return "".join(_capitalise(part) for part in parts)


def _display_word(word: str, is_first: bool, is_last: bool) -> str:
    lower = word.lower()
    if not is_first and not is_last and lower in _PARTICLES:
        return lower
    if not is_first and lower in _UPPER_TOKENS:
        return _UPPER_TOKENS[lower]
    pieces = word.split("-")
    shown = [_capitalise_piece(piece) for piece in pieces]
    if not is_first and len(pieces) > 1 and pieces[0].lower() in _HYPHENATED_ARTICLES:
        shown[0] = pieces[0].lower()
    return "-".join(shown)


def normalize_name_for_display(value: str | None) -> str | None:
    """A name fit to show: NFC, single spaces, and ALL-CAPS or all-lower turned to title case.

    Mixed case is trusted as written ("DeShawn", "van Gogh"). When the case is fixed, surname
    particles after the first word stay lower case (``van der``, ``de la``, ``bin``), ``Mc``
    and known ``Mac`` surnames get an inner capital, and letters after an apostrophe or a
    hyphen are capitalised.

    >>> normalize_name_for_display("  JUAN  DE LA  CRUZ O'BRIEN-MCDONALD ")
    "Juan de la Cruz O'Brien-McDonald"
    """
    value = null_if_blank(value)
    if value is None:
        return None
    value = " ".join(unicodedata.normalize("NFC", value).split())
    if _has_mixed_case(value):
        return value
    words = value.split(" ")
    last = len(words) - 1
    shown = " ".join(
        _display_word(word, is_first=i == 0, is_last=i == last) for i, word in enumerate(words)
    )
    # Case mapping can decompose a letter (Greek ῇ → Η + two marks), so normalise again.
    return unicodedata.normalize("NFC", shown)


# --- matching keys -----------------------------------------------------------------------------

# Letters that NFKD does not decompose into a base letter plus accents (applied after casefold).
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ı": "i"}
)
# German transliteration: "Müller" is also spelled "Mueller".
_GERMAN_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})
_APOSTROPHES = re.compile(r"['’‘`´ʼ]")
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def name_key(value: str | None) -> str:
    """Matching key: no diacritics, case-folded, punctuation to spaces, single spaces.

    Apostrophes are removed rather than spaced, since "O'Brien" is also typed "OBrien".
    Returns ``""`` for a blank or null value.

    >>> name_key("José  García-López"), name_key("O'Brien"), name_key("Łukasz Strauß")
    ('jose garcia lopez', 'obrien', 'lukasz strauss')
    """
    value = null_if_blank(value)
    if value is None:
        return ""
    # NFKD both before casefold (math and full-width letters) and after it (İ → i + dot).
    compatible = unicodedata.normalize("NFKD", value).casefold().translate(_FOLD_LETTERS)
    decomposed = unicodedata.normalize("NFKD", compatible)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    base = _APOSTROPHES.sub("", base)
    return " ".join(_NOT_LETTER_OR_DIGIT.sub(" ", base).split())


def name_keys(value: str | None) -> frozenset[str]:
    """Matching keys of a name under both diacritic folds: plain (ü → u) and German (ü → ue).

    >>> sorted(name_keys("Müller"))
    ['mueller', 'muller']
    """
    keys = {name_key(value)}
    if value is not None:
        keys.add(name_key(unicodedata.normalize("NFC", value).translate(_GERMAN_UMLAUTS)))
    keys.discard("")
    return frozenset(keys)


@cache
def _nickname_index() -> dict[str, frozenset[str]]:
    """name_key → keys of every name sharing a nickname group with it."""
    index: defaultdict[str, set[str]] = defaultdict(set)
    for group in NICKNAME_GROUPS:
        keys = {name_key(name) for name in group}
        for key in keys:
            index[key] |= keys
    return {key: frozenset(equivalents) for key, equivalents in index.items()}


def first_name_variants(first: str | None) -> frozenset[str]:
    """Matching keys a first name may appear under: itself, its folds and nickname equivalents.

    For a several-word first name ("Juan Carlos", "Mohammed Irfan") the first word and its
    equivalents are included, and each later word as it is, since people often go by either
    part. For matching only, never for display. Empty for a blank value.

    >>> {"robert", "bobby"} <= first_name_variants("Bob"), "robert" in first_name_variants("Ann")
    (True, False)
    """
    whole_keys = name_keys(first)
    first_words = {key.split(" ", 1)[0] for key in whole_keys}
    later_words = {word for key in whole_keys for word in key.split(" ")[1:]}
    variants = set(whole_keys) | first_words | later_words
    index = _nickname_index()
    for key in whole_keys | first_words:
        variants |= index.get(key, frozenset())
    return frozenset(variants)


# --- splitting ---------------------------------------------------------------------------------


def split_full_name(value: str | None) -> tuple[str | None, str | None]:
    """(first, last) of a full name, via nameparser; either may be None.

    Handles "Last, First", titles ("Dr."), suffixes ("Jr.", "PhD"), particles ("de la Vega")
    and quoted or bracketed nicknames, which are dropped. Middle names are dropped too.

    >>> split_full_name("García-López, José"), split_full_name("Dr. Jane A. Doe, PhD")
    (('José', 'García-López'), ('Jane', 'Doe'))
    """
    value = null_if_blank(value)
    if value is None:
        return None, None
    parsed = HumanName(" ".join(value.split()))
    return null_if_blank(parsed.first), null_if_blank(parsed.last)
