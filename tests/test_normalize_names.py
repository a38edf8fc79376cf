"""Names display in proper case, match on folded keys and nicknames, and split into parts."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from normalize.names import (
    first_name_variants,
    name_key,
    name_keys,
    normalize_name_for_display,
    split_full_name,
)
from normalize.nicknames import NICKNAME_GROUPS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("JANE DOE", "Jane Doe"),
        ("jane doe", "Jane Doe"),
        ("  Jane   Doe ", "Jane Doe"),
        ("JUAN DE LA CRUZ", "Juan de la Cruz"),
        ("DE LA CRUZ", "De la Cruz"),
        ("LUDWIG VAN BEETHOVEN", "Ludwig van Beethoven"),
        ("jan van der berg", "Jan van der Berg"),
        ("LEONARDO DA VINCI", "Leonardo da Vinci"),
        ("MOHAMMED BIN SALMAN", "Mohammed bin Salman"),
        ("NGUYEN THI LE", "Nguyen Thi Le"),
        ("LO", "Lo"),
        ("AHMED AL-RASHID", "Ahmed al-Rashid"),
        ("AL-RASHID", "Al-Rashid"),
        ("O'BRIEN", "O'Brien"),
        ("sean o’connor", "Sean O’Connor"),
        ("d'angelo", "D'Angelo"),
        ("MARY MCDONALD", "Mary McDonald"),
        ("ANGUS MACDONALD", "Angus MacDonald"),
        ("JOSE MACHADO", "Jose Machado"),
        ("MARIA MACIAS", "Maria Macias"),
        ("GARCÍA-LÓPEZ", "García-López"),
        ("josé garcía-lópez", "José García-López"),
        ("JEAN-PIERRE LEFÈVRE", "Jean-Pierre Lefèvre"),
        ("ÉLODIE DUPONT", "Élodie Dupont"),
        ("JOHN SMITH III", "John Smith III"),
        ("J.R. SMITH", "J.R. Smith"),
        # Mixed case is trusted as written.
        ("DeShawn McDonald", "DeShawn McDonald"),
        ("van der Berg", "van der Berg"),
        ("Zoe\u0308 Mu\u0308ller", "Zoë Müller"),
        ("Null", None),
        ("   ", None),
        (None, None),
    ],
)
def test_normalize_name_for_display(raw: str | None, expected: str | None) -> None:
    assert normalize_name_for_display(raw) == expected


def test_display_name_is_nfc() -> None:
    shown = normalize_name_for_display("ZOE\u0308")
    assert shown == "Zoë"
    assert len(shown) == 3


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("José  García-López", "jose garcia lopez"),
        ("JOSÉ GARCÍA LÓPEZ", "jose garcia lopez"),
        ("O'Brien", "obrien"),
        ("O’Brien", "obrien"),
        ("Łukasz Strauß", "lukasz strauss"),
        ("Åsa Østergård", "asa ostergard"),
        ("Nguyễn Văn Đức", "nguyen van duc"),
        ("Zoë Müller", "zoe muller"),
        ("Anne-Marie", "anne marie"),
        ("J.R. Smith", "j r smith"),
        ("  Jane\tDoe  ", "jane doe"),
        ("李小龍", "李小龍"),
        ("Null", ""),
        ("", ""),
        (None, ""),
    ],
)
def test_name_key(raw: str | None, expected: str) -> None:
    assert name_key(raw) == expected


def test_name_keys_include_german_transliteration() -> None:
    assert name_keys("Müller") == {"muller", "mueller"}
    assert name_keys("Mueller") == {"mueller"}
    assert name_keys("Müller") & name_keys("Mueller")
    assert name_keys(None) == frozenset()


@pytest.mark.parametrize(
    ("formal", "nickname"),
    [
        ("Robert", "Bob"),
        ("Robert", "Rob"),
        ("Robert", "Bobby"),
        ("William", "Bill"),
        ("William", "Will"),
        ("William", "Liam"),
        ("Elizabeth", "Liz"),
        ("Elizabeth", "Beth"),
        ("Elizabeth", "Betty"),
        ("Katherine", "Kate"),
        ("Katherine", "Katie"),
        ("Katherine", "Kathy"),
        ("Alexander", "Alex"),
        ("Alexander", "Sasha"),
        ("José", "Pepe"),
        ("Francisco", "Paco"),
        ("Francisco", "Pancho"),
        ("Guillermo", "Memo"),
        ("Mohammed", "Mohamed"),
        ("Mohammed", "Muhammad"),
        ("Mohammed", "Mohammad"),
        ("Dmitry", "Dima"),
        ("Johannes", "Hans"),
        ("Giuseppe", "Beppe"),
        ("François", "Francis"),
        ("Yousef", "Yusuf"),
    ],
)
def test_nickname_pairs_are_equivalent_both_ways(formal: str, nickname: str) -> None:
    assert name_key(nickname) in first_name_variants(formal)
    assert name_key(formal) in first_name_variants(nickname)


def test_variants_fold_diacritics_and_case() -> None:
    assert "jose" in first_name_variants("JOSÉ")
    assert "pepe" in first_name_variants("jose")
    assert {"jurgen", "juergen"} <= first_name_variants("Jürgen")


def test_variants_are_not_transitive() -> None:
    # Bert is short for both Albert and Robert; that must not make Albert a Robert.
    assert "bert" in first_name_variants("Robert")
    assert "albert" in first_name_variants("Bert")
    assert "albert" not in first_name_variants("Robert")


def test_variants_of_multi_word_first_names() -> None:
    variants = first_name_variants("Juan Carlos")
    assert {"juan carlos", "juan", "jc", "juanito", "carlos"} <= variants
    # Later words count as they are, without their own nicknames.
    assert "carlitos" not in variants
    assert "irfan" in first_name_variants("Mohammed Irfan")


def test_variants_of_unknown_and_blank_names() -> None:
    assert first_name_variants("Zzyzx") == {"zzyzx"}
    assert first_name_variants("") == frozenset()
    assert first_name_variants(None) == frozenset()
    assert first_name_variants("Null") == frozenset()


def test_nickname_table_shape() -> None:
    assert len(NICKNAME_GROUPS) >= 300
    for group in NICKNAME_GROUPS:
        keys = [name_key(name) for name in group]
        assert len(group) >= 2, group
        assert all(keys), group
        assert len(set(keys)) == len(keys), f"duplicate spelling in {group}"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Jane Doe", ("Jane", "Doe")),
        ("Doe, Jane", ("Jane", "Doe")),
        ("García-López, José", ("José", "García-López")),
        ("Dr. Jane A. Doe, PhD", ("Jane", "Doe")),
        ("Mr. John Smith Jr.", ("John", "Smith")),
        ("Smith, John Jr.", ("John", "Smith")),
        ("Juan de la Vega", ("Juan", "de la Vega")),
        ("Ludwig van Beethoven", ("Ludwig", "van Beethoven")),
        ("Wei (David) Zhang", ("Wei", "Zhang")),
        ('Robert "Bob" Smith', ("Robert", "Smith")),
        ("  Jane    Doe  ", ("Jane", "Doe")),
        ("Madonna", ("Madonna", None)),
        ("Null", (None, None)),
        ("", (None, None)),
        (None, (None, None)),
    ],
)
def test_split_full_name(raw: str | None, expected: tuple[str | None, str | None]) -> None:
    assert split_full_name(raw) == expected


name_text = st.text(
    alphabet=st.characters(categories=["Lu", "Ll", "Zs", "Pd", "Po", "Mn"]), max_size=30
)


@settings(max_examples=200, deadline=None)
@given(name_text)
def test_name_key_is_idempotent_and_plain(value: str) -> None:
    key = name_key(value)
    assert name_key(key) == key
    assert key == key.strip()
    assert "  " not in key


@settings(max_examples=200, deadline=None)
@given(name_text)
@example("ῇ")  # upper-casing decomposes it: the result must be NFC again
@example("ŉ")  # title-cases to two characters, the first without case
def test_display_name_is_idempotent(value: str) -> None:
    shown = normalize_name_for_display(value)
    if shown is not None:
        assert normalize_name_for_display(shown) == shown
