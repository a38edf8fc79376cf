"""Candidate documents for the query-language tests and an independent reference evaluator.

The documents follow search_index.schema (the ``*_terms`` lists are built with
search_index.terms, as the indexer does). Hand-written documents hit the corner cases (java vs
javascript, C++ vs C, accents, adjacent vs scattered phrases, one word in several attributes,
current vs past company); seeded random ones add volume.

:func:`evaluate` answers a parsed query over one document with plain Python and nothing from the
compiler: a free-text term matches when its words (terms.words) appear contiguously inside one
value of one searchable attribute; a scoped term when its normal phrase is in the field's
``*_terms`` list.

Free text avoids the inputs on which Meilisearch's tokenizer and terms.words disagree
(:data:`TOKENIZER_CASES`, tested in an index of their own): hard separators (``. , ; ! ?``
before a space) inside a phrase that a query names, dotted words (``node.js``), ``c#``, ``ß``,
``c++11`` and the like.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping
from typing import Any

from search_api.query.syntax import FIELDS, And, Node, Not, Or, Term
from search_index import terms
from search_index.schema import SEARCHABLE

# --- documents ---------------------------------------------------------------------------------

US_STATES = {"TX": "Texas", "CA": "California", "NY": "New York", "WA": "Washington"}


def location_terms(city: str | None, state: str | None, country: str | None) -> list[str]:
    values = [city, f"{city} {state}" if city and state else None, state]
    if state:
        values.append(US_STATES.get(state))
    values.append(country)
    return terms.terms_of(values)


def make_document(candidate_id: str, **row: Any) -> dict[str, Any]:
    """A document as the indexer would write it from the given profile/ATS values."""
    current_title = row.get("current_title")
    past_titles = row.get("past_titles", [])
    current_company = row.get("current_company")
    past_companies = row.get("past_companies", [])
    titles = list(dict.fromkeys(t for t in [current_title, *past_titles] if t))
    companies = list(dict.fromkeys(c for c in [current_company, *past_companies] if c))
    city, state, country = row.get("city"), row.get("state"), row.get("country", "US")
    doc = {
        "candidate_id": candidate_id,
        "name": row.get("name"),
        "current_title": current_title,
        "past_titles": past_titles,
        "titles": titles,
        "current_company": current_company,
        "past_companies": past_companies,
        "companies": companies,
        "skills": row.get("skills", []),
        "profile_headline": row.get("headline"),
        "schools": row.get("schools", []),
        "degrees": row.get("degrees", []),
        "majors": row.get("majors", []),
        "certifications": row.get("certifications", []),
        "languages": row.get("languages", []),
        "industry": row.get("industry"),
        "city": city,
        "state": state,
        "country": country,
        "location": ", ".join(part for part in (city, state) if part) or None,
        "resume_text": row.get("resume_text"),
        "attachment_text": row.get("attachment_text"),
        "job_titles": row.get("job_titles", []),
        "is_active": row.get("is_active", True),
        "status": row.get("status", "Available"),
        "application_type": row.get("application_type", "Applicant"),
        "job_ids": row.get("job_ids", []),
        "job_status": row.get("job_status", []),
        "recruiter_names": row.get("recruiter_names", []),
        "years_of_experience": row.get("years_of_experience"),
        "company_size": row.get("company_size"),
        "updated_at_ts": row.get("updated_at_ts", 1_700_000_000),
        "title_terms": terms.terms_of(titles),
        "current_title_terms": terms.terms_of([current_title]),
        "company_terms": terms.terms_of(companies),
        "current_company_terms": terms.terms_of([current_company]),
        "past_company_terms": terms.terms_of(past_companies),
        "skill_terms": terms.terms_of(row.get("skills", [])),
        "school_terms": terms.terms_of(row.get("schools", [])),
        "degree_terms": terms.terms_of(row.get("degrees", [])),
        "major_terms": terms.terms_of(row.get("majors", [])),
        "location_terms": location_terms(city, state, country),
        "certification_terms": terms.terms_of(row.get("certifications", [])),
        "language_terms": terms.terms_of(row.get("languages", [])),
        "industry_terms": terms.terms_of([row.get("industry")]),
    }
    return {key: value for key, value in doc.items() if value is not None and value != []}


def _hand_documents() -> list[dict[str, Any]]:
    d = make_document
    return [
        d(
            "h01",
            name="Alice Martin",
            current_title="Senior Java Developer",
            current_company="Acme Corp",
            past_companies=["Google"],
            skills=["Java", "Spring Boot", "SQL"],
            resume_text="Java developer with Spring Boot and microservices at Acme Corp",
            city="Austin",
            state="TX",
            years_of_experience=9,
            company_size="1001-5000",
        ),
        d(
            "h02",
            name="Bob Stone",
            current_title="Frontend Developer",
            current_company="Globex",
            skills=["JavaScript", "React", "TypeScript"],
            resume_text="JavaScript engineer building React apps and design systems",
            city="San Francisco",
            state="CA",
            years_of_experience=4,
        ),
        d(
            "h03",
            name="Chen Wei",
            current_title="Full Stack Engineer",
            current_company="Initech",
            skills=["Java", "JavaScript", "PostgreSQL"],
            resume_text="Full stack work in Java and JavaScript with PostgreSQL",
            city="Seattle",
            state="WA",
            years_of_experience=6,
        ),
        d(
            "h04",
            name="Dana Kowalski",
            current_title="Embedded Software Engineer",
            current_company="Umbrella",
            skills=["C++", "C", "Rust"],
            resume_text="Embedded C++ engineer writing firmware drivers",
            city="Austin",
            state="TX",
            years_of_experience=12,
        ),
        d(
            "h05",
            name="Eli Navarro",
            current_title="Firmware Developer",
            current_company="Initech",
            skills=["C"],
            resume_text="C programmer for microcontrollers and RTOS firmware",
            city="Austin",
            state="TX",
            years_of_experience=3,
        ),
        d(
            "h06",
            name="Zoë Dubois",
            current_title="Développeuse Python",
            current_company="Société Générale",
            skills=["Python", "Django"],
            schools=["Université de Montréal"],
            resume_text="Développeuse backend Python et Django",
            city="Montréal",
            state=None,
            country="Canada",
            languages=["French", "English"],
            years_of_experience=5,
        ),
        d(
            "h07",
            name="José Álvarez",
            current_title="Ingeniero de Datos",
            current_company="Globex",
            skills=["Python", "Spark", "SQL"],
            resume_text="Ingeniero de datos con Spark y Python",
            city="New York",
            state="NY",
            languages=["Spanish"],
            years_of_experience=7,
        ),
        d(
            "h08",
            name="Fatima Khan",
            current_title="Machine Learning Engineer",
            current_company="Hooli",
            past_companies=["Google"],
            skills=["Python", "Machine Learning", "TensorFlow"],
            resume_text="Machine learning engineer shipping ranking models in Python",
            city="San Francisco",
            state="CA",
            years_of_experience=8,
        ),
        d(
            "h09",
            name="Gus Lind",
            current_title="Computer Vision Researcher",
            current_company="Pied Piper",
            skills=["Python", "Deep Learning"],
            resume_text="Built machine vision systems and deep learning pipelines",
            city="Seattle",
            state="WA",
            years_of_experience=10,
        ),
        d(
            "h10",
            name="Hana Sato",
            current_title="Research Scientist",
            current_company="Hooli",
            skills=["Statistics"],
            resume_text="Studied learning machine theory and statistics",
            city="New York",
            state="NY",
        ),
        d(
            "h11",
            name="Ivan Petrov",
            current_title="Software Architect",
            past_titles=["Test Engineer"],
            current_company="Stark Industries",
            skills=["Java", "Kubernetes"],
            resume_text="Architect for distributed systems",
            city="Austin",
            state="TX",
        ),
        d(
            "h12",
            name="Julia Romano",
            current_title="Senior Software Engineer",
            current_company="Meta",
            past_companies=["Google", "Initech"],
            skills=["Python", "Go", "Kubernetes"],
            resume_text="Senior software engineer on infrastructure written in Go",
            schools=["Stanford University"],
            degrees=["Master of Science"],
            majors=["Computer Science"],
            city="San Francisco",
            state="CA",
            years_of_experience=11,
        ),
        d(
            "h13",
            name="Kofi Mensah",
            current_title="Data Scientist",
            current_company="Google",
            past_companies=["Meta"],
            skills=["Python", "R", "SQL"],
            resume_text="Data scientist working on experimentation and causal inference",
            schools=["MIT"],
            degrees=["Bachelor of Science"],
            majors=["Mathematics"],
            city="New York",
            state="NY",
            years_of_experience=6,
        ),
        d(
            "h14",
            name="Lena Fischer",
            current_title="Product Manager",
            current_company="Globex",
            past_titles=["Business Analyst"],
            skills=["Excel", "SQL", "Agile"],
            resume_text="Product manager for payments with agile teams",
            industry="Financial Services",
            city="New York",
            state="NY",
        ),
        d(
            "h15",
            name="Marco Rossi",
            current_title="DevOps Engineer",
            current_company="Umbrella",
            skills=["Docker", "Terraform", "AWS"],
            certifications=["AWS Certified Solutions Architect"],
            resume_text="Infrastructure as code and CI pipelines",
            attachment_text="Reference letter praising his Kubernetes migration work",
            city="Seattle",
            state="WA",
        ),
        d(
            "h16",
            name="Nora Quinn",
            current_title="Software Engineering Intern",
            current_company="Acme Corp",
            skills=["Java", "Python"],
            resume_text="Intern who wrote Java services and Python scripts",
            schools=["Stanford University"],
            city="Austin",
            state="TX",
            years_of_experience=0,
        ),
        d(
            "h17",
            name="Omar Haddad",
            current_title="Staff Engineer",
            current_company="Hooli",
            skills=["Rust", "Go"],
            resume_text="Staff engineer for storage engines in Rust and Go",
            city="Seattle",
            state="WA",
            years_of_experience=15,
        ),
        d(
            "h18",
            name="Paula Mendes",
            current_title="Recruiter",
            current_company="Acme Corp",
            skills=["Sourcing"],
            resume_text="Technical recruiter who trusts rusty old spreadsheets",
            city="Austin",
            state="TX",
        ),
        d(
            "h19",
            name="Quentin Ward",
            current_title="Front-End Developer",
            current_company="Globex",
            skills=["React", "CSS"],
            resume_text="Front-end developer focused on accessibility",
            city="Austin",
            state="TX",
        ),
        d(
            "h20",
            name="Rosa O'Neil",
            current_title="Research and Development Lead",
            current_company="Stark Industries",
            skills=["Python", "Matlab"],
            resume_text="Leads research and development of sensor fusion in Python",
            city="New York",
            state="NY",
        ),
        d(
            "h21",
            name="Sam Google",
            current_title="Accountant",
            current_company="Wayne Enterprises",
            skills=["Excel"],
            resume_text="Certified public accountant",
            industry="Financial Services",
            city="New York",
            state="NY",
        ),
        d(
            "h22",
            name="Tara Singh",
            current_title="Engineering Manager",
            current_company="Google",
            past_titles=["Senior Software Engineer"],
            past_companies=["Acme Corp"],
            skills=["Java", "Leadership"],
            resume_text="Manages platform engineers who write Java",
            city="San Francisco",
            state="CA",
            years_of_experience=14,
        ),
        d(
            "h23",
            name="Uma Patel",
            current_title="QA Analyst",
            current_company="Initech",
            skills=["Selenium", "Python"],
            resume_text="Test automation with Selenium and Python",
            city="Austin",
            state="TX",
        ),
        d(
            "h24",
            name="Victor Hugo",
            current_title="Data Engineer",
            current_company="Meta",
            past_companies=["Globex"],
            skills=["Scala", "Spark", "SQL"],
            resume_text="Data engineer moving batch Spark jobs to streaming",
            city="Seattle",
            state="WA",
            years_of_experience=8,
        ),
        d(
            "h25",
            name="Wen Li",
            current_title="Nurse Practitioner",
            current_company="Mercy Hospital",
            skills=["Patient Care"],
            resume_text="Nurse practitioner in emergency care",
            industry="Hospital Care",
            city="Austin",
            state="TX",
        ),
        d(
            "h26",
            name="Xavier PYTHON",
            current_title="SENIOR JAVA ENGINEER",
            current_company="GLOBEX",
            skills=["JAVA", "SPRING BOOT"],
            resume_text="UPPER CASE RESUME ABOUT JAVA AND SPRING",
            city="Austin",
            state="TX",
            status="Placed",
        ),
        d(
            "h27",
            name="Yara Costa",
            current_title="Python Developer",
            current_company="Python Software Foundation",
            skills=["Python"],
            resume_text="Maintains the packaging tools",
            city="Seattle",
            state="WA",
        ),
        d(
            "h28",
            name="Zed Brown",
            current_title="Mobile Developer",
            current_company="Acme Corp",
            skills=["Kotlin", "Swift"],
            resume_text="Mobile apps in Kotlin and Swift",
            attachment_text="Cover letter mentions machine learning curiosity",
            city="Austin",
            state="TX",
            is_active=False,
        ),
    ]


FIRST = [
    "Ada",
    "Ben",
    "Cleo",
    "Dev",
    "Émile",
    "Fay",
    "Gio",
    "Hugo",
    "Inès",
    "Jon",
    "Kai",
    "Léa",
    "Max",
    "Noé",
    "Oli",
    "Pia",
    "Raúl",
    "Sía",
    "Tom",
    "Ugo",
]
LAST = [
    "Abbott",
    "Bauer",
    "Cruz",
    "Dahl",
    "Eklund",
    "Ferreira",
    "Gómez",
    "Holm",
    "Ibsen",
    "Jensen",
    "König",
    "Lopez",
    "Moreau",
    "Núñez",
    "Ortiz",
]
TITLES = [
    "Software Engineer",
    "Senior Software Engineer",
    "Data Scientist",
    "Data Engineer",
    "Machine Learning Engineer",
    "Product Manager",
    "Frontend Developer",
    "Backend Developer",
    "DevOps Engineer",
    "QA Analyst",
    "Développeur Full Stack",
    "Engineering Manager",
    "Staff Engineer",
    "Java Developer",
    "Python Developer",
    "Business Analyst",
    "Site Reliability Engineer",
]
COMPANIES = [
    "Acme Corp",
    "Globex",
    "Initech",
    "Umbrella",
    "Stark Industries",
    "Hooli",
    "Pied Piper",
    "Google",
    "Meta",
    "Wayne Enterprises",
    "Société Générale",
]
SKILLS = [
    "Java",
    "JavaScript",
    "Python",
    "C++",
    "C",
    "Go",
    "Rust",
    "SQL",
    "PostgreSQL",
    "Machine Learning",
    "Deep Learning",
    "React",
    "Kubernetes",
    "Docker",
    "AWS",
    "Spring Boot",
    "Django",
    "Excel",
    "Scala",
    "TypeScript",
    "Kafka",
    "Redis",
]
SCHOOLS = [
    "Stanford University",
    "MIT",
    "Université de Montréal",
    "University of Texas",
    "Georgia Tech",
]
PLACES = [
    ("Austin", "TX"),
    ("San Francisco", "CA"),
    ("New York", "NY"),
    ("Seattle", "WA"),
    ("Dallas", "TX"),
]
FILLER = [
    "built",
    "led",
    "shipped",
    "designed",
    "maintained",
    "services",
    "platform",
    "team",
    "with",
    "for",
    "using",
    "on",
    "the",
    "and",
    "large",
    "scale",
    "customer",
    "data",
]


def _random_resume(rng: random.Random, title: str, company: str, skills: list[str]) -> str:
    """Words joined by spaces only: no hard separator can split a phrase a query names."""
    parts = [title, "at", company]
    for skill in skills:
        parts += [*rng.sample(FILLER, 2), skill]
    return " ".join(parts)


def _random_documents(count: int, seed: int = 20240501) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    docs = []
    for index in range(count):
        title = rng.choice(TITLES)
        company = rng.choice(COMPANIES)
        past = rng.sample([c for c in COMPANIES if c != company], rng.randint(0, 2))
        skills = rng.sample(SKILLS, rng.randint(2, 6))
        city, state = rng.choice(PLACES)
        docs.append(
            make_document(
                f"r{index:03d}",
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                current_title=title,
                past_titles=rng.sample(TITLES, rng.randint(0, 2)),
                current_company=company,
                past_companies=past,
                skills=skills,
                schools=rng.sample(SCHOOLS, rng.randint(0, 1)),
                resume_text=_random_resume(rng, title, company, skills),
                city=city,
                state=state,
                years_of_experience=rng.randint(0, 20),
                is_active=rng.random() > 0.2,
                status=rng.choice(["Available", "Placed", "Do Not Contact"]),
                company_size=rng.choice(["1-10", "11-50", "51-200", "1001-5000"]),
                updated_at_ts=1_690_000_000 + rng.randint(0, 30_000_000),
            )
        )
    return docs


DOCUMENTS: list[dict[str, Any]] = _hand_documents() + _random_documents(170)

# --- where Meilisearch's tokenizer and terms.words disagree (verified on 1.21.0) ----------------
# Loaded in an index of their own: they would spoil exact equality in the main fixture.
TOKENIZER_TEXTS = {
    "t01": "node.js developer",
    "t02": "node js developer",
    "t03": "C# engineer",
    "t04": "C programmer",
    "t05": "C++ programmer",
    "t06": "c++11 templates",
    "t07": "Sr. Engineer",
    "t08": "Straße",
    "t09": "machine, learning",
    "t10": "machine learning",
    "t11": "#hashtag",
    "t12": "ASP.NET MVC",
    "t13": "$100 budget",
    "t14": "alpha beta gamma",
    "t15": "alpha beta zz beta gamma zz alpha qq gamma",
    "t16": "delta: epsilon",
    "t17": "zeta; eta",
    "t18": "theta/iota",
    "t19": "kappa-lambda",
    "t20": "mu (nu)",
}
# (query, ids Meilisearch returns, ids the evaluator (terms.words) returns, why)
TOKENIZER_CASES: list[tuple[str, set[str], set[str], str]] = [
    ('"node"', {"t01", "t02"}, {"t02"}, "Meilisearch splits words on inner dots"),
    ('"node.js"', {"t01", "t02"}, {"t01"}, "node.js is the phrase node js for Meilisearch"),
    ('"asp"', {"t12"}, set(), "asp.net is asp + net for Meilisearch"),
    ('"c"', {"t03", "t04"}, {"t04"}, "Meilisearch finds C# with c (not C++)"),
    ('"c++"', {"t05"}, {"t05", "t06"}, "c++11 is one word for Meilisearch"),
    ('"11"', set(), {"t06"}, "c++11 is one word for Meilisearch"),
    ('"sr engineer"', set(), {"t07"}, "'. ' is a hard separator: not adjacent"),
    ('"machine learning"', {"t10"}, {"t09", "t10"}, "', ' is a hard separator"),
    ('"zeta eta"', set(), {"t17"}, "'; ' is a hard separator"),
    ('"strasse"', set(), {"t08"}, "Meilisearch keeps ß, terms.fold makes it ss"),
    ('"hashtag"', set(), {"t11"}, "a leading # stays in the word for Meilisearch"),
    ('"100"', set(), {"t13"}, "a leading $ stays in the word for Meilisearch"),
    ('"alpha beta gamma"', {"t14", "t15"}, {"t14"}, "3+ word phrases are checked pairwise"),
    # agreements worth keeping an eye on
    ('"straße"', {"t08"}, {"t08"}, "q keeps ß (lower case, not case-folded)"),
    ('"delta epsilon"', {"t16"}, {"t16"}, "':' is a soft separator"),
    ('"theta iota"', {"t18"}, {"t18"}, "'/' is a soft separator"),
    ('"kappa lambda"', {"t19"}, {"t19"}, "'-' is a soft separator"),
    ('"mu nu"', {"t20"}, {"t20"}, "'(' is a soft separator"),
    ('"c++ programmer"', {"t05"}, {"t05"}, "nonSeparatorTokens keeps + in c++"),
]


def tokenizer_documents() -> list[dict[str, Any]]:
    return [make_document(doc_id, resume_text=text) for doc_id, text in TOKENIZER_TEXTS.items()]


# --- the reference evaluator -------------------------------------------------------------------


def _values(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _values(item)


def _contains_run(haystack: list[str], needle: tuple[str, ...]) -> bool:
    size = len(needle)
    return any(tuple(haystack[i : i + size]) == needle for i in range(len(haystack) - size + 1))


def text_matches(doc: Mapping[str, Any], words: tuple[str, ...]) -> bool:
    """The words appear contiguously, in order, in one value of one searchable attribute."""
    return any(
        _contains_run(terms.words(value), words)
        for attribute in SEARCHABLE
        for value in _values(doc.get(attribute))
    )


def evaluate(node: Node, doc: Mapping[str, Any]) -> bool:
    """Does ``doc`` match the parsed query ``node``?"""
    if isinstance(node, Term):
        if node.field is None:
            return text_matches(doc, tuple(terms.words(node.value)))
        return terms.normal_phrase(node.value) in doc.get(FIELDS[node.field], [])
    if isinstance(node, Not):
        return not evaluate(node.child, doc)
    if isinstance(node, And):
        return all(evaluate(child, doc) for child in node.children)
    assert isinstance(node, Or)
    return any(evaluate(child, doc) for child in node.children)


def expected_ids(node: Node, docs: Iterable[Mapping[str, Any]]) -> set[str]:
    return {doc["candidate_id"] for doc in docs if evaluate(node, doc)}
