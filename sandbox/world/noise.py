"""Small per-value corruptions real ATS records carry: typos, folds, compound-name variants.

Functions take pre-drawn uniforms in [0, 1) so the caller controls randomness.
"""

from __future__ import annotations

from sandbox.world.names import ascii_fold, german_fold

# Neighbouring keys on a QWERTY keyboard, for substitution typos.
_NEIGHBOURS = {
    "a": "qsz", "b": "vgn", "c": "xdv", "d": "sfe", "e": "wrd", "f": "dgr", "g": "fht",
    "h": "gjy", "i": "uok", "j": "hku", "k": "jli", "l": "ko", "m": "nj", "n": "bmh",
    "o": "ipl", "p": "o", "q": "wa", "r": "etf", "s": "adw", "t": "ryg", "u": "yij",
    "v": "cbf", "w": "qes", "x": "zcs", "y": "tuh", "z": "xa",
}  # fmt: skip


def typo(text: str, u1: float, u2: float) -> str:
    """One keyboard slip: drop, double, swap or substitute a letter (never the first)."""
    if len(text) < 3:
        return text
    pos = 1 + int(u2 * (len(text) - 2))
    kind = int(u1 * 4)
    ch = text[pos]
    if kind == 0:
        return text[:pos] + text[pos + 1 :]
    if kind == 1:
        return text[:pos] + ch + text[pos:]
    if kind == 2 and pos + 1 < len(text):
        return text[:pos] + text[pos + 1] + ch + text[pos + 2 :]
    options = _NEIGHBOURS.get(ch.lower())
    if not options:
        return text[:pos] + text[pos + 1 :]
    sub = options[int(u2 * 997) % len(options)]
    return text[:pos] + (sub.upper() if ch.isupper() else sub) + text[pos + 1 :]


def fold(text: str, u: float, culture: str) -> str:
    """Drop diacritics the way ATS imports do; German names are sometimes transliterated."""
    if text.isascii():
        return text
    if culture == "german" and u < 0.4:
        return german_fold(text)
    return ascii_fold(text)


def compound_variant(text: str, u: float) -> str:
    """Respell a compound surname: "García-López" → "García López" / "García" / "GarcíaLópez",
    "van der Berg" → "Vanderberg" / "Van Der Berg" / "Berg"."""
    if "-" in text:
        head, _, tail = text.partition("-")
        if u < 0.35:
            return f"{head} {tail}"
        if u < 0.65:
            return head
        return head + tail
    parts = text.split(" ")
    if len(parts) > 1:
        if u < 0.4:
            return "".join(parts).capitalize()
        if u < 0.7:
            return " ".join(p[:1].upper() + p[1:] for p in parts)
        return parts[-1] if parts[0].islower() else parts[0]
    return text


def letter_case(text: str, u: float) -> str:
    """Rare shouting or lower-case entry."""
    if u < 0.6:
        return text.upper()
    return text.lower()
