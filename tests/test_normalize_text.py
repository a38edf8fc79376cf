"""JobDiva null spellings become None and HTML or entity-encoded text becomes clean plain text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.text import clean_html_text, normalize_whitespace, null_if_blank, unescape_entities


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        ("   ", None),
        ("\t\n", None),
        ("Null", None),
        ("NULL", None),
        ("null", None),
        (" Null ", None),
        ("Nullable", "Nullable"),
        ("0", "0"),
        ("  Austin ", "Austin"),
        ("N/A", "N/A"),
    ],
)
def test_null_if_blank(raw: str | None, expected: str | None) -> None:
    assert null_if_blank(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("R&amp;D", "R&D"),
        ("R&amp;amp;D", "R&D"),
        ("R&amp;amp;amp;D", "R&D"),
        ("linkedin.com&#47;in&#47;x", "linkedin.com/in/x"),
        ("Caf&eacute; &#233; &#xE9;", "Café é é"),
        ("AT&T and 5 < 6", "AT&T and 5 < 6"),
    ],
)
def test_unescape_entities(raw: str, expected: str) -> None:
    assert unescape_entities(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("<p>Hello</p><p>World</p>", "Hello\n\nWorld"),
        ("Line one<br>Line two<br/>Line three<BR />end", "Line one\nLine two\nLine three\nend"),
        ("<ul><li>Python</li><li>SQL</li></ul>", "Python\nSQL"),
        ("<div>Skills:<ul><li>Go</li></ul></div>", "Skills:\n\nGo"),
        ("<p>Keep</p><script>var x = '<p>no</p>';</script><style>p {color: red}</style>", "Keep"),
        ("<b>Bold</b> and <a href='x'>link</a>", "Bold and link"),
        ("&lt;p&gt;Escaped &amp;amp; markup&lt;/p&gt;", "Escaped & markup"),
        ("Senior&nbsp;&nbsp;Engineer", "Senior Engineer"),
        ("Plain\r\n\r\n\r\n\r\ntext   with   spaces\n", "Plain\n\ntext with spaces"),
        ("Cafe\u0301", "Café"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<p>  </p><br>", None),
        ("Null", None),
        ("", None),
        (None, None),
    ],
)
def test_clean_html_text(raw: str | None, expected: str | None) -> None:
    assert clean_html_text(raw) == expected


def test_clean_html_text_job_description() -> None:
    description = (
        "&lt;h2&gt;Data Engineer&lt;/h2&gt;&lt;p&gt;Build &amp;amp; run pipelines.&lt;/p&gt;"
        "&lt;ul&gt;&lt;li&gt;Python&lt;/li&gt;&lt;li&gt;Spark &amp;amp; Delta&lt;/li&gt;&lt;/ul&gt;"
    )
    assert clean_html_text(description) == (
        "Data Engineer\n\nBuild & run pipelines.\n\nPython\nSpark & Delta"
    )


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_normalize_whitespace_is_idempotent(value: str) -> None:
    once = normalize_whitespace(value)
    assert normalize_whitespace(once) == once
    assert "\n\n\n" not in once
    assert once == once.strip()
