"""Null handling and HTML-to-text cleaning for JobDiva string values.

JobDiva returns every value as a string, with SQL NULL as ``""`` and sometimes the literal
``"Null"``; resume ``PLAINTEXT`` is HTML-entity encoded (at times twice) and job descriptions
carry HTML markup (jobdiva-api.md §3.1, §9).
"""

from __future__ import annotations

import html
import re
import unicodedata
from html.parser import HTMLParser

_NULL_SPELLINGS = frozenset({"", "null"})

# Entities are decoded until the text stops changing; three rounds cover the double and triple
# encodings seen in practice without looping on text that merely mentions "&amp;".
_MAX_UNESCAPE_ROUNDS = 3

# A line break opens each of these; block tags get a blank line before and after.
_LINE_BREAK_TAGS = frozenset({"br", "li", "tr", "dt", "dd"})
_CELL_TAGS = frozenset({"td", "th"})
_BLOCK_TAGS = frozenset(
    {
        "p", "div", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote",
        "pre", "section", "article", "header", "footer", "dl", "hr", "title",
    }
)  # fmt: skip
_INVISIBLE_TAGS = frozenset({"script", "style", "head", "noscript", "template"})

_HORIZONTAL_SPACE = re.compile(r"[^\S\n]+")
_MANY_NEWLINES = re.compile(r"\n{3,}")


def null_if_blank(value: str | None) -> str | None:
    """Return the trimmed value, or None for JobDiva's null spellings.

    ``""``, whitespace only and ``"Null"`` in any letter case mean "no value".

    >>> null_if_blank("  Null "), null_if_blank(" Austin ")
    (None, 'Austin')
    """
    if value is None:
        return None
    trimmed = value.strip()
    if trimmed.casefold() in _NULL_SPELLINGS:
        return None
    return trimmed


def unescape_entities(value: str) -> str:
    """Decode HTML entities, including double-encoded ones such as ``&amp;amp;``.

    >>> unescape_entities("R&amp;amp;D &#47; Q&amp;A")
    'R&D / Q&A'
    """
    for _ in range(_MAX_UNESCAPE_ROUNDS):
        decoded = html.unescape(value)
        if decoded == value:
            break
        value = decoded
    return value


class _TextCollector(HTMLParser):
    """Collects character data, turning block-level tags into line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden_depth += 1
        elif tag in _LINE_BREAK_TAGS:
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # A self-closing <script/> has no content to hide, so it must not open a hidden region.
        if tag not in _INVISIBLE_TAGS:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _INVISIBLE_TAGS:
            self._hidden_depth = max(0, self._hidden_depth - 1)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self._hidden_depth:
            self.parts.append(data)


def normalize_whitespace(value: str) -> str:
    """Collapse runs of spaces within lines and keep at most one blank line between paragraphs.

    >>> normalize_whitespace("a \\t b\\r\\n\\n\\n\\nc ")
    'a b\\n\\nc'
    """
    value = value.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    lines = (_HORIZONTAL_SPACE.sub(" ", line).strip() for line in value.split("\n"))
    return _MANY_NEWLINES.sub("\n\n", "\n".join(lines)).strip()


def clean_html_text(value: str | None) -> str | None:
    """Turn HTML or entity-encoded text into plain text with paragraph breaks; None if empty.

    Entities are decoded first (JobDiva escapes the markup itself, so tags may arrive as
    ``&lt;p&gt;``), then ``<br>``, ``<li>`` and block tags become line breaks, ``<script>`` and
    ``<style>`` contents are dropped and the result is NFC-normalised.

    >>> clean_html_text("&lt;p&gt;Caf&amp;eacute; &amp;amp; bar&lt;/p&gt;&lt;ul&gt;&lt;li&gt;Go")
    'Café & bar\\n\\nGo'
    """
    value = null_if_blank(value)
    if value is None:
        return None
    collector = _TextCollector()
    collector.feed(unescape_entities(value))
    collector.close()
    text = normalize_whitespace(unicodedata.normalize("NFC", "".join(collector.parts)))
    return text or None
