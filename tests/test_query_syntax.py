"""The query language's normalisation, tokenizer and parser: shapes, errors, hostile input."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from search_api.query.syntax import (
    FIELDS,
    MAX_DEPTH,
    MAX_QUERY_CHARS,
    And,
    Node,
    Not,
    Or,
    QuerySyntaxError,
    Term,
    is_bare_word,
    is_plain,
    normalize_query,
    parse,
    render,
    tokenize_query,
)

# --- normalisation of pasted text ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pasted", "normal"),
    [
        ("“machine learning”", '"machine learning"'),
        ("„machine learning‟", '"machine learning"'),
        ("″machine learning″", '"machine learning"'),
        ("«machine learning»", '"machine learning"'),
        ("‘machine learning’ OR java", '"machine learning" OR java'),
        ("O’Brien don’t", "O'Brien don't"),  # Word's apostrophes stay apostrophes
        ("‘Brien’s team’", '"Brien\'s team"'),
        ("java –intern", "java -intern"),  # en dash
        ("java —intern", "java -intern"),  # em dash
        ("java −intern", "java -intern"),  # minus sign
        ("java ₋intern", "java -intern"),  # subscript minus (NFKC gives U+2212)
        ("java\u00a0OR\u2009python\u3000go", "java OR python go"),  # NBSP, thin, ideographic
        ("java\tOR\npython\r\n", "java OR python"),
        ("ja\u200bva\u00ad", "java"),  # zero-width space, soft hyphen
        ("\ufeffjava", "java"),  # byte-order mark
        ("（java OR python）", "(java OR python)"),  # full-width parentheses
        ("java\x00\x07python", "java python"),  # control characters
        ("   java    python   ", "java python"),
    ],
)
def test_pasted_text_is_normalised(pasted: str, normal: str) -> None:
    assert normalize_query(pasted) == normal


def test_smart_quotes_and_dashes_parse_like_ascii() -> None:
    assert parse("“machine learning” –intern") == parse('"machine learning" -intern')
    assert parse("‘data science’ OR java") == parse('"data science" OR java')


def test_a_lone_dash_between_words_is_not_an_operator() -> None:
    assert parse("front – end") == And((Term("front"), Term("end")))
    assert parse("java -- python") == And((Term("java"), Term("python")))
    assert parse("java -") == Term("java")


def test_a_dash_inside_a_word_stays_in_the_word() -> None:
    assert parse("front-end OR x") == Or((Term("front-end"), Term("x")))
    assert Term("front-end").words == ("front", "end")


# --- shapes and precedence ---------------------------------------------------------------------

a, b, c, d = (Term(x) for x in "abcd")


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("a b", And((a, b))),
        ("a AND b", And((a, b))),
        ("a b AND c", And((a, b, c))),
        ("a OR b", Or((a, b))),
        ("a b OR c", Or((And((a, b)), c))),  # AND binds tighter than OR
        ("a OR b c", Or((a, And((b, c))))),
        ("a OR b AND c OR d", Or((a, And((b, c)), d))),
        ("NOT a b", And((Not(a), b))),  # NOT binds tightest
        ("-a b", And((Not(a), b))),
        ("a -b", And((a, Not(b)))),
        ("a NOT b", And((a, Not(b)))),
        ("NOT (a OR b)", Not(Or((a, b)))),
        ("-(a OR b)", Not(Or((a, b)))),
        ("NOT NOT a", Not(Not(a))),
        ("--a", Not(Not(a))),
        ("(a OR b) c", And((Or((a, b)), c))),
        ("(a b) c", And((And((a, b)), c))),  # parentheses keep their shape
        ("((a))", a),
        ('"a b" OR c', Or((Term("a b", quoted=True), c))),
        ('-"a b"', Not(Term("a b", quoted=True))),
        ("and or not", And((Term("and"), Term("or"), Term("not")))),  # lower case = words
        ("And Or", And((Term("And"), Term("Or")))),
    ],
)
def test_precedence_and_grouping(query: str, tree: Node) -> None:
    assert parse(query) == tree


def test_phrase_whitespace_is_collapsed() -> None:
    assert parse('"  machine \t learning "') == Term("machine learning", quoted=True)


# --- field scopes ------------------------------------------------------------------------------


def test_every_scope_maps_to_a_term_field_of_the_index() -> None:
    from search_index.schema import TERM_FIELDS

    assert set(FIELDS.values()) == set(TERM_FIELDS)


@pytest.mark.parametrize(
    ("query", "tree"),
    [
        ("title:engineer", Term("engineer", field="title")),
        ("TITLE:Engineer", Term("Engineer", field="title")),
        ("skills:python", Term("python", field="skill")),  # alias
        ("Skill:python", Term("python", field="skill")),
        ('title:"software engineer"', Term("software engineer", quoted=True, field="title")),
        ("title: engineer", Term("engineer", field="title")),  # a space after the colon is fine
        ("-company:acme", Not(Term("acme", field="company"))),
        ("NOT company:acme", Not(Term("acme", field="company"))),
        (
            'title:(lead OR "staff engineer")',
            Or((Term("lead", field="title"), Term("staff engineer", quoted=True, field="title"))),
        ),
        (
            "title:(senior -intern)",
            And((Term("senior", field="title"), Not(Term("intern", field="title")))),
        ),
        ("title:foo:bar", Term("foo:bar", field="title")),
        ("current_company:“Acme Corp”", Term("Acme Corp", quoted=True, field="current_company")),
        ("Note: java", And((Term("Note:"), Term("java")))),  # unknown name + space: plain text
    ],
)
def test_scopes(query: str, tree: Node) -> None:
    assert parse(query) == tree


def test_scope_group_mixes_with_free_text() -> None:
    tree = parse("title:(lead OR manager) java")
    assert tree == And(
        (Or((Term("lead", field="title"), Term("manager", field="title"))), Term("java"))
    )


# --- errors: position and what was expected ----------------------------------------------------


@pytest.mark.parametrize(
    ("query", "position", "expected"),
    [
        ("", 0, "search word"),
        ("   ", 3, "search word"),
        ("AND", 0, "search word"),
        ("OR java", 0, "search word"),
        ("java AND", 8, "search word"),
        ("java OR", 7, "search word"),
        ("java OR OR python", 8, "search word"),
        ("java AND AND python", 9, "search word"),
        ("NOT", 3, "search word"),
        ("java NOT", 8, "search word"),
        ("-", 0, "search word"),  # a lone dash is dropped, leaving nothing
        ("(java", 5, ")"),
        ("(java OR (python)", 17, ")"),
        ("java)", 4, "end"),
        ("java ) python", 5, "end"),
        ("()", 1, "search word"),
        ("( )", 2, "search word"),
        ('"java', 0, '"'),
        ('java "machine learning', 5, '"'),
        ('""', 0, "search word"),
        ('"!!!"', 0, "search word"),
        ("java & python", 5, "search word"),
        ("java | python", 5, "search word"),
        ("title:", 6, "after the field"),
        ("title: AND java", 7, "after the field"),
        ("title:)", 6, "after the field"),
        ("title:-intern", 6, "after the field"),
        ("title:(lead OR company:acme)", 15, "search word"),
        ('title:"!!!"', 6, "search word"),
        ("foo:bar", 0, "known field"),
        ('java foo:"bar"', 5, "known field"),
        ("java http://example.com", 5, "known field"),
    ],
)
def test_errors_say_where_and_what_was_expected(query: str, position: int, expected: str) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse(query)
    error = info.value
    assert error.position == position, error
    assert expected in (error.expected or ""), error
    body = error.to_dict()
    assert body["error"] == "query_syntax"
    assert body["position"] == position
    assert f"character {position + 1}" in body["message"]


def test_unknown_field_error_names_the_known_fields() -> None:
    with pytest.raises(QuerySyntaxError) as info:
        parse("java skil:python")
    message = str(info.value)
    assert info.value.position == 5
    assert "skil:" in message
    for name in ("title:", "company:", "skill:", "school:", "location:", "current_company:"):
        assert name in message


def test_error_positions_refer_to_the_text_as_sent() -> None:
    # Invisible characters removed by normalisation do not shift the reported position.
    text = "\u200b\u200b“java” AND"
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    assert info.value.position == len(text)
    text = "\u00ad\u00adjava ) x"
    with pytest.raises(QuerySyntaxError) as info:
        parse(text)
    assert text[info.value.position] == ")"


def test_term_positions_refer_to_the_text_as_sent() -> None:
    text = "\u200bjava OR  “data  science”"
    tree = parse(text)
    assert isinstance(tree, Or)
    assert [term.pos for term in tree.children] == [text.index("java"), text.index("“")]


# --- hostile input -----------------------------------------------------------------------------


def test_deep_nesting_is_a_clean_error() -> None:
    for depth in (MAX_DEPTH + 1, 500, 2000):
        with pytest.raises(QuerySyntaxError, match="nested too deeply"):
            parse("(" * depth + "java" + ")" * depth)
        with pytest.raises(QuerySyntaxError, match="nested too deeply"):
            parse("NOT " * depth + "java")
        with pytest.raises(QuerySyntaxError, match="nested too deeply"):
            parse("-" * depth + "java")


def test_nesting_up_to_the_limit_parses() -> None:
    depth = MAX_DEPTH
    assert parse("(" * depth + "java" + ")" * depth) == Term("java")
    assert parse("(" * (depth - 1) + "NOT java" + ")" * (depth - 1)) == Not(Term("java"))


@pytest.mark.parametrize(
    "text",
    [
        "java " * (MAX_QUERY_CHARS // 5),
        "java OR " * (MAX_QUERY_CHARS // 8),
        '"' * MAX_QUERY_CHARS,
        "(" * MAX_QUERY_CHARS,
        ")" * MAX_QUERY_CHARS,
        "-" * MAX_QUERY_CHARS,
        "NOT " * (MAX_QUERY_CHARS // 4),
        "a" * MAX_QUERY_CHARS,
        "title:" * (MAX_QUERY_CHARS // 6),
        "\x00" * MAX_QUERY_CHARS,
        "“" * MAX_QUERY_CHARS,
        "‘a " * (MAX_QUERY_CHARS // 3),
        "java AND " * (MAX_QUERY_CHARS // 9),
    ],
)
def test_ten_thousand_characters_parse_or_fail_cleanly(text: str) -> None:
    assert len(text) <= MAX_QUERY_CHARS
    try:
        parse(text)
    except QuerySyntaxError as error:
        assert error.position is not None


def test_longer_input_is_refused_up_front() -> None:
    with pytest.raises(QuerySyntaxError, match="limit is 10000") as info:
        parse("java " * 3000)
    assert info.value.position == MAX_QUERY_CHARS


@pytest.mark.parametrize(
    "text", ["(", ")", '"', "-", "NOT", "AND", "OR", ":", "title:", "((", "))", ")(", '"""']
)
def test_lone_operators_and_delimiters_are_syntax_errors(text: str) -> None:
    with pytest.raises(QuerySyntaxError):
        parse(text)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=300))
def test_any_text_parses_or_raises_a_syntax_error(text: str) -> None:
    try:
        tree = parse(text)
    except QuerySyntaxError as error:
        assert error.position is not None and 0 <= error.position <= len(text)
        return
    assert parse(render(tree)) == tree


_QUERYISH = st.lists(
    st.sampled_from(
        [*"abcjavXYZ019 ()\"-:'+#.&|“”‘’–—\u00a0\u200b", "AND ", "OR ", "NOT ", "title:", "foo:"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=600, suppress_health_check=[HealthCheck.too_slow])
@given(_QUERYISH)
def test_query_like_text_parses_or_raises_a_syntax_error(text: str) -> None:
    try:
        tree = parse(text)
    except QuerySyntaxError:
        return
    assert parse(render(tree)) == tree


# --- round trip: random trees -> text -> the same tree -----------------------------------------

_CHARS = "abcxyzJAVéüßø019+#.'&/"
_bare = st.text(alphabet=_CHARS, min_size=1, max_size=8)
_phrase = st.lists(
    st.text(alphabet=_CHARS + "()-:", min_size=1, max_size=6), min_size=1, max_size=4
)


@st.composite
def _terms(draw: st.DrawFn) -> Term:
    field = draw(st.none() | st.sampled_from(sorted(FIELDS)))
    if draw(st.booleans()):
        value = draw(_phrase.map(" ".join).filter(lambda v: bool(Term(v).words)))
        return Term(value, quoted=True, field=field)
    value = draw(_bare.filter(lambda v: is_bare_word(v, scoped=field is not None)))
    return Term(value, field=field)


def _depth(node: Node) -> int:
    if isinstance(node, Term):
        return 0
    if isinstance(node, Not):
        return 1 + _depth(node.child)
    return 1 + max(_depth(child) for child in node.children)


trees = st.recursive(
    _terms(),
    lambda children: st.one_of(
        st.builds(Not, children),
        st.builds(And, st.lists(children, min_size=2, max_size=4).map(tuple)),
        st.builds(Or, st.lists(children, min_size=2, max_size=4).map(tuple)),
    ),
    max_leaves=14,
).filter(lambda tree: _depth(tree) <= MAX_DEPTH // 2)


@settings(max_examples=800, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_render_then_parse_gives_the_same_tree(tree: Node) -> None:
    text = render(tree)
    assert parse(text) == tree, text


@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(trees)
def test_round_trip_survives_pasting_from_word(tree: Node) -> None:
    # Word turns quotes into smart quotes and spaces into NBSP; the tree must not change.
    text = render(tree)
    pasted, opening = [], True
    for ch in text:
        if ch == '"':
            pasted.append("“" if opening else "”")
            opening = not opening
        else:
            pasted.append("\u00a0" if ch == " " else ch)
    assert parse("".join(pasted)) == tree


# --- plain vs Boolean mode ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "plain"),
    [
        ("java developer", True),
        ("senior java developer austin", True),
        ("c++ c# node.js front-end", True),
        ("java and python", True),  # lower-case words are search words
        ("Note: java", True),
        ("front – end", True),  # a lone dash is not an operator
        ("java AND python", False),
        ("java OR python", False),
        ("NOT java", False),
        ("java -python", False),
        ('"java"', False),
        ("“java”", False),
        ("(java)", False),
        ("title:java", False),
        ("skills: java", False),
    ],
)
def test_plain_mode_is_words_only(query: str, plain: bool) -> None:
    _, tokens, _ = tokenize_query(query)
    assert is_plain(tokens) is plain


def test_render_quotes_words_that_would_read_as_syntax() -> None:
    assert render(Term("AND", quoted=True)) == '"AND"'
    assert render(Term("a:b", quoted=True)) == '"a:b"'
    assert render(Term("title:x", quoted=True)) == '"title:x"'
    assert render(Term("x", field="title")) == "title:x"
    assert render(Not(And((a, b)))) == "NOT (a AND b)"
    assert render(And((Or((a, b)), And((c, d))))) == "(a OR b) AND (c AND d)"


@pytest.mark.parametrize(
    "module_name",
    [
        "search_api.query.syntax",
        "search_api.query.normal_form",
        "search_api.query.compiler",
        "search_api.query.filters",
    ],
)
def test_docstring_examples(module_name: str) -> None:
    import doctest
    import importlib

    results = doctest.testmod(importlib.import_module(module_name))
    assert results.attempted > 0 and results.failed == 0
