"""sandbox.world writes WORLD_FORMAT.md tables deterministically, with the promised noise."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import datetime, timedelta
from pathlib import Path

import docx
import polars as pl
import pypdf
import pytest

from sandbox.world import generate_world
from sandbox.world.__main__ import main as cli_main
from sandbox.world.names import NICKNAMES

SMALL = {"profiles": 2_000, "candidates": 500, "days": 10, "binary_attachment_cap": 40}
DEFAULT_END = datetime(2026, 11, 20, 18, 0, 0)
TS = pl.Datetime("us")
LIST_STR = pl.List(pl.String)

# Expected column names and dtypes, transcribed from WORLD_FORMAT.md (not from the generator).
CONTRACT: dict[str, dict[str, pl.DataType | type]] = {
    "profiles": {
        "profile_id": pl.String, "first_name": pl.String, "last_name": pl.String,
        "full_name": pl.String, "linkedin_url": pl.String, "github_url": pl.String,
        "emails": LIST_STR, "phones": LIST_STR, "city": pl.String, "state": pl.String,
        "country": pl.String, "location": pl.String, "headline": pl.String,
        "positions": pl.List, "education": pl.List, "skills": LIST_STR,
        "certifications": LIST_STR, "languages": LIST_STR, "groups": LIST_STR,
        "interests": LIST_STR, "honors": LIST_STR, "social_links": pl.List,
        "diversity": pl.Struct, "updated_at": TS,
    },
    "candidate_versions": {
        "candidate_id": pl.Int64, "version_at": TS, "first_name": pl.String,
        "last_name": pl.String, "email": pl.String, "alternate_email": pl.String,
        "address1": pl.String, "address2": pl.String, "city": pl.String, "state": pl.String,
        "zipcode": pl.String, "country": pl.String, "work_phone": pl.String,
        "work_phone_ext": pl.String, "home_phone": pl.String, "cell_phone": pl.String,
        "fax": pl.String, "linkedin": pl.String, "created_at": TS, "updated_at": TS,
        "profile_updated_at": TS, "userfield_updated_at": TS, "current_salary": pl.Float64,
        "application_type": pl.String, "is_active": pl.Boolean, "title_hint": pl.String,
        "skills_text": pl.String,
    },
    "resumes": {
        "resume_id": pl.String, "candidate_id": pl.Int64, "created_at": TS, "updated_at": TS,
        "plaintext": pl.String, "source": pl.String,
    },
    "attachments": {
        "attachment_id": pl.Int64, "candidate_id": pl.Int64, "filename": pl.String,
        "kind": pl.String, "content_type": pl.String, "content": pl.Binary, "text": pl.String,
        "uploaded_at": TS,
    },
    "users": {
        "user_id": pl.Int64, "first_name": pl.String, "last_name": pl.String, "email": pl.String,
        "created_at": TS, "updated_at": TS, "active": pl.Boolean, "division": pl.String,
        "title": pl.String, "city": pl.String, "state": pl.String, "work_phone": pl.String,
        "recruiter_flag": pl.Boolean, "sales_flag": pl.Boolean,
    },
    "jobs": {
        "job_id": pl.Int64, "jobdiva_no": pl.String, "optional_ref_no": pl.String,
        "division_id": pl.Int64, "division_name": pl.String, "company_id": pl.Int64,
        "company_name": pl.String, "contact_id": pl.Int64, "contact_first_name": pl.String,
        "contact_last_name": pl.String, "primary_recruiter_id": pl.Int64,
        "primary_sales_id": pl.Int64, "owner_id": pl.Int64, "issue_date": TS, "updated_at": TS,
        "status_updated_at": TS, "start_date": TS, "end_date": TS, "position_type": pl.String,
        "job_status": pl.String, "title": pl.String, "openings": pl.Int64, "fills": pl.Int64,
        "city": pl.String, "state": pl.String, "zipcode": pl.String, "priority": pl.String,
        "bill_rate_min": pl.Float64, "bill_rate_max": pl.Float64, "pay_rate_min": pl.Float64,
        "pay_rate_max": pl.Float64, "currency": pl.String, "description_html": pl.String,
        "skills": pl.String,
    },
    "job_users": {
        "job_id": pl.Int64, "user_id": pl.Int64, "primary_recruiter": pl.Boolean,
        "recruiter": pl.Boolean, "primary_sales": pl.Boolean, "sales": pl.Boolean,
        "date_last_assigned": TS,
    },
    "applications": {
        "candidate_id": pl.Int64, "job_id": pl.Int64, "date_applied": TS,
        "resume_id": pl.String, "resume_source": pl.String, "action": pl.String,
        "action_user_id": pl.Int64, "action_date": TS, "referrer": pl.String,
    },
    "activities": {
        "activity_id": pl.Int64, "candidate_id": pl.Int64, "job_id": pl.Int64,
        "user_id": pl.Int64, "updated_by_user_id": pl.Int64, "created_at": TS,
        "updated_at": TS, "submittal_flag": pl.Boolean, "reject_flag": pl.Boolean,
        "interview_flag": pl.Boolean, "hire_flag": pl.Boolean, "submittal_date": TS,
        "reject_date": TS, "reject_reason": pl.String, "interview_date": TS, "start_date": TS,
        "end_date": TS, "position_type": pl.String, "agreed_bill_rate": pl.Float64,
        "agreed_pay_rate": pl.Float64, "currency": pl.String,
    },
    "tombstones": {
        "candidate_id": pl.Int64, "kind": pl.String, "merged_to_candidate_id": pl.Int64,
        "at": TS, "privacy_mask": pl.Int64,
    },
    "truth": {"candidate_id": pl.Int64, "profile_id": pl.String},
    "truth_duplicates": {"candidate_id": pl.Int64, "duplicate_group": pl.Int64},
}  # fmt: skip


class World:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.meta = json.loads((root / "meta.json").read_text())
        self._frames: dict[str, pl.DataFrame] = {}

    def __getitem__(self, table: str) -> pl.DataFrame:
        if table not in self._frames:
            self._frames[table] = pl.read_parquet(self.root / f"{table}.parquet")
        return self._frames[table]

    @property
    def start(self) -> datetime:
        return datetime.fromisoformat(self.meta["history_start"])

    @property
    def end(self) -> datetime:
        return datetime.fromisoformat(self.meta["history_end"])

    def latest(self) -> pl.DataFrame:
        return (
            self["candidate_versions"]
            .sort("candidate_id", "version_at")
            .group_by("candidate_id", maintain_order=True)
            .last()
        )

    def first(self) -> pl.DataFrame:
        return (
            self["candidate_versions"]
            .sort("candidate_id", "version_at")
            .group_by("candidate_id", maintain_order=True)
            .first()
        )

    def datacopy(self) -> tuple[Path, dict]:
        name = self.meta["datacopy"]["file_sets"][0]
        folder = self.root / "datacopy" / name
        return folder, json.loads((folder / "manifest.json").read_text())


@pytest.fixture(scope="module")
def worlds(tmp_path_factory: pytest.TempPathFactory) -> dict[str, World]:
    base = tmp_path_factory.mktemp("worlds")
    out = {}
    for label, seed in (("a", 7), ("a_again", 7), ("b", 8)):
        generate_world(base / label, seed=seed, **SMALL)
        out[label] = World(base / label)
    # Few candidates over many days: most days get their change from the coverage rule.
    sparse = {"profiles": 200, "candidates": 30, "days": 20, "binary_attachment_cap": 2}
    generate_world(base / "sparse", seed=11, **sparse)
    out["sparse"] = World(base / "sparse")
    return out


@pytest.fixture(scope="module")
def world(worlds: dict[str, World]) -> World:
    return worlds["a"]


@pytest.fixture(scope="module")
def matched_first_versions(world: World) -> pl.DataFrame:
    """First ATS version of each matched candidate next to its true profile."""
    profiles = world["profiles"].select(
        "profile_id",
        pl.col("first_name").alias("p_first"),
        pl.col("last_name").alias("p_last"),
        pl.col("full_name").alias("p_full"),
        pl.col("city").alias("p_city"),
        pl.col("linkedin_url").alias("p_linkedin"),
    )
    return world.first().join(world["truth"], on="candidate_id").join(profiles, on="profile_id")


def test_every_table_has_the_contract_columns_and_dtypes(world: World) -> None:
    for table, expected in CONTRACT.items():
        frame = world[table]
        assert list(frame.columns) == list(expected), table
        for column, dtype in expected.items():
            actual = frame.schema[column]
            if isinstance(dtype, type):
                assert isinstance(actual, dtype), (table, column, actual)
            else:
                assert actual == dtype, (table, column, actual)
    positions = world["profiles"].schema["positions"].inner
    assert [f.name for f in positions.fields] == [
        "company", "title", "start", "end", "industry", "company_size",
    ]  # fmt: skip
    assert positions.fields[2].dtype == pl.Date
    education = world["profiles"].schema["education"].inner
    assert [f.name for f in education.fields] == ["school", "degree", "major", "start", "end"]
    diversity = world["profiles"].schema["diversity"]
    assert [f.name for f in diversity.fields] == ["gender", "ethnicity", "veteran", "disability"]


def test_meta_describes_the_world(world: World) -> None:
    meta = world.meta
    assert meta["seed"] == 7 and meta["days"] == 10
    assert world.end == DEFAULT_END
    assert world.start == DEFAULT_END - timedelta(days=10)
    assert set(meta["tenant"]) == {"client_id", "env_number", "udf_names"}
    assert "Application Type" in meta["tenant"]["udf_names"]
    assert meta["generator_version"]
    for table in CONTRACT:
        assert meta["counts"][table] == world[table].height, table
    assert meta["counts"]["profiles"] == SMALL["profiles"]
    assert world["candidate_versions"]["candidate_id"].n_unique() == SMALL["candidates"]


def test_same_seed_gives_identical_tables_and_files(worlds: dict[str, World]) -> None:
    a, again = worlds["a"], worlds["a_again"]
    for table in CONTRACT:
        assert a[table].equals(again[table]), table
    for path in sorted((a.root / "datacopy").rglob("*")):
        if path.is_file():
            twin = again.root / path.relative_to(a.root)
            assert path.read_bytes() == twin.read_bytes(), path.name


def test_another_seed_gives_another_world(worlds: dict[str, World]) -> None:
    a, b = worlds["a"], worlds["b"]
    assert not a["profiles"].equals(b["profiles"])
    assert not a["candidate_versions"].equals(b["candidate_versions"])
    urls_a = set(a["profiles"]["linkedin_url"].drop_nulls())
    urls_b = set(b["profiles"]["linkedin_url"].drop_nulls())
    # Vanity slugs ("john-smith") may recur; most URLs carry seed-dependent tokens.
    assert len(urls_a & urls_b) < 0.2 * len(urls_a)


def test_match_share_and_truth_ids_exist(world: World) -> None:
    truth = world["truth"]
    candidates = world["candidate_versions"]["candidate_id"].unique()
    share = truth.height / candidates.len()
    assert 0.65 <= share <= 0.75
    assert truth["candidate_id"].is_in(candidates.implode()).all()
    assert truth["profile_id"].is_in(world["profiles"]["profile_id"].implode()).all()
    assert truth["candidate_id"].is_unique().all()
    # A profile maps to several candidates only when they are ATS duplicates of one person.
    shared = truth.filter(pl.col("profile_id").is_duplicated())
    groups = shared.join(world["truth_duplicates"], on="candidate_id", how="left")
    assert groups["duplicate_group"].null_count() == 0
    assert (
        groups.group_by("profile_id")
        .agg(pl.col("duplicate_group").n_unique())["duplicate_group"]
        .max()
        == 1
    )


def test_ats_duplicates_are_grouped_and_share_their_profile(world: World) -> None:
    dups = world["truth_duplicates"]
    assert dups.height >= 4
    sizes = dups.group_by("duplicate_group").len()
    assert sizes["len"].min() >= 2
    assert dups["candidate_id"].is_in(world["candidate_versions"]["candidate_id"].implode()).all()
    with_truth = dups.join(world["truth"], on="candidate_id", how="left")
    per_group = with_truth.group_by("duplicate_group").agg(
        pl.col("profile_id").null_count().alias("missing"),
        pl.col("profile_id").n_unique().alias("profiles"),
        pl.len().alias("size"),
    )
    # Either every member maps to the same profile, or none has a profile.
    consistent = per_group.filter(
        ((pl.col("missing") == 0) & (pl.col("profiles") == 1))
        | (pl.col("missing") == pl.col("size"))
    )
    assert consistent.height == per_group.height
    assert per_group.filter(pl.col("missing") == 0).height >= 1


def test_candidate_ids_and_resume_ids_look_like_jobdiva(world: World) -> None:
    ids = world["candidate_versions"]["candidate_id"].unique()
    assert ids.min() >= 10**13 and ids.max() < 10**14
    resumes = world["resumes"]
    pattern = r"^\d{14}_\d+_\d+$"
    assert resumes["resume_id"].str.contains(pattern).all()
    assert (
        resumes["resume_id"].str.split("_").list.first().cast(pl.Int64) == resumes["candidate_id"]
    ).all()
    assert resumes["resume_id"].is_unique().all()


def test_noise_between_ats_and_truth(matched_first_versions: pl.DataFrame) -> None:
    m = matched_first_versions
    n = m.height
    linkedin_share = m["linkedin"].is_not_null().sum() / n
    assert 0.25 <= linkedin_share <= 0.55
    exact_names = m.filter(
        (pl.col("first_name") == pl.col("p_first")) & (pl.col("last_name") == pl.col("p_last"))
    )
    assert 0.4 * n < exact_names.height < 0.95 * n
    swapped = m.filter(
        (pl.col("first_name") == pl.col("p_last")) & (pl.col("last_name") == pl.col("p_first"))
    )
    assert swapped.height >= 1
    nicknames = [
        r for r in m.select("first_name", "p_first").iter_rows()
        if r[0] in NICKNAMES.get(r[1], ()) or r[1] in NICKNAMES.get(r[0], ())
    ]  # fmt: skip
    assert len(nicknames) >= 3
    surname_only = m.filter(
        (pl.col("first_name") == pl.col("p_first")) & (pl.col("last_name") != pl.col("p_last"))
    )
    assert surname_only.height >= 5  # maiden/married names, typos, folded accents
    moved = m.filter(pl.col("city").is_not_null() & (pl.col("city") != pl.col("p_city")))
    assert 0.05 * n < moved.height < 0.4 * n
    slug = r"linkedin\.com/(?:in|pub)/([^/?]+)"
    with_url = m.filter(pl.col("linkedin").is_not_null() & pl.col("p_linkedin").is_not_null())
    stale = with_url.filter(
        pl.col("linkedin").str.to_lowercase().str.extract(slug)
        != pl.col("p_linkedin").str.to_lowercase().str.extract(slug)
    )
    assert 1 <= stale.height < with_url.height / 2


def test_contact_fields_come_in_many_formats(world: World) -> None:
    versions = world["candidate_versions"]
    phones = pl.concat(
        [versions["cell_phone"], versions["home_phone"], versions["work_phone"]]
    ).drop_nulls()
    styles = {
        "parens": r"^\(\d{3}\) \d{3}-\d{4}",
        "dots": r"^\d{3}\.\d{3}\.\d{4}",
        "plus_one_spaced": r"^\+1 \d{3} \d{3} \d{4}",
        "digits": r"^\d{10}$",
        "extension": r"(?i)(x|ext\.?|ext=)\s?\d+$",
    }
    for name, pattern in styles.items():
        assert phones.str.contains(pattern).sum() > 0, name
    emails = versions["email"].drop_nulls().str.split("@").list.last()
    assert emails.is_in(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com"]).sum() > 0
    assert (
        ~emails.is_in(["gmail.com", "yahoo.com", "hotmail.com", "outlook.com", "icloud.com"])
    ).sum() > 0
    assert versions["email"].null_count() > 0


def test_urls_are_spelled_in_many_ways(world: World) -> None:
    urls = pl.concat(
        [world["profiles"]["linkedin_url"], world["candidate_versions"]["linkedin"]]
    ).drop_nulls()
    variants = {
        "https_www": r"^https://www\.linkedin\.com/in/",
        "http": r"^http://",
        "no_scheme": r"^(www\.)?linkedin\.com",
        "bare_host": r"//linkedin\.com/",
        "country_host": r"//[a-z]{2}\.linkedin\.com/",
        "trailing_slash": r"/$",
        "query": r"\?(trk|utm|original)",
        "upper_case": r"/in/.*[A-Z]",
        "pub_path": r"/pub/",
    }
    for name, pattern in variants.items():
        assert urls.str.contains(pattern).sum() > 0, name
    github = world["profiles"]["github_url"].drop_nulls()
    assert github.str.contains(r"github\.com/").all() and github.len() > 50


def test_profile_corpus_is_rich(world: World) -> None:
    profiles = world["profiles"]
    names = pl.concat([profiles["first_name"], profiles["last_name"]])
    assert names.str.contains(r"[À-ÿĀ-ž]").sum() > 20  # diacritics
    assert profiles["last_name"].str.contains("-").sum() > 5  # hyphenated surnames
    assert profiles["last_name"].str.contains(r"^(van|de|von|del|de la) ").sum() > 0
    skills = profiles["skills"].explode()
    for skill in ("C++", "C#", ".NET", "Node.js"):
        assert (skills == skill).sum() > 0, skill
    sizes = profiles["positions"].explode().struct.field("company_size").unique()
    assert {"1-10", "11-50", "10001+"} <= set(sizes.to_list())
    assert profiles["country"].n_unique() > 3
    # Look-alikes: different people sharing a name and a city.
    same = profiles.group_by("first_name", "last_name", "city").len().filter(pl.col("len") > 1)
    assert same.height >= 3
    # Many people share an employer.
    employers = profiles["positions"].list.first().struct.field("company").value_counts(sort=True)
    assert employers["count"][0] >= profiles.height * 0.02
    assert profiles["diversity"].null_count() > 0.8 * profiles.height
    assert profiles["diversity"].is_not_null().sum() > 0
    for column in (
        "education",
        "certifications",
        "languages",
        "groups",
        "interests",
        "honors",
        "social_links",
    ):
        assert profiles[column].list.len().sum() > 0, column


@pytest.mark.parametrize("label", ["a", "sparse"])
def test_every_day_of_history_has_a_change(worlds: dict[str, World], label: str) -> None:
    world = worlds[label]
    versions = world["candidate_versions"]
    tombstones = world["tombstones"]
    changes = pl.concat([versions["version_at"], tombstones["at"]])
    day = world.start
    while day < world.end:
        upper = min(day + timedelta(days=1), world.end)
        inside = (
            changes.filter((changes >= day) & (changes < upper))
            if upper < world.end
            else changes.filter(changes >= day)
        )
        assert inside.len() > 0, f"no change between {day} and {upper}"
        day += timedelta(days=1)
    calendar = {d.date() for d in changes.filter(changes >= world.start)}
    current = world.start.date()
    while current <= world.end.date():
        assert current in calendar, current
        current += timedelta(days=1)


def test_versions_follow_the_simulator_rules(world: World) -> None:
    versions = world["candidate_versions"]
    assert (versions["updated_at"] == versions["version_at"]).all()
    first = world.first()
    assert (first["version_at"] == first["created_at"]).all()
    assert (
        versions.group_by("candidate_id").agg(pl.col("created_at").n_unique())["created_at"].max()
        == 1
    )
    assert versions.select(pl.struct("candidate_id", "version_at").is_unique().all()).item()
    lower = world.start - timedelta(days=5 * 365)
    for table in CONTRACT:
        frame = world[table]
        for column, dtype in frame.schema.items():
            if dtype == TS:
                values = frame[column].drop_nulls()
                assert values.min() >= lower, (table, column)
                assert values.max() <= world.end, (table, column)
    snapshot_share = (first["created_at"] < world.start).mean()
    assert 0.8 <= snapshot_share <= 0.95
    later = versions.filter(pl.col("version_at") > pl.col("created_at"))
    assert later.filter(pl.col("version_at") >= world.start).height > 10
    # No version after a deletion or a merge.
    gone = world["tombstones"].filter(pl.col("kind").is_in(["deleted", "merged"]))
    after = versions.join(gone, on="candidate_id").filter(pl.col("version_at") >= pl.col("at"))
    assert after.height == 0


def test_tombstones_of_each_kind_and_merges_point_to_live_survivors(world: World) -> None:
    tombstones = world["tombstones"]
    assert set(tombstones["kind"]) == {"deleted", "merged", "redacted"}
    assert tombstones["at"].min() >= world.start and tombstones["at"].max() <= world.end
    merged = tombstones.filter(pl.col("kind") == "merged")
    assert merged["merged_to_candidate_id"].null_count() == 0
    assert tombstones.filter(pl.col("kind") != "merged")["merged_to_candidate_id"].null_count() == (
        tombstones.height - merged.height
    )
    redacted = tombstones.filter(pl.col("kind") == "redacted")
    assert redacted["privacy_mask"].null_count() == 0 and (redacted["privacy_mask"] > 0).all()
    gone = tombstones.filter(pl.col("kind").is_in(["deleted", "merged"]))["candidate_id"]
    survivors = merged["merged_to_candidate_id"]
    assert not survivors.is_in(gone.implode()).any()
    created = world.first().select("candidate_id", "created_at")
    check = merged.join(created, left_on="merged_to_candidate_id", right_on="candidate_id")
    assert check.height == merged.height and (check["created_at"] < check["at"]).all()
    # Merged records are ATS duplicates of their survivor.
    groups = world["truth_duplicates"]
    pairs = merged.join(groups, on="candidate_id").join(
        groups.rename(
            {"candidate_id": "merged_to_candidate_id", "duplicate_group": "survivor_group"}
        ),
        on="merged_to_candidate_id",
    )
    assert pairs.height == merged.height
    assert (pairs["duplicate_group"] == pairs["survivor_group"]).all()


def test_ats_rows_exist_only_while_their_candidate_does(world: World) -> None:
    created = world.first().select("candidate_id", "created_at")
    gone = (
        world["tombstones"]
        .filter(pl.col("kind").is_in(["deleted", "merged"]))
        .select("candidate_id", pl.col("at").alias("gone_at"))
    )
    apps = (
        world["applications"]
        .join(created, on="candidate_id")
        .join(gone, on="candidate_id", how="left")
    )
    assert apps.height == world["applications"].height > 100
    assert (apps["date_applied"] >= apps["created_at"]).all()
    assert (
        apps.filter(
            pl.col("gone_at").is_not_null() & (pl.col("date_applied") >= pl.col("gone_at"))
        ).height
        == 0
    )
    jobs = world["jobs"].select("job_id", "issue_date")
    assert (
        apps.join(jobs, on="job_id")
        .select((pl.col("date_applied") >= pl.col("issue_date")).all())
        .item()
    )
    resumes = world["resumes"].select("resume_id", pl.col("created_at").alias("resume_at"))
    with_resume = apps.filter(pl.col("resume_id").is_not_null()).join(resumes, on="resume_id")
    assert with_resume.height == apps["resume_id"].is_not_null().sum()
    assert (with_resume["resume_at"] <= with_resume["date_applied"]).all()
    assert set(apps["action"].drop_nulls()) == {"Submitted", "Rejected"}
    assert apps.filter(pl.col("date_applied") >= world.start).height > 0
    acts = world["activities"].join(created, on="candidate_id")
    assert acts.height == world["activities"].height > 50
    assert (acts["created_at"] >= acts["created_at_right"]).all()
    assert acts["hire_flag"].any() and acts["interview_flag"].any() and acts["reject_flag"].any()
    assert acts.filter(pl.col("updated_at") >= world.start).height > 0
    assert set(world["jobs"]["job_status"]) <= {"OPEN", "ON HOLD", "CLOSED", "FILLED", "CANCELLED"}
    # Recruiters exist before the requisitions and assignments that name them.
    joined = world["users"].select("user_id", pl.col("created_at").alias("joined"))
    for column in ("primary_recruiter_id", "primary_sales_id", "owner_id"):
        staffed = world["jobs"].join(joined, left_on=column, right_on="user_id")
        assert staffed.height == world["jobs"].height, column
        assert (staffed["joined"] <= staffed["issue_date"]).all(), column
    assigned = world["job_users"].join(joined, on="user_id")
    assert (assigned["joined"] <= assigned["date_last_assigned"]).all()
    assert world["jobs"]["jobdiva_no"].str.contains(r"^\d{2}-\d{5}$").all()


def test_active_and_application_types(world: World) -> None:
    latest = world.latest()
    inactive = (~latest["is_active"]).mean()
    assert 0.1 <= inactive <= 0.3
    assert set(latest["application_type"]) == {"Candidate", "Prospect"}


def test_resume_plaintext_is_entity_encoded_and_mentions_urls(world: World) -> None:
    text = world["resumes"]["plaintext"]
    assert text.str.contains("&amp;").sum() > 0
    assert text.str.contains("<br>").sum() > 0
    assert text.str.contains(r" & ").sum() == 0
    assert text.str.contains(r"linkedin\.com/(in|pub)/").sum() > 0
    assert text.str.contains(r"github\.com/").sum() > 0


def _normalized(text: str) -> str:
    return " ".join(text.split())


def test_attachments_are_real_files_whose_text_is_extractable(world: World) -> None:
    attachments = world["attachments"]
    assert set(attachments["kind"]) == {"resume", "cover_letter", "certificate"}
    kinds = attachments["content_type"].value_counts()
    assert kinds.height == 3
    checked = {"pdf": 0, "docx": 0, "txt": 0}
    for content, content_type, text in attachments.select(
        "content", "content_type", "text"
    ).iter_rows():
        if content_type == "application/pdf":
            assert content.startswith(b"%PDF")
            reader = pypdf.PdfReader(io.BytesIO(content))
            extracted = "\n".join(page.extract_text() for page in reader.pages)
            assert _normalized(extracted) == _normalized(text)
            checked["pdf"] += 1
        elif content_type.endswith("wordprocessingml.document"):
            document = docx.Document(io.BytesIO(content))
            assert "\n".join(p.text for p in document.paragraphs) == text
            checked["docx"] += 1
        else:
            assert content.decode("utf-8").rstrip("\n") == text
            checked["txt"] += 1
    assert min(checked.values()) > 0, checked


def _records(path: Path, encoding: str) -> tuple[list[str], list[list[str]]]:
    rows = list(csv.reader(io.StringIO(path.read_bytes().decode(encoding), newline="")))
    return rows[0], rows[1:]


def test_datacopy_has_the_promised_dirt(world: World) -> None:
    folder, manifest = world.datacopy()
    dirt = {(d["kind"], d["file"]): d for d in manifest["dirt"]}
    raw = (folder / "candidates.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and ("utf8_bom", "candidates.csv") in dirt
    header, records = _records(folder / "candidates.csv", "utf-8-sig")
    assert header[0] == "CANDIDATEID" and "DATEUPDATED" in header
    assert dirt[("extra_column", "candidates.csv")]["column"] in header
    assert any("\n" in field for record in records for field in record)
    ragged = dirt[("ragged_row", "candidates.csv")]
    bad = [r for r in records if len(r) != len(header)]
    assert [int(r[0]) for r in bad] == [ragged["candidate_id"]]
    assert len(bad[0]) == ragged["actual_fields"]
    ids = [int(r[0]) for r in records]
    duplicated = {i for i in ids if ids.count(i) > 1}
    promised = {d["candidate_id"] for d in manifest["dirt"] if d["kind"] == "duplicate_id"}
    assert duplicated == promised and len(promised) >= 1
    assert set(ids) == set(manifest["candidate_ids"])
    assert re.fullmatch(
        r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}", records[0][header.index("DATEUPDATED")]
    )

    resumes_raw = (folder / "resumes.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        resumes_raw.decode("utf-8")
    cp = dirt[("windows_1252", "resumes.csv")]
    assert cp["example"] and cp["example"] in resumes_raw.decode("cp1252")
    assert cp["example"].encode("utf-8") not in resumes_raw
    _, resume_records = _records(folder / "resumes.csv", "cp1252")
    assert [r[0] for r in resume_records] == manifest["resume_ids"]

    header, attachment_records = _records(folder / "attachments.csv", "utf-8")
    ragged = dirt[("ragged_row", "attachments.csv")]
    short = [r for r in attachment_records if len(r) != len(header)]
    assert [int(r[0]) for r in short] == [ragged["attachment_id"]]
    assert [int(r[0]) for r in attachment_records] == manifest["attachment_ids"]


def test_datacopy_holds_the_inactive_candidates_at_the_cutoff(world: World) -> None:
    _, manifest = world.datacopy()
    cutoff = datetime.fromisoformat(manifest["cutoff"])
    state = (
        world["candidate_versions"].filter(pl.col("version_at") <= cutoff)
        .sort("candidate_id", "version_at").group_by("candidate_id", maintain_order=True).last()
    )  # fmt: skip
    gone = world["tombstones"].filter(
        (pl.col("at") <= cutoff) & pl.col("kind").is_in(["deleted", "merged"])
    )
    expected = state.filter(
        ~pl.col("is_active") & ~pl.col("candidate_id").is_in(gone["candidate_id"].implode())
    )
    assert sorted(expected["candidate_id"].to_list()) == manifest["candidate_ids"]
    assert len(manifest["candidate_ids"]) > 20


def test_cli_replaces_a_world_and_refuses_foreign_directories(tmp_path: Path) -> None:
    args = [
        "--profiles",
        "300",
        "--candidates",
        "60",
        "--days",
        "3",
        "--binary-attachments",
        "4",
        "--quiet",
    ]
    out = tmp_path / "world"
    assert cli_main(["--out", str(out), "--seed", "1", *args]) == 0
    first = pl.read_parquet(out / "candidate_versions.parquet")
    assert cli_main(["--out", str(out), "--seed", "2", *args]) == 0
    second = pl.read_parquet(out / "candidate_versions.parquet")
    assert not first.equals(second)
    assert json.loads((out / "meta.json").read_text())["seed"] == 2
    assert [p.name for p in tmp_path.iterdir()] == ["world"]  # no temp directories left behind
    foreign = tmp_path / "not-a-world"
    foreign.mkdir()
    (foreign / "notes.txt").write_text("keep me")
    with pytest.raises(FileExistsError):
        cli_main(["--out", str(foreign), "--seed", "1", *args])
    assert (foreign / "notes.txt").read_text() == "keep me"


def test_a_shorter_lookback_keeps_every_timestamp_after_earliest(tmp_path: Path) -> None:
    summary = generate_world(
        tmp_path / "short", profiles=300, candidates=120, days=5, seed=3, lookback_days=60
    )
    meta = json.loads((summary.out_dir / "meta.json").read_text())
    earliest = datetime.fromisoformat(meta["earliest"])
    assert earliest == summary.history_start - timedelta(days=60)
    versions = pl.read_parquet(summary.out_dir / "candidate_versions.parquet")
    assert versions["created_at"].min() >= earliest
    assert versions["version_at"].min() >= earliest
