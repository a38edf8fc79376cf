"""The recruiter query language: pasted-text normalisation, tokenizer, parser, AST and errors.

Grammar (precedence NOT > AND > OR; AND may be implicit; operators are upper case only)::

    query    := or_expr
    or_expr  := and_expr ("OR" and_expr)*
    and_expr := unary (["AND"] unary)*
    unary    := ("NOT" | "-") unary | primary
    primary  := WORD | PHRASE | "(" or_expr ")" | FIELD ":" (WORD | PHRASE | "(" or_expr ")")

Inside ``field:( … )`` every word or phrase takes the field and scopes cannot nest. A lone dash
between words (``front – end``) is a separator, not an operator.

>>> render(parse("java OR “machine learning” -intern title:(lead OR “staff engineer”)"))
'java OR "machine learning" AND NOT intern AND (title:lead OR title:"staff engineer")'
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from search_index import terms

# Scope name (lower case) -> the filter-only term list of the index (search_index.schema).
FIELDS: dict[str, str] = {
    "title": "title_terms",
    "current_title": "current_title_terms",
    "company": "company_terms",
    "current_company": "current_company_terms",
    "past_company": "past_company_terms",
    "skill": "skill_terms",
    "school": "school_terms",
    "degree": "degree_terms",
    "major": "major_terms",
    "location": "location_terms",
    "certification": "certification_terms",
    "language": "language_terms",
    "industry": "industry_terms",
}
# Accepted spellings that stand for a canonical scope (the AST and renderings use the canonical).
FIELD_ALIASES: dict[str, str] = {"skills": "skill"}
OPERATORS = ("AND", "OR", "NOT")
# Longer input is refused outright: it bounds the work of every later stage.
MAX_QUERY_CHARS = 10_000
# Parenthesis groups plus NOTs on one path; keeps recursion (and Meilisearch's filter depth
# of 200) far away.
MAX_DEPTH = 32

# --- errors ------------------------------------------------------------------------------------


class QueryError(ValueError):
    """A query the API refuses (HTTP 400); ``to_dict()`` is the response body."""

    kind = "query_error"

    def __init__(
        self,
        message: str,
        *,
        position: int | None = None,
        expected: str | None = None,
        found: str | None = None,
    ) -> None:
        self.message = message
        self.position = position
        self.expected = expected
        self.found = found
        where = "" if position is None else f" (at character {position + 1})"
        super().__init__(message + where)

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.kind,
            "message": str(self),
            "position": self.position,
            "expected": self.expected,
            "found": self.found,
        }


class QuerySyntaxError(QueryError):
    """The text is not a valid query; ``position`` is a 0-based offset into the text as sent."""

    kind = "query_syntax"


class _Fail(Exception):
    """Raised inside the tokenizer/parser with a position in the *normalised* text."""

    def __init__(
        self, pos: int, message: str, expected: str | None = None, found: str | None = None
    ) -> None:
        super().__init__(message)
        self.pos, self.message, self.expected, self.found = pos, message, expected, found


# --- normalisation of pasted text --------------------------------------------------------------

_DOUBLE_QUOTES = frozenset("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb\uff02")  # “ ” „ ‟ ″ « » ＂
_SINGLE_OPENERS = frozenset("\u2018\u201a\u201b")  # ‘ ‚ ‛
_SINGLE_CLOSER = "\u2019"  # ’ (also Word's apostrophe: O’Brien)
_SINGLE_QUOTES = _SINGLE_OPENERS | {_SINGLE_CLOSER}
# Hyphens, en/em dashes, minus sign, small/full-width hyphen-minus.
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")


def _single_quote_pairs(text: str) -> set[int]:
    """Indexes of ‘ ’ used as quotation marks; every other ‘ ’ is an apostrophe.

    Word turns apostrophes into ’ (O’Brien, don’t), so a ’ closes a quote only after an opener
    that starts a word and only when no letter or digit follows it.
    """
    pairs: set[int] = set()
    opener: int | None = None
    for i, ch in enumerate(text):
        prev_alnum = i > 0 and text[i - 1].isalnum()
        next_alnum = i + 1 < len(text) and text[i + 1].isalnum()
        if ch in _SINGLE_OPENERS and not prev_alnum and opener is None:
            opener = i
        elif ch == _SINGLE_CLOSER and opener is not None and not next_alnum and i > opener + 1:
            pairs.update((opener, i))
            opener = None
    return pairs


def _normal_char(ch: str, is_quote: bool) -> str:
    """One character of pasted text in the form the tokenizer reads."""
    if ch in _DOUBLE_QUOTES or is_quote:
        return '"'
    if ch in _SINGLE_QUOTES:
        return "'"
    if ch in _DASHES:
        return "-"
    category = unicodedata.category(ch)
    if category in ("Zs", "Zl", "Zp", "Cc"):  # NBSP, thin spaces, tabs, newlines, controls
        return " "
    if category in ("Cf", "Cs", "Co", "Cn"):  # zero-width, soft hyphen, bidi marks, junk
        return ""
    compatible = unicodedata.normalize("NFKC", ch)  # full-width ( ) : and ligatures
    if compatible == ch:
        return ch
    # NFKC may yield a character mapped above (e.g. subscript minus to U+2212): map it too.
    return "".join(_normal_char(piece, False) for piece in compatible)


def normalize_with_offsets(text: str) -> tuple[str, list[int]]:
    """The normalised query and, for each of its characters, the index it came from in ``text``.

    Smart quotes become ``"`` (or ``'`` when they are apostrophes), dashes and the minus sign
    become ``-``, every kind of space or control character one space, invisible characters go.
    """
    quotes = _single_quote_pairs(text)
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        for piece in _normal_char(ch, i in quotes):
            if piece == " " and (not out or out[-1] == " "):
                continue  # collapse runs of spaces, drop leading ones
            out.append(piece)
            origin.append(i)
    while out and out[-1] == " ":
        out.pop()
        origin.pop()
    return "".join(out), origin


def normalize_query(text: str) -> str:
    """The normalised form of a pasted query (see :func:`normalize_with_offsets`).

    >>> normalize_query("“Data\u00a0Scientist”  –python\u200b")
    '"Data Scientist" -python'
    """
    return normalize_with_offsets(text)[0]


# --- tokens ------------------------------------------------------------------------------------

WORD, PHRASE, LPAREN, RPAREN, AND, OR, NOT, NEG, SCOPE = (
    "WORD", "PHRASE", "LPAREN", "RPAREN", "AND", "OR", "NOT", "NEG", "SCOPE",
)  # fmt: skip
_SPECIAL = ' ()"'
_SCOPE_PREFIX = re.compile(r"([A-Za-z_]+):")


@dataclass(frozen=True)
class Token:
    kind: str
    text: str  # the word, the phrase's inside, or the canonical field of a scope
    pos: int  # offset in the normalised text


def _field_name(name: str) -> str | None:
    name = name.lower()
    name = FIELD_ALIASES.get(name, name)
    return name if name in FIELDS else None


def _unknown_field(pos: int, name: str) -> _Fail:
    known = ", ".join(f"{name}:" for name in sorted([*FIELDS, *FIELD_ALIASES]))
    return _Fail(
        pos,
        f"Unknown field `{name}:`. Known fields: {known}. "
        "To search for the text itself, put it in double quotes",
        expected="a known field name",
        found=f"{name}:",
    )


def _dash_run(text: str, i: int) -> Iterator[Token]:
    """``-`` directly before a term is NOT (one per dash); a dash standing alone is dropped."""
    end = i
    while end < len(text) and text[end] == "-":
        end += 1
    if end < len(text) and text[end] not in " )":
        yield from (Token(NEG, "-", pos) for pos in range(i, end))


def _bare_run(run: str, i: int, text: str, end: int) -> Iterator[Token]:
    if run in OPERATORS:
        yield Token(run, run, i)
        return
    match = _SCOPE_PREFIX.match(run)
    if match is None:
        yield Token(WORD, run, i)
        return
    rest = run[match.end() :]
    name = _field_name(match.group(1))
    if name is None:
        if rest or (end < len(text) and text[end] in '"('):
            raise _unknown_field(i, match.group(1))
        yield Token(WORD, run, i)  # "Note:" followed by a space is text, not a scope
        return
    yield Token(SCOPE, name, i)
    if rest.startswith("-"):
        raise _Fail(
            i + match.end(),
            f"A field value cannot start with a dash; to exclude it write -{name}:{rest[1:]}",
            expected='a word, a "phrase" or ( after the field',
            found=rest,
        )
    if rest:
        yield Token(WORD, rest, i + match.end())


def tokenize(text: str) -> list[Token]:
    """Tokens of a *normalised* query (see :func:`normalize_query`)."""
    return list(_tokens(text))


def _tokens(text: str) -> Iterator[Token]:
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == " ":
            i += 1
        elif ch in "()":
            yield Token(LPAREN if ch == "(" else RPAREN, ch, i)
            i += 1
        elif ch == '"':
            close = text.find('"', i + 1)
            if close < 0:
                raise _Fail(i, "This quote is never closed", expected='a closing "', found="end")
            yield Token(PHRASE, " ".join(text[i + 1 : close].split()), i)
            i = close + 1
        elif ch == "-":
            start = i
            while i < len(text) and text[i] == "-":
                i += 1
            yield from _dash_run(text, start)
        else:
            end = i
            while end < len(text) and text[end] not in _SPECIAL:
                end += 1
            yield from _bare_run(text[i:end], i, text, end)
            i = end


# --- AST ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """A word or a phrase, free text (``field`` None) or scoped to a field."""

    value: str
    quoted: bool = False
    field: str | None = None
    # Offset in the text as sent, for errors found after parsing; not part of identity.
    pos: int = dataclass_field(default=-1, compare=False, repr=False)

    @property
    def words(self) -> tuple[str, ...]:
        """The folded words (search_index.terms), i.e. what the term matches."""
        return tuple(terms.words(self.value))


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Not | And | Or


# --- parser ------------------------------------------------------------------------------------

_STARTS_UNARY = (WORD, PHRASE, LPAREN, NOT, NEG, SCOPE)
_TERM_EXPECTED = 'a search word, a "phrase", ( or NOT'


def _describe(token: Token | None) -> str:
    if token is None:
        return "the end of the query"
    if token.kind == PHRASE:
        return f'"{token.text}"'
    if token.kind == SCOPE:
        return f"{token.text}:"
    return f"`{token.text}`"


class _Parser:
    def __init__(self, tokens: list[Token], end: int) -> None:
        self.tokens = tokens
        self.i = 0
        self.end = end
        self.depth = 0

    def peek(self) -> Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def take(self) -> Token | None:
        token = self.peek()
        self.i += 1
        return token

    def fail(self, token: Token | None, message: str, expected: str) -> _Fail:
        pos = self.end if token is None else token.pos
        return _Fail(pos, message, expected=expected, found=_describe(token))

    def parse(self) -> Node:
        if not self.tokens:
            raise _Fail(
                0, "The query has nothing to search for", expected=_TERM_EXPECTED, found="nothing"
            )
        node = self.or_expr(None)
        token = self.peek()
        if token is not None:
            if token.kind == RPAREN:
                raise self.fail(token, "This ) has no matching (", expected="an operator or end")
            raise self.fail(token, f"Unexpected {_describe(token)}", expected="AND, OR or end")
        return node

    def or_expr(self, scope: str | None) -> Node:
        children = [self.and_expr(scope)]
        while (token := self.peek()) is not None and token.kind == OR:
            self.take()
            children.append(self.and_expr(scope, after=token))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def and_expr(self, scope: str | None, after: Token | None = None) -> Node:
        children = [self.unary(scope, after)]
        while (token := self.peek()) is not None and token.kind in (AND, *_STARTS_UNARY):
            if token.kind == AND:
                self.take()
                children.append(self.unary(scope, after=token))
            else:
                children.append(self.unary(scope))
        return children[0] if len(children) == 1 else And(tuple(children))

    def unary(self, scope: str | None, after: Token | None = None) -> Node:
        nots: list[Token] = []
        while (token := self.peek()) is not None and token.kind in (NOT, NEG):
            self.take()
            nots.append(token)
            self.enter(token)
        node = self.primary(scope, nots[-1] if nots else after)
        for _ in nots:
            node = Not(node)
        self.depth -= len(nots)
        return node

    def enter(self, token: Token) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(
                token,
                f"The query is nested too deeply (more than {MAX_DEPTH} parentheses or NOTs)",
                expected="fewer nested groups",
            )

    def primary(self, scope: str | None, after: Token | None) -> Node:
        token = self.take()
        if token is not None and token.kind in (WORD, PHRASE):
            return self.term(token, scope)
        if token is not None and token.kind == LPAREN:
            return self.group(token, scope)
        if token is not None and token.kind == SCOPE:
            return self.scoped(token, scope)
        lead = f"after {_describe(after)}" if after is not None else "here"
        raise self.fail(token, f"Expected a search term {lead}", expected=_TERM_EXPECTED)

    def group(self, open_token: Token, scope: str | None) -> Node:
        self.enter(open_token)
        if (token := self.peek()) is not None and token.kind == RPAREN:
            raise self.fail(token, "Empty parentheses", expected=_TERM_EXPECTED)
        node = self.or_expr(scope)
        close = self.take()
        if close is None or close.kind != RPAREN:
            raise self.fail(
                close,
                f"The ( at character {open_token.pos + 1} is never closed",
                expected=")",
            )
        self.depth -= 1
        return node

    def scoped(self, token: Token, scope: str | None) -> Node:
        if scope is not None:
            raise self.fail(
                token, f"Fields cannot be nested inside {scope}:( … )", expected=_TERM_EXPECTED
            )
        value = self.peek()
        if value is None or value.kind not in (WORD, PHRASE, LPAREN):
            raise self.fail(
                value,
                f"Expected a value right after {token.text}:",
                expected='a word, a "phrase" or ( after the field',
            )
        return self.primary(token.text, token)

    def term(self, token: Token, scope: str | None) -> Term:
        quoted = token.kind == PHRASE
        if not terms.words(token.text):
            what = "This phrase" if quoted else f"`{token.text}`"
            raise self.fail(
                token,
                f"{what} has no letters or digits to search for"
                + ("" if quoted else "; the operators are AND, OR, NOT and -"),
                expected="a search word",
            )
        return Term(token.text, quoted=quoted, field=scope, pos=token.pos)


def _reposition(error: _Fail, origin: list[int], original_length: int) -> QuerySyntaxError:
    pos = origin[error.pos] if error.pos < len(origin) else original_length
    return QuerySyntaxError(error.message, position=pos, expected=error.expected, found=error.found)


def _with_original_positions(node: Node, origin: list[int], length: int) -> Node:
    """The same tree with Term.pos mapped from the normalised to the original text."""
    if isinstance(node, Term):
        pos = origin[node.pos] if 0 <= node.pos < len(origin) else length
        return Term(node.value, node.quoted, node.field, pos=pos)
    if isinstance(node, Not):
        return Not(_with_original_positions(node.child, origin, length))
    kids = tuple(_with_original_positions(child, origin, length) for child in node.children)
    return And(kids) if isinstance(node, And) else Or(kids)


def _check_length(text: str) -> None:
    if len(text) > MAX_QUERY_CHARS:
        raise QuerySyntaxError(
            f"The query has {len(text)} characters; the limit is {MAX_QUERY_CHARS}",
            position=MAX_QUERY_CHARS,
            expected=f"at most {MAX_QUERY_CHARS} characters",
            found=f"{len(text)} characters",
        )


def tokenize_query(text: str) -> tuple[str, list[Token], list[int]]:
    """Normalise and tokenize; returns (normalised text, tokens, offsets into ``text``)."""
    _check_length(text)
    normal, origin = normalize_with_offsets(text)
    try:
        return normal, tokenize(normal), origin
    except _Fail as error:
        raise _reposition(error, origin, len(text)) from None


def parse(text: str) -> Node:
    """The AST of a query as sent (raw, possibly pasted); raises :class:`QuerySyntaxError`.

    >>> tree = parse('title:"Software Engineer" -java')
    >>> tree.children[0]
    Term(value='Software Engineer', quoted=True, field='title')
    >>> tree.children[1]
    Not(child=Term(value='java', quoted=False, field=None))
    """
    normal, tokens, origin = tokenize_query(text)
    try:
        node = _Parser(tokens, len(normal)).parse()
    except _Fail as error:
        raise _reposition(error, origin, len(text)) from None
    return _with_original_positions(node, origin, len(text))


def is_plain(tokens: list[Token]) -> bool:
    """True for a plain keyword query: words only (no operator, quote, group, scope or -term)."""
    return all(token.kind == WORD for token in tokens)


# --- rendering ---------------------------------------------------------------------------------


def is_bare_word(value: str, *, scoped: bool = False) -> bool:
    """True when ``value`` renders unquoted and parses back to the same word (after ``field:``
    when ``scoped``)."""
    if not value or value.startswith("-") or any(ch in _SPECIAL for ch in value):
        return False
    if normalize_query(value) != value or not terms.words(value):
        return False
    if scoped:
        return True
    match = _SCOPE_PREFIX.match(value)
    if match and (value[match.end() :] or _field_name(match.group(1))):
        return False  # would read as a scope; "Note:" alone is fine
    return value not in OPERATORS


def render_term(term: Term) -> str:
    bare = not term.quoted and is_bare_word(term.value, scoped=term.field is not None)
    body = term.value if bare else f'"{term.value}"'
    return f"{term.field}:{body}" if term.field else body


def render(node: Node) -> str:
    """Canonical text of a tree: explicit AND/OR/NOT, parentheses only where needed to keep
    the tree's shape, so ``parse(render(tree)) == tree``."""
    if isinstance(node, Term):
        return render_term(node)
    if isinstance(node, Not):
        inner = render(node.child)
        return f"NOT {inner}" if isinstance(node.child, Term | Not) else f"NOT ({inner})"
    if isinstance(node, And):
        return " AND ".join(_wrap(child, (And, Or)) for child in node.children)
    return " OR ".join(_wrap(child, (Or,)) for child in node.children)


def _wrap(node: Node, parenthesised: tuple[type, ...]) -> str:
    text = render(node)
    return f"({text})" if isinstance(node, parenthesised) else text
