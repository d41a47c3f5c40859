"""The normalize step: one row's canonical fields → a ``PostingDraft`` or a rejection.

Pure: no I/O, no store. Each field goes through its own normalizer (salary, place,
education, experience, date, text cleaning) and the compliance check; a row is rejected
only when it cannot be a posting at all (no title, no employer and no text, absurd size).
A field that cannot be parsed (an odd salary, say) leaves that field empty and keeps
its raw text, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from talentbridge.domain.dates import parse_posting_date
from talentbridge.domain.education import Education, parse_education, parse_experience
from talentbridge.domain.place import parse_place
from talentbridge.domain.salary import parse_salary
from talentbridge.pipeline.clean import clean_text, split_sections
from talentbridge.pipeline.compliance import ComplianceFlag, check_posting

MAX_TITLE = 200
MAX_EMPLOYER = 200
MAX_DESCRIPTION_CHARS = 1_000_000
# Place, salary, experience, education, openings and date texts repeat heavily across
# postings (a few hundred distinct places in 20,000 rows), and so do titles and employer
# names; the parsers and the one-line cleaning are pure and return frozen values (or
# strings), so memoizing them is safe and takes a good part off this step
# (benchmarks/ingest_bench.py).
_parse_place = lru_cache(maxsize=8192)(parse_place)
_parse_salary = lru_cache(maxsize=8192)(parse_salary)
_parse_experience = lru_cache(maxsize=1024)(parse_experience)
_parse_education = lru_cache(maxsize=1024)(parse_education)
_parse_posting_date = lru_cache(maxsize=4096)(parse_posting_date)
MEMO_CHARS = 200  # longer texts are not memoized (a cache entry per huge cell)
_OPENINGS = re.compile(r"(\d{1,5})\s*(?:人|名|个|位|openings?|positions?|people)?")


@dataclass(frozen=True)
class Rejection:
    field: str | None
    reason: str


@dataclass
class PostingDraft:
    """A normalized posting before deduplication and loading."""

    title: str
    employer_name: str
    description: str
    requirements: str
    salary_text: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    salary_months: int | None = None
    salary_negotiable: bool = False
    salary_parsed: bool = False
    place_text: str | None = None
    province_code: str | None = None
    city_code: str | None = None
    district_code: str | None = None
    in_circle: bool = False
    education_level: int | None = None
    education_text: str | None = None
    experience_min: int | None = None
    experience_max: int | None = None
    fresh_graduate: bool = False
    openings: int | None = None
    posted_on: dt.date | None = None
    industry: str | None = None
    source_ref: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
    flags: list[ComplianceFlag] = field(default_factory=list)

    @property
    def posted_month(self) -> str | None:
        return self.posted_on.strftime("%Y-%m") if self.posted_on else None


def _one_line(text: str | None, limit: int) -> str:
    if not text:
        return ""
    if len(text) > MEMO_CHARS:
        return _one_line_of.__wrapped__(text, limit)
    return _one_line_of(text, limit)


@lru_cache(maxsize=16384)
def _one_line_of(text: str, limit: int) -> str:
    cleaned = clean_text(text).replace("\n", " ").strip()
    return cleaned[:limit] if len(cleaned) > limit else cleaned


def parse_openings(text: str | None) -> int | None:
    """``招3人``/``2人``/``5`` → the number; ``若干``/empty → None."""
    if not text:
        return None
    if len(text) > MEMO_CHARS:
        return _openings_of.__wrapped__(text)
    return _openings_of(text)


@lru_cache(maxsize=1024)
def _openings_of(text: str) -> int | None:
    match = _OPENINGS.search(unicodedata.normalize("NFKC", text))
    if match is None:
        return None
    value = int(match.group(1))
    return value if 0 < value <= 10_000 else None


def normalize_posting(
    fields: Mapping[str, str],
    *,
    reference: dt.date,
    attributes: Mapping[str, str] | None = None,
) -> PostingDraft | Rejection:
    """Normalize one row's canonical fields (see ``pipeline.columns``)."""
    raw_title = fields.get("title", "") or ""
    title = _one_line(raw_title, 10_000)
    if not title:
        return Rejection("title", "title is empty")
    if len(title) > MAX_TITLE:
        return Rejection("title", f"title is {len(title)} characters long (limit {MAX_TITLE})")
    raw_description = fields.get("description", "") or ""
    if len(raw_description) > MAX_DESCRIPTION_CHARS:
        return Rejection(
            "description",
            f"description is {len(raw_description):,} characters (limit {MAX_DESCRIPTION_CHARS:,})",
        )
    employer = _one_line(fields.get("company"), MAX_EMPLOYER + 1)
    description = clean_text(raw_description)
    if not employer and not description:
        return Rejection("company", "neither an employer nor a description is given")
    if len(employer) > MAX_EMPLOYER:
        return Rejection("company", f"employer name longer than {MAX_EMPLOYER} characters")

    draft = PostingDraft(
        title=title,
        employer_name=employer,
        description=description,
        requirements=split_sections(description).requirements if description else "",
        industry=_one_line(fields.get("industry"), 200) or None,
        source_ref=_one_line(fields.get("source_id"), 200) or None,
        attributes=dict(attributes or {}),
    )
    _salary(draft, fields.get("salary"))
    _place(draft, fields.get("location"), fields.get("address"))
    _education(draft, fields.get("education"), fields.get("experience"))
    draft.openings = parse_openings(fields.get("openings"))
    draft.posted_on = _posted_on(fields.get("posted"), reference)
    draft.flags = check_posting(f"{title}\n{description}")
    return draft


def _salary(draft: PostingDraft, text: str | None) -> None:
    raw = (text or "").strip()
    if not raw:
        return
    draft.salary_text = raw[:100]
    salary = _parse_salary(raw)
    if salary is None:
        return
    draft.salary_parsed = True
    draft.salary_negotiable = salary.negotiable
    draft.salary_min, draft.salary_max = salary.min_monthly, salary.max_monthly
    draft.salary_months = salary.months if salary.is_known else None


def _place(draft: PostingDraft, location: str | None, address: str | None) -> None:
    raw = (location or "").strip()
    draft.place_text = raw[:200] or None
    place = _parse_place(raw) if raw else None
    if place is None and address:
        place = _parse_place(address)
    if place is None:
        return
    draft.province_code = place.province_code
    draft.city_code = place.city_code
    draft.district_code = place.district_code
    draft.in_circle = place.in_circle


def _posted_on(text: str | None, reference: dt.date) -> dt.date | None:
    if text is not None and len(text) > MEMO_CHARS:
        return parse_posting_date(text, reference=reference)
    return _parse_posting_date(text, reference=reference)


def _education_level(text: str | None) -> Education | None:
    if text is not None and len(text) > MEMO_CHARS:
        return parse_education(text)
    return _parse_education(text)


def _education(draft: PostingDraft, education: str | None, experience: str | None) -> None:
    # Exports shift a column now and then: "本科" under 工作经验 and 学历 empty.
    if (
        not education
        and experience
        and _parse_experience(experience) is None
        and _education_level(experience) is not None
    ):
        education, experience = experience, None
    if education:
        draft.education_text = education.strip()[:50] or None
        level = _education_level(education)
        draft.education_level = int(level) if level is not None else None
    if experience:
        exp = _parse_experience(experience)
        if exp is not None:
            draft.experience_min, draft.experience_max = exp.min_years, exp.max_years
            draft.fresh_graduate = exp.fresh_graduate
