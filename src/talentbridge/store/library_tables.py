"""Tables of the bilingual resource libraries and the concept-based term base (issue 7).

A library (双语资源库) holds resources; a resource has bilingual metadata, a file or a
link, and links to the majors and skill concepts it teaches and the term-base concepts
it mentions. The term base is concept-oriented as in TBX (ISO 30042): a term concept
has a subject field and definitions; each language section holds terms with a status
and type. Data categories we do not model are kept (``extra``) so a round trip loses
nothing. Usage events feed the libraries' statistics.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base, utcnow

# --- libraries and resources --------------------------------------------------------------


class Library(Base):
    """A subject library, e.g. 国际货运代理 / International freight forwarding."""

    __tablename__ = "library"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200))
    description_zh: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Resource(Base):
    """One teaching resource with bilingual metadata and a file or a link.

    ``kind``: courseware, document, video, exercise, case, standard. ``status``: draft
    (uploaded by a teacher), review, published, withdrawn. ``languages``: e.g.
    ``["zh", "en"]``. ``text`` is the extracted text; ``search_text`` the same, segmented
    (jieba for Chinese, stemmed English) for full-text search.
    """

    __tablename__ = "resource"
    __table_args__ = (Index("ix_resource_library_status", "library_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    library_id: Mapped[int] = mapped_column(ForeignKey("library.id", ondelete="CASCADE"))
    title_zh: Mapped[str] = mapped_column(String(300), default="")
    title_en: Mapped[str] = mapped_column(String(300), default="")
    summary_zh: Mapped[str] = mapped_column(Text, default="")
    summary_en: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[str] = mapped_column(String(20))
    languages: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str | None] = mapped_column(String(20))  # secondary|associate|bachelor|any
    author: Mapped[str | None] = mapped_column(String(200))
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    license: Mapped[str | None] = mapped_column(String(100))
    version: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    url: Mapped[str | None] = mapped_column(String(1000))  # a link instead of a file
    file_name: Mapped[str | None] = mapped_column(String(300))
    media_type: Mapped[str | None] = mapped_column(String(120))
    file_sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    file_size: Mapped[int | None] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text, default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    submitted_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    reviewed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    published_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ResourceMajor(Base):
    """A major a resource serves (catalog major)."""

    __tablename__ = "resource_major"

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True
    )
    major_id: Mapped[int] = mapped_column(
        ForeignKey("major.id", ondelete="CASCADE"), primary_key=True
    )


class ResourceConcept(Base):
    """A skill-taxonomy concept a resource teaches (``source`` author|tagger)."""

    __tablename__ = "resource_concept"
    __table_args__ = (Index("ix_resource_concept_concept", "concept_id", "resource_id"),)

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True
    )
    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concept.id", ondelete="CASCADE"), primary_key=True
    )
    source: Mapped[str] = mapped_column(String(10), default="tagger")
    mentions: Mapped[int] = mapped_column(Integer, default=1)


# --- term base (TBX) ----------------------------------------------------------------------


class TermConcept(Base):
    """A term-base concept (TBX ``conceptEntry``): subject field, definitions, and an
    optional link to the skill taxonomy when the term is also a skill."""

    __tablename__ = "term_concept"

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[str] = mapped_column(String(100), unique=True)  # TBX conceptEntry/@id
    subject_field: Mapped[str | None] = mapped_column(String(200))
    definition_zh: Mapped[str | None] = mapped_column(Text)
    definition_en: Mapped[str | None] = mapped_column(Text)
    skill_concept_id: Mapped[int | None] = mapped_column(
        ForeignKey("concept.id", ondelete="SET NULL"), index=True
    )
    library_id: Mapped[int | None] = mapped_column(
        ForeignKey("library.id", ondelete="SET NULL"), index=True
    )
    note: Mapped[str | None] = mapped_column(Text)
    # Data categories we do not model (concept and language levels), kept for round trips:
    # a list of {"level": "concept"|"lang:xx", "xml": "<descrip type=...>...</descrip>"}.
    extra: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    source: Mapped[str | None] = mapped_column(String(200))  # bundled|file name|cc-cedict
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class Term(Base):
    """A term of a concept in one language (TBX ``langSec``/``termSec``).

    ``status``: preferred, admitted, deprecated (TBX administrativeStatus
    preferredTerm-admn-sts …). ``term_type``: fullForm, abbreviation, acronym, variant.
    ``normalized``: lower-cased, width- and space-normalized form, for lookups.
    """

    __tablename__ = "term"
    __table_args__ = (
        UniqueConstraint("term_concept_id", "lang", "text", name="uq_term"),
        Index("ix_term_lang_normalized", "lang", "normalized"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    term_concept_id: Mapped[int] = mapped_column(
        ForeignKey("term_concept.id", ondelete="CASCADE"), index=True
    )
    lang: Mapped[str] = mapped_column(String(12))  # zh, en (BCP 47)
    text: Mapped[str] = mapped_column(String(300))
    normalized: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(12), default="admitted")
    term_type: Mapped[str | None] = mapped_column(String(20))
    part_of_speech: Mapped[str | None] = mapped_column(String(20))
    context: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(String(300))
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within its language
    extra: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)  # unmodelled termSec data


class ResourceTerm(Base):
    """A term-base concept a resource mentions, with where (first offset) and how often."""

    __tablename__ = "resource_term"
    __table_args__ = (
        Index("ix_resource_term_concept", "term_concept_id", "resource_id"),
        # The search's tag boost: a concept's most-mentioning resources first.
        Index("ix_resource_term_concept_mentions", "term_concept_id", "mentions", "resource_id"),
    )

    resource_id: Mapped[int] = mapped_column(
        ForeignKey("resource.id", ondelete="CASCADE"), primary_key=True
    )
    term_concept_id: Mapped[int] = mapped_column(
        ForeignKey("term_concept.id", ondelete="CASCADE"), primary_key=True
    )
    mentions: Mapped[int] = mapped_column(Integer, default=1)
    first_offset: Mapped[int | None] = mapped_column(Integer)


# --- usage ----------------------------------------------------------------------------------


class LibraryEvent(Base):
    """One use of the libraries: view, download, search (with its query and hit count).

    ``role`` and ``organization_id`` are the user's at the time (statistics by role and
    college without joining users later); ``user_id`` counts distinct active users.
    """

    __tablename__ = "library_event"
    __table_args__ = (Index("ix_library_event_kind_at", "kind", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # view|download|search
    resource_id: Mapped[int | None] = mapped_column(
        ForeignKey("resource.id", ondelete="SET NULL"), index=True
    )
    library_id: Mapped[int | None] = mapped_column(
        ForeignKey("library.id", ondelete="SET NULL"), index=True
    )
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    role: Mapped[str | None] = mapped_column(String(20))
    organization_id: Mapped[int | None] = mapped_column(Integer)
    query: Mapped[str | None] = mapped_column(String(300))
    hits: Mapped[int | None] = mapped_column(Integer)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
