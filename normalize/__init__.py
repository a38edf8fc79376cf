"""Canonicalisation library: pure, typed functions that turn raw ATS and profile values into
the canonical forms of the table contracts (ARCHITECTURE.md §5).

One concern per module: ``text`` (null handling, HTML to text), ``urls`` (LinkedIn/GitHub and
other URLs), ``contacts`` (e-mail, phone, postal code), ``names`` (display, matching keys,
splitting), ``nicknames`` (equivalence data) and ``documents`` (PDF/DOCX/text extraction).
No Dagster imports: callers in ``assets`` and ``linkage`` wrap these.
"""
