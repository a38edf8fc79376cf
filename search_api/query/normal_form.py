"""Normal forms of a parsed query: NOT pushed down to the terms, then a disjunctive normal form.

Meilisearch has no OR inside ``q``, so the compiler runs one sub-query per conjunct and lets a
federated multi-search take the union. Two things keep the number of conjuncts small:

- a sub-tree made only of field-scoped terms is a *filter atom*: Meilisearch filters have AND,
  OR and NOT, so ``title:(lead OR "staff engineer")`` stays one literal instead of two conjuncts;
- conjuncts are simplified (repeated terms, ``x AND NOT x``, conjuncts implied by a shorter one).

Every simplification keeps the meaning and is reported as a warning. Expansion is capped: the
multiplying-out stops with a :class:`QueryLimitError` instead of exhausting memory.

>>> from search_api.query.syntax import parse
>>> [[render_literal(lit) for lit in conj] for conj in to_dnf(parse("(a OR b) -c")).conjuncts]
[['a', 'NOT c'], ['b', 'NOT c']]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from search_api.query.syntax import And, Node, Not, Or, QueryError, Term, render

DEFAULT_MAX_CONJUNCTS = 64


class QueryLimitError(QueryError):
    """A valid query that cannot run without dropping terms (too many words or alternatives)."""

    kind = "query_limit"


def push_not_down(node: Node, negate: bool = False) -> Node:
    """Negation normal form: NOT only directly above a term (De Morgan, double negation).

    >>> from search_api.query.syntax import parse
    >>> render(push_not_down(parse("NOT (a OR NOT b)")))
    'NOT a AND b'
    """
    if isinstance(node, Term):
        return Not(node) if negate else node
    if isinstance(node, Not):
        return push_not_down(node.child, not negate)
    children = tuple(push_not_down(child, negate) for child in node.children)
    flips_to_or = isinstance(node, And) == negate  # And stays And unless negated
    return And(children) if not flips_to_or else Or(children)


def is_filter_only(node: Node) -> bool:
    """True when every term below ``node`` is field-scoped (answerable by a filter alone)."""
    if isinstance(node, Term):
        return node.field is not None
    if isinstance(node, Not):
        return is_filter_only(node.child)
    return all(is_filter_only(child) for child in node.children)


def node_key(node: Node) -> tuple:
    """Semantic identity: case, accents and quoting of a single word do not matter."""
    if isinstance(node, Term):
        return ("term", node.field or "", node.words)
    if isinstance(node, Not):
        return ("not", node_key(node.child))
    return (type(node).__name__, tuple(node_key(child) for child in node.children))


@dataclass(frozen=True)
class Literal:
    """A conjunct member: a free-text term (maybe negated) or a filter-only NNF sub-tree."""

    node: Node
    is_filter: bool

    @cached_property
    def key(self) -> tuple:
        return node_key(self.node)

    @property
    def negated(self) -> bool:
        return not self.is_filter and isinstance(self.node, Not)

    @property
    def term(self) -> Term:
        """The free-text term of a text literal."""
        node = self.node.child if isinstance(self.node, Not) else self.node
        assert isinstance(node, Term)
        return node

    def complement_key(self) -> tuple:
        return self.key[1] if self.key[0] == "not" else ("not", self.key)


Conjunct = tuple[Literal, ...]


def render_literal(literal: Literal) -> str:
    return render(literal.node)


def render_conjunct(conjunct: Conjunct) -> str:
    """The clause as query text (what the recruiter sees as "matched clause")."""
    nodes = tuple(literal.node for literal in conjunct)
    return render(nodes[0] if len(nodes) == 1 else And(nodes))


@dataclass(frozen=True)
class NormalForm:
    conjuncts: tuple[Conjunct, ...]
    warnings: tuple[str, ...]


class _Builder:
    def __init__(self, max_conjuncts: int) -> None:
        self.max_conjuncts = max_conjuncts
        # Intermediate products may shrink later (x AND NOT x), so allow some room, bounded.
        self.expansion_cap = max(256, 4 * max_conjuncts)
        self.repeated: dict[str, None] = {}
        self.contradictions = 0
        self.duplicates = 0

    def dnf(self, node: Node) -> list[Conjunct]:
        if is_filter_only(node):
            return [(Literal(node, is_filter=True),)]
        if isinstance(node, Term | Not):  # NNF: a Not here wraps a free-text term
            return [(Literal(node, is_filter=False),)]
        if isinstance(node, Or):
            return self._union(self.dnf(child) for child in _group_filters(node))
        result: list[Conjunct] = [()]
        for child in node.children:
            result = self._product(result, self.dnf(child))
        return result

    def _union(self, parts: Iterable[list[Conjunct]]) -> list[Conjunct]:
        out: dict[frozenset, Conjunct] = {}
        for part in parts:
            for conjunct in part:
                self._add(out, conjunct)
        return list(out.values())

    def _product(self, left: list[Conjunct], right: list[Conjunct]) -> list[Conjunct]:
        out: dict[frozenset, Conjunct] = {}
        for a in left:
            for b in right:
                merged = self._merge(a, b)
                if merged is None:
                    self.contradictions += 1
                else:
                    self._add(out, merged)
        return list(out.values())

    def _add(self, out: dict[frozenset, Conjunct], conjunct: Conjunct) -> None:
        key = frozenset(literal.key for literal in conjunct)
        if key in out:
            self.duplicates += 1
            return
        out[key] = conjunct
        if len(out) > self.expansion_cap:
            raise QueryLimitError(
                f"The query multiplies out to more than {self.expansion_cap} alternative "
                f"searches (the limit is {self.max_conjuncts}). Put alternatives of one field "
                "in a scope such as skill:(java OR python) — a scope is one filter — or split "
                "the search",
                expected=f"at most {self.max_conjuncts} alternatives",
                found=f"more than {self.expansion_cap}",
            )

    def _merge(self, a: Conjunct, b: Conjunct) -> Conjunct | None:
        keys = {literal.key for literal in a}
        merged = list(a)
        for literal in b:
            if literal.key in keys:
                self.repeated.setdefault(render_literal(literal), None)
            elif not literal.is_filter and literal.complement_key() in keys:
                return None  # x AND NOT x: this alternative can never match
            else:
                keys.add(literal.key)
                merged.append(literal)
        return tuple(merged)


def _group_filters(node: Or) -> list[Node]:
    """The OR's children with all filter-only ones merged into one OR (one filter atom)."""
    filters = [child for child in node.children if is_filter_only(child)]
    if len(filters) < 2:
        return list(node.children)
    out: list[Node] = []
    for child in node.children:
        if child is filters[0]:
            out.append(Or(tuple(filters)))
        elif child not in filters:
            out.append(child)
    return out


def _drop_absorbed(conjuncts: list[Conjunct]) -> tuple[list[Conjunct], int]:
    """Remove conjuncts implied by another one (A OR (A AND B) = A); keeps the original order."""
    keyed = [(frozenset(literal.key for literal in conj), conj) for conj in conjuncts]
    by_size = sorted(keyed, key=lambda item: len(item[0]))
    kept: list[frozenset] = []
    for keys, _ in by_size:
        if not any(other <= keys for other in kept):
            kept.append(keys)
    kept_set = set(kept)
    out = [conj for keys, conj in keyed if keys in kept_set]
    return out, len(conjuncts) - len(out)


def to_dnf(node: Node, *, max_conjuncts: int = DEFAULT_MAX_CONJUNCTS) -> NormalForm:
    """The query as an OR of conjuncts (each an AND of literals), simplified and capped."""
    builder = _Builder(max_conjuncts)
    conjuncts, absorbed = _drop_absorbed(builder.dnf(push_not_down(node)))
    warnings = _warnings(builder, absorbed, empty=not conjuncts)
    if len(conjuncts) > max_conjuncts:
        raise QueryLimitError(
            f"The query multiplies out to {len(conjuncts)} alternative searches (one per "
            f"combination of OR branches); the limit is {max_conjuncts}. Put alternatives of one "
            "field in a scope such as skill:(java OR python) — a scope is one filter — or "
            "split the search",
            expected=f"at most {max_conjuncts} alternatives",
            found=f"{len(conjuncts)} alternatives",
        )
    return NormalForm(tuple(conjuncts), tuple(warnings))


def _warnings(builder: _Builder, absorbed: int, *, empty: bool) -> list[str]:
    out = []
    if builder.repeated:
        out.append("Repeated terms were counted once: " + ", ".join(builder.repeated))
    if builder.duplicates or absorbed:
        out.append(
            f"{builder.duplicates + absorbed} duplicate or redundant alternative(s) were merged "
            "(they could not add any hit)"
        )
    if empty:
        out.append("This query can never match: every alternative requires a term and its NOT")
    elif builder.contradictions:
        out.append(
            f"{builder.contradictions} alternative(s) requiring a term and its NOT were dropped "
            "(they can never match)"
        )
    return out
