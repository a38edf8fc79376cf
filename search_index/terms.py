"""Word-level normal form shared by the indexer and the search API's query compiler.

Scoped Boolean terms (``title:engineer``, ``company:"acme corp"``) are answered with exact
filters on pre-computed term lists (``title_terms``, ``company_terms``…), so both sides must cut
and fold text the same way: NFKD, accents stripped, lower case, words are runs of letters and
digits that keep ``+`` and ``#`` (``c++``, ``c#``) and inner ``.`` (``node.js``, ``asp.net``).

>>> words("Sr. C++ / C# Développeur (Node.js)")
['sr', 'c++', 'c#', 'developpeur', 'node.js']
>>> phrase_terms("Senior Data Engineer")
['senior', 'senior data', 'senior data engineer', 'data', 'data engineer', 'engineer']
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# A word: letters/digits, with inner dots (node.js) and trailing + / # (c++, c#, f#).
_WORD = re.compile(r"[^\W_]+(?:\.[^\W_]+)*[+#]*")
# A value longer than this many words adds only its words, not its sub-phrases (bounded size).
MAX_PHRASE_WORDS = 8
# Meilisearch refuses filterable values longer than 468 bytes.
MAX_TERM_BYTES = 468


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks removed).

    >>> fold("Zoë ÅSTRÖM")
    'zoe astrom'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def words(text: str | None) -> list[str]:
    """The folded words of a text, in order (see the module docstring for what a word is)."""
    if not text:
        return []
    return _WORD.findall(fold(text))


def normal_phrase(text: str | None) -> str:
    """A text as its folded words joined by single spaces (the form of every stored term).

    >>> normal_phrase("  Amazon  Web-Services ")
    'amazon web services'
    """
    return " ".join(words(text))


def phrase_terms(text: str | None) -> list[str]:
    """Every contiguous run of words of a short value (each word, each sub-phrase, the whole).

    A scoped phrase query matches a document when the phrase equals one of these, i.e. when
    the words appear adjacent and in order inside one of the document's values.
    """
    tokens = words(text)
    if len(tokens) > MAX_PHRASE_WORDS:
        return list(dict.fromkeys(tokens))
    out: list[str] = []
    for start in range(len(tokens)):
        for end in range(start + 1, len(tokens) + 1):
            term = " ".join(tokens[start:end])
            if len(term.encode()) <= MAX_TERM_BYTES:
                out.append(term)
    return list(dict.fromkeys(out))


def terms_of(values: Iterable[str | None]) -> list[str]:
    """The distinct phrase terms of several values, in first-seen order.

    >>> terms_of(["Data Engineer", "Engineer", None])
    ['data', 'data engineer', 'engineer']
    """
    seen: dict[str, None] = {}
    for value in values:
        for term in phrase_terms(value):
            seen.setdefault(term, None)
    return list(seen)
