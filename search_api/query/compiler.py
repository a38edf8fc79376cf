"""Compile a recruiter query into the Meilisearch searches that answer it exactly.

Two modes:

- **plain** — only words (no operator, quote, parenthesis, scope or ``-term``): the text goes to
  ``q`` untouched, one search, Meilisearch's typo-tolerant ranking, ``matchingStrategy: all``.
  Meilisearch reads only the first 10 words of ``q``, so a longer keyword query is run as an
  exact AND of its words instead (with a warning), or refused if even that is too long.
- **boolean** — the query is parsed, NOT is pushed down, and the disjunctive normal form is run
  as a federated multi-search (federation = OR): one sub-query per conjunct with
  ``matchingStrategy: all``. Free-text terms become quoted phrases in ``q`` (a quoted word
  matches the whole word only, no typo or prefix: ``"java"`` never finds "javascript");
  negated ones ``-"phrase"``; field scopes and filter-only sub-trees become exact filters on
  the ``*_terms`` lists, AND the request's structured filters.

What Meilisearch 1.21 does with ``q`` (checked on the binary, see README.md): it keeps at most
10 *query terms* — a quoted phrase counts as one, negated terms count zero — and stops reading
as soon as it has 10, so negations written after the 10th term would be silently ignored: the
compiler therefore puts negations first. It also reads at most 1,000 tokens (every separator
character counts) and ignores words longer than 250 bytes. Whatever would be dropped is an
error here, never a silent truncation.
"""

from __future__ import annotations

import copy
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from search_api.query.filters import all_of, any_of, equals
from search_api.query.normal_form import (
    DEFAULT_MAX_CONJUNCTS,
    Conjunct,
    QueryLimitError,
    render_conjunct,
    to_dnf,
)
from search_api.query.syntax import (
    FIELDS,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    WORD,
    And,
    Node,
    Not,
    Or,
    Term,
    Token,
    is_plain,
    parse,
    render,
    tokenize_query,
)
from search_index import terms
from search_index.schema import PRIMARY_KEY

# Meilisearch 1.21 limits on q (milli: located_query_terms_from_tokens, MAX_TOKEN_COUNT,
# MAX_WORD_LENGTH), verified on the binary.
MAX_QUERY_TERMS = 10
MAX_Q_TOKENS = 1000
MAX_WORD_BYTES = 250
# Our token count is an upper bound for Latin text; keep headroom for words Meilisearch splits
# and we do not (script changes inside a word).
_Q_TOKEN_BUDGET = 900
# Short fields only: highlighting a 60k-character resume per hit is not free.
HIGHLIGHT_ATTRIBUTES = [
    "name", "current_title", "titles", "current_company", "companies", "skills",
    "profile_headline", "schools", "degrees", "majors", "certifications", "industry",
    "location", "job_titles",
]  # fmt: skip
# A conjunct with no positive free text is a placeholder search: every document it allows has
# ranking score 1.0, which would push it above real text matches; weigh it down.
PLACEHOLDER_WEIGHT = 0.5
TEXT_WEIGHT = 1.0
_NO_SPACE_SCRIPTS = ("CJK", "HIRAGANA", "KATAKANA", "HANGUL", "THAI", "LAO", "KHMER", "MYANMAR")


@dataclass(frozen=True)
class SubQuery:
    """One Meilisearch search of the plan and the clause of the query it answers."""

    clause: str
    payload: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"clause": self.clause, "payload": copy.deepcopy(self.payload)}


@dataclass(frozen=True)
class Plan:
    """What runs for a query: the hits are the union of the sub-queries' hits.

    No sub-query means the query can never match (the warnings say why): return no hits.
    """

    mode: str  # "plain" | "boolean"
    query: str  # the normalised query text
    canonical: str | None  # the parsed query rendered back (boolean mode)
    sub_queries: tuple[SubQuery, ...]
    warnings: tuple[str, ...]
    limits: dict[str, int]

    def queries(self) -> list[dict[str, Any]]:
        """The ``queries`` of a federated ``POST /multi-search`` (fresh copies)."""
        return [copy.deepcopy(sub.payload) for sub in self.sub_queries]

    def to_dict(self) -> dict[str, Any]:
        return {
            "mode": self.mode,
            "query": self.query,
            "canonical": self.canonical,
            "sub_queries": [sub.to_dict() for sub in self.sub_queries],
            "warnings": list(self.warnings),
            "limits": dict(self.limits),
        }


def compile_query(
    text: str,
    *,
    filters: str | None,
    index_uid: str,
    max_conjuncts: int = DEFAULT_MAX_CONJUNCTS,
) -> Plan:
    """The plan for ``text`` with the structured ``filters`` (a Meilisearch filter expression,
    e.g. ``SearchFilters.to_filter_expression()``) applied to every sub-query.

    Raises :class:`~search_api.query.syntax.QuerySyntaxError` or
    :class:`~search_api.query.normal_form.QueryLimitError` (both HTTP 400).

    >>> plan = compile_query('"data engineer" OR title:"data engineer" -intern',
    ...                      filters="is_active = true", index_uid="candidates")
    >>> for sub in plan.sub_queries:
    ...     print(sub.payload["q"], "|", sub.payload.get("filter"))
    "data engineer" | is_active = true
    -"intern" | is_active = true AND title_terms = "data engineer"
    """
    normal, tokens, origin = tokenize_query(text)
    context = _Context(filters, index_uid, max_conjuncts, _limits(max_conjuncts), normal)
    if is_plain(tokens):
        return context.keyword_plan(tokens, origin)
    return context.boolean_plan(parse(text), [])


def _limits(max_conjuncts: int) -> dict[str, int]:
    return {
        "max_conjuncts": max_conjuncts,
        "max_terms_per_query": MAX_QUERY_TERMS,
        "max_query_tokens": MAX_Q_TOKENS,
        "max_query_chars": MAX_QUERY_CHARS,
        "max_depth": MAX_DEPTH,
    }


@dataclass(frozen=True)
class _Context:
    filters: str | None
    index_uid: str
    max_conjuncts: int
    limits: dict[str, int]
    normal: str

    def keyword_plan(self, tokens: list[Token], origin: list[int]) -> Plan:
        """Plain keywords: untouched in q, unless Meilisearch would not read them all."""
        for token in tokens:  # Meilisearch would ignore an over-long word, not refuse it
            _check_free_term(Term(token.text, pos=origin[token.pos]))
        too_long = _plain_overflow(self.normal)
        if too_long is None:
            return self.plain_plan()
        tree = _plain_as_boolean(tokens, origin)
        if tree is None:
            return self.plain_plan(q="", warnings=[too_long, "It has no word to search for"])
        return self.boolean_plan(tree, [too_long])

    def plain_plan(self, q: str | None = None, warnings: Sequence[str] = ()) -> Plan:
        q = self.normal if q is None else q
        sub = SubQuery(clause=q, payload=self.payload(q, self.filters, TEXT_WEIGHT))
        return Plan("plain", self.normal, None, (sub,), tuple(warnings), self.limits)

    def boolean_plan(self, tree: Node, warnings: list[str]) -> Plan:
        _check_terms(tree)
        normal_form = to_dnf(tree, max_conjuncts=self.max_conjuncts)
        subs = tuple(self.sub_query(conjunct) for conjunct in normal_form.conjuncts)
        all_warnings = (*warnings, *normal_form.warnings)
        return Plan("boolean", self.normal, render(tree), subs, all_warnings, self.limits)

    def sub_query(self, conjunct: Conjunct) -> SubQuery:
        clause = render_conjunct(conjunct)
        positives = [lit.term for lit in conjunct if not lit.is_filter and not lit.negated]
        negatives = [lit.term for lit in conjunct if lit.negated]
        # Negations first: Meilisearch stops reading q once it holds 10 positive terms.
        q = " ".join([*(f"-{_q_phrase(t)}" for t in negatives), *map(_q_phrase, positives)])
        _check_conjunct(clause, positives, q)
        atoms = [filter_expression(lit.node) for lit in conjunct if lit.is_filter]
        weight = TEXT_WEIGHT if positives else PLACEHOLDER_WEIGHT
        return SubQuery(clause, self.payload(q, all_of([self.filters, *atoms]), weight))

    def payload(self, q: str, filter_expression: str | None, weight: float) -> dict[str, Any]:
        payload: dict[str, Any] = {
            "indexUid": self.index_uid,
            "q": q,
            "matchingStrategy": "all",
            "attributesToHighlight": list(HIGHLIGHT_ATTRIBUTES),
            "federationOptions": {"weight": weight},
        }
        if filter_expression:
            payload["filter"] = filter_expression
        return payload


# --- free text in q ----------------------------------------------------------------------------


def q_words(value: str) -> list[str]:
    """The words of a free-text term as sent in ``q``.

    The indexer's word pattern (search_index.terms) on the text with accents removed and lower
    case, but not case-folded: Meilisearch folds accents itself and keeps ``ß`` (case-folding
    would send ``strasse``, which does not find "Straße").
    """
    decomposed = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    return terms._WORD.findall(plain)  # same word pattern as the indexer's terms.words


def _q_phrase(term: Term) -> str:
    return '"' + " ".join(q_words(term.value)) + '"'


def _meili_term_count(text: str) -> int:
    """How many query terms Meilisearch makes of unquoted text (an upper bound): runs of
    letters/digits (``node.js`` is two, ``c++`` one), every character of scripts written
    without spaces."""
    count, in_word = 0, False
    for ch in text:
        if _no_space_script(ch):
            count, in_word = count + 1, False
        elif ch.isalnum():
            count, in_word = count + (not in_word), True
        else:
            in_word = False
    return count


def q_token_count(q: str) -> int:
    """An upper bound of the tokens Meilisearch reads for ``q``: each run of letters/digits is
    one, every other character one (spaces, quotes and dashes each count on the binary)."""
    count, in_word = 0, False
    for ch in q:
        if ch.isalnum() and not _no_space_script(ch):
            count, in_word = count + (not in_word), True
        else:
            count, in_word = count + 1, False
    return count


def _no_space_script(ch: str) -> bool:
    return ord(ch) > 0x2E7F and unicodedata.name(ch, "").startswith(_NO_SPACE_SCRIPTS)


# --- filters -----------------------------------------------------------------------------------


def filter_expression(node: Node) -> str:
    """The Meilisearch filter of a filter-only tree (field-scoped terms under AND/OR/NOT).

    >>> filter_expression(parse('title:(lead OR "Staff Engineer") NOT company:acme'))
    '(title_terms IN ["lead", "staff engineer"]) AND NOT company_terms = "acme"'
    """
    if isinstance(node, Term):
        assert node.field is not None
        return equals(FIELDS[node.field], terms.normal_phrase(node.value))
    if isinstance(node, Not):
        inner = filter_expression(node.child)
        return f"NOT {inner}" if isinstance(node.child, Term) else f"NOT ({inner})"
    if isinstance(node, Or) and (same_field := _same_field_values(node)):
        field, values = same_field
        return any_of(FIELDS[field], values)
    joiner = " AND " if isinstance(node, And) else " OR "
    return joiner.join(_filter_part(child) for child in node.children)


def _filter_part(node: Node) -> str:
    inner = filter_expression(node)
    return inner if isinstance(node, Term | Not) else f"({inner})"


def _same_field_values(node: Or) -> tuple[str, list[str]] | None:
    """``title:(a OR b)`` as (field, values) when every child is a positive term of one field."""
    children = [child for child in node.children if isinstance(child, Term)]
    fields = {child.field for child in children}
    if len(children) != len(node.children) or len(fields) != 1 or None in fields:
        return None
    values = dict.fromkeys(terms.normal_phrase(child.value) for child in children)
    return str(children[0].field), list(values)


# --- limits ------------------------------------------------------------------------------------


def _all_terms(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _all_terms(node.child)
    return [term for child in node.children for term in _all_terms(child)]


def _check_terms(tree: Node) -> None:
    """Refuse terms that Meilisearch or the index could never match (never a silent miss)."""
    for term in _all_terms(tree):
        if term.field is None:
            _check_free_term(term)
        else:
            _check_scoped_term(term)


def _check_free_term(term: Term) -> None:
    for word in q_words(term.value):
        if len(word.encode()) > MAX_WORD_BYTES:
            raise QueryLimitError(
                f"A word of {len(word.encode())} bytes cannot be searched: Meilisearch ignores "
                f"words longer than {MAX_WORD_BYTES} bytes",
                position=term.pos,
                expected=f"words of at most {MAX_WORD_BYTES} bytes",
                found=word[:40] + "…",
            )


def _check_scoped_term(term: Term) -> None:
    phrase = terms.normal_phrase(term.value)
    if len(phrase.split()) > terms.MAX_PHRASE_WORDS:
        raise QueryLimitError(
            f"{term.field}: takes a phrase of at most {terms.MAX_PHRASE_WORDS} words (longer "
            "phrases are not indexed for fields); search it as free text instead",
            position=term.pos,
            expected=f"at most {terms.MAX_PHRASE_WORDS} words",
            found=f"{len(phrase.split())} words",
        )
    if len(phrase.encode()) > terms.MAX_TERM_BYTES:
        raise QueryLimitError(
            f"{term.field}: takes at most {terms.MAX_TERM_BYTES} bytes",
            position=term.pos,
            expected=f"at most {terms.MAX_TERM_BYTES} bytes",
            found=f"{len(phrase.encode())} bytes",
        )


def _check_conjunct(clause: str, positives: list[Term], q: str) -> None:
    if len(positives) > MAX_QUERY_TERMS:
        raise QueryLimitError(
            f"The clause `{_short(clause)}` requires {len(positives)} words or phrases at "
            f"once; Meilisearch reads at most {MAX_QUERY_TERMS} per search and we never drop "
            "any. Scope some to a field (title:, skill:, company: …), join adjacent words into a "
            '"quoted phrase" (a phrase counts once), or split the search with OR',
            position=positives[MAX_QUERY_TERMS].pos,
            expected=f"at most {MAX_QUERY_TERMS} required words or phrases per clause",
            found=f"{len(positives)}",
        )
    if q_token_count(q) > _Q_TOKEN_BUDGET:
        raise QueryLimitError(
            f"The clause `{_short(clause)}` is too long for one Meilisearch search (it reads "
            f"at most {MAX_Q_TOKENS} tokens); use fewer or shorter terms",
            expected=f"at most {_Q_TOKEN_BUDGET} tokens",
            found=f"{q_token_count(q)} tokens",
        )


def _short(clause: str, limit: int = 120) -> str:
    return clause if len(clause) <= limit else clause[: limit - 1] + "…"


# --- plain keyword queries longer than Meilisearch reads ---------------------------------------


def _plain_overflow(text: str) -> str | None:
    """Why Meilisearch would not read all of a keyword query (None when it reads it all)."""
    count = _meili_term_count(text)
    if count > MAX_QUERY_TERMS:
        return (
            f"Your keyword search has {count} words; Meilisearch reads only the first "
            f"{MAX_QUERY_TERMS} of a query, so it ran as an exact AND of every word (whole "
            "words, no typo tolerance) instead of dropping the rest"
        )
    if q_token_count(text) > _Q_TOKEN_BUDGET:
        return (
            f"Your keyword search is longer than Meilisearch reads ({MAX_Q_TOKENS} tokens), so "
            "it ran as an exact AND of its words (whole words, no typo tolerance)"
        )
    return None


def _plain_as_boolean(tokens: list[Token], origin: list[int]) -> Node | None:
    """A long keyword query as an exact AND of its words (every word counts, none is dropped)."""
    words = [
        Term(token.text, pos=origin[token.pos])
        for token in tokens
        if token.kind == WORD and terms.words(token.text)
    ]
    if not words:
        return None
    return words[0] if len(words) == 1 else And(tuple(words))


# --- which clauses a hit matched ---------------------------------------------------------------


def matched_clauses(hit: Mapping[str, Any], plan: Plan) -> list[str]:
    """The clause of the sub-query a federated hit is tagged with (``_federation``).

    Meilisearch tags a hit with its best sub-query only; :func:`clause_probe_queries` finds
    every clause a page of hits matched.
    """
    federation = hit.get("_federation") or {}
    position = federation.get("queriesPosition")
    if position is None:
        return [plan.sub_queries[0].clause] if len(plan.sub_queries) == 1 else []
    return [plan.sub_queries[position].clause]


def clause_probe_queries(plan: Plan, ids: Sequence[str]) -> list[dict[str, Any]]:
    """Queries of a (non-federated) multi-search that tell every clause each id matched.

    One query per sub-query, restricted to the page's ids by a filter: each runs on at most
    ``len(ids)`` documents and returns ids only, so a page of 20–100 hits costs one small
    request. Not needed when the plan has a single sub-query.
    """
    if not ids:
        return []
    id_filter = any_of(PRIMARY_KEY, list(dict.fromkeys(ids)))
    out = []
    for sub in plan.sub_queries:
        payload = {
            key: value
            for key, value in sub.payload.items()
            if key not in ("federationOptions", "attributesToHighlight", "filter")
        }
        payload["filter"] = all_of([sub.payload.get("filter"), id_filter])
        payload["limit"] = len(ids)
        payload["attributesToRetrieve"] = [PRIMARY_KEY]
        out.append(payload)
    return out


def clauses_from_probe(plan: Plan, results: Sequence[Mapping[str, Any]]) -> dict[str, list[str]]:
    """Id -> every clause it matched, from the ``results`` of the probe multi-search."""
    out: dict[str, list[str]] = {}
    for sub, result in zip(plan.sub_queries, results, strict=True):
        for hit in result.get("hits", []):
            out.setdefault(str(hit[PRIMARY_KEY]), []).append(sub.clause)
    return out
