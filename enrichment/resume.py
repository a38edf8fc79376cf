"""Skills and job titles a resume mentions, for every candidate (linked to a profile or not).

They feed the search index's ``resume_skills`` and ``resume_titles`` fields and the ``skills`` and
``titles`` facets. A :class:`Vocabulary` lists the phrases to look for (the shipped defaults,
optionally extended with the skills and position titles of the profile corpus); extraction
returns the display form of every phrase the text names, distinct, in order of first mention.

Rules:

* Words are cut and folded exactly like ``search_index.terms.words`` (a word here is a word
  there): case and accents are ignored, ``c++``, ``c#`` and ``node.js`` are words, and a phrase
  only matches whole words — ``Java`` is not found in ``JavaScript``, nor ``C`` in ``C++``.
* At each position the longest phrase wins and its words are not reused, so with titles
  ``Machine Learning Engineer`` is one title (not also ``Engineer``), while the skills
  vocabulary, matched separately, finds ``Machine Learning`` in the same words.
* Ambiguous single words count only when written as listed. A word is ambiguous when it has one
  or two letters/digits (``C``, ``R``, ``Go``, ``S3``) or is an everyday word that also names a
  technology (:data:`AMBIGUOUS_WORDS`: ``Excel``, ``Swift``, ``.NET``…); longer ones also count
  in capitals (``EXCEL``). One- and two-letter words must moreover stand alone: not glued by
  ``&``, ``-`` or ``'`` to a neighbour (``R&D``, ``C-suite``, ``Go-Live``), and a single letter
  not followed by a period (the initial in ``John C. Smith``; the price is that a sentence
  ending in "… and R." does not count it). ``.NET`` needs its dot, so the ``NET 30`` of an
  invoice is not .NET.
* Phrases may span punctuation between their words (``Spring, Boot`` is ``Spring Boot``).

Speed: no regular expression per phrase. Polars (Rust) cuts each text into words once, looks
every word up at once in the vocabularies' words and keeps those that can start or continue a
phrase; the n-grams starting at a kept word are numbered (word ids as digits) and looked up per
length, and overlaps are resolved leftmost-longest, all vectorised. 10,000 resumes of ~600
words take about 1.5 s on one core.

>>> skills = Vocabulary.build(["C", "C++", "Go", "Machine Learning", "PostgreSQL"],
...                           aliases={"postgres": "PostgreSQL"})
>>> extract("Go-Live lead; R&D in C++ and machine-learning on Postgres, C and Go.", skills)
['C++', 'Machine Learning', 'PostgreSQL', 'C', 'Go']
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from itertools import pairwise

import polars as pl

from search_index.terms import fold, words

Phrase = tuple[str, ...]

# Everyday English words (or first names) that are also the name of a skill or title: they count
# only when written as listed, e.g. "Excel" and "EXCEL" but not "excel at", "React" but not
# "react to alerts", ".NET" but not "net income".
AMBIGUOUS_WORDS = frozenset(
    {
        "airflow",
        "apex",
        "bootstrap",
        "celery",
        "chef",
        "controller",
        "dart",
        "epic",
        "excel",
        "express",
        "flask",
        "helm",
        "hive",
        "jest",
        "julia",
        "lean",
        "mocha",
        "net",
        "outlook",
        "pig",
        "puppet",
        "react",
        "rest",
        "ruby",
        "rust",
        "sass",
        "sketch",
        "spark",
        "swift",
        "unity",
    }
)

# Other spellings of default skills and titles (alias → listed display form).
SKILL_ALIASES: Mapping[str, str] = {
    "Golang": "Go",
    "k8s": "Kubernetes",
    "JS": "JavaScript",
    "ECMAScript": "JavaScript",
    "Postgres": "PostgreSQL",
    "Postgre SQL": "PostgreSQL",
    "MS SQL Server": "SQL Server",
    "Microsoft SQL Server": "SQL Server",
    "MSSQL": "SQL Server",
    "MS SQL": "SQL Server",
    "TSQL": "T-SQL",
    "PLSQL": "PL/SQL",
    "C Sharp": "C#",
    ".Net": ".NET",
    "Amazon Web Services": "AWS",
    "Microsoft Azure": "Azure",
    "Google Cloud Platform": "GCP",
    "Google Cloud": "GCP",
    "Amazon EC2": "EC2",
    "Amazon S3": "S3",
    "ReactJS": "React",
    "React.js": "React",
    "VueJS": "Vue.js",
    "Vue": "Vue.js",
    "NodeJS": "Node.js",
    "Angular.js": "AngularJS",
    "ExpressJS": "Express.js",
    "NextJS": "Next.js",
    "Apache Kafka": "Kafka",
    "Apache Spark": "Spark",
    "Apache Airflow": "Airflow",
    "Apache Hadoop": "Hadoop",
    "Apache Hive": "Hive",
    "sklearn": "scikit-learn",
    "Mongo": "MongoDB",
    "Elastic Search": "Elasticsearch",
    "REST API": "REST APIs",
    "RESTful APIs": "REST APIs",
    "RESTful API": "REST APIs",
    "RESTful Services": "REST APIs",
    "RESTful Web Services": "REST APIs",
    "CICD": "CI/CD",
    "Continuous Integration": "CI/CD",
    "Test-Driven Development": "TDD",
    "Behavior-Driven Development": "BDD",
    "User Acceptance Testing": "UAT",
    "ML": "Machine Learning",
    "AI": "Artificial Intelligence",
    "NLP": "Natural Language Processing",
    "GenAI": "Generative AI",
    "LLM": "Large Language Models",
    "LLMs": "Large Language Models",
    "MS Excel": "Excel",
    "Microsoft Excel": "Excel",
    "MS Word": "Microsoft Word",
    "MS Office": "Microsoft Office",
    "MS Access": "Microsoft Access",
    "MS PowerPoint": "PowerPoint",
    "Microsoft PowerPoint": "PowerPoint",
    "Microsoft Outlook": "Outlook",
    "Microsoft Project": "MS Project",
    "Microsoft Visio": "Visio",
    "O365": "Office 365",
    "Shell Script": "Shell Scripting",
    "RHEL": "Red Hat Enterprise Linux",
    "SFDC": "Salesforce",
    "Dynamics 365": "Microsoft Dynamics",
    "Oracle E-Business Suite": "Oracle EBS",
    "Electronic Medical Records": "EMR",
    "Electronic Health Records": "EHR",
    "Basic Life Support": "BLS",
    "Advanced Cardiac Life Support": "ACLS",
    "Pediatric Advanced Life Support": "PALS",
    "Medical-Surgical": "Med-Surg",
    "Intensive Care Unit": "ICU",
    "ICD10": "ICD-10",
    "Microsoft Dynamics 365": "Microsoft Dynamics",
    "Search Engine Optimization": "SEO",
    "Customer Relationship Management": "CRM",
}
TITLE_ALIASES: Mapping[str, str] = {
    "Frontend Developer": "Front End Developer",
    "Frontend Engineer": "Front End Engineer",
    "Backend Developer": "Back End Developer",
    "Backend Engineer": "Back End Engineer",
    "Fullstack Developer": "Full Stack Developer",
    "Fullstack Engineer": "Full Stack Engineer",
    "SDE": "Software Development Engineer",
    "SRE": "Site Reliability Engineer",
    "DBA": "Database Administrator",
    "Solutions Architect": "Solution Architect",
    "Tech Lead": "Technical Lead",
    "Business Intelligence Analyst": "BI Analyst",
    "Business Intelligence Developer": "BI Developer",
    "Quality Assurance Analyst": "QA Analyst",
    "Quality Assurance Engineer": "QA Engineer",
    "Quality Assurance Tester": "QA Tester",
    "Helpdesk Technician": "Help Desk Technician",
    "Helpdesk Analyst": "Help Desk Analyst",
    "IT Director": "Director of IT",
    "Human Resources Manager": "HR Manager",
    "Human Resources Generalist": "HR Generalist",
    "Human Resources Assistant": "HR Assistant",
    "Chief Technology Officer": "CTO",
    "Chief Information Officer": "CIO",
    "Chief Information Security Officer": "CISO",
    "Chief Executive Officer": "CEO",
    "Chief Operating Officer": "COO",
    "Chief Financial Officer": "CFO",
    "Chief Human Resources Officer": "CHRO",
    "CMO": "Chief Marketing Officer",
    "Vice President of Engineering": "VP of Engineering",
    "Vice President of Sales": "VP of Sales",
    "Vice President of Finance": "VP of Finance",
    "Vice President of Product": "VP of Product",
    "VP Engineering": "VP of Engineering",
    "VP Sales": "VP of Sales",
    "LPN": "Licensed Practical Nurse",
    "LVN": "Licensed Vocational Nurse",
    "CNA": "Certified Nursing Assistant",
    "NP": "Nurse Practitioner",
    "Emergency Medical Technician": "EMT",
    "Physical Therapist Assistant": "Physical Therapy Assistant",
}

# --- vocabularies ------------------------------------------------------------------------------

# One word of search_index.terms (letters/digits, inner dots, trailing + or #) with its case and
# an optional leading dot: the spelling that an ambiguous word must have (".NET", "Go").
_SPELLING = re.compile(r"\.?[^\W_]+(?:\.[^\W_]+)*[+#]*")


@dataclass(frozen=True)
class Vocabulary:
    """Phrases to find: normalized words (as ``search_index.terms.words`` cuts them) → display.

    ``spellings`` holds, for each ambiguous single-word phrase, the only spellings (accents
    stripped, case kept) under which it counts; see the module docstring. Build instances with
    :meth:`build` (or :func:`vocabulary_from_corpus`) rather than by hand.

    >>> v = Vocabulary.build(["Node.js", "C#", "node.JS", " ", "Go"], aliases={"golang": "Go"})
    >>> v.phrases
    {('node.js',): 'Node.js', ('c#',): 'C#', ('go',): 'Go', ('golang',): 'Go'}
    >>> v.spellings, v.max_words, v.lookup("NODE.JS"), v.lookup("Rust")
    ({('go',): frozenset({'Go'})}, 1, 'Node.js', None)
    """

    phrases: Mapping[Phrase, str]
    spellings: Mapping[Phrase, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def build(cls, terms: Iterable[str], aliases: Mapping[str, str] | None = None) -> Vocabulary:
        """Vocabulary of ``terms`` (first spelling of a phrase wins; blanks ignored), plus
        ``aliases``: other spellings mapped to a term's display form (``{"k8s": "Kubernetes"}``).
        """
        phrases: dict[Phrase, str] = {}
        spellings: dict[Phrase, frozenset[str]] = {}
        for term in terms:
            _add(phrases, spellings, term, term)
        for alias, target in (aliases or {}).items():
            _add(phrases, spellings, alias, phrases.get(_phrase(target), target))
        return cls(phrases, spellings)

    def merge(self, other: Vocabulary) -> Vocabulary:
        """Both vocabularies' phrases; where both have one, this vocabulary's display wins.

        >>> a = Vocabulary.build(["PostgreSQL"]).merge(Vocabulary.build(["Postgresql", "Kafka"]))
        >>> list(a.phrases.values())
        ['PostgreSQL', 'Kafka']
        """
        phrases = dict(self.phrases)
        for phrase, shown in other.phrases.items():
            phrases.setdefault(phrase, shown)
        spellings = dict(other.spellings)
        for phrase, allowed in self.spellings.items():
            spellings[phrase] = allowed | spellings.get(phrase, frozenset())
        return Vocabulary(phrases, spellings)

    def lookup(self, term: str) -> str | None:
        """The display form of ``term``'s phrase, if the vocabulary has it (any case/accents)."""
        return self.phrases.get(_phrase(term))

    @cached_property
    def max_words(self) -> int:
        """Words in the longest phrase (0 for an empty vocabulary)."""
        return max(map(len, self.phrases), default=0)

    @cached_property
    def words(self) -> frozenset[str]:
        """Every word of every phrase: only these words of a text need a look-up."""
        return frozenset(word for phrase in self.phrases for word in phrase)

    @cached_property
    def _matcher(self) -> _Matcher:
        """This vocabulary compiled for :func:`extract` (once: texts come one at a time)."""
        return _Matcher.of((self,))

    def __len__(self) -> int:
        return len(self.phrases)

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} phrases, max_words={self.max_words})"


def _phrase(text: str | None) -> Phrase:
    return tuple(words(text))


def _add(
    phrases: dict[Phrase, str], spellings: dict[Phrase, frozenset[str]], written: str, display: str
) -> None:
    phrase, display = _phrase(written), display.strip()
    if not phrase or not display:
        return
    phrases.setdefault(phrase, display)
    if len(phrase) == 1 and _is_ambiguous(phrase[0]):
        spellings[phrase] = spellings.get(phrase, frozenset()) | _spelling_forms(written)


def _is_ambiguous(word: str) -> bool:
    # "c#", "f#" and "c++" are unmistakable; "c", "r", "go", "s3" are not.
    return (len(word) <= 2 and word.isalnum()) or word in AMBIGUOUS_WORDS


def _spelling_forms(written: str) -> frozenset[str]:
    """The spellings an ambiguous word counts under: as written, and in capitals when longer
    than two letters (all-caps skill lists are common; "GO" and "IT" are not skills)."""
    spelled = _SPELLING.findall(_strip_accents(written))
    if len(spelled) != 1:
        return frozenset()
    spelling = spelled[0]
    if len(spelling.lstrip(".")) <= 2:
        return frozenset({spelling})
    return frozenset({spelling, spelling.upper()})


def _strip_accents(text: str) -> str:
    """``terms.fold`` without the case folding: ambiguous words keep their case."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _read_terms(name: str) -> list[str]:
    """Lines of a shipped vocabulary file, without blank lines and ``#`` comments."""
    text = resources.files("enrichment").joinpath("vocabulary", name).read_text(encoding="utf-8")
    lines = (line.strip() for line in text.splitlines())
    return [line for line in lines if line and not line.startswith("#")]


@cache
def default_skills() -> Vocabulary:
    """The shipped skills (``enrichment/vocabulary/skills.txt``) with :data:`SKILL_ALIASES`."""
    return Vocabulary.build(_read_terms("skills.txt"), SKILL_ALIASES)


@cache
def default_titles() -> Vocabulary:
    """The shipped job titles (``enrichment/vocabulary/titles.txt``) with
    :data:`TITLE_ALIASES`."""
    return Vocabulary.build(_read_terms("titles.txt"), TITLE_ALIASES)


def vocabulary_from_corpus(
    values: Iterable[str | None], min_count: int = 2, max_words: int = 5
) -> Vocabulary:
    """The phrases seen at least ``min_count`` times among ``values`` (e.g. the profile corpus's
    skills or position titles), of 1..``max_words`` words, each shown in its most frequent
    spelling. Rare values are mostly typos or one-off phrasing; long ones are sentences.

    >>> v = vocabulary_from_corpus(["Kafka", "kafka", "KAFKA", "Scala", None, "2019", "2019"])
    >>> v.phrases
    {('kafka',): 'Kafka'}
    """
    counts: dict[Phrase, Counter[str]] = {}
    for value in values:
        text = (value or "").strip()
        phrase = _phrase(text)
        if not phrase or len(phrase) > max_words or all(word.isdigit() for word in phrase):
            continue
        counts.setdefault(phrase, Counter())[text] += 1
    # most_common keeps first-seen order among equal counts, so ties go to the first spelling.
    kept = [
        spelled.most_common(1)[0][0] for spelled in counts.values() if spelled.total() >= min_count
    ]
    return Vocabulary.build(kept)


# --- cutting texts into words (polars) ---------------------------------------------------------

_ALNUM = r"[\p{L}\p{N}]"  # = str.isalnum(), the word characters of search_index.terms
# A word of search_index.terms, plus an optional leading dot and one character glued to its end
# (the case rule needs ".NET", "C." and "R&"); neither can start a word, so the words are the same.
_TOKEN = rf"\.?{_ALNUM}+(?:\.{_ALNUM}+)*[+#]*[.&'\-]?"
_GLUE = ".&'-"
# How a word may be spelled as a raw token: bare, after a dot (".net"), with a glued character.
_FORMS = tuple((lead, tail) for lead in ("", ".") for tail in ("", *_GLUE))


@cache
def _unstable() -> str:
    """A regex class of the characters for which folding does more than strip accents off a
    letter: combining marks (dropping one can join two words) and compatibility characters
    that NFKD turns into punctuation, digits or several words (½, ＋, …).

    A text without them can be cut into words first and each word folded alone (an accented
    letter folds to letters, so the cuts are the same); a text with them is stripped of accents
    whole first, the way ``terms.fold`` does.
    """
    codes = []
    for code in range(sys.maxunicode + 1):
        ch = chr(code)
        if unicodedata.combining(ch):
            codes.append(code)
        elif unicodedata.normalize("NFKD", ch) != ch:
            stripped = _strip_accents(ch)
            if not (ch.isalnum() and stripped.isalnum()):  # é → e is fine, ½ → 1⁄2 is not
                codes.append(code)
    ranges: list[list[int]] = []
    for code in codes:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1][1] = code
        else:
            ranges.append([code, code])
    return "[" + "".join(f"\\x{{{low:x}}}-\\x{{{high:x}}}" for low, high in ranges) + "]"


def _raw_words(texts: pl.Series) -> pl.DataFrame:
    """Every word of every text with its spelling: ``row`` (index of the text), ``pos`` (word
    number in the text) and ``raw`` (the word as written, see ``_TOKEN``)."""
    unstable = texts.str.contains(_unstable()).fill_null(False)
    if unstable.any():
        where = unstable.arg_true()
        stripped = [_strip_accents(text) for text in texts.gather(where).to_list()]
        texts = texts.clone().scatter(where, pl.Series(stripped, dtype=pl.String))
    return (
        pl.DataFrame({"raw": texts.str.extract_all(_TOKEN)})
        .with_row_index("row")
        .with_columns(pos=pl.int_ranges(0, pl.col("raw").list.len(), dtype=pl.Int64))
        .explode(["raw", "pos"])
        .drop_nulls("raw")
    )


def _folded(raw: pl.Series) -> pl.Series:
    """The words folded exactly as ``terms.fold`` does: Rust's lower case is case folding for
    ASCII; the few other words (accented names, other scripts) go through ``terms.fold``."""
    lower = raw.str.to_lowercase()
    other = raw.str.len_bytes() != raw.str.len_chars()
    if not other.any():
        return lower
    where = other.arg_true()
    folded = [fold(word) for word in raw.gather(where).to_list()]
    return lower.scatter(where, pl.Series(folded, dtype=pl.String))


@dataclass(frozen=True)
class _Lexicon:
    """The vocabularies' words as integers from 1 (``ids``), and what the filtering of a text's
    words needs, in those integers."""

    ids: dict[str, int]
    starts: list[int]  # first words of phrases
    pairs: list[int]  # adjacent words inside phrases, as left * base + right
    spelled: list[int]  # ambiguous words: their spelling and their left neighbour's are needed

    @property
    def base(self) -> int:
        return len(self.ids) + 1

    @cached_property
    def forms(self) -> pl.Enum:
        """Every raw spelling (folded) of every word, word-major: id = index // len(_FORMS) + 1.
        Casting words to this enum looks them all up at once (unknown words become null)."""
        return pl.Enum([lead + word + tail for word in self.ids for lead, tail in _FORMS])


def _lexicon(vocabularies: Sequence[Vocabulary]) -> _Lexicon:
    every = sorted(set().union(*(vocabulary.words for vocabulary in vocabularies)))
    ids = {word: n for n, word in enumerate(every, start=1)}
    phrases = [phrase for vocabulary in vocabularies for phrase in vocabulary.phrases]
    spelled = {phrase[0] for vocabulary in vocabularies for phrase in vocabulary.spellings}
    base = len(ids) + 1
    return _Lexicon(
        ids=ids,
        starts=sorted({ids[phrase[0]] for phrase in phrases}),
        pairs=sorted({ids[a] * base + ids[b] for phrase in phrases for a, b in pairwise(phrase)}),
        spelled=sorted(ids[word] for word in spelled),
    )


def _tokens(texts: pl.Series, lexicon: _Lexicon) -> pl.DataFrame:
    """The words of the texts that can be part of a phrase: ``row``, ``pos``, ``word`` (lexicon
    id), and for ambiguous words only ``raw`` (their spelling) and ``before`` (the spelling of
    the word before them in the text)."""
    frame = _raw_words(texts)
    form = _folded(frame["raw"]).cast(lexicon.forms, strict=False).to_physical()
    frame = frame.with_columns(word=(form // len(_FORMS) + 1).cast(pl.Int64))
    same_text = pl.col("row").shift(1) == pl.col("row")
    # A word inside a phrase follows a word it is paired with in that phrase; any other word is
    # needed only if a phrase starts with it. That leaves a fraction of all words.
    pair = pl.col("word").shift(1) * lexicon.base + pl.col("word")
    needed = pl.col("word").is_in(lexicon.starts) | (same_text & pair.is_in(lexicon.pairs))
    spelled = pl.col("word").is_in(lexicon.spelled)
    return (
        frame.select(
            "row",
            "pos",
            "word",
            pl.when(spelled).then("raw").alias("raw"),
            pl.when(spelled & same_text).then(pl.col("raw").shift(1)).alias("before"),
            needed.fill_null(False).alias("needed"),
        )
        .filter("needed")
        .drop("needed")
    )


# --- finding the phrases -----------------------------------------------------------------------

_HASH_SEED = 20_240_301  # any fixed seed: texts and phrases are hashed in the same process


def _with_following(tokens: pl.DataFrame, width: int) -> pl.DataFrame:
    """Adds ``w0``..``w{width-1}``: the ids of each kept word and of the words right after it in
    the same text (null from the first word no phrase can continue with)."""
    following = [pl.col("word").alias("w0")]
    for k in range(1, width):
        consecutive = (pl.col("row").shift(-k) == pl.col("row")) & (
            pl.col("pos").shift(-k) == pl.col("pos") + k
        )
        following.append(pl.when(consecutive).then(pl.col("word").shift(-k)).alias(f"w{k}"))
    return tokens.with_columns(following)


def _keys(frame: pl.DataFrame, width: int, base: int) -> pl.DataFrame:
    """Adds ``k1``..``k{width}``: the look-up key of the first n words (null unless all are there).

    While ``base ** n`` fits in 63 bits the key is the number with the word ids as digits in
    ``base`` — exact, and different for different lengths since ids start at 1; longer runs
    get a 64-bit hash, which the look-up confirms word by word. Texts and phrases are keyed by
    this same function.
    """
    frame = frame.with_columns(k1=pl.col("w0"))
    for n in range(2, width + 1):
        present = pl.col(f"w{n - 1}").is_not_null()
        if base**n < 2**63:
            key = pl.col(f"k{n - 1}") * base + pl.col(f"w{n - 1}")
        else:
            key = pl.struct([f"w{k}" for k in range(n)]).hash(_HASH_SEED).reinterpret(signed=True)
        frame = frame.with_columns(pl.when(present).then(key).alias(f"k{n}"))
    return frame


@dataclass(frozen=True)
class _Compiled:
    """A vocabulary in lexicon ids. Phrase ``i`` has ``words[i]`` and display ``shown[i]``;
    ``allowed[i]`` are the spellings an ambiguous phrase ``i`` counts under; ``index`` maps keys
    to phrases and ``keys[n]`` lists the keys of the n-word phrases."""

    words: list[tuple[int, ...]]
    shown: list[str]
    allowed: dict[int, frozenset[str]]
    index: dict[int, int]
    keys: dict[int, list[int]]

    @property
    def width(self) -> int:
        return max(self.keys, default=0)

    @cached_property
    def displays(self) -> pl.Series:
        """The distinct display forms (aliases share their term's)."""
        return pl.Series(list(dict.fromkeys(self.shown)), dtype=pl.String)

    @cached_property
    def display(self) -> pl.Series:
        """Per phrase, the index of its display form in ``displays``."""
        numbers = {shown: n for n, shown in enumerate(self.displays)}
        return pl.Series([numbers[shown] for shown in self.shown], dtype=pl.Int64)

    @cached_property
    def word_columns(self) -> list[pl.Series]:
        """Word ``k`` of every phrase (null past its end), to compare candidates with."""
        return [
            pl.Series(
                [phrase[k] if k < len(phrase) else None for phrase in self.words], dtype=pl.Int64
            )
            for k in range(self.width)
        ]


def _compile(vocabulary: Vocabulary, lexicon: _Lexicon) -> _Compiled:
    words = [tuple(lexicon.ids[word] for word in phrase) for phrase in vocabulary.phrases]
    if not words:
        return _Compiled([], [], {}, {}, {})
    width = vocabulary.max_words
    columns = {f"w{k}": [p[k] if k < len(p) else None for p in words] for k in range(width)}
    frame = _keys(
        pl.DataFrame(columns, schema=dict.fromkeys(columns, pl.Int64)), width, lexicon.base
    )
    # Keys past a phrase's length are null: its key is the longest non-null one.
    key = pl.coalesce(pl.col(f"k{n}") for n in range(width, 0, -1))
    phrase_keys = frame.select(key.alias("key"))["key"].to_list()
    keys: dict[int, list[int]] = {}
    for phrase, phrase_key in zip(words, phrase_keys, strict=True):
        keys.setdefault(len(phrase), []).append(phrase_key)
    return _Compiled(
        words=words,
        shown=list(vocabulary.phrases.values()),
        allowed={
            n: vocabulary.spellings[phrase]
            for n, phrase in enumerate(vocabulary.phrases)
            if phrase in vocabulary.spellings
        },
        index={phrase_key: n for n, phrase_key in enumerate(phrase_keys)},
        keys=keys,
    )


def _candidates(grams: pl.DataFrame, vocabulary: _Compiled) -> pl.DataFrame:
    """Per kept word where a phrase of ``vocabulary`` starts: the longest one (``size`` words,
    ``phrase`` index), in text order."""
    sizes = sorted(vocabulary.keys, reverse=True)
    longest = pl.max_horizontal(
        pl.when(pl.col(f"k{n}").is_in(vocabulary.keys[n])).then(n) for n in sizes
    )
    key = pl.coalesce(pl.when(pl.col("size") == n).then(pl.col(f"k{n}")) for n in sizes)
    phrase = key.replace_strict(vocabulary.index, default=None, return_dtype=pl.Int64)
    # A hash shared by other words drops the candidate (astronomically rare): never a false match.
    same_words = pl.all_horizontal(
        (pl.col("size") <= k) | (pl.col(f"w{k}") == pl.lit(column).gather(pl.col("phrase")))
        for k, column in enumerate(vocabulary.word_columns)
    )
    return (
        grams.with_columns(size=longest)
        .filter(pl.col("size").is_not_null())
        .with_columns(phrase=phrase)
        .filter(same_words)
        .select("row", "pos", "size", "phrase", "raw", "before")
    )


def _found(grams: pl.DataFrame, vocabulary: _Compiled, count: int) -> pl.Series:
    """For each of ``count`` texts, the display forms of the phrases it names: distinct, in order
    of first mention (a List[String] Series, one row per text)."""
    if not vocabulary.keys:
        return _per_text(_NO_NAMES, count)
    candidates = _written_as_listed_only(_candidates(grams, vocabulary), vocabulary)
    names = (
        _leftmost_longest(candidates)
        .with_columns(display=pl.lit(vocabulary.display).gather(pl.col("phrase")))
        .unique(subset=["row", "display"], keep="first", maintain_order=True)
        .with_columns(shown=pl.lit(vocabulary.displays).gather(pl.col("display")))
        .group_by("row", maintain_order=True)
        .agg("shown")
    )
    return _per_text(names, count)


_NO_NAMES = pl.DataFrame(schema={"row": pl.UInt32, "shown": pl.List(pl.String)})


def _per_text(names: pl.DataFrame, count: int) -> pl.Series:
    """The ``shown`` lists of ``names`` (by ``row``) for rows ``0..count-1``; empty if absent."""
    rows = pl.DataFrame({"row": pl.int_range(count, dtype=pl.UInt32, eager=True)})
    joined = rows.join(names, on="row", how="left").sort("row")
    return joined["shown"].fill_null(pl.lit([], dtype=pl.List(pl.String)))


def _written_as_listed_only(candidates: pl.DataFrame, vocabulary: _Compiled) -> pl.DataFrame:
    """Drops the ambiguous words not written as listed. They are checked in Python: few."""
    numbered = candidates.with_row_index("candidate")
    ambiguous = numbered.filter(pl.col("phrase").is_in(list(vocabulary.allowed)))
    columns = [ambiguous[name].to_list() for name in ("candidate", "phrase", "raw", "before")]
    refused = [
        candidate
        for candidate, phrase, raw, before in zip(*columns, strict=True)
        if not _written_as_listed(raw, before, vocabulary.allowed[phrase])
    ]
    return numbered.filter(~pl.col("candidate").is_in(refused)).drop("candidate")


_ROUNDS = 4  # vectorised rounds of _leftmost_longest before walking the candidates in Python


def _leftmost_longest(candidates: pl.DataFrame) -> pl.DataFrame:
    """The candidates a left-to-right walk keeps, skipping any that starts inside the last kept
    phrase of its text (each candidate is already the longest phrase at its position).

    Vectorised as a fixed point: keep what no earlier kept candidate covers, starting from all
    kept. Round ``i`` is right about the first ``i`` candidates of a chain of overlaps (A covers
    B, B would cover C, …); real texts settle in two or three rounds. Longer chains (a phrase
    repeated back to back) are walked in Python.
    """
    # Positions of all texts on one line (a text's words stay below 2**32), so that one running
    # maximum of the kept candidates' ends tells whether a candidate starts inside one of them.
    start = pl.col("row").cast(pl.Int64) * 2**32 + pl.col("pos")
    frame = candidates.with_columns(start=start, end=start + pl.col("size"))
    kept = pl.Series("kept", [True] * frame.height, dtype=pl.Boolean)
    for _ in range(_ROUNDS):
        reach = pl.when(kept).then(pl.col("end")).otherwise(-1).cum_max().shift(1, fill_value=-1)
        again = frame.select((reach <= pl.col("start")).alias("kept")).to_series()
        if again.equals(kept):
            break
        kept = again
    else:
        kept = _walk_left_to_right(frame["start"].to_list(), frame["end"].to_list())
    return frame.filter(kept).drop("start", "end")


def _walk_left_to_right(starts: list[int], ends: list[int]) -> pl.Series:
    """Which candidates (sorted by start) a left-to-right walk keeps, one at a time."""
    kept, reach = [], -1
    for start, end in zip(starts, ends, strict=True):
        kept.append(start >= reach)
        if start >= reach:
            reach = end
    return pl.Series("kept", kept, dtype=pl.Boolean)


def _written_as_listed(raw: str | None, before: str | None, allowed: frozenset[str]) -> bool:
    """Whether an ambiguous word counts, spelled ``raw`` in the text (with its glued character)
    after the word spelled ``before`` (see the module docstring).

    >>> go, c, net = frozenset({"Go"}), frozenset({"C"}), frozenset({".NET"})
    >>> [_written_as_listed(raw, "Sr.", go) for raw in ("Go", "go", "Go.", "Go-", "GO")]
    [True, False, True, False, False]
    >>> [_written_as_listed(raw, before, c) for raw, before in
    ...  [("C", None), ("C.", "John"), ("C&", None), ("C", "Objective-"), ("C", "P&")]]
    [True, False, False, False, False]
    >>> [_written_as_listed(raw, before, net) for raw, before in
    ...  [(".NET", None), ("NET", "C#."), ("NET", None), ("Net", "C#.")]]
    [True, True, False, False]
    """
    if raw is None:
        return False
    spelling = raw.rstrip(_GLUE)
    glued_after = raw[len(spelling) :]
    glued_before = before[-1] if before and before[-1] in _GLUE else ""
    if spelling not in allowed:
        # "C#.NET": the dot of .NET was taken as the end of the word before.
        if glued_before != "." or "." + spelling not in allowed:
            return False
        spelling = "." + spelling
    letters = len(spelling.lstrip("."))
    if letters > 2:
        return True
    if glued_after in ("&", "'", "-") or glued_before in ("&", "'", "-"):
        return False  # part of R&D, C-suite, Go-Live, Objective-C, P&C
    return not (letters == 1 and glued_after == ".")  # an initial: John C. Smith


@dataclass(frozen=True)
class _Matcher:
    """Vocabularies ready to be matched together: one lexicon, each vocabulary compiled to it."""

    lexicon: _Lexicon
    vocabularies: list[_Compiled]

    @classmethod
    def of(cls, vocabularies: Sequence[Vocabulary]) -> _Matcher:
        lexicon = _lexicon(vocabularies)
        return cls(lexicon, [_compile(vocabulary, lexicon) for vocabulary in vocabularies])

    def find(self, texts: pl.Series) -> list[pl.Series]:
        """Per vocabulary, per text, the display forms of the phrases it names (one List[String]
        Series per vocabulary, aligned with ``texts``)."""
        texts = texts.cast(pl.String)
        width = max((vocabulary.width for vocabulary in self.vocabularies), default=0)
        if not width or texts.is_empty():
            return [_per_text(_NO_NAMES, len(texts)) for _ in self.vocabularies]
        starts = _with_following(_tokens(texts, self.lexicon), width).filter(
            pl.col("word").is_in(self.lexicon.starts)
        )
        grams = _keys(starts, width, self.lexicon.base)
        return [_found(grams, vocabulary, len(texts)) for vocabulary in self.vocabularies]


def extract(text: str | None, vocabulary: Vocabulary) -> list[str]:
    """Display forms of the ``vocabulary`` phrases ``text`` names as whole words, distinct, in
    order of first mention (rules in the module docstring).

    >>> skills = Vocabulary.build(["C", "C++", "C#", ".NET", "Node.js", "Java", "R"])
    >>> extract("Développeur C#/.NET, C++ et node.js; JavaScript, R&D, Java, java", skills)
    ['C#', '.NET', 'C++', 'Node.js', 'Java']
    >>> titles = Vocabulary.build(["Machine Learning Engineer", "Engineer"])
    >>> extract("Senior Machine Learning Engineer", titles), extract(None, titles)
    (['Machine Learning Engineer'], [])
    """
    return vocabulary._matcher.find(pl.Series([text], dtype=pl.String))[0][0].to_list()


RESUME_TERMS_SCHEMA = {"resume_skills": pl.List(pl.String), "resume_titles": pl.List(pl.String)}


def extract_resume_terms(texts: pl.Series, skills: Vocabulary, titles: Vocabulary) -> pl.DataFrame:
    """One row per text: the ``resume_skills`` and ``resume_titles`` it names (empty lists for a
    null or empty text), each distinct and in order of first mention.

    >>> texts = pl.Series(["Data Engineer: Spark, SQL", None])
    >>> out = extract_resume_terms(texts, Vocabulary.build(["SQL", "Spark"]),
    ...                            Vocabulary.build(["Data Engineer"]))
    >>> out.rows()
    [(['Spark', 'SQL'], ['Data Engineer']), ([], [])]
    """
    found_skills, found_titles = _Matcher.of((skills, titles)).find(texts)
    return pl.DataFrame(
        {"resume_skills": found_skills, "resume_titles": found_titles}, schema=RESUME_TERMS_SCHEMA
    )
