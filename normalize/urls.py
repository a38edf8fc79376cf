"""Canonical LinkedIn and GitHub profile URLs, and profile URLs found in free text.

Canonical forms (ARCHITECTURE.md §5) carry no scheme, no ``www.``, no query and no trailing
slash, so that two spellings of the same profile compare equal as plain strings:
``linkedin.com/in/<slug>`` and ``github.com/<user>``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import SplitResult, unquote, urlsplit

from normalize.text import null_if_blank, unescape_entities

# --- parsing helpers ---------------------------------------------------------------------------

_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*://", re.IGNORECASE)


def _split_url(value: str) -> SplitResult | None:
    """Split a URL that may lack its scheme (``linkedin.com/in/x``, ``//linkedin.com/in/x``)."""
    value = value.strip().strip("<>\"'").strip()
    if value.startswith("//"):
        value = "https:" + value
    elif not _SCHEME.match(value):
        value = "https://" + value
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    return parts


def _path_segments(path: str) -> list[str]:
    """Non-empty path segments, still percent-encoded."""
    return [segment for segment in path.split("/") if segment]


def _decode_segment(segment: str) -> str | None:
    """Percent-decode one path segment as UTF-8; None when the bytes are not valid UTF-8."""
    try:
        decoded = unquote(segment, errors="strict")
    except UnicodeDecodeError:
        return None
    return unicodedata.normalize("NFC", decoded)


# --- LinkedIn ----------------------------------------------------------------------------------

# linkedin.com itself, www., mobile./m., and country subdomains such as uk. or de.
_LINKEDIN_HOST = re.compile(r"(?:(?:www|mobile|m|touch|[a-z]{2})\.)*linkedin\.com")

# Vanity slugs are letters, digits and hyphens (any script once percent-decoded); old custom
# URLs also used underscores. LinkedIn allows 3-100 characters; 2 is accepted for legacy
# handles. At least one letter or digit, so "--" is not a slug.
_LINKEDIN_SLUG = re.compile(r"(?=.*[^\W_])[\w-]{2,100}")

# /pub/<slug>/<a>/<b>/<c>: the pre-2015 public profile form, three short hex groups.
_PUB_GROUP = re.compile(r"[0-9a-f]{1,3}")

# Path prefix of LinkedIn Lite (linkedin.com/mwlite/in/<slug>).
_LINKEDIN_PREFIXES = frozenset({"mwlite"})


def _linkedin_slug(segment: str) -> str | None:
    decoded = _decode_segment(segment)
    if decoded is None:
        return None
    slug = decoded.lower()
    if not _LINKEDIN_SLUG.fullmatch(slug):
        return None
    return slug


def canonical_linkedin_url(value: str | None) -> str | None:
    """Canonical ``linkedin.com/in/<slug>`` of a personal profile URL, else None.

    Accepts any scheme or none, ``www.``/``mobile.``/country subdomains, upper case, queries,
    fragments, trailing paths such as ``/details/experience/`` or a locale ``/en``, and
    percent-encoded slugs (decoded, NFC, lower-cased). Company, school and job pages, the bare
    site and non-URLs give None.

    The pre-2015 form ``/pub/<slug>/<a>/<b>/<c>`` is kept as ``linkedin.com/pub/<slug>/<a>/<b>/<c>``
    (lower-cased): LinkedIn redirects it to an ``/in/`` slug that cannot be derived reliably from
    the URL, and a guessed ``/in/`` slug would make an exact-match link on a URL that does not
    exist. Kept verbatim it still matches the same old URL on the profile side.

    >>> canonical_linkedin_url("HTTPS://UK.LinkedIn.com/in/Jos%C3%A9-Garc%C3%ADa/?trk=x")
    'linkedin.com/in/josé-garcía'
    """
    value = null_if_blank(value)
    if value is None:
        return None
    parts = _split_url(value)
    if parts is None or not _LINKEDIN_HOST.fullmatch(parts.hostname or ""):
        return None
    segments = _path_segments(parts.path)
    while segments and segments[0].lower() in _LINKEDIN_PREFIXES:
        segments = segments[1:]
    if len(segments) >= 2 and segments[0].lower() == "in":
        slug = _linkedin_slug(segments[1])
        return None if slug is None else f"linkedin.com/in/{slug}"
    if len(segments) >= 5 and segments[0].lower() == "pub":
        return _canonical_pub_url(segments[1:5])
    return None


def _canonical_pub_url(segments: list[str]) -> str | None:
    slug = _linkedin_slug(segments[0])
    groups = [group.lower() for group in segments[1:]]
    # /pub/dir/<first>/<last> is a people search, not a profile.
    if slug is None or slug == "dir" or not all(_PUB_GROUP.fullmatch(group) for group in groups):
        return None
    return "linkedin.com/pub/" + "/".join([slug, *groups])


# --- GitHub ------------------------------------------------------------------------------------

_GITHUB_HOSTS = frozenset({"github.com", "www.github.com", "gist.github.com"})
_RAW_HOST = "raw.githubusercontent.com"
_PAGES_HOST = re.compile(r"([a-z0-9-]+)\.github\.io")

# GitHub user names: alphanumerics and single inner hyphens, at most 39 characters.
_GITHUB_USER = re.compile(r"[a-z0-9](?:-?[a-z0-9]){0,38}")
# Anonymous gists live at gist.github.com/<hex id>; the id is not a user.
_GIST_ID = re.compile(r"[0-9a-f]{20}|[0-9a-f]{32}")
_SSH_FORM = re.compile(r"^(?:ssh://)?git@github\.com[:/]", re.IGNORECASE)

# First path segments that are GitHub's own pages, not accounts. GitHub refuses these as
# user names, so a URL starting with one never names a person.
GITHUB_RESERVED_PATHS = frozenset(
    {
        "about", "account", "apps", "blog", "business", "codespaces", "collections", "contact",
        "copilot", "customer-stories", "dashboard", "discussions", "education", "enterprise",
        "events", "explore", "features", "git-guides", "github", "github-copilot", "home",
        "issues", "join", "login", "logout", "marketplace", "new", "nonprofit", "notifications",
        "open-source", "organizations", "orgs", "partners", "pricing", "pulls", "readme",
        "resources", "search", "security", "sessions", "settings", "signup", "site", "solutions",
        "sponsors", "stars", "team", "topics", "trending", "watching", "wiki", "mobile",
        "premium-support", "codes", "team-management", "downloads", "shop", "status", "support",
        "terms", "privacy", "developer", "gist", "api", "assets", "raw",
    }
)  # fmt: skip


def _github_user(candidate: str) -> str | None:
    user = candidate.lower().removesuffix(".git")
    if len(user) > 39 or not _GITHUB_USER.fullmatch(user) or user in GITHUB_RESERVED_PATHS:
        return None
    return user


def _is_anonymous_gist(host: str, first_segment: str) -> bool:
    return host == "gist.github.com" and _GIST_ID.fullmatch(first_segment.lower()) is not None


def canonical_github_url(value: str | None) -> str | None:
    """Canonical ``github.com/<user>`` (lower-cased) of a GitHub account URL, else None.

    Repository paths reduce to their owner (``github.com/user/repo`` → ``github.com/user``), as
    do ``gist.github.com/<user>``, ``github.com/users/<user>``, ``<user>.github.io``,
    ``raw.githubusercontent.com/<user>/…`` and ``git@github.com:<user>/<repo>.git``. GitHub's
    own pages (``/features``, ``/orgs/…``, ``/login``…) and names that break GitHub's rules
    give None.

    >>> canonical_github_url("https://www.GitHub.com/Jane-Doe/dotfiles.git")
    'github.com/jane-doe'
    """
    value = null_if_blank(value)
    if value is None:
        return None
    if _SSH_FORM.match(value):
        value = "https://github.com/" + _SSH_FORM.sub("", value)
    parts = _split_url(value)
    if parts is None:
        return None
    host = (parts.hostname or "").lower()
    segments = _path_segments(parts.path)
    pages = _PAGES_HOST.fullmatch(host)
    if pages:
        user = _github_user(pages.group(1))
    elif host == _RAW_HOST and segments:
        user = _github_user(segments[0])
    elif host not in _GITHUB_HOSTS or not segments or _is_anonymous_gist(host, segments[0]):
        return None
    elif segments[0].lower() == "users" and len(segments) >= 2:
        user = _github_user(segments[1])
    else:
        user = _github_user(segments[0])
    return None if user is None else f"github.com/{user}"


# --- other URLs --------------------------------------------------------------------------------


def canonical_other_url(value: str | None) -> str | None:
    """Lightly normalised http(s) URL: lower-case scheme and host, no fragment, no bare ``/``.

    Path and query are kept as written since they are case-sensitive on most sites.

    >>> canonical_other_url("HTTPS://Jane.Dev/Portfolio/#top")
    'https://jane.dev/Portfolio/'
    """
    value = null_if_blank(value)
    if value is None or not value.lower().startswith(("http://", "https://")):
        return None
    if any(char.isspace() for char in value):
        return None
    parts = _split_url(value)
    if parts is None or "." not in (parts.hostname or ""):
        return None
    netloc = parts.netloc.lower()
    path = "" if parts.path == "/" else parts.path
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme.lower()}://{netloc}{path}{query}"


# --- URLs in free text -------------------------------------------------------------------------

# Either any http(s) URL, or a scheme-less mention of a LinkedIn/GitHub host with a path
# ("LinkedIn: linkedin.com/in/jane-doe"). The look-behind keeps e-mail domains and longer host
# names (notgithub.com) out.
_URL_IN_TEXT = re.compile(
    r"""https?://[^\s<>"'`{}|\\^]+"""
    r"""|(?<![\w@.-])(?:[a-z0-9-]+\.)*(?:linkedin\.com|github\.com|github\.io)/[^\s<>"'`{}|\\^]*"""
    r"""|(?<![\w@.-])[a-z0-9-]+\.github\.io\b""",
    re.IGNORECASE,
)
_TRAILING_PUNCTUATION = ".,;:!?*'\"”’»"
_CLOSING_BRACKETS = {")": "(", "]": "[", "}": "{"}


def _trim_url_match(url: str) -> str:
    """Drop sentence punctuation and unbalanced closing brackets that follow a URL in prose."""
    while url and (url[-1] in _TRAILING_PUNCTUATION or _is_unbalanced_closer(url)):
        url = url[:-1]
    return url


def _is_unbalanced_closer(url: str) -> bool:
    last = url[-1]
    return last in _CLOSING_BRACKETS and url.count(_CLOSING_BRACKETS[last]) < url.count(last)


def find_profile_urls(text: str | None) -> dict[str, list[str]]:
    """Canonical LinkedIn, GitHub and other http(s) URLs mentioned in free text.

    Entities are decoded first (``linkedin.com&#47;in&#47;x``); URLs may lack a scheme when they
    are LinkedIn or GitHub ones, and trailing punctuation is ignored. Each list is deduplicated
    and in order of first appearance; non-profile LinkedIn/GitHub URLs with a scheme go to
    ``other``.

    >>> find_profile_urls("LinkedIn: linkedin.com/in/Jane-Doe. Code (https://github.com/jd/x)")
    {'linkedin': ['linkedin.com/in/jane-doe'], 'github': ['github.com/jd'], 'other': []}
    """
    found: dict[str, list[str]] = {"linkedin": [], "github": [], "other": []}
    if not text:
        return found
    for match in _URL_IN_TEXT.finditer(unescape_entities(text)):
        url = _trim_url_match(match.group(0))
        if (linkedin := canonical_linkedin_url(url)) is not None:
            key, canonical = "linkedin", linkedin
        elif (github := canonical_github_url(url)) is not None:
            key, canonical = "github", github
        elif (other := canonical_other_url(url)) is not None:
            key, canonical = "other", other
        else:
            continue
        if canonical not in found[key]:
            found[key].append(canonical)
    return found
