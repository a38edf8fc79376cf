"""The recruiter page (search_api/static) in headless Chromium over a real index.

The real pipeline builds a small index from a sandbox world; the search API serves it and the
page on 127.0.0.1; Debian's chromium, driven by playwright, types a Boolean query, applies a
status and a recruiter filter, opens a profile, clicks an insight bar, downloads the export and
prints to PDF, at 1280×800 and on a narrow window. Every request the browser makes is recorded:
none may leave 127.0.0.1. Screenshots go to .data/screenshots/.
"""

from __future__ import annotations

import io
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from resources.meilisearch import SEARCH_KEY_NAME
from search_api.app import create_app
from search_api.config import ApiConfig
from search_api.keys import add_key
from search_index.publisher import MeiliPublisher
from tests import browser
from tests.api_server import serving
from tests.browser import DESKTOP, NARROW, SCREENSHOTS, check_value, screenshot, sign_in
from tests.pipeline_world import PipelineWorld, build_pipeline_world

pytestmark = [
    pytest.mark.heavy,
    pytest.mark.skipif(browser.missing() is not None, reason=str(browser.missing())),
]

# A planted candidate whose values try to run script in the page (they must show as text).
HOSTILE = '<img src=x onerror="window.__xss=1"><script>window.__xss=2</script>'
PLANTED_ID = "990000000001"
PLANTED_WORD = "Zyxwvut"
PLANTED_STATUS = "<b>Hot</b>"


def plant_hostile_candidate(world: PipelineWorld) -> None:
    updated = datetime(2026, 1, 5, tzinfo=UTC)
    document = {
        "candidate_id": PLANTED_ID,
        "name": f"{PLANTED_WORD} {HOSTILE} Quagga",
        "first_name": PLANTED_WORD,
        "last_name": "Quagga",
        "status": PLANTED_STATUS,
        "application_type": "Candidate",
        "is_active": True,
        "is_matched": False,
        "location": f"{HOSTILE}, TX",
        "linkedin_url": "javascript:window.__xss=3",
        "updated_at": updated.isoformat(),
        "updated_at_ts": int(updated.timestamp()),
        "skills": [f"{PLANTED_WORD}{HOSTILE}"],
        "resume_skills": [f"{PLANTED_WORD}{HOSTILE}"],
        "resume_text": f"Summary {PLANTED_WORD} {HOSTILE} engineer",
        "applications": [
            {
                "job_id": "1",
                "job_title": HOSTILE,
                "status": "Applied",
                "updated_at": updated.isoformat(),
                "recruiter_id": "1",
                "recruiter_name": HOSTILE,
            }
        ],
        "job_ids": ["1"],
        "recruiter_names": [HOSTILE],
    }
    client = world.client()
    task = client.index(world.index_uid).add_documents([document])
    client.wait_for_task(task.task_uid, timeout_in_ms=60_000)
    assert client.get_task(task.task_uid).status == "succeeded"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, service_env) -> Iterator[PipelineWorld]:
    root = tmp_path_factory.mktemp("recruiter_page")
    uid = f"test_page_{int(time.time() * 1000)}"
    setup = build_pipeline_world(root, service_env, uid, seed=6, candidates=600)
    plant_hostile_candidate(setup)
    yield setup
    client = setup.client()
    for index in client.get_raw_indexes({"limit": 1000})["results"]:
        if index["uid"].startswith(uid):
            client.delete_index(index["uid"])


@dataclass
class Site:
    """The served API: its base URL, a key, and a client for the expected answers."""

    base_url: str
    key: str
    client: httpx.Client

    def search(self, **body: Any) -> dict:
        response = self.client.post("/search", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def insights(self, **body: Any) -> dict:
        response = self.client.post("/insights", json=body)
        assert response.status_code == 200, response.text
        return response.json()

    def candidate(self, candidate_id: str) -> dict:
        response = self.client.get(f"/candidates/{candidate_id}")
        assert response.status_code == 200, response.text
        return response.json()


@pytest.fixture(scope="module")
def site(world: PipelineWorld, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    keys_file = tmp_path_factory.mktemp("keys") / "api_keys.json"
    key = add_key(keys_file, "browser-tests")
    search_key = MeiliPublisher(world.client()).search_key(world.index_uid, SEARCH_KEY_NAME)
    config = ApiConfig(
        meili_url=world.meili.meili_url,
        meili_search_key=search_key,
        index_uid=world.index_uid,
        keys_file=keys_file,
    )
    with (
        serving(create_app(config)) as base_url,
        httpx.Client(
            base_url=base_url, headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client,
    ):
        yield Site(base_url, key, client)


@pytest.fixture(scope="module")
def chromium() -> Iterator[Any]:
    with browser.chromium() as instance:
        yield instance


@pytest.fixture(scope="module")
def expect() -> Any:
    from playwright.sync_api import expect

    expect.set_options(timeout=20_000)
    return expect


def settle(page: Any, expect: Any) -> None:
    """Wait until no search or insights request of the page is in flight."""
    expect(page.locator("body.busy")).to_have_count(0)


def assert_stayed_local(session: browser.Session) -> None:
    assert session.requests, "no request was recorded"
    assert not session.off_machine(), session.off_machine()
    assert any(url.endswith("/static/app.js") for url in session.requests)
    assert not session.page_errors, session.page_errors


# --- what the journey searches for (chosen from the index, answers from the API) ---------------


@dataclass(frozen=True)
class Journey:
    q: str
    status: str
    recruiter: str
    candidate_id: str


def plan_journey(site: Site) -> Journey:
    """A Boolean query, a status and a recruiter whose results show a candidate with a linked
    profile on the first page (20 hits, the page's default order)."""
    everyone = site.search(facets=["status", "skills"], per_page=1)["facets"]
    common = max(everyone["skills"], key=lambda skill: everyone["skills"][skill])
    statuses = sorted(everyone["status"], key=lambda value: -everyone["status"][value])
    for status in [value for value in statuses if "<" not in value]:
        facets = site.search(filters={"status": [status]}, facets=["recruiter_names"], per_page=1)
        recruiters = facets["facets"].get("recruiter_names", {})
        for recruiter in sorted(recruiters, key=lambda name: -recruiters[name]):
            filters = {"status": [status], "recruiter_names": [recruiter]}
            for hit in site.search(filters=filters, per_page=100)["hits"]:
                if not hit["is_matched"]:
                    continue
                profile = site.candidate(hit["candidate_id"])
                skills = [*(profile["profile"] or {}).get("skills", []), *profile["resume_skills"]]
                for skill in skills:
                    if skill == common or not re.fullmatch(r"[A-Za-z][A-Za-z ]{1,30}", skill):
                        continue
                    q = f'"{skill}" OR "{common}"'
                    first_page = site.search(q=q, filters=filters, per_page=20)["hits"]
                    if hit["candidate_id"] in {h["candidate_id"] for h in first_page}:
                        return Journey(q, status, recruiter, hit["candidate_id"])
    raise AssertionError("the world has no status/recruiter/skill combination to search for")


# --- the acceptance journey at 1280×800 --------------------------------------------------------


def test_search_filter_profile_insights_export_and_print(
    site: Site, chromium: Any, expect: Any, tmp_path: Path
) -> None:
    journey = plan_journey(site)
    status_only = {"status": [journey.status]}
    both = {"status": [journey.status], "recruiter_names": [journey.recruiter]}

    with browser.session(chromium, DESKTOP) as session:
        page = session.page
        sign_in(page, site.base_url, site.key)

        # An unfinished Boolean query: the error is shown inline, at its position.
        broken = f"{journey.q} AND ("
        error = site.client.post("/search", json={"q": broken}).json()["error"]
        page.fill("#q", broken)
        page.press("#q", "Enter")
        expect(page.locator("#q-error")).to_be_visible()
        expect(page.locator("#q-error")).to_contain_text("Query error")
        expect(page.locator("#q")).to_have_attribute("aria-invalid", "true")
        expect(page.locator("#q-error .query-echo")).to_have_attribute(
            "aria-label", f"at character {error['position'] + 1}"
        )

        # The Boolean query: the same total as the API, highlights, and the plan on demand.
        page.fill("#q", journey.q)
        page.press("#q", "Enter")
        settle(page, expect)
        expect(page.locator("#q-error")).to_be_hidden()
        expected = site.search(q=journey.q)
        expect(page.locator("#total")).to_have_attribute("data-total", str(expected["total"]))
        assert page.locator(".hit mark").count() > 0
        page.click("#plan-toggle")
        expect(page.locator("#plan")).to_contain_text("Boolean")
        expect(page.locator("#plan .plan-subs > li")).to_have_count(
            len(expected["plan"]["sub_queries"])
        )
        page.click("#plan-toggle")
        expect(page.locator("#plan")).to_be_hidden()

        # A status filter; the other statuses keep their counts (several values mean OR).
        check_value(page, "status", journey.status)
        settle(page, expect)
        expected = site.search(q=journey.q, filters=status_only)
        expect(page.locator("#total")).to_have_attribute("data-total", str(expected["total"]))
        statuses = site.search(q=journey.q, facets=["status"], per_page=1)["facets"]["status"]
        expect(page.locator("#group-status input[type=checkbox]")).to_have_count(len(statuses))
        screenshot(page, "search")

        # And a recruiter filter.
        check_value(page, "recruiter_names", journey.recruiter)
        settle(page, expect)
        expected = site.search(q=journey.q, filters=both)
        expect(page.locator("#total")).to_have_attribute("data-total", str(expected["total"]))
        chips = page.locator("#active-filters")
        expect(chips).to_contain_text(f"Status: {journey.status}")
        expect(chips).to_contain_text(f"Recruiter: {journey.recruiter}")
        for hit in page.locator(".hit").all()[:3]:
            expect(hit.get_by_role("link", name=re.compile("in JobDiva"))).to_have_attribute(
                "href", re.compile(r"candidateid=\d+$")
            )

        # The profile: ATS data beside the enriched profile, with the match evidence.
        profile = site.candidate(journey.candidate_id)
        hit = next(h for h in expected["hits"] if h["candidate_id"] == journey.candidate_id)
        opener = page.locator(f'.hit[data-candidate-id="{journey.candidate_id}"] .hit-name')
        opener.click()
        article = page.locator("#profile")
        expect(article.locator(".profile-columns")).to_be_visible()
        explanation = profile["profile"]["link"]["explanation"]
        expect(article.locator(".match-explanation")).to_have_text(
            explanation[0].upper() + explanation[1:]
        )
        applications = article.locator(".applications > li")
        expect(applications).to_have_count(len(profile["ats"]["applications"]))
        expect(article.locator(".applications")).to_contain_text(journey.recruiter)
        for application in profile["ats"]["applications"]:
            expect(article.locator(".applications")).to_contain_text(f"({application['job_id']})")
        expect(article.locator(".ats-col .facts")).to_contain_text(journey.status)
        for phone in profile["ats"]["phones"]:
            expect(article.locator(".ats-col")).to_contain_text(phone)
        assert (
            article.locator(".profile-head a", has_text="View in JobDiva").get_attribute("href")
            == profile["ats"]["view_in_jobdiva"]
        )
        if profile["ats"]["attachments"]:
            expect(article.locator(".attachments > li")).to_have_count(
                len(profile["ats"]["attachments"])
            )
        for field in ("attachment_text", "resume_text"):
            if field in hit["highlights"]:
                expect(article.locator(f".snippet-{field} mark").first).to_be_visible()
        screenshot(page, "profile", full_page=True)
        page.keyboard.press("Escape")  # back to the list, focus back on the candidate
        expect(article).to_be_hidden()
        expect(opener).to_be_focused()

        # Insights over the whole result set (recruiter filter removed: a wider set).
        page.get_by_role("button", name=f"Remove filter Recruiter: {journey.recruiter}").click()
        settle(page, expect)
        page.click("#tab-insights")
        settle(page, expect)
        insights = site.insights(q=journey.q, filters=status_only)
        expect(page.locator("#insights-total")).to_have_attribute(
            "data-total", str(insights["total"])
        )
        page.locator(".chart-card .bar.clickable").first.hover()  # top left: the first chart
        expect(page.locator("#chart-tooltip")).to_be_visible()
        screenshot(page, "insights")
        skills = next(d for d in insights["dimensions"] if d["key"] == "skills")
        bar = page.locator('.chart-card[data-dimension="skills"] .bar.clickable').first
        assert bar.get_attribute("data-value") == skills["values"][0]["value"]
        bar.hover()
        tooltip = page.locator("#chart-tooltip")
        expect(tooltip).to_be_visible()
        count = skills["values"][0]["count"]
        expect(tooltip).to_contain_text(f"{count:,} candidate")

        # Clicking the bar adds the filter; charts and results follow.
        skill = skills["values"][0]["value"]
        bar.click()
        settle(page, expect)
        expect(page.locator("#active-filters")).to_contain_text(f"Skills: {skill}")
        with_skill = {**status_only, "skills": [skill]}
        insights = site.insights(q=journey.q, filters=with_skill)
        expect(page.locator("#insights-total")).to_have_attribute(
            "data-total", str(insights["total"])
        )
        assert 0 < insights["total"] <= count

        # Export: the workbook of the same search (a sheet per non-empty dimension).
        with page.expect_download() as download_info:
            page.click("#export-insights")
        download = download_info.value
        assert download.suggested_filename.endswith(".xlsx")
        workbook_path = tmp_path / "insights.xlsx"
        download.save_as(workbook_path)
        workbook = load_workbook(io.BytesIO(workbook_path.read_bytes()))
        full = site.insights(q=journey.q, filters=with_skill)
        non_empty = [d for d in full["dimensions"] if d["values"]]
        assert len(workbook.sheetnames) == 1 + len(non_empty)
        summary = " ".join(
            str(cell) for row in workbook.worksheets[0].iter_rows(values_only=True) for cell in row
        )
        assert journey.q in summary

        # Print: the button opens the print dialog; the print layout puts the charts on pages.
        page.evaluate("() => { window.__printed = 0; window.print = () => window.__printed++; }")
        page.click("#print-insights")
        assert page.evaluate("window.__printed") == 1
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        pdf_path = SCREENSHOTS / "insights.pdf"
        page.pdf(path=str(pdf_path), prefer_css_page_size=True, print_background=True)
        pdf = PdfReader(str(pdf_path))
        text = "\n".join(p.extract_text() for p in pdf.pages)
        assert len(pdf.pages) >= 2, len(pdf.pages)
        assert "Insights" in text and journey.q in text and "Skills" in text
        assert "Export" not in text and "Clear all" not in text  # controls are not printed

        assert_stayed_local(session)


# --- narrow window, keyboard only --------------------------------------------------------------


def test_a_narrow_window_works_from_the_keyboard(site: Site, chromium: Any, expect: Any) -> None:
    with browser.session(chromium, NARROW) as session:
        page = session.page
        sign_in(page, site.base_url, site.key)
        no_overflow = "document.documentElement.scrollWidth <= window.innerWidth"
        toggle = page.locator("#filters-toggle")
        expect(page.locator("#filters")).to_be_hidden()  # collapsed on a narrow window
        expect(toggle).to_have_attribute("aria-expanded", "false")
        assert page.evaluate(no_overflow)

        skills = site.search(facets=["skills"], per_page=1)["facets"]["skills"]
        q = " OR ".join(f'"{skill}"' for skill in sorted(skills, key=lambda s: -skills[s])[:2])
        page.keyboard.press("/")
        expect(page.locator("#q")).to_be_focused()
        page.keyboard.type(q)
        page.keyboard.press("Enter")
        settle(page, expect)
        total = site.search(q=q)["total"]
        expect(page.locator("#total")).to_have_attribute("data-total", str(total))
        assert page.evaluate(no_overflow)
        screenshot(page, "search-narrow")

        # The filter panel opens and closes from the keyboard.
        toggle.focus()
        page.keyboard.press("Enter")
        expect(page.locator("#filters")).to_be_visible()
        expect(toggle).to_have_attribute("aria-expanded", "true")
        page.locator("#filters-done").focus()
        page.keyboard.press("Enter")
        expect(page.locator("#filters")).to_be_hidden()

        # A profile from the keyboard: the two columns stack; Escape goes back.
        name = page.locator(".hit-name").first
        name.focus()
        page.keyboard.press("Enter")
        columns = page.locator("#profile .profile-columns")
        expect(columns).to_be_visible()
        ats = page.locator("#profile .ats-col").bounding_box()
        enriched = page.locator("#profile .profile-col").bounding_box()
        assert ats and enriched and enriched["y"] >= ats["y"] + ats["height"] - 1
        assert page.evaluate(no_overflow)
        page.keyboard.press("Escape")
        expect(name).to_be_focused()

        # Tabs with the arrow keys; an insight bar with Enter adds its filter.
        page.locator("#tab-results").focus()
        page.keyboard.press("ArrowRight")
        expect(page.locator("#tab-insights")).to_be_focused()
        expect(page.locator("#tab-insights")).to_have_attribute("aria-selected", "true")
        settle(page, expect)
        bar = page.locator('.chart-card[data-dimension="years_of_experience"] .bar.clickable')
        bucket = bar.first.get_attribute("data-value")
        bar.first.focus()
        expect(page.locator("#chart-tooltip")).to_be_visible()
        page.keyboard.press("Enter")
        settle(page, expect)
        expect(page.locator("#active-filters")).to_contain_text("Years of experience")
        low, _, high = bucket.partition("-")
        years = {"min": float(low.rstrip("+"))}
        if high:
            years["max"] = float(high) - 0.01
        insights = site.insights(q=q, filters={"years_of_experience": years})
        expect(page.locator("#insights-total")).to_have_attribute(
            "data-total", str(insights["total"])
        )
        by_key = {d["key"]: d for d in insights["dimensions"]}
        counted = sum(v["count"] for v in by_key["years_of_experience"]["values"])
        assert counted == insights["total"]  # exactly the bucket that was clicked
        assert page.evaluate(no_overflow)

        assert_stayed_local(session)


# --- hostile values are text -------------------------------------------------------------------


def test_values_from_the_index_are_shown_as_text(site: Site, chromium: Any, expect: Any) -> None:
    with browser.session(chromium, DESKTOP) as session:
        page = session.page
        sign_in(page, site.base_url, site.key)
        page.fill("#q", PLANTED_WORD)
        page.press("#q", "Enter")
        settle(page, expect)
        expect(page.locator("#total")).to_have_attribute("data-total", "1")
        hit = page.locator(f'.hit[data-candidate-id="{PLANTED_ID}"]')
        expect(hit.locator(".hit-name mark")).to_have_text(PLANTED_WORD)  # the highlight stays
        expect(hit.locator(".hit-name")).to_contain_text("<script>window.__xss=2</script>")
        assert hit.locator("img, script, b").count() == 0
        status_group = page.locator("#group-status")
        expect(status_group).to_contain_text(PLANTED_STATUS)
        assert status_group.locator("b").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0

        hit.locator(".hit-name").click()
        article = page.locator("#profile")
        expect(article.locator(".profile-columns")).to_be_visible()
        expect(article.locator("#profile-name")).to_contain_text(HOSTILE)
        expect(article.locator(".applications")).to_contain_text(HOSTILE)
        expect(article.locator(".snippet-resume_text mark")).to_have_text(PLANTED_WORD)
        expect(article.locator(".no-profile")).to_be_visible()
        assert article.locator("img, script").count() == 0
        assert page.locator("a[href^='javascript']").count() == 0

        page.click("#tab-insights")
        settle(page, expect)
        chart = page.locator('.chart-card[data-dimension="skills"] svg')
        expect(chart.locator("title").first).to_contain_text("<script>")
        assert chart.locator("script, img, foreignObject").count() == 0

        assert page.evaluate("window.__xss") is None

        # The sanitiser itself: only a bare <mark> / </mark> survives, nothing else.
        cases = {
            "<mark>Java</mark> & <b>x</b>": "<mark>Java</mark> &#38; &#60;b&#62;x&#60;/b&#62;",
            '<mark onclick="x()">a</mark>': "&#60;mark onclick=&#34;x()&#34;&#62;a</mark>",
            "<MARK>a</MARK><script>": "&#60;MARK&#62;a&#60;/MARK&#62;&#60;script&#62;",
        }
        marked = page.evaluate(
            "async (texts) => { const app = await import('/static/app.js');"
            " return texts.map((text) => app.markedHtml(text)); }",
            list(cases),
        )
        assert marked == list(cases.values())
        safe = page.evaluate(
            "async (urls) => { const app = await import('/static/app.js');"
            " return urls.map((url) => app.safeUrl(url)); }",
            ["javascript:alert(1)", "linkedin.com/in/x", "data:text/html,x", "http://a.b/"],
        )
        assert safe == [None, "https://linkedin.com/in/x", None, "http://a.b/"]
        assert_stayed_local(session)


# --- the API key -------------------------------------------------------------------------------


def test_the_key_is_asked_once_and_kept_in_session_storage(
    site: Site, chromium: Any, expect: Any
) -> None:
    stored = "sessionStorage.getItem('rediscovery.apiKey')"
    with browser.session(chromium, DESKTOP) as session:
        page = session.page
        page.goto(site.base_url + "/")
        dialog = page.locator("#key-dialog")
        expect(dialog).to_be_visible()
        page.keyboard.press("Escape")  # no key yet: the dialog stays
        expect(dialog).to_be_visible()

        page.fill("#api-key", "rdk_not-a-key")
        page.click("#key-submit")
        expect(page.locator("#key-error")).to_contain_text("not accepted")
        expect(dialog).to_be_visible()
        assert page.evaluate(stored) is None

        page.fill("#api-key", site.key)
        page.click("#key-submit")
        expect(page.locator("#total")).to_be_visible()
        assert page.evaluate(stored) == site.key
        assert page.evaluate("localStorage.length") == 0
        assert page.evaluate("document.cookie") == ""

        page.reload()  # the same tab: no question
        expect(page.locator("#total")).to_be_visible()
        expect(dialog).to_be_hidden()

        page.click("#forget-key")
        expect(dialog).to_be_visible()
        assert page.evaluate(stored) is None
        assert_stayed_local(session)

    with browser.session(chromium, DESKTOP) as other:  # another session: asked again
        other.page.goto(site.base_url + "/")
        expect(other.page.locator("#key-dialog")).to_be_visible()
        assert other.page.evaluate(stored) is None
