"""The staffing firm's side of the ATS: recruiters, job requisitions, applications, submittals."""

from __future__ import annotations

import html
from datetime import datetime, timedelta

import numpy as np
import polars as pl

from sandbox.world import careers
from sandbox.world.common import distinct_in_ranges, random_instants, to_us
from sandbox.world.config import WorldConfig
from sandbox.world.names import email_part
from sandbox.world.people import generate_people, us_phone_numbers
from sandbox.world.spellings import phone_spellings
from sandbox.world.vocab import career_tables, location_table

FIRM_DOMAIN = "northbridgestaffing.com"
DIVISIONS = (
    (101, "IT Staffing"),
    (102, "Healthcare "),
    (103, "Finance & Accounting"),
    (104, "Engineering"),
    (105, "Professional Services "),
)
# Division of each track (index into DIVISIONS); trailing spaces are a known JobDiva quirk.
TRACK_DIVISION = {
    "software": 0,
    "data": 0,
    "devops": 0,
    "qa": 0,
    "it_support": 0,
    "security": 0,
    "project": 4,
    "business": 4,
    "healthcare": 1,
    "finance": 2,
    "sales": 4,
    "hr_admin": 4,
    "engineering": 3,
    "logistics": 3,
}
USER_TITLES = (
    "Recruiter",
    "Senior Recruiter",
    "Technical Recruiter",
    "Account Manager",
    "Delivery Manager",
    "Sourcing Specialist",
    "Recruiting Manager",
    "Business Development Manager",
)
POSITION_TYPES = ("Contract", "Contract to Hire", "Direct Placement", "Temporary")
POSITION_TYPE_WEIGHTS = (0.45, 0.2, 0.25, 0.1)
REJECT_REASONS = (
    "Not a fit - skills",
    "Rate too high",
    "Candidate withdrew",
    "Client rejected",
    "Position filled",
    "No response from candidate",
    "Failed background check",
)
RESUME_SOURCES = ("Candidate", "Website", "Indeed", "Dice", "LinkedIn", "Referral", "Monster")
HOURS = 3600


def build_users(rng: np.random.Generator, config: WorldConfig) -> pl.DataFrame:
    count = int(np.clip(round(config.candidates / 400), 8, 250))
    start, end = to_us(config.history_start), to_us(config.history_end)
    earliest = to_us(config.earliest)
    people = generate_people(rng, count, np.datetime64(config.history_end.date()))
    # The firm grows: users join over the years; the first two (a recruiter and a seller)
    # exist from the start so every requisition can be staffed.
    joined = earliest + (rng.random(count) ** 1.5 * (end - earliest).astype(np.int64)).astype(
        np.int64
    ).astype("timedelta64[us]")
    created = random_instants(rng, joined, np.minimum(joined + np.timedelta64(1, "D"), end))
    created[:2] = random_instants(
        rng, np.full(2, earliest), np.full(2, earliest + np.timedelta64(3, "D"))
    )
    touched = random_instants(rng, np.maximum(created, start), np.full(count, end))
    updated = np.where(rng.random(count) < 0.3, touched, created)
    title_idx = rng.integers(0, len(USER_TITLES), count)
    titles = np.array(USER_TITLES)[title_idx]
    sales = np.isin(titles, ("Account Manager", "Business Development Manager", "Delivery Manager"))
    recruiter = ~sales | (rng.random(count) < 0.2)
    recruiter[0], sales[1 % count] = True, True
    loc = location_table()
    offices = rng.choice(loc.us_count, count, p=loc.us_weights)
    first = people["first_ascii"].to_list()
    last = people["last_ascii"].to_list()
    emails = [
        f"{email_part(f)}.{email_part(last_name)}@{FIRM_DOMAIN}"
        for f, last_name in zip(first, last, strict=True)
    ]
    phones = phone_spellings(
        rng, pl.Series(["+1"] * count), pl.Series(us_phone_numbers(rng, offices).astype(str))
    )
    return pl.DataFrame(
        {
            "user_id": 1_040_000 + np.cumsum(rng.integers(1, 500, count)),
            "first_name": first,
            "last_name": last,
            "email": emails,
            "created_at": created,
            "updated_at": np.maximum(updated, created),
            "active": rng.random(count) >= 0.1,
            "division": [DIVISIONS[i][1] for i in rng.integers(0, len(DIVISIONS), count)],
            "title": titles,
            "city": loc.city.take(offices).to_pylist(),
            "state": loc.state.take(offices).to_pylist(),
            "work_phone": phones,
            "recruiter_flag": recruiter,
            "sales_flag": sales,
        }
    )


def build_jobs(
    rng: np.random.Generator, config: WorldConfig, users: pl.DataFrame
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Requisitions (current state) and their user assignments."""
    count = int(np.clip(round(config.candidates / 15), 20, 20_000))
    start, end = to_us(config.history_start), to_us(config.history_end)
    earliest = to_us(config.earliest) + np.timedelta64(10, "D")
    span = (end - earliest).astype(np.int64)
    anchor = earliest + (np.sqrt(rng.random(count)) * span).astype(np.int64).astype(
        "timedelta64[us]"
    )
    issue = np.sort(random_instants(rng, anchor, np.minimum(anchor + np.timedelta64(1, "D"), end)))
    ct = career_tables()
    track = rng.choice(len(careers.TRACKS), count, p=ct.track_weights)
    level = rng.integers(1, 4, count)
    title_idx = ct.title_start[track, level] + (
        rng.random(count) * ct.title_size[track, level]
    ).astype(int)
    titles = ct.title.take(title_idx).to_pylist()
    client_pool = np.array(
        [i for i, c in enumerate(careers.COMPANIES) if c.sector in careers.CLIENT_SECTORS]
    )
    client = client_pool[np.minimum((rng.pareto(1.2, count) * 8).astype(int), len(client_pool) - 1)]
    status = _job_statuses(rng, issue, end)
    updated = random_instants(rng, issue, np.minimum(issue + np.timedelta64(120, "D"), end))
    refreshed = (rng.random(count) < 0.25) & (issue < start)
    updated = np.where(
        refreshed, random_instants(rng, np.full(count, start), np.full(count, end)), updated
    )
    status_updated = random_instants(rng, issue, updated)
    position = np.array(POSITION_TYPES)[
        rng.choice(len(POSITION_TYPES), count, p=POSITION_TYPE_WEIGHTS)
    ]
    start_date = (
        (issue + np.timedelta64(1, "D") * rng.integers(14, 60, count))
        .astype("datetime64[D]")
        .astype("datetime64[us]")
    )
    end_date = start_date + np.timedelta64(1, "D") * rng.integers(90, 365, count)
    openings = rng.choice([1, 1, 1, 2, 2, 3, 5], count)
    fills = np.where(status == "FILLED", openings, np.minimum(openings, rng.integers(0, 2, count)))
    loc = location_table()
    place = rng.choice(loc.us_count, count, p=loc.us_weights)
    pay_min = np.round(18 + level * 14 + rng.random(count) * 25, 0)
    pay_max = pay_min + np.round(5 + rng.random(count) * 20, 0)
    markup = 1.3 + rng.random(count) * 0.3
    contacts = generate_people(rng, count, np.datetime64(config.history_end.date()))
    recruiters = users.filter(pl.col("recruiter_flag")).sort("created_at")
    sellers = users.filter(pl.col("sales_flag")).sort("created_at")
    primary_recruiter = _staff_existing_at(rng, recruiters, issue)
    primary_sales = _staff_existing_at(rng, sellers, issue)
    owner = np.where(rng.random(count) < 0.7, primary_sales, primary_recruiter)
    skills = _job_skills(rng, track)
    division = [DIVISIONS[TRACK_DIVISION[careers.TRACKS[t].key]] for t in track.tolist()]
    jobdiva_no = _jobdiva_numbers(issue)
    cities = loc.city.take(place).to_pylist()
    states = loc.state.take(place).to_pylist()
    companies = ct.company.take(client).to_pylist()
    industries = ct.company_industry.take(client).to_pylist()
    descriptions = [
        _description(t, c, s, ind, sk, int(y))
        for t, c, s, ind, sk, y in zip(
            titles, cities, states, industries, skills, rng.integers(2, 9, count), strict=True
        )
    ]
    has_ref = rng.random(count) < 0.4
    jobs = pl.DataFrame(
        {
            "job_id": 21_000_000 + np.cumsum(rng.integers(1, 400, count)),
            "jobdiva_no": jobdiva_no,
            "optional_ref_no": [
                f"REQ-{n}" if h else None
                for n, h in zip(rng.integers(10000, 99999, count).tolist(), has_ref, strict=True)
            ],
            "division_id": [d[0] for d in division],
            "division_name": [d[1] for d in division],
            "company_id": 5_000 + client * 7,
            "company_name": companies,
            "contact_id": 800_000 + np.arange(count) * 3 + rng.integers(0, 3, count),
            "contact_first_name": contacts["first_ascii"],
            "contact_last_name": contacts["last_ascii"],
            "primary_recruiter_id": primary_recruiter,
            "primary_sales_id": primary_sales,
            "owner_id": owner,
            "issue_date": issue,
            "updated_at": np.maximum(updated, issue),
            "status_updated_at": status_updated,
            "start_date": np.where(start_date <= end, start_date, np.datetime64("NaT")),
            "end_date": np.where(
                (end_date <= end) & (position != "Direct Placement"), end_date, np.datetime64("NaT")
            ),
            "position_type": position,
            "job_status": status,
            "title": titles,
            "openings": openings.astype(np.int64),
            "fills": fills.astype(np.int64),
            "city": cities,
            "state": states,
            "zipcode": [
                f"{int(loc.zip_base[p]) + k:05d}"
                for p, k in zip(place.tolist(), rng.integers(0, 40, count).tolist(), strict=True)
            ],
            "priority": np.array(["A", "B", "C"])[rng.choice(3, count, p=[0.25, 0.5, 0.25])],
            "bill_rate_min": np.round(pay_min * markup, 2),
            "bill_rate_max": np.round(pay_max * markup, 2),
            "pay_rate_min": pay_min,
            "pay_rate_max": pay_max,
            "currency": ["USD"] * count,
            "description_html": descriptions,
            "skills": skills,
        }
    )
    jobs = jobs.with_columns(pl.col("start_date", "end_date").cast(pl.Datetime("us")))
    return jobs, _job_users(rng, jobs, recruiters)


def _job_statuses(rng: np.random.Generator, issue: np.ndarray, end: np.datetime64) -> np.ndarray:
    """Recent requisitions are mostly open; older ones mostly closed or filled."""
    count = len(issue)
    recent = (end - issue) < np.timedelta64(60, "D")
    young = np.array(["OPEN", "ON HOLD", "FILLED", "CANCELLED"])
    old = np.array(["CLOSED", "FILLED", "CANCELLED", "OPEN", "ON HOLD"])
    return np.where(
        recent,
        young[rng.choice(len(young), count, p=[0.7, 0.15, 0.1, 0.05])],
        old[rng.choice(len(old), count, p=[0.4, 0.35, 0.15, 0.07, 0.03])],
    )


def _job_skills(rng: np.random.Generator, track: np.ndarray) -> list[str]:
    """Up to six of the track's skills, comma-separated as in JobDiva's SKILLS field."""
    ct = career_tables()
    flat, offsets = distinct_in_ranges(
        rng, ct.skill_start[track], ct.skill_size[track], np.full(len(track), 6)
    )
    values = ct.skill.take(flat).to_pylist()
    return [", ".join(values[offsets[i] : offsets[i + 1]]) for i in range(len(track))]


def _jobdiva_numbers(issue: np.ndarray) -> list[str]:
    """ "YY-NNNNN": the issue year and a per-year sequence (issue times are sorted)."""
    per_year: dict[int, int] = {}
    numbers = []
    for year in (issue.astype("datetime64[Y]").astype(int) + 1970).tolist():
        per_year[year] = per_year.get(year, 0) + 1
        numbers.append(f"{year % 100:02d}-{per_year[year]:05d}")
    return numbers


def _staff_existing_at(
    rng: np.random.Generator, staff: pl.DataFrame, moments: np.ndarray
) -> np.ndarray:
    """For each moment, a random user (of `staff`, sorted by creation) who existed then."""
    created = staff["created_at"].to_numpy()
    available = np.maximum(np.searchsorted(created, moments, side="right"), 1)
    return staff["user_id"].to_numpy()[(rng.random(len(moments)) * available).astype(np.int64)]


def _description(title: str, city: str, state: str, industry: str, skills: str, years: int) -> str:
    """Job description HTML as JobDiva stores it (markup plus entity-encoded text)."""
    items = "".join(f"<li>{html.escape(s)}</li>" for s in skills.split(", "))
    return (
        f"<p>Our client, a leading {html.escape(industry.lower())} organization, is seeking a "
        f"<b>{html.escape(title)}</b> in {html.escape(city)}, {state}.</p>"
        f"<h3>Requirements</h3><ul><li>{years}+ years of relevant experience</li>{items}</ul>"
        "<p>Competitive pay &amp; benefits. Equal Opportunity Employer.</p>"
    )


def _job_users(
    rng: np.random.Generator, jobs: pl.DataFrame, recruiters: pl.DataFrame
) -> pl.DataFrame:
    rows = []
    joined = dict(
        zip(recruiters["user_id"].to_list(), recruiters["created_at"].to_list(), strict=True)
    )
    recruiter_ids = recruiters["user_id"].to_numpy()
    issue = jobs["issue_date"].to_list()
    updated = jobs["updated_at"].to_list()
    extra = rng.integers(0, 3, jobs.height)
    picks = rng.integers(0, len(recruiter_ids), (jobs.height, 2))
    fractions = rng.random((jobs.height, 3))
    for k, (job, recruiter, sales) in enumerate(
        jobs.select("job_id", "primary_recruiter_id", "primary_sales_id").iter_rows()
    ):

        def assigned(j: int, k: int = k) -> datetime:
            moment = issue[k] + (updated[k] - issue[k]) * float(fractions[k, j])
            return moment.replace(microsecond=0)

        rows.append((job, recruiter, True, True, False, False, assigned(0)))
        seen = {recruiter}
        for j in range(int(extra[k])):
            other = int(recruiter_ids[picks[k, j]])
            if other not in seen and joined[other] <= assigned(1):
                seen.add(other)
                rows.append((job, other, False, True, False, False, assigned(1)))
        if sales in seen:
            rows = [r if (r[0], r[1]) != (job, sales) else (*r[:4], True, True, r[6]) for r in rows]
        else:
            rows.append((job, sales, False, False, True, True, assigned(2)))
    return pl.DataFrame(
        rows,
        schema={
            "job_id": pl.Int64,
            "user_id": pl.Int64,
            "primary_recruiter": pl.Boolean,
            "recruiter": pl.Boolean,
            "primary_sales": pl.Boolean,
            "sales": pl.Boolean,
            "date_last_assigned": pl.Datetime("us"),
        },
        orient="row",
    )


def build_applications(
    rng: np.random.Generator,
    config: WorldConfig,
    rows: pl.DataFrame,
    gone_at: list[datetime],
    resumes: pl.DataFrame,
    jobs: pl.DataFrame,
) -> pl.DataFrame:
    """Applications of candidates to jobs that were open when they applied."""
    end = config.history_end
    count = rows.height
    created = rows["created_at"].to_list()
    prospect = (rows["application_type"] == "Prospect").to_numpy()
    n_apps = rng.poisson(np.where(prospect, 0.3, 1.2))
    issue = jobs["issue_date"].to_numpy()
    job_ids = jobs["job_id"].to_numpy()
    recruiter_of = dict(zip(job_ids.tolist(), jobs["primary_recruiter_id"].to_list(), strict=True))
    resume_index: dict[int, list[tuple[datetime, str]]] = {}
    for cid, at, rid in (
        resumes.select("candidate_id", "created_at", "resume_id").sort("created_at").iter_rows()
    ):
        resume_index.setdefault(cid, []).append((at, rid))
    ids = rows["candidate_id"].to_list()
    out = []
    seen: set[tuple[int, int]] = set()
    for row in range(count):
        limit = min(end, gone_at[row] - timedelta(seconds=1))
        span = (limit - created[row]).total_seconds()
        if span <= 60:
            continue
        u = rng.random((int(n_apps[row]), 8))
        for k in range(int(n_apps[row])):
            if k == 0 and not prospect[row] and u[k, 0] < 0.4:
                offset = u[k, 1] * 600  # the application created the record
            elif u[k, 0] < 0.7:
                offset = min(span, 30 * 86400) * u[k, 1]
            else:
                offset = span * u[k, 1]
            applied = (created[row] + timedelta(seconds=offset)).replace(microsecond=0)
            applied = max(min(applied, limit), created[row])
            moment = np.datetime64(applied, "us")
            hi = int(np.searchsorted(issue, moment, side="right"))
            lo = int(np.searchsorted(issue, moment - np.timedelta64(120, "D"), side="left"))
            if hi == 0:
                continue
            pos = lo + int(u[k, 2] * (hi - lo)) if hi > lo else hi - 1
            job = int(job_ids[pos])
            if (ids[row], job) in seen:
                continue
            seen.add((ids[row], job))
            resume_id = None
            for at, rid in resume_index.get(ids[row], ()):
                if at <= applied:
                    resume_id = rid
            action = "Submitted" if u[k, 3] < 0.3 else ("Rejected" if u[k, 3] < 0.5 else None)
            action_date = applied + timedelta(seconds=HOURS + u[k, 4] * 14 * 86400)
            if action is None or action_date > limit:
                action, action_date = None, None
            else:
                action_date = action_date.replace(microsecond=0)
            out.append(
                (
                    ids[row],
                    job,
                    applied,
                    resume_id,
                    RESUME_SOURCES[int(u[k, 5] * len(RESUME_SOURCES))],
                    action,
                    recruiter_of[job] if action else None,
                    action_date,
                    f"Referral: employee #{int(u[k, 7] * 900) + 100}" if u[k, 6] < 0.05 else None,
                )
            )
    return pl.DataFrame(
        out,
        schema={
            "candidate_id": pl.Int64,
            "job_id": pl.Int64,
            "date_applied": pl.Datetime("us"),
            "resume_id": pl.String,
            "resume_source": pl.String,
            "action": pl.String,
            "action_user_id": pl.Int64,
            "action_date": pl.Datetime("us"),
            "referrer": pl.String,
        },
        orient="row",
    ).sort("date_applied", "candidate_id", "job_id")


def build_activities(
    rng: np.random.Generator,
    config: WorldConfig,
    rows: pl.DataFrame,
    gone_at: list[datetime],
    applications: pl.DataFrame,
    jobs: pl.DataFrame,
    users: pl.DataFrame,
) -> pl.DataFrame:
    """Submittals (with interview, hire and rejection stages) for acted-on applications, plus
    submittals recruiters made without an application."""
    end = config.history_end
    gone_by_id = dict(zip(rows["candidate_id"].to_list(), gone_at, strict=True))
    created_by_id = dict(
        zip(rows["candidate_id"].to_list(), rows["created_at"].to_list(), strict=True)
    )
    job_info = {
        job: (recruiter, position, issue, bill_min, pay_min)
        for job, recruiter, position, issue, bill_min, pay_min in jobs.select(
            "job_id",
            "primary_recruiter_id",
            "position_type",
            "issue_date",
            "bill_rate_min",
            "pay_rate_min",
        ).iter_rows()
    }
    user_ids = users["user_id"].to_numpy()
    user_created = dict(zip(users["user_id"].to_list(), users["created_at"].to_list(), strict=True))
    seeds: list[tuple[int, int, datetime, bool]] = [
        (cid, job, at, action == "Rejected")
        for cid, job, at, action in applications.filter(pl.col("action").is_not_null())
        .select("candidate_id", "job_id", "action_date", "action")
        .iter_rows()
    ]
    # Recruiter-sourced submittals: no application, the recruiter picked the candidate.
    sourced = rng.random(rows.height) < 0.12
    job_ids = jobs["job_id"].to_numpy()
    issue = jobs["issue_date"].to_numpy()
    sourced_u = rng.random((rows.height, 2))
    pairs = {(c, j) for c, j, _, _ in seeds}
    for row in np.flatnonzero(sourced).tolist():
        cid = rows["candidate_id"][row]
        limit = min(end, gone_by_id[cid] - timedelta(seconds=1))
        lo = created_by_id[cid]
        if limit <= lo:
            continue
        at = (lo + (limit - lo) * float(sourced_u[row, 0])).replace(microsecond=0)
        hi = int(np.searchsorted(issue, np.datetime64(at, "us"), side="right"))
        if hi == 0:
            continue
        job = int(job_ids[max(0, hi - 1 - int(sourced_u[row, 1] * min(hi, 40)))])
        if (cid, job) not in pairs:
            pairs.add((cid, job))
            seeds.append((cid, job, at, False))
    seeds.sort(key=lambda s: (s[2], s[0], s[1]))
    draws = rng.random((len(seeds), 10))
    activity_ids = 45_000_000 + np.cumsum(rng.integers(1, 50, len(seeds)))
    out = []
    for k, (cid, job, submitted, rejected) in enumerate(seeds):
        u = draws[k]
        limit = min(end, gone_by_id[cid] - timedelta(seconds=1))
        recruiter, position, _, bill_min, pay_min = job_info[job]
        interview = hire = reject = start = finish = None
        if not rejected and u[0] < 0.35:
            interview = _stage(submitted, 2 + u[1] * 8, limit)
        if interview and u[2] < 0.3:
            start = _stage(interview, 7 + u[3] * 23, limit)
            hire = start
            if start and position != "Direct Placement":
                finish = _stage(start, 90 + u[4] * 270, limit)
        if rejected or (interview and not hire and u[5] < 0.5):
            reject = _stage(interview or submitted, 1 + u[6] * 10, limit) or (
                submitted if rejected else None
            )
        stamps = [t for t in (submitted, interview, start, reject) if t is not None]
        updated = max(stamps)
        colleague = int(user_ids[int(u[8] * len(user_ids))])
        updater = colleague if u[7] >= 0.7 and user_created[colleague] <= updated else recruiter
        out.append(
            (
                int(activity_ids[k]),
                cid,
                job,
                recruiter,
                updater,
                submitted,
                updated,
                True,
                reject is not None,
                interview is not None,
                hire is not None,
                submitted,
                reject,
                REJECT_REASONS[int(u[9] * len(REJECT_REASONS))] if reject else None,
                interview,
                start,
                finish,
                position,
                round(bill_min * (1 + u[9] * 0.1), 2) if hire else None,
                round(pay_min * (1 + u[9] * 0.1), 2) if hire else None,
                "USD",
            )
        )
    return pl.DataFrame(
        out,
        schema={
            "activity_id": pl.Int64,
            "candidate_id": pl.Int64,
            "job_id": pl.Int64,
            "user_id": pl.Int64,
            "updated_by_user_id": pl.Int64,
            "created_at": pl.Datetime("us"),
            "updated_at": pl.Datetime("us"),
            "submittal_flag": pl.Boolean,
            "reject_flag": pl.Boolean,
            "interview_flag": pl.Boolean,
            "hire_flag": pl.Boolean,
            "submittal_date": pl.Datetime("us"),
            "reject_date": pl.Datetime("us"),
            "reject_reason": pl.String,
            "interview_date": pl.Datetime("us"),
            "start_date": pl.Datetime("us"),
            "end_date": pl.Datetime("us"),
            "position_type": pl.String,
            "agreed_bill_rate": pl.Float64,
            "agreed_pay_rate": pl.Float64,
            "currency": pl.String,
        },
        orient="row",
    )


def _stage(after: datetime, days: float, limit: datetime) -> datetime | None:
    """The next stage `days` later, or None if that would be after the limit."""
    moment = (after + timedelta(days=days)).replace(microsecond=0)
    return moment if moment <= limit else None
