"""SQL tables of the store (SQLAlchemy 2.x declarative).

Names follow ``shared/design/domain.md``. Places are stored as GB/T 2260 division
codes plus raw text; money as integer yuan; dates as ISO dates. Every imported record
keeps the import run that brought it.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def table_of(model: type[Base]) -> Table:
    """The Core table of a mapped class (Core statements skip the ORM's per-row work)."""
    return cast(Table, model.__table__)


# --- registry -------------------------------------------------------------------


class Organization(Base):
    """A college, enterprise, association or authority."""

    __tablename__ = "organization"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    city_code: Mapped[str | None] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(6))
    address: Mapped[str | None] = mapped_column(String(300))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Major(Base):
    """A row of the MOE vocational major catalog: a category, class or major."""

    __tablename__ = "major"
    __table_args__ = (UniqueConstraint("level", "code", name="uq_major_level_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    catalog: Mapped[str] = mapped_column(String(32), default="MOE_VOCATIONAL_2021")
    level: Mapped[str] = mapped_column(String(16))  # secondary | associate | bachelor
    item_level: Mapped[str] = mapped_column(String(16))  # category | class | major
    code: Mapped[str] = mapped_column(String(12), index=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    parent_code: Mapped[str | None] = mapped_column(String(12))
    category_code: Mapped[str] = mapped_column(String(4))
    category_name: Mapped[str] = mapped_column(String(100))
    class_code: Mapped[str | None] = mapped_column(String(8))
    class_name: Mapped[str | None] = mapped_column(String(100))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class Occupation(Base):
    """An occupation in the style of 国家职业分类大典 (2022), e.g. ``4-02-06-03``."""

    __tablename__ = "occupation"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    group_code: Mapped[str | None] = mapped_column(String(20))
    description: Mapped[str | None] = mapped_column(Text)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class MajorOccupation(Base):
    """The 对口 relation: occupations a major prepares for."""

    __tablename__ = "major_occupation"

    major_id: Mapped[int] = mapped_column(
        ForeignKey("major.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_id: Mapped[int] = mapped_column(
        ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    )
    strength: Mapped[str] = mapped_column(String(16), default="primary")  # primary | related
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class CollegeMajor(Base):
    """A major offered by a college."""

    __tablename__ = "college_major"
    __table_args__ = (
        UniqueConstraint("organization_id", "major_id", name="uq_college_major_org_major"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    major_id: Mapped[int] = mapped_column(ForeignKey("major.id"))
    start_year: Mapped[int | None] = mapped_column(Integer)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))

    directions: Mapped[list[Direction]] = relationship(back_populates="college_major")


class Direction(Base):
    """A named track inside a college's major (专业方向)."""

    __tablename__ = "direction"
    __table_args__ = (UniqueConstraint("college_major_id", "name_zh", name="uq_direction_cm_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    college_major_id: Mapped[int] = mapped_column(
        ForeignKey("college_major.id", ondelete="CASCADE")
    )
    name_zh: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str | None] = mapped_column(String(200))
    start_year: Mapped[int | None] = mapped_column(Integer)

    college_major: Mapped[CollegeMajor] = relationship(back_populates="directions")


class Cohort(Base):
    """Yearly enrollment and graduate counts of a college major (or one of its directions).

    ``direction_key`` is the direction id or 0 for the major as a whole, so that the
    uniqueness rule also holds where there is no direction (NULLs are distinct in SQL).
    """

    __tablename__ = "cohort"
    __table_args__ = (
        UniqueConstraint("college_major_id", "direction_key", "year", name="uq_cohort_cm_dir_year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    college_major_id: Mapped[int] = mapped_column(
        ForeignKey("college_major.id", ondelete="CASCADE")
    )
    direction_id: Mapped[int | None] = mapped_column(ForeignKey("direction.id", ondelete="CASCADE"))
    direction_key: Mapped[int] = mapped_column(Integer, default=0)
    year: Mapped[int] = mapped_column(Integer)
    enrolled: Mapped[int | None] = mapped_column(Integer)
    graduated: Mapped[int | None] = mapped_column(Integer)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


# --- accounts ------------------------------------------------------------------


class User(Base):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True, info={"personal": "identifier"})
    display_name: Mapped[str] = mapped_column(String(100), info={"personal": "name"})
    email: Mapped[str | None] = mapped_column(String(200), info={"personal": "contact"})
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20), index=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    locale: Mapped[str] = mapped_column(String(5), default="zh")
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    locked_until: Mapped[dt.datetime | None] = mapped_column(DateTime)  # login lockout
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # erased (PIPL art. 47)


class ApiToken(Base):
    """A bearer token for programmatic clients; only its SHA-256 is stored."""

    __tablename__ = "api_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    last_used_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class Profile(Base):
    """A student's or graduate's record. Fields marked personal identify a person."""

    __tablename__ = "profile"
    __table_args__ = (
        UniqueConstraint("organization_id", "student_no", name="uq_profile_org_student_no"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int] = mapped_column(
        ForeignKey("organization.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL"), unique=True
    )
    college_major_id: Mapped[int | None] = mapped_column(ForeignKey("college_major.id"))
    direction_id: Mapped[int | None] = mapped_column(ForeignKey("direction.id"))
    student_no: Mapped[str] = mapped_column(String(40), info={"personal": "identifier"})
    name: Mapped[str] = mapped_column(String(100), info={"personal": "name"})
    phone: Mapped[str | None] = mapped_column(String(40), info={"personal": "contact"})
    email: Mapped[str | None] = mapped_column(String(200), info={"personal": "contact"})
    graduation_year: Mapped[int] = mapped_column(Integer, index=True)
    visible_to_employers: Mapped[bool] = mapped_column(Boolean, default=False)
    # PIPL art. 24: a person may refuse decisions made only by automated ranking; such a
    # profile is listed by plain rules (newest first), never scored.
    ranking_opt_out: Mapped[bool] = mapped_column(Boolean, default=False, server_default="0")
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    deleted_at: Mapped[dt.datetime | None] = mapped_column(DateTime)  # erased (PIPL art. 47)


class AuditEvent(Base):
    """Append-only record of sensitive actions (reads of personal records, logins…)."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40))
    target_type: Mapped[str | None] = mapped_column(String(40))
    target_id: Mapped[int | None] = mapped_column(Integer)
    organization_id: Mapped[int | None] = mapped_column(Integer, index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    purpose: Mapped[str | None] = mapped_column(String(80))  # why a personal record was read


# --- skill taxonomy ------------------------------------------------------------


class Taxonomy(Base):
    """A taxonomy version: our bundled one, ESCO, or a college's own list."""

    __tablename__ = "taxonomy"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_taxonomy_code_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64))  # e.g. talentbridge, esco, college-C01
    version: Mapped[str] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    source: Mapped[str | None] = mapped_column(String(500))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    content_sha256: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Concept(Base):
    """A taxonomy concept: a skill, knowledge area, tool, certificate, language or soft
    skill, or a cluster/group of them. ``key`` is the stable id (``tb.customs.hs``, an
    ESCO URI …) and is unique inside its taxonomy."""

    __tablename__ = "concept"
    __table_args__ = (UniqueConstraint("taxonomy_id", "key", name="uq_concept_taxonomy_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taxonomy_id: Mapped[int] = mapped_column(
        ForeignKey("taxonomy.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(16), index=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("concept.id", ondelete="SET NULL"))
    label_zh: Mapped[str | None] = mapped_column(String(200))
    label_en: Mapped[str | None] = mapped_column(String(300))
    description_zh: Mapped[str | None] = mapped_column(Text)
    description_en: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="active")


class ConceptLabel(Base):
    """Every surface form of a concept: preferred labels, aliases and abbreviations."""

    __tablename__ = "concept_label"
    __table_args__ = (UniqueConstraint("concept_id", "lang", "text", name="uq_concept_label_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concept.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(8))  # zh | en | any (abbreviations)
    text: Mapped[str] = mapped_column(String(300))
    label_type: Mapped[str] = mapped_column(String(16))  # preferred | alias | abbreviation


class ConceptOccupation(Base):
    __tablename__ = "concept_occupation"

    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concept.id", ondelete="CASCADE"), primary_key=True
    )
    occupation_id: Mapped[int] = mapped_column(
        ForeignKey("occupation.id", ondelete="CASCADE"), primary_key=True
    )


class ConceptMajor(Base):
    __tablename__ = "concept_major"

    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concept.id", ondelete="CASCADE"), primary_key=True
    )
    major_id: Mapped[int] = mapped_column(
        ForeignKey("major.id", ondelete="CASCADE"), primary_key=True
    )


class PostingConcept(Base):
    """A concept found in a posting: the span, how sure, and required/preferred/negated."""

    __tablename__ = "posting_concept"
    __table_args__ = (Index("ix_posting_concept_concept", "concept_id", "posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    surface: Mapped[str] = mapped_column(String(300))
    confidence: Mapped[float] = mapped_column(default=1.0)
    strength: Mapped[str] = mapped_column(String(12), default="required")  # required|preferred
    negated: Mapped[bool] = mapped_column(Boolean, default=False)
    taxonomy_version: Mapped[str] = mapped_column(String(80))


class CandidatePhrase(Base):
    """A phrase that recurs in requirement sentences but matches no concept yet."""

    __tablename__ = "candidate_phrase"
    __table_args__ = (UniqueConstraint("lang", "phrase", name="uq_candidate_phrase"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lang: Mapped[str] = mapped_column(String(8))
    phrase: Mapped[str] = mapped_column(String(200))
    postings: Mapped[int] = mapped_column(Integer, default=0)
    recent_postings: Mapped[int] = mapped_column(Integer, default=0)
    first_month: Mapped[str | None] = mapped_column(String(7))
    last_month: Mapped[str | None] = mapped_column(String(7))
    example: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="new")  # new|accepted|dismissed
    concept_id: Mapped[int | None] = mapped_column(ForeignKey("concept.id", ondelete="SET NULL"))
    suggested_concept_id: Mapped[int | None] = mapped_column(
        ForeignKey("concept.id", ondelete="SET NULL")
    )
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- postings ------------------------------------------------------------------


class Posting(Base):
    """One advertised job, cleaned and normalized; duplicates merged into one posting.

    Money is integer yuan per month (min, max) plus months paid; places are GB/T 2260
    codes plus the raw text; ``posted_month`` (``YYYY-MM``) is what the demand cube
    groups by. Every source it came from is a ``PostingSource``.
    """

    __tablename__ = "posting"
    __table_args__ = (Index("ix_posting_city_month", "city_code", "posted_month"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    employer_name: Mapped[str] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    occupation_id: Mapped[int | None] = mapped_column(ForeignKey("occupation.id"), index=True)
    occupation_confidence: Mapped[float | None] = mapped_column()
    extracted_version: Mapped[str | None] = mapped_column(String(80))
    industry: Mapped[str | None] = mapped_column(String(200))
    salary_text: Mapped[str | None] = mapped_column(String(100))
    salary_min: Mapped[int | None] = mapped_column(Integer)
    salary_max: Mapped[int | None] = mapped_column(Integer)
    salary_months: Mapped[int | None] = mapped_column(Integer)
    salary_negotiable: Mapped[bool] = mapped_column(Boolean, default=False)
    place_text: Mapped[str | None] = mapped_column(String(200))
    province_code: Mapped[str | None] = mapped_column(String(6))
    city_code: Mapped[str | None] = mapped_column(String(6))
    district_code: Mapped[str | None] = mapped_column(String(6))
    in_circle: Mapped[bool] = mapped_column(Boolean, default=False)
    education_level: Mapped[int | None] = mapped_column(Integer)
    education_text: Mapped[str | None] = mapped_column(String(50))
    experience_min: Mapped[int | None] = mapped_column(Integer)
    experience_max: Mapped[int | None] = mapped_column(Integer)
    fresh_graduate: Mapped[bool] = mapped_column(Boolean, default=False)
    openings: Mapped[int | None] = mapped_column(Integer)
    posted_on: Mapped[dt.date | None] = mapped_column(Date)
    posted_month: Mapped[str | None] = mapped_column(String(7), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    requirements: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Not indexed: near duplicates are found through ``PostingBand``; the block key
    # only confirms a candidate (an index on it cost a random insert per posting).
    block_key: Mapped[str] = mapped_column(String(100))
    fingerprint: Mapped[int] = mapped_column(BigInteger)  # dedup MinHash, signed 64-bit
    attributes: Mapped[dict[str, str] | None] = mapped_column(JSON)
    flag_count: Mapped[int] = mapped_column(Integer, default=0)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PostingSource(Base):
    """Where a posting was seen: board, external id, file and row (provenance).

    ``relation`` says how the row joined its posting: ``original``, ``exact`` or
    ``near`` duplicate. (file_sha256, row_number) is unique, so re-importing a file, or
    finishing an interrupted import, adds nothing twice.
    """

    __tablename__ = "posting_source"
    __table_args__ = (
        UniqueConstraint("file_sha256", "row_number", name="uq_posting_source_file_row"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    import_run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id"), index=True)
    source: Mapped[str] = mapped_column(String(100))
    source_ref: Mapped[str | None] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str] = mapped_column(String(64))
    row_number: Mapped[int] = mapped_column(Integer)
    relation: Mapped[str] = mapped_column(String(16), default="original")
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class PostingBand(Base):
    """Near-duplicate search keys of a posting (see ``pipeline.dedup.band_keys``).

    On SQLite a ``WITHOUT ROWID`` table: the primary key is the only B-tree besides the
    ``posting_id`` index, rather than a rowid table plus a separate key index.
    """

    __tablename__ = "posting_band"
    __table_args__ = ({"sqlite_with_rowid": False},)

    band: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class PostingFlag(Base):
    """A discriminatory requirement found at intake: the phrase, the rule and the law."""

    __tablename__ = "posting_flag"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    rule: Mapped[str] = mapped_column(String(32), index=True)
    phrase: Mapped[str] = mapped_column(String(200))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    law: Mapped[str] = mapped_column(String(300))


# --- imports -------------------------------------------------------------------


class ImportRun(Base):
    """One run of an importer over one file: what was read, stored and rejected."""

    __tablename__ = "import_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32), index=True)
    source: Mapped[str | None] = mapped_column(String(100))
    file_name: Mapped[str] = mapped_column(String(500))
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    started_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    status: Mapped[str] = mapped_column(String(16), default="running")
    rows_read: Mapped[int] = mapped_column(Integer, default=0)
    rows_stored: Mapped[int] = mapped_column(Integer, default=0)
    rows_unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rows_duplicate: Mapped[int] = mapped_column(Integer, default=0)
    rows_rejected: Mapped[int] = mapped_column(Integer, default=0)
    rejects_path: Mapped[str | None] = mapped_column(String(500))
    message: Mapped[str | None] = mapped_column(Text)
    user_id: Mapped[int | None] = mapped_column(Integer)


class RejectedRow(Base):
    __tablename__ = "rejected_row"
    __table_args__ = (Index("ix_rejected_row_run", "import_run_id", "row_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    import_run_id: Mapped[int] = mapped_column(ForeignKey("import_run.id", ondelete="CASCADE"))
    row_number: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(100))
    reason: Mapped[str] = mapped_column(Text)
    raw: Mapped[dict[str, object] | None] = mapped_column(JSON, info={"personal": "raw_row"})


class Setting(Base):
    """Small key/value facts about the store itself (e.g. that it holds sample data)."""

    __tablename__ = "store_setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    updated_on: Mapped[dt.date | None] = mapped_column(Date)


# The other table modules register on the same metadata; importing them here makes
# ``Base.metadata`` complete for whoever imports this module (Alembic, tests).
from talentbridge.store import (  # noqa: E402, F401
    demand_tables,
    library_tables,
    matching_tables,
    outcomes_tables,
    teaching_tables,
    trust_tables,
)
