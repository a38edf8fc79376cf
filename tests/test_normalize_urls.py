"""LinkedIn/GitHub URLs reduce to one canonical form, non-profiles to None; text scans find them."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from normalize.urls import (
    GITHUB_RESERVED_PATHS,
    canonical_github_url,
    canonical_linkedin_url,
    canonical_other_url,
    find_profile_urls,
)

JANE = "linkedin.com/in/jane-doe"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("linkedin.com/in/jane-doe", JANE),
        ("www.linkedin.com/in/jane-doe", JANE),
        ("http://linkedin.com/in/jane-doe", JANE),
        ("https://www.linkedin.com/in/jane-doe/", JANE),
        ("HTTPS://WWW.LINKEDIN.COM/IN/JANE-DOE", JANE),
        ("https://www.linkedin.com/in/Jane-Doe", JANE),
        ("http://uk.linkedin.com/in/jane-doe", JANE),
        ("https://de.linkedin.com/in/jane-doe/", JANE),
        ("https://ca.linkedin.com/in/jane-doe?originalSubdomain=ca", JANE),
        ("https://mobile.linkedin.com/in/jane-doe", JANE),
        ("https://www.linkedin.com/in/jane-doe?trk=public_profile_browsemap", JANE),
        ("https://www.linkedin.com/in/jane-doe/#experience", JANE),
        ("https://www.linkedin.com/in/jane-doe/en", JANE),
        ("https://www.linkedin.com/in/jane-doe/?locale=en_US", JANE),
        ("https://www.linkedin.com/in/jane-doe/details/experience/", JANE),
        ("https://www.linkedin.com/mwlite/in/jane-doe", JANE),
        ("//www.linkedin.com/in/jane-doe", JANE),
        ("  <https://www.linkedin.com/in/jane-doe>  ", JANE),
        ("https://www.linkedin.com/in/jane-doe-4a7b19b2", "linkedin.com/in/jane-doe-4a7b19b2"),
        ("https://www.linkedin.com/in/jos%C3%A9-garc%C3%ADa", "linkedin.com/in/josé-garcía"),
        ("https://www.linkedin.com/in/JOS%C3%89-GARC%C3%8DA/", "linkedin.com/in/josé-garcía"),
        ("https://www.linkedin.com/in/josé-garcía", "linkedin.com/in/josé-garcía"),
        ("https://www.linkedin.com/in/jane_doe", "linkedin.com/in/jane_doe"),
        # The old public-profile form is kept (lower-cased), not mapped to a guessed /in/ slug.
        ("http://www.linkedin.com/pub/jane-doe/12/3a4/567", "linkedin.com/pub/jane-doe/12/3a4/567"),
        ("https://uk.linkedin.com/pub/Jane-Doe/1/2B/A30/", "linkedin.com/pub/jane-doe/1/2b/a30"),
        # Not personal profiles, or not LinkedIn at all.
        ("https://www.linkedin.com/pub/dir/Jane/Doe", None),
        ("https://www.linkedin.com/pub/jane-doe/12/3g4/567", None),
        ("https://www.linkedin.com/company/acme-corp/", None),
        ("https://www.linkedin.com/school/mit/", None),
        ("https://www.linkedin.com/jobs/view/3712345678/", None),
        ("https://www.linkedin.com/feed/", None),
        ("https://www.linkedin.com/profile/view?id=12345", None),
        ("linkedin.com", None),
        ("https://www.linkedin.com/", None),
        ("https://www.linkedin.com/in/", None),
        ("https://www.linkedin.com/in/%E0%A4", None),
        ("https://www.linkedin.com/in/jane-doe%0A", None),
        ("https://www.linkedin.com/in/--", None),
        ("https://notlinkedin.com/in/jane-doe", None),
        ("https://linkedin.com.evil.example/in/jane-doe", None),
        ("ftp://linkedin.com/in/jane-doe", None),
        ("https://www.linkedin.com:abc/in/jane-doe", None),
        ("jane-doe", None),
        ("garbage text", None),
        ("Null", None),
        ("NULL", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
)
def test_canonical_linkedin_url(raw: str | None, expected: str | None) -> None:
    assert canonical_linkedin_url(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("https://github.com/JaneDoe", "github.com/janedoe"),
        ("github.com/janedoe", "github.com/janedoe"),
        ("http://www.github.com/janedoe/", "github.com/janedoe"),
        ("https://github.com/janedoe/dotfiles", "github.com/janedoe"),
        ("https://github.com/janedoe/dotfiles.git", "github.com/janedoe"),
        ("https://github.com/janedoe.git", "github.com/janedoe"),
        ("git@github.com:JaneDoe/dotfiles.git", "github.com/janedoe"),
        ("https://github.com/janedoe?tab=repositories", "github.com/janedoe"),
        ("https://gist.github.com/janedoe", "github.com/janedoe"),
        ("https://gist.github.com/janedoe/4f2a9c0d1e", "github.com/janedoe"),
        ("https://github.com/users/janedoe/projects/1", "github.com/janedoe"),
        ("https://janedoe.github.io/blog/", "github.com/janedoe"),
        ("https://raw.githubusercontent.com/JaneDoe/repo/main/README.md", "github.com/janedoe"),
        ("https://github.com/jane-doe-42", "github.com/jane-doe-42"),
        ("https://github.com/" + "a" * 39, "github.com/" + "a" * 39),
        # Rejected: GitHub's own pages, anonymous gists and names GitHub does not allow.
        ("https://github.com/orgs/acme/people", None),
        ("https://github.com/features/actions", None),
        ("https://github.com/about", None),
        ("https://github.com/login?return_to=%2Fjanedoe", None),
        ("https://github.com/settings/profile", None),
        ("https://github.com/topics/python", None),
        ("https://github.com/marketplace", None),
        ("https://github.com/sponsors/janedoe", None),
        ("https://gist.github.com/0123456789abcdef0123456789abcdef", None),
        ("https://github.com/-jane", None),
        ("https://github.com/jane-", None),
        ("https://github.com/jane--doe", None),
        ("https://github.com/jane_doe", None),
        ("https://github.com/jane.doe", None),
        ("https://github.com/" + "a" * 40, None),
        ("https://github.com/" + "a-" * 19 + "aa", None),
        ("https://github.com", None),
        ("https://gitlab.com/janedoe", None),
        ("https://notgithub.com/janedoe", None),
        ("Null", None),
        ("", None),
        (None, None),
    ],
)
def test_canonical_github_url(raw: str | None, expected: str | None) -> None:
    assert canonical_github_url(raw) == expected


@pytest.mark.parametrize("reserved", ["features", "orgs", "login", "settings", "topics", "about"])
def test_reserved_paths_are_listed(reserved: str) -> None:
    assert reserved in GITHUB_RESERVED_PATHS


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("HTTPS://Jane.Dev/Portfolio/#top", "https://jane.dev/Portfolio/"),
        ("http://example.org/", "http://example.org"),
        ("https://example.org/a?b=C", "https://example.org/a?b=C"),
        ("example.org", None),
        ("https://localhost/x", None),
        ("mailto:jane@example.org", None),
    ],
)
def test_canonical_other_url(raw: str, expected: str | None) -> None:
    assert canonical_other_url(raw) == expected


def test_find_profile_urls_in_resume_text() -> None:
    text = (
        "Jane Doe | LinkedIn: linkedin.com/in/Jane-Doe | GitHub (https://github.com/janedoe).\n"
        "Profile again: https://www.linkedin.com/in/jane-doe/, portfolio https://jane.dev/work,\n"
        "employer https://www.linkedin.com/company/acme. Mail jane@github.com; "
        "code at github.com/JaneDoe/dotfiles, and github.com/other-dev."
    )
    assert find_profile_urls(text) == {
        "linkedin": [JANE],
        "github": ["github.com/janedoe", "github.com/other-dev"],
        "other": ["https://jane.dev/work", "https://www.linkedin.com/company/acme"],
    }


@pytest.mark.parametrize(
    ("text", "linkedin"),
    [
        ("linkedin.com&#47;in&#47;jane-doe", [JANE]),
        ("https:&#x2F;&#x2F;www.linkedin.com&#x2F;in&#x2F;jane-doe", [JANE]),
        ("see (https://www.linkedin.com/in/jane-doe)", [JANE]),
        ("see https://www.linkedin.com/in/jane-doe.", [JANE]),
        (
            "https://www.linkedin.com/in/jane-doe, https://uk.linkedin.com/in/ann-lee;",
            [JANE, "linkedin.com/in/ann-lee"],
        ),
        ("&lt;a href=&quot;https://www.linkedin.com/in/jane-doe&quot;&gt;me&lt;/a&gt;", [JANE]),
        ("notlinkedin.com/in/jane-doe", []),
        ("jane@linkedin.com", []),
        ("", []),
    ],
)
def test_find_profile_urls_linkedin_spellings(text: str, linkedin: list[str]) -> None:
    assert find_profile_urls(text)["linkedin"] == linkedin


def test_find_profile_urls_empty() -> None:
    assert find_profile_urls(None) == {"linkedin": [], "github": [], "other": []}


# --- properties --------------------------------------------------------------------------------

SLUG_LETTERS = "abcdefghijklmnopqrstuvwxyz0123456789éüñçø"
slugs = st.builds(
    "-".join,
    st.lists(st.text(SLUG_LETTERS, min_size=2, max_size=10), min_size=1, max_size=4),
)
github_users = st.from_regex(r"[a-z0-9]{1,10}(-[a-z0-9]{1,8}){0,2}", fullmatch=True).filter(
    lambda user: user not in GITHUB_RESERVED_PATHS
)
schemes = st.sampled_from(["", "http://", "https://", "//", "HTTPS://"])
linkedin_hosts = st.sampled_from(
    [
        "linkedin.com",
        "www.linkedin.com",
        "uk.linkedin.com",
        "de.linkedin.com",
        "mobile.linkedin.com",
    ]
)
linkedin_tails = st.sampled_from(
    [
        "",
        "/",
        "/en",
        "/details/experience/",
        "?trk=public_profile",
        "/?originalSubdomain=uk",
        "#about",
        "/?locale=en_US",
    ]
)


@settings(max_examples=150, deadline=None)
@given(slugs, schemes, linkedin_hosts, linkedin_tails, st.booleans(), st.booleans())
def test_linkedin_spelling_variants_share_one_canonical_form(
    slug: str, scheme: str, host: str, tail: str, upper: bool, percent_encode: bool
) -> None:
    path_slug = quote(slug) if percent_encode else slug
    url = f"{scheme}{host}/in/{path_slug}{tail}"
    canonical = canonical_linkedin_url(url.upper() if upper else url)
    assert canonical == f"linkedin.com/in/{slug}"
    assert canonical_linkedin_url(canonical) == canonical


@settings(max_examples=100, deadline=None)
@given(
    github_users,
    schemes,
    st.sampled_from(["github.com", "www.github.com"]),
    st.sampled_from(["", "/", "/repo", "/repo.git", "/repo/tree/main", "?tab=stars", ".git"]),
    st.booleans(),
)
def test_github_spelling_variants_share_one_canonical_form(
    user: str, scheme: str, host: str, tail: str, upper: bool
) -> None:
    url = f"{scheme}{host}/{user}{tail}"
    canonical = canonical_github_url(url.upper() if upper else url)
    assert canonical == f"github.com/{user}"
    assert canonical_github_url(canonical) == canonical


@settings(max_examples=200, deadline=None)
@given(st.one_of(st.text(max_size=60), slugs.map(lambda s: f"linkedin.com/in/{s}/x?q=1")))
def test_canonical_urls_are_idempotent_on_any_input(value: str) -> None:
    for canonicalise in (canonical_linkedin_url, canonical_github_url, canonical_other_url):
        canonical = canonicalise(value)
        if canonical is not None:
            assert canonicalise(canonical) == canonical
