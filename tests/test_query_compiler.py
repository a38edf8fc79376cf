"""Normal form, compiler and structured filters (pure; the real-binary checks live in
test_query_meilisearch.py)."""

from __future__ import annotations

import contextlib
import json
import re
import time
from datetime import UTC, date, datetime, timedelta, timezone

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from search_api.query import (
    QueryError,
    QueryLimitError,
    QuerySyntaxError,
    SearchFilters,
    clause_probe_queries,
    clauses_from_probe,
    compile_query,
    matched_clauses,
    parse,
    quote_value,
)
from search_api.query.compiler import (
    _Q_TOKEN_BUDGET,
    HIGHLIGHT_ATTRIBUTES,
    MAX_QUERY_TERMS,
    _meili_term_count,
    filter_expression,
    q_token_count,
    q_words,
)
from search_api.query.filters import all_of
from search_api.query.normal_form import (
    Literal,
    is_filter_only,
    node_key,
    push_not_down,
    render_conjunct,
    to_dnf,
)
from search_api.query.syntax import And, Node, Not, Or, Term, render
from tests.test_query_syntax import trees

UID = "candidates"


def plan_of(text: str, filters: str | None = None, **kwargs):
    return compile_query(text, filters=filters, index_uid=UID, **kwargs)


def qs(text: str, filters: str | None = None) -> list[tuple[str, str | None]]:
    return [(s.payload["q"], s.payload.get("filter")) for s in plan_of(text, filters).sub_queries]


# --- normal form -------------------------------------------------------------------------------


def _terms_of(node: Node) -> list[Term]:
    if isinstance(node, Term):
        return [node]
    if isinstance(node, Not):
        return _terms_of(node.child)
    return [term for child in node.children for term in _terms_of(child)]


def _eval(node: Node, world: dict) -> bool:
    if isinstance(node, Term):
        return world[node_key(node)]
    if isinstance(node, Not):
        return not _eval(node.child, world)
    results = (_eval(child, world) for child in node.children)
    return all(results) if isinstance(node, And) else any(results)


def _eval_literal(literal: Literal, world: dict) -> bool:
    return _eval(literal.node, world)


@settings(max_examples=500, suppress_health_check=[HealthCheck.too_slow])
@given(trees, st.data())
def test_dnf_means_the_same_as_the_query(tree: Node, data: st.DataObject) -> None:
    keys = sorted({node_key(term) for term in _terms_of(tree)}, key=repr)
    world = {key: data.draw(st.booleans(), label=repr(key)) for key in keys}
    try:
        normal = to_dnf(tree, max_conjuncts=100_000)
    except QueryLimitError:
        assume(False)
        return
    in_dnf = any(all(_eval_literal(lit, world) for lit in conj) for conj in normal.conjuncts)
    assert _eval(tree, world) == in_dnf


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_conjuncts_are_simplified(tree: Node) -> None:
    try:
        normal = to_dnf(tree, max_conjuncts=100_000)
    except QueryLimitError:
        return
    seen = set()
    for conj in normal.conjuncts:
        keys = [literal.key for literal in conj]
        assert len(keys) == len(set(keys)), "a repeated literal"
        texts = {lit.key for lit in conj if not lit.is_filter}
        assert not any(lit.complement_key() in texts for lit in conj if not lit.is_filter)
        assert frozenset(keys) not in seen, "a repeated conjunct"
        seen.add(frozenset(keys))
    sets = [frozenset(lit.key for lit in conj) for conj in normal.conjuncts]
    assert not any(a < b for a in sets for b in sets), "a conjunct implied by another"


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_not_is_pushed_down_to_terms(tree: Node) -> None:
    def check(node: Node) -> None:
        if isinstance(node, Not):
            assert isinstance(node.child, Term)
        elif not isinstance(node, Term):
            for child in node.children:
                check(child)

    check(push_not_down(tree))


def conjuncts(text: str, **kwargs) -> list[str]:
    return [render_conjunct(conj) for conj in to_dnf(parse(text), **kwargs).conjuncts]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("a", ["a"]),
        ("a b", ["a AND b"]),
        ("a OR b", ["a", "b"]),
        ("(a OR b) c", ["a AND c", "b AND c"]),
        ("(a OR b) (c OR d)", ["a AND c", "a AND d", "b AND c", "b AND d"]),
        ("NOT (a OR b)", ["NOT a AND NOT b"]),
        ("NOT (a b)", ["NOT a", "NOT b"]),
        ("NOT NOT a", ["a"]),
        ("NOT (a AND NOT (b OR c))", ["NOT a", "b", "c"]),
        ("a a", ["a"]),
        ('java "Java"', ["java"]),  # the same word, case and quoting aside
        ("(a OR b) a", ["a"]),  # a AND b is implied by a
        ("a OR a b", ["a"]),
        ("a NOT a OR b", ["b"]),
        # filter-only sub-trees stay whole: one filter atom, not one conjunct per value
        ("title:(a OR b OR c) java", ["(title:a OR title:b OR title:c) AND java"]),
        ("title:a OR company:b OR java", ["title:a OR company:b", "java"]),
        ("NOT (title:a java)", ["NOT title:a", "NOT java"]),
        (
            "(title:a OR java) (title:b OR python)",
            [
                "title:a AND title:b",
                "title:a AND python",
                "java AND title:b",
                "java AND python",
            ],
        ),
    ],
)
def test_normal_form_examples(query: str, expected: list[str]) -> None:
    assert conjuncts(query) == expected


def test_filter_only_detection() -> None:
    assert is_filter_only(parse("title:a OR NOT company:b"))
    assert not is_filter_only(parse("title:a OR b"))


def test_simplifications_are_reported() -> None:
    warnings = to_dnf(parse("java java OR python")).warnings
    assert any("Repeated terms" in w and "java" in w for w in warnings)
    assert to_dnf(parse("java OR python")).warnings == ()
    contradiction = to_dnf(parse("java -java OR python"))
    assert any("can never match" in w for w in contradiction.warnings)
    never = to_dnf(parse("java -java"))
    assert never.conjuncts == ()
    assert any("never match" in w for w in never.warnings)


def test_conjunct_cap() -> None:
    assert len(conjuncts("(a OR b) (c OR d) (e OR f)", max_conjuncts=8)) == 8
    with pytest.raises(QueryLimitError, match="8 alternative searches") as info:
        conjuncts("(a OR b) (c OR d) (e OR f)", max_conjuncts=7)
    assert info.value.to_dict()["error"] == "query_limit"


def test_expansion_stops_early_instead_of_exhausting_memory() -> None:
    text = " ".join(f"(a{i} OR b{i})" for i in range(40))  # 2**40 conjuncts
    started = time.monotonic()
    with pytest.raises(QueryLimitError, match="more than"):
        to_dnf(parse(text))
    assert time.monotonic() - started < 5


# --- compiler: plain mode ----------------------------------------------------------------------


def test_plain_keywords_go_to_q_untouched() -> None:
    plan = plan_of("Senior  Java\u00a0developer", "is_active = true")
    assert plan.mode == "plain"
    assert plan.query == "Senior Java developer"
    [sub] = plan.sub_queries
    assert sub.payload == {
        "indexUid": UID,
        "q": "Senior Java developer",
        "matchingStrategy": "all",
        "attributesToHighlight": HIGHLIGHT_ATTRIBUTES,
        "federationOptions": {"weight": 1.0},
        "filter": "is_active = true",
    }
    assert plan.warnings == ()


def test_empty_query_is_a_placeholder_search() -> None:
    for text in ("", "   ", "\u200b"):
        plan = plan_of(text, 'status = "Placed"')
        assert plan.mode == "plain"
        assert [s.payload["q"] for s in plan.sub_queries] == [""]


def test_ten_plain_words_stay_plain() -> None:
    text = "one two three four five six seven eight nine ten"
    assert plan_of(text).mode == "plain"


def test_more_than_ten_plain_words_run_as_an_exact_and_with_a_warning() -> None:
    # node.js is two query terms unquoted (12 in all) but one quoted phrase (6 in all).
    plan = plan_of("node.js react.js vue.js angular.js ember.js backbone.js")
    assert plan.mode == "boolean"
    assert "first 10" in plan.warnings[0]
    assert qs("node.js react.js vue.js angular.js ember.js backbone.js") == [
        ('"node.js" "react.js" "vue.js" "angular.js" "ember.js" "backbone.js"', None)
    ]


def test_more_than_ten_distinct_plain_words_are_refused_not_truncated() -> None:
    text = "one two three four five six seven eight nine ten eleven"
    with pytest.raises(QueryLimitError, match="at most 10") as info:
        plan_of(text)
    assert info.value.position == text.index("eleven")


def test_repeated_plain_words_count_once() -> None:
    plan = plan_of("java " * 12)
    assert qs("java " * 12) == [('"java"', None)]
    assert any("Repeated" in w for w in plan.warnings)


def test_plain_query_longer_than_meilisearch_reads_is_not_truncated() -> None:
    text = "java " + "," * 2000 + " python"
    plan = plan_of(text)
    assert plan.mode == "boolean"
    assert [s.payload["q"] for s in plan.sub_queries] == ['"java" "python"']


@pytest.mark.parametrize(
    ("text", "count"),
    [("java", 1), ("node.js", 2), ("c++ c#", 2), ("front-end", 2), ("東京都", 3), ("AT&T", 2)],
)
def test_meilisearch_term_count_of_plain_text(text: str, count: int) -> None:
    assert _meili_term_count(text) == count


# --- compiler: Boolean mode --------------------------------------------------------------------


def test_free_text_terms_are_exact_phrases_with_negations_first() -> None:
    assert qs('java -intern "machine learning" NOT "data entry"') == [
        ('-"intern" -"data entry" "java" "machine learning"', None)
    ]


def test_or_is_a_federated_union() -> None:
    plan = plan_of('"machine learning" OR "deep learning"')
    assert plan.mode == "boolean"
    assert [s.clause for s in plan.sub_queries] == ['"machine learning"', '"deep learning"']
    assert [s.payload["q"] for s in plan.sub_queries] == ['"machine learning"', '"deep learning"']
    assert all(s.payload["matchingStrategy"] == "all" for s in plan.sub_queries)


@pytest.mark.parametrize(
    ("value", "q"),
    [
        ("Développeur", '"developpeur"'),
        ("ZOË", '"zoe"'),
        ("Straße", '"straße"'),  # Meilisearch keeps ß; casefold would send "strasse"
        ("C++", '"c++"'),
        ("C#", '"c#"'),
        ("node.js", '"node.js"'),
        ("front-end", '"front end"'),
        ("O'Brien", '"o brien"'),
        ("ﬁnance", '"finance"'),
    ],
)
def test_words_in_q(value: str, q: str) -> None:
    assert qs(f'"{value}" OR zzz')[0][0] == q


def test_q_words_match_the_indexer_word_count() -> None:
    from search_index import terms

    for value in ("Sr. C++ / C# Développeur (Node.js)", "Straße", "AT&T R&D", "x86-64"):
        assert len(q_words(value)) == len(terms.words(value))


def test_scopes_become_exact_filters() -> None:
    assert qs('title:"Software Engineer" java', "is_active = true") == [
        ('"java"', 'is_active = true AND title_terms = "software engineer"')
    ]
    assert qs("-company:Acme java") == [('"java"', 'NOT company_terms = "acme"')]
    assert qs("skills:(Java OR C++) go") == [('"go"', 'skill_terms IN ["java", "c++"]')]
    assert qs("title:(lead OR manager) OR company:acme") == [
        ("", '(title_terms IN ["lead", "manager"]) OR company_terms = "acme"')
    ]
    assert qs("NOT title:(lead OR manager)") == [
        ("", 'NOT title_terms = "lead" AND NOT title_terms = "manager"')
    ]


def test_shared_filters_with_an_or_are_parenthesised() -> None:
    [(_, expression)] = qs("title:lead java", 'status = "a" OR status = "b"')
    assert expression == '(status = "a" OR status = "b") AND title_terms = "lead"'


def test_filter_expression_of_a_tree() -> None:
    tree = parse('(title:lead OR company:"Acme Corp") -skill:cobol')
    assert filter_expression(push_not_down(tree)) == (
        '(title_terms = "lead" OR company_terms = "acme corp") AND NOT skill_terms = "cobol"'
    )


def test_scoped_values_cannot_inject_filter_syntax() -> None:
    # The value is reduced to its words; quotes and operators cannot survive into the filter.
    [(_, expression)] = qs('title:"x\\ OR is_active = true OR title_terms = " java')
    assert expression == 'title_terms = "x or is active true or title terms"'


def test_placeholder_conjuncts_weigh_less() -> None:
    plan = plan_of("title:engineer OR java OR -python")
    weights = [s.payload["federationOptions"]["weight"] for s in plan.sub_queries]
    assert weights == [0.5, 1.0, 0.5]
    assert [s.payload["q"] for s in plan.sub_queries] == ["", '"java"', '-"python"']


def test_ten_required_terms_per_clause_negations_free() -> None:
    words = [f"w{i}" for i in range(10)]
    negations = [f"-n{i}" for i in range(30)]
    [(q, _)] = qs(" ".join(words + negations))
    assert q.startswith('-"n0"') and q.endswith('"w9"')
    with pytest.raises(QueryLimitError, match="11 words or phrases") as info:
        plan_of(" ".join([*words, "w10", "-n0"]))
    assert info.value.position == len(" ".join(words)) + 1


def test_a_phrase_counts_once() -> None:
    phrases = " ".join(f'"a{i} b{i} c{i}"' for i in range(10))
    [(q, _)] = qs(phrases)
    assert q.count('"') == 20


def test_more_than_ten_words_in_total_across_ors_is_fine() -> None:
    text = "(a b c d e f g h) OR (i j k l m n o p) OR (q r s t u v w x)"
    assert len(plan_of(text).sub_queries) == 3


def test_too_many_tokens_in_one_clause_is_refused() -> None:
    text = "java " + " ".join(f"-n{i}" for i in range(200))
    with pytest.raises(QueryLimitError, match="too long"):
        plan_of(text)


def test_long_words_and_scoped_phrases_are_refused() -> None:
    with pytest.raises(QueryLimitError, match="250 bytes"):
        plan_of('"' + "a" * 251 + '" OR b')
    plan_of('"' + "a" * 250 + '" OR b')
    with pytest.raises(QueryLimitError, match="250 bytes"):
        plan_of("java -" + "ø" * 126)  # 126 letters, 252 bytes (ø keeps its two bytes)
    with pytest.raises(QueryLimitError, match="at most 8 words"):
        plan_of('title:"a b c d e f g h i"')
    with pytest.raises(QueryLimitError, match="468 bytes"):
        plan_of('title:"' + " ".join(["x" * 60] * 8) + '"')


def test_an_over_long_plain_word_is_refused() -> None:
    with pytest.raises(QueryLimitError, match="250 bytes") as info:
        plan_of("java " + "a" * 300)
    assert info.value.position == 5


HOSTILE_LONG = [
    "java " * 2000,
    "java OR " * 1250,
    "(a OR b) " * 1111,
    "a" * 10_000,
    "-java " * 1666,
    '"a b" ' * 1666,
    " ".join(f"w{i}" for i in range(1600)),
    " OR ".join(f"(w{i} x{i})" for i in range(800)),
    "NOT (" + " ".join(f"w{i}" for i in range(1500)) + ")",
    " ".join(f"(a{i} OR b{i})" for i in range(6)) + " " + " ".join(f"-n{i}" for i in range(100)),
]


@pytest.mark.parametrize("text", HOSTILE_LONG)
def test_ten_thousand_characters_compile_quickly_or_fail_cleanly(text: str) -> None:
    started = time.monotonic()
    with contextlib.suppress(QueryError):
        plan = plan_of(text[:10_000])
        assert all(len(s.payload["q"]) < 10_000 for s in plan.sub_queries)
    assert time.monotonic() - started < 2


def test_conjunct_limit_is_configurable() -> None:
    text = "(a OR b) (c OR d) (e OR f)"
    assert len(plan_of(text, max_conjuncts=8).sub_queries) == 8
    with pytest.raises(QueryLimitError, match="the limit is 4"):
        plan_of(text, max_conjuncts=4)
    with pytest.raises(QueryLimitError):
        plan_of(" OR ".join(f"w{i}" for i in range(65)))
    assert len(plan_of(" OR ".join(f"w{i}" for i in range(64))).sub_queries) == 64


def test_a_query_that_can_never_match_has_no_sub_query() -> None:
    plan = plan_of("java NOT java")
    assert plan.sub_queries == ()
    assert any("never match" in w for w in plan.warnings)


def test_plan_is_json_and_carries_everything() -> None:
    plan = plan_of("(java OR python) -intern title:senior", "is_active = true")
    body = json.loads(json.dumps(plan.to_dict()))
    assert body["mode"] == "boolean"
    assert body["query"] == "(java OR python) -intern title:senior"
    assert body["canonical"] == "(java OR python) AND NOT intern AND title:senior"
    assert [s["clause"] for s in body["sub_queries"]] == [
        "java AND NOT intern AND title:senior",
        "python AND NOT intern AND title:senior",
    ]
    assert body["sub_queries"][0]["payload"]["filter"] == (
        'is_active = true AND title_terms = "senior"'
    )
    assert body["limits"]["max_conjuncts"] == 64
    assert body["limits"]["max_terms_per_query"] == MAX_QUERY_TERMS
    assert body["warnings"] == []


def test_plan_queries_are_copies() -> None:
    plan = plan_of("java OR python")
    plan.queries()[0]["q"] = "changed"
    assert plan.queries()[0]["q"] == '"java"'


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_every_compiled_sub_query_is_within_meilisearch_limits(tree: Node) -> None:
    try:
        plan = plan_of(render(tree))
    except QueryLimitError:
        return
    if plan.mode == "plain":  # a lone bare word renders as a keyword query
        assert isinstance(tree, Term)
        return
    for sub in plan.sub_queries:
        q = sub.payload["q"]
        positive = [part for part in _q_parts(q) if not part.startswith("-")]
        assert len(positive) <= MAX_QUERY_TERMS
        assert q_token_count(q) <= _Q_TOKEN_BUDGET
        assert sub.payload["matchingStrategy"] == "all"
        negatives_first = [part.startswith("-") for part in _q_parts(q)]
        assert negatives_first == sorted(negatives_first, reverse=True)


def _q_parts(q: str) -> list[str]:
    """The items of a compiled q: "phrase" and -"phrase", nothing else."""
    parts = re.findall(r'-?"[^"]*"', q)
    assert " ".join(parts) == q
    return parts


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=400))
def test_compile_never_fails_other_than_with_a_query_error(text: str) -> None:
    with contextlib.suppress(QueryError):
        plan_of(text)


# --- which clauses a hit matched ---------------------------------------------------------------


def test_matched_clause_from_the_federation_tag() -> None:
    plan = plan_of("java OR python")
    hit = {"candidate_id": "1", "_federation": {"queriesPosition": 1}}
    assert matched_clauses(hit, plan) == ["python"]
    assert matched_clauses({"candidate_id": "1"}, plan_of("java")) == ["java"]


def test_probe_queries_restrict_each_clause_to_the_page() -> None:
    plan = plan_of('java OR "c++"', "is_active = true")
    probe = clause_probe_queries(plan, ["a1", 'b"2'])
    assert [p["q"] for p in probe] == ['"java"', '"c++"']
    assert probe[0]["filter"] == 'is_active = true AND candidate_id IN ["a1", "b\\"2"]'
    assert probe[0]["limit"] == 2
    assert probe[0]["attributesToRetrieve"] == ["candidate_id"]
    assert "federationOptions" not in probe[0]
    results = [{"hits": [{"candidate_id": "a1"}]}, {"hits": [{"candidate_id": "a1"}]}]
    assert clauses_from_probe(plan, results) == {"a1": ["java", '"c++"']}
    assert clause_probe_queries(plan, []) == []


# --- structured filters ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "literal"),
    [
        ("plain", '"plain"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("back\\slash", '"back\\\\slash"'),
        ("ends with \\", '"ends with \\\\"'),
        ('x" OR is_active = true OR status = "', '"x\\" OR is_active = true OR status = \\""'),
        ("a]b, [c", '"a]b, [c"'),
        ("line\nbreak", '"line\nbreak"'),
        ("Zoë", '"Zoë"'),
    ],
)
def test_quote_value(value: str, literal: str) -> None:
    assert quote_value(value) == literal
    assert _unquote(literal) == value


def _unquote(literal: str) -> str:
    """Read a filter string literal as Meilisearch 1.21 does (checked on the binary)."""
    assert literal[0] == literal[-1] == '"'
    out, i, body = [], 0, literal[1:-1]
    while i < len(body):
        if body[i] == "\\":
            out.append(body[i + 1])
            i += 2
        else:
            assert body[i] != '"', "an unescaped quote ends the literal early"
            out.append(body[i])
            i += 1
    return "".join(out)


@settings(max_examples=300)
@given(st.text(max_size=100))
def test_quote_value_round_trips_any_text(value: str) -> None:
    assert _unquote(quote_value(value)) == value


def test_quote_value_refuses_what_meilisearch_cannot_store() -> None:
    quote_value("é" * 234)  # 468 bytes
    with pytest.raises(ValueError, match="468 bytes"):
        quote_value("é" * 235)


def test_all_of_parenthesises_only_top_level_or() -> None:
    assert all_of(["a = 1", None, "b = 2 OR c = 3", "(d = 1 OR e = 2)", 'f = "x OR y"']) == (
        'a = 1 AND (b = 2 OR c = 3) AND (d = 1 OR e = 2) AND f = "x OR y"'
    )
    assert all_of([None, ""]) is None


def test_empty_filters() -> None:
    assert SearchFilters().to_filter_expression() is None


def test_word_filters_use_term_lists_and_normal_phrases() -> None:
    filters = SearchFilters(
        title=["Software Engineer", "SRE"],
        current_company="Acme, Inc.",
        past_company=["Globex"],
        company=["Initech"],
        location=["Austin TX"],
        school=["Université de Montréal"],
        degree=["Master's"],
        major=["Computer Science"],
        industry=["Financial Services"],
        certifications=["AWS Certified"],
        languages=["French"],
    )
    assert filters.to_filter_expression() == " AND ".join(
        [
            'title_terms IN ["software engineer", "sre"]',
            'current_company_terms = "acme inc"',
            'past_company_terms = "globex"',
            'company_terms = "initech"',
            'location_terms = "austin tx"',
            'school_terms = "universite de montreal"',
            'degree_terms = "master s"',
            'major_terms = "computer science"',
            'industry_terms = "financial services"',
            'certification_terms = "aws certified"',
            'language_terms = "french"',
        ]
    )


def test_skills_all_or_any() -> None:
    assert SearchFilters(skills=["Java", "C++"]).to_filter_expression() == (
        'skill_terms = "java" AND skill_terms = "c++"'
    )
    assert SearchFilters(skills=["Java", "C++"], skills_mode="any").to_filter_expression() == (
        'skill_terms IN ["java", "c++"]'
    )
    assert SearchFilters(skills=["Java", "java"]).skills == ["java"]


def test_exact_facets_keep_their_values() -> None:
    filters = SearchFilters(
        company_size=["51-200"],
        diversity_gender=["Female"],
        diversity_veteran=["No"],
        application_type=["Applicant", "Candidate"],
        status="Do Not Contact",
        job_ids=["J-1"],
        recruiter_ids=["R1"],
        recruiter_names=["Ann O'Hara"],
        job_status=[{"job_id": "J-1", "status": "Rejected"}],
        is_active=True,
        is_matched=False,
    )
    assert filters.to_filter_expression() == " AND ".join(
        [
            'company_size = "51-200"',
            'diversity_gender = "Female"',
            'diversity_veteran = "No"',
            'application_type IN ["Applicant", "Candidate"]',
            'status = "Do Not Contact"',
            'job_ids = "J-1"',
            'recruiter_ids = "R1"',
            'recruiter_names = "Ann O\'Hara"',
            'job_status = "J-1|Rejected"',
            "is_active = true",
            "is_matched = false",
        ]
    )


def test_ranges() -> None:
    filters = SearchFilters(
        years_of_experience={"min": 3, "max": 7.5}, years_in_current_role={"max": 2}
    )
    assert filters.to_filter_expression() == (
        "years_of_experience >= 3 AND years_of_experience <= 7.5 AND years_in_current_role <= 2"
    )
    assert SearchFilters(years_of_experience={"min": 0.00001}).to_filter_expression() == (
        "years_of_experience >= 0.00001"
    )


def test_updated_dates() -> None:
    day = int(datetime(2024, 5, 1, tzinfo=UTC).timestamp())
    filters = SearchFilters(updated_after="2024-05-01", updated_before=date(2024, 5, 31))
    end = int(datetime(2024, 6, 1, tzinfo=UTC).timestamp())
    assert filters.to_filter_expression() == f"updated_at_ts >= {day} AND updated_at_ts < {end}"
    moment = datetime(2024, 5, 1, 12, 0, tzinfo=timezone(timedelta(hours=2)))
    filters = SearchFilters(updated_after="2024-05-01T10:00:00", updated_before=moment)
    assert filters.to_filter_expression() == (
        f"updated_at_ts >= {day + 36000} AND updated_at_ts <= {day + 36000}"
    )


@pytest.mark.parametrize(
    "bad",
    [
        {"title": ["!!!"]},
        {"title": ["a b c d e f g h i"]},
        {"status": [""]},
        {"status": ["x" * 469]},
        {"years_of_experience": {"min": 5, "max": 2}},
        {"years_of_experience": {"min": -1}},
        {"years_of_experience": {"min": float("nan")}},
        {"job_status": [{"job_id": "1|2", "status": "x"}]},
        {"updated_after": "2024-06-01", "updated_before": "2024-05-01"},
        {"skills_mode": "most"},
        {"unknown": 1},
        {"job_ids": [str(i) for i in range(501)]},
    ],
)
def test_invalid_filters_are_refused(bad: dict) -> None:
    with pytest.raises(ValidationError):
        SearchFilters(**bad)


def test_hostile_facet_values_stay_one_literal() -> None:
    value = 'x" OR is_active = true OR status = "'
    expression = SearchFilters(status=[value]).to_filter_expression()
    assert expression is not None
    assert _unquote(expression.removeprefix("status = ")) == value


def test_syntax_errors_are_query_errors() -> None:
    assert issubclass(QuerySyntaxError, QueryError)
    assert issubclass(QueryLimitError, QueryError)
    assert isinstance(QueryLimitError("x"), ValueError)
    assert Literal(Term("a"), is_filter=False).complement_key() == ("not", node_key(Term("a")))
    assert Or((Term("a"), Term("b"))) == parse("a OR b")
