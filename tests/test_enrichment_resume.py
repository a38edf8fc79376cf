"""Resume skills and titles (enrichment.resume): whole-word phrase matching with the shared word
normal form, longest match, the case rule for ambiguous words, vocabularies, and recall on
resumes written by the sandbox world generator."""

from __future__ import annotations

import doctest
import re
import time
from pathlib import Path

import polars as pl
import pytest

from enrichment import resume
from enrichment.resume import (
    SKILL_ALIASES,
    TITLE_ALIASES,
    Vocabulary,
    default_skills,
    default_titles,
    extract,
    extract_resume_terms,
    vocabulary_from_corpus,
)
from normalize.text import clean_html_text
from sandbox.world import generate_world
from search_index.terms import words

TRICKY_TEXTS = [
    "Sr. C++ / C# Développeur (Node.js) — ASP.NET, VB.NET, .NET Core, C#.NET",
    "Zoë ÅSTRÖM, Straße, ΑΣ ΣΊΣΥΦΟΣ, İstanbul, Dvořák, Łukasz, Søren, Þór, Nguyễn Văn A",
    "De\u0301veloppeur e\u0301cole, café\u0301, a \u0301 b, x.\u0301y",
    "½ ＋ Ｊａｖａ ｃ＃ ﬁnance ² ℌilbert ㎏ …ellipsis… a․b K",
    "R&D, C-suite, Objective-C, P&C, O'Neil, John C. Smith, C.S. Lewis, end.",
    "node.js asp.net a...b c..d x_y 2019–2020 • 5–6 “quoted” ‘single’ ...",
    "日本語 テキスト क्षेत्र हिन्दी ǅemal Ǆ \u00a0non-breaking tab\tnew\nline",
    "",
]


def _cut(text: str) -> list[str]:
    """The folded words of ``text`` as the extraction cuts them (leading dot and glued
    character taken off, as the look-up does)."""
    raw = resume._raw_words(pl.Series([text], dtype=pl.String))["raw"]
    folded = resume._folded(raw).to_list()
    return [re.sub(r"^\.|[.&'\-]$", "", word) for word in folded]


def test_module_docstring_examples() -> None:
    results = doctest.testmod(resume, optionflags=doctest.ELLIPSIS)
    assert results.attempted > 0
    assert results.failed == 0


# --- words ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("text", TRICKY_TEXTS)
def test_texts_are_cut_into_the_words_of_the_search_side(text: str) -> None:
    assert _cut(text) == words(text)


def test_technology_names_with_symbols_are_whole_words() -> None:
    text = "Skills: C++, C#, .NET Core, ASP.NET MVC, Node.js, JavaScript, F#, Java"
    found = extract(text, default_skills())
    assert found == ["C++", "C#", ".NET Core", "ASP.NET MVC", "Node.js", "JavaScript", "F#", "Java"]
    assert "C" not in found and ".NET" not in found
    assert extract("JavaScript and TypeScript", Vocabulary.build(["Java", "Script"])) == []


def test_case_and_accents_are_ignored() -> None:
    skills = Vocabulary.build(["Gestión de Proyectos", "PostgreSQL", "Machine Learning"])
    text = "GESTION DE PROYECTOS; postgresql; Machine-Learning; Mächine Léarning"
    assert extract(text, skills) == ["Gestión de Proyectos", "PostgreSQL", "Machine Learning"]
    titles = Vocabulary.build(["Développeur Java"])
    assert extract("Senior developpeur JAVA à Montréal", titles) == ["Développeur Java"]


# --- longest match -------------------------------------------------------------------------------


def test_longest_phrase_wins_and_its_words_are_not_reused() -> None:
    titles = Vocabulary.build(["Machine Learning Engineer", "Engineer", "Data Engineer"])
    text = "Senior Machine Learning Engineer; previously Data Engineer and Engineer"
    assert extract(text, titles) == ["Machine Learning Engineer", "Data Engineer", "Engineer"]
    skills = Vocabulary.build(["Machine Learning", "Learning", "Spring Boot", "Spring Framework"])
    assert extract("Senior Machine Learning Engineer", skills) == ["Machine Learning"]
    assert extract("Spring Boot, Spring Framework", skills) == ["Spring Boot", "Spring Framework"]


def test_default_vocabularies_on_a_titled_line() -> None:
    text = "Machine Learning Engineer | Acme\n• Built Spark and Machine Learning pipelines in R"
    assert extract(text, default_titles()) == ["Machine Learning Engineer"]
    assert extract(text, default_skills()) == ["Machine Learning", "Spark", "R"]


def test_overlapping_phrases_are_resolved_left_to_right() -> None:
    vocabulary = Vocabulary.build(["Microsoft Office", "Office Administration", "Administration"])
    text = "Microsoft Office Administration"
    assert extract(text, vocabulary) == ["Microsoft Office", "Administration"]
    chain = Vocabulary.build(["alpha beta", "beta gamma", "gamma delta", "delta", "beta"])
    assert extract("alpha beta gamma delta; beta", chain) == ["alpha beta", "gamma delta", "beta"]


def test_a_phrase_repeated_back_to_back_is_counted_from_the_left() -> None:
    vocabulary = Vocabulary.build(["data data", "data"])
    # Forty words make twenty pairs; the forty-first is alone.
    assert extract("data " * 40, vocabulary) == ["data data"]
    assert extract("data " * 41, vocabulary) == ["data data", "data"]


def test_long_phrases_of_a_large_vocabulary_are_found_by_hash() -> None:
    """With thousands of words, five-word phrases no longer fit a 63-bit number: they are
    looked up by hash and confirmed word by word."""
    terms = [f"term{n}" for n in range(7_000)] + ["alpha beta gamma delta epsilon"]
    vocabulary = Vocabulary.build(terms)
    assert vocabulary.max_words == 5 and len(vocabulary.words) ** 5 > 2**63
    text = "alpha beta gamma delta zeta; term42 Alpha Beta Gamma Delta Epsilon term7"
    assert extract(text, vocabulary) == ["term42", "alpha beta gamma delta epsilon", "term7"]


def test_a_shorter_phrase_is_found_when_the_longer_one_is_incomplete() -> None:
    titles = Vocabulary.build(["Software Development Engineer in Test", "Software Engineer"])
    text = "Software Development Engineer in Tokyo; Software Engineer"
    assert extract(text, titles) == ["Software Engineer"]
    text = "Software Development Engineer in Test"
    assert extract(text, titles) == ["Software Development Engineer in Test"]


# --- ambiguous words -----------------------------------------------------------------------------


def test_go_r_and_c_count_only_as_written() -> None:
    skills = default_skills()
    assert extract("Ready to go; go-to-market; Go-Live support; GO team", skills) == []
    assert extract("Services in Go. Also Go, R and C.", skills) == ["Go", "R"]
    assert extract("Languages: C, R, Go", skills) == ["C", "R", "Go"]
    assert extract("Wrote C/C++ and R/Python", skills) == ["C", "C++", "R", "Python"]


def test_single_letters_glued_to_a_neighbour_or_initials_do_not_count() -> None:
    skills = default_skills()
    text = "JOHN C. SMITH, R&D lead, C-suite, P&C insurance, C&I loans, Objective-C, c/o"
    assert extract(text, skills) == ["Objective-C"]
    assert extract("Objective-C", Vocabulary.build(["C"])) == []


def test_everyday_words_count_only_as_listed_or_in_capitals() -> None:
    skills = default_skills()
    assert extract("I excel at sales and react to alerts; net income; NET 30", skills) == []
    assert extract("Excel, EXCEL, React, Swift, Spark", skills) == [
        "Excel",
        "React",
        "Swift",
        "Spark",
    ]
    found = extract(".NET developer; .Net; C#.NET", skills)
    assert found == [".NET", "C#"]


# --- vocabularies --------------------------------------------------------------------------------


def test_build_keeps_the_first_spelling_and_ignores_blanks() -> None:
    vocabulary = Vocabulary.build(["PostgreSQL", "postgresql", "", "  ", "Kafka "])
    assert vocabulary.phrases == {("postgresql",): "PostgreSQL", ("kafka",): "Kafka"}
    assert vocabulary.max_words == 1 and len(vocabulary) == 2


def test_aliases_map_to_the_display_form() -> None:
    skills = default_skills()
    text = "golang, k8s, JS, Postgres, MS SQL Server, sklearn, Amazon Web Services"
    assert extract(text, skills) == [
        "Go",
        "Kubernetes",
        "JavaScript",
        "PostgreSQL",
        "SQL Server",
        "scikit-learn",
        "AWS",
    ]
    assert extract("JS, JavaScript, golang, Go", skills) == ["JavaScript", "Go"]
    # A short alias follows the case rule too: "js" in prose is not JavaScript.
    assert extract("the js file", skills) == []
    vocabulary = Vocabulary.build(["Kubernetes"], aliases={"k8s": "kubernetes", "tf": "Terraform"})
    assert vocabulary.lookup("K8S") == "Kubernetes"
    assert vocabulary.lookup("tf") == "Terraform"


def test_merge_prefers_its_own_display_and_unions_the_phrases() -> None:
    mine = Vocabulary.build(["PostgreSQL", "Go"])
    corpus = Vocabulary.build(["POSTGRESQL", "Rust", "GO"])
    merged = mine.merge(corpus)
    assert merged.phrases == {
        ("postgresql",): "PostgreSQL",
        ("rust",): "Rust",
        ("go",): "Go",
    }
    assert extract("Go and GO", merged) == ["Go"]  # both spellings now count


def test_vocabulary_from_corpus_keeps_frequent_short_values() -> None:
    values = ["Kafka", "kafka", "Spark", "SPARK", "Spark", "Scala", None, " ", "2021", "2021"]
    values += ["one two three four five six", "one two three four five six"]
    vocabulary = vocabulary_from_corpus(values)
    assert vocabulary.phrases == {("kafka",): "Kafka", ("spark",): "Spark"}
    assert set(vocabulary_from_corpus(values, min_count=1).phrases) == {
        ("kafka",),
        ("spark",),
        ("scala",),
    }
    assert ("one", "two", "three", "four", "five", "six") in vocabulary_from_corpus(
        values, max_words=6
    ).phrases


def _listed(name: str) -> list[str]:
    return resume._read_terms(name)


@pytest.mark.parametrize(
    ("name", "aliases", "low", "high"),
    [("skills.txt", SKILL_ALIASES, 300, 600), ("titles.txt", TITLE_ALIASES, 200, 400)],
)
def test_shipped_vocabulary_files_are_consistent(
    name: str, aliases: dict[str, str], low: int, high: int
) -> None:
    listed = _listed(name)
    assert low <= len(listed) <= high
    phrases = [tuple(words(term)) for term in listed]
    assert all(phrases), "every line names a phrase"
    duplicates = {p for p in phrases if phrases.count(p) > 1}
    assert not duplicates
    # Every alias points at a listed term; one with a listed phrase can only add a spelling of
    # that term's ambiguous word (".Net" for .NET), else it would be ignored.
    assert set(aliases.values()) <= set(listed)
    listed_as = dict(zip(phrases, listed, strict=True))
    for alias, target in aliases.items():
        phrase = tuple(words(alias))
        assert listed_as.get(phrase, target) == target, alias
        ambiguous_word = len(phrase) == 1 and resume._is_ambiguous(phrase[0])
        assert phrase not in listed_as or ambiguous_word, alias


def test_default_vocabularies_are_cached_and_include_aliases() -> None:
    assert default_skills() is default_skills()
    for vocabulary, name, aliases in [
        (default_skills(), "skills.txt", SKILL_ALIASES),
        (default_titles(), "titles.txt", TITLE_ALIASES),
    ]:
        terms = [*_listed(name), *aliases]
        assert set(vocabulary.phrases) == {tuple(words(term)) for term in terms}
    assert default_skills().lookup("c++") == "C++"
    assert default_titles().lookup("registered nurse") == "Registered Nurse"


# --- results -------------------------------------------------------------------------------------


def test_order_of_first_mention_and_distinct() -> None:
    skills = Vocabulary.build(["SQL", "Python", "Java"])
    assert extract("SQL, Python, sql, Java, PYTHON, SQL", skills) == ["SQL", "Python", "Java"]


def test_null_and_empty_texts_give_empty_lists() -> None:
    assert extract(None, default_skills()) == []
    assert extract("", default_skills()) == []
    assert extract("Java", Vocabulary.build([])) == []
    texts = pl.Series(["Python scripts", None, "", "  ", "Registered Nurse, BLS"])
    out = extract_resume_terms(texts, default_skills(), default_titles())
    assert out.schema == pl.Schema(
        {"resume_skills": pl.List(pl.String), "resume_titles": pl.List(pl.String)}
    )
    assert out.rows() == [
        (["Python"], []),
        ([], []),
        ([], []),
        ([], []),
        (["BLS"], ["Registered Nurse"]),
    ]
    empty = extract_resume_terms(pl.Series([], dtype=pl.String), default_skills(), default_titles())
    assert empty.height == 0 and empty.columns == ["resume_skills", "resume_titles"]
    nulls = extract_resume_terms(pl.Series([None, None]), default_skills(), Vocabulary.build([]))
    assert nulls.rows() == [([], []), ([], [])]


# --- on generated resumes ------------------------------------------------------------------------


_TABLES = ("resumes", "truth", "profiles")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pl.DataFrame]:
    root = tmp_path_factory.mktemp("resume-world")
    generate_world(root, profiles=400, candidates=160, days=3, seed=17, binary_attachment_cap=0)
    return {name: pl.read_parquet(Path(root) / f"{name}.parquet") for name in _TABLES}


@pytest.fixture(scope="module")
def matched_resumes(world: dict[str, pl.DataFrame]) -> pl.DataFrame:
    """Each resume of a candidate linked to a profile, as text, next to the profile's skills
    and position titles."""
    profiles = world["profiles"].select(
        "profile_id", "skills", pl.col("positions").list.eval(pl.element().struct.field("title"))
    )
    frame = world["resumes"].join(world["truth"], on="candidate_id").join(profiles, on="profile_id")
    text = pl.Series([clean_html_text(t) for t in frame["plaintext"].to_list()], dtype=pl.String)
    return frame.with_columns(text=text)


def _verbatim(phrase: str, text: str) -> bool:
    """Independent check: ``phrase`` appears in ``text`` as written, not inside a longer word."""
    return re.search(r"(?<![\w.+#])" + re.escape(phrase) + r"(?![\w+#])", text) is not None


def _recall(frame: pl.DataFrame, column: str, found: pl.Series, vocabulary: Vocabulary) -> float:
    hits = total = 0
    for text, expected, names in zip(frame["text"], frame[column], found, strict=True):
        for phrase in expected:
            if _verbatim(phrase, text):
                total += 1
                hits += vocabulary.lookup(phrase) in names
    assert total > 100
    return hits / total


def test_profile_skills_written_in_the_resume_are_found(matched_resumes: pl.DataFrame) -> None:
    skills, titles = default_skills(), default_titles()
    out = extract_resume_terms(matched_resumes["text"], skills, titles)
    assert _recall(matched_resumes, "skills", out["resume_skills"], skills) >= 0.9


def test_with_the_corpus_vocabulary_skills_and_titles_are_found(
    world: dict[str, pl.DataFrame], matched_resumes: pl.DataFrame
) -> None:
    profiles = world["profiles"]
    corpus_skills = vocabulary_from_corpus(profiles["skills"].explode().to_list())
    titles = profiles["positions"].explode().struct.field("title").to_list()
    skills = default_skills().merge(corpus_skills)
    titles_vocabulary = default_titles().merge(vocabulary_from_corpus(titles))
    out = extract_resume_terms(matched_resumes["text"], skills, titles_vocabulary)
    assert _recall(matched_resumes, "skills", out["resume_skills"], skills) >= 0.97
    recall = _recall(matched_resumes, "positions", out["resume_titles"], titles_vocabulary)
    assert recall >= 0.95


def test_ambiguous_skills_come_only_from_the_profile(matched_resumes: pl.DataFrame) -> None:
    """The generator never lists the skill C but writes initials ("John C. Smith") and R&D;
    R and Go are listed only by people who have them."""
    out = extract_resume_terms(matched_resumes["text"], default_skills(), default_titles())
    for own, found in zip(matched_resumes["skills"], out["resume_skills"], strict=True):
        assert "C" not in found
        for short in ("R", "Go"):
            assert short not in found or short in own


def test_one_text_and_many_texts_agree(matched_resumes: pl.DataFrame) -> None:
    texts = matched_resumes["text"].head(40)
    out = extract_resume_terms(texts, default_skills(), default_titles())
    for text, skills, titles in zip(texts, out["resume_skills"], out["resume_titles"], strict=True):
        assert extract(text, default_skills()) == skills.to_list()
        assert extract(text, default_titles()) == titles.to_list()


def test_generated_resumes_are_cut_like_the_search_side(matched_resumes: pl.DataFrame) -> None:
    texts = matched_resumes["text"].head(60)
    frame = resume._raw_words(texts)
    folded = resume._folded(frame["raw"]).str.replace_all(r"^\.|[.&'\-]$", "")
    cut = frame.with_columns(word=folded).group_by("row", maintain_order=True).agg("word")
    assert cut["word"].to_list() == [words(text) for text in texts]


def test_thousands_of_resumes_per_second(matched_resumes: pl.DataFrame) -> None:
    """A loose guard (about 10x the measured time): 2,000 resumes of ~500 words."""
    pool = matched_resumes["text"].to_list()
    texts = pl.Series(
        ["\n\n".join(pool[(i + k) % len(pool)] for k in range(4)) for i in range(2000)]
    )
    skills, titles = default_skills(), default_titles()
    extract_resume_terms(texts.head(5), skills, titles)  # one-time tables
    started = time.perf_counter()
    out = extract_resume_terms(texts, skills, titles)
    assert time.perf_counter() - started < 3.0
    assert out.height == 2000
