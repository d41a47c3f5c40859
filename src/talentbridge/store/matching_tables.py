"""Tables of person–job matching (issue 6): the rest of a profile, résumés and their
suggestions, applications, feedback on match lists, job fairs and ranker models.

A profile's core record (college, major, direction, graduation year, contact data,
consent) is ``tables.Profile``. What a student knows and wants hangs off it here. The
protected attributes a college may record for the fairness audit live in their own
table (``ProfileProtected``) that no matching feature reads.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base, utcnow

# --- the rest of a profile ------------------------------------------------------------


class ProfileConcept(Base):
    """A skill, certificate, language or tool a profile holds (a taxonomy concept).

    ``source``: ``self`` (the student entered it), ``resume`` (suggested from a résumé and
    confirmed), ``course`` (taught by a course the student passed), ``college`` (from the
    college's import). ``level`` 1–5 when known. Only ``confirmed`` rows count in matching.
    """

    __tablename__ = "profile_concept"
    __table_args__ = (
        UniqueConstraint("profile_id", "concept_id", "source", name="uq_profile_concept"),
        Index("ix_profile_concept_concept", "concept_id", "profile_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    concept_id: Mapped[int] = mapped_column(ForeignKey("concept.id", ondelete="CASCADE"))
    source: Mapped[str] = mapped_column(String(12), default="self")
    level: Mapped[int | None] = mapped_column(Integer)
    confirmed: Mapped[bool] = mapped_column(Boolean, default=True)
    evidence: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProfileCourse(Base):
    """A course a student took, with the grade where the college provides it."""

    __tablename__ = "profile_course"
    __table_args__ = (UniqueConstraint("profile_id", "name", "term", name="uq_profile_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    term: Mapped[str] = mapped_column(String(20), default="")  # e.g. 2024-1
    grade: Mapped[str | None] = mapped_column(String(20))  # as written: 优, 85, A
    score: Mapped[float | None] = mapped_column(Float)  # 0–100 when it can be read
    passed: Mapped[bool] = mapped_column(Boolean, default=True)


class ProfileExperience(Base):
    """Education, an internship, a project or a job, from the student or a résumé."""

    __tablename__ = "profile_experience"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(12))  # education|internship|project|work
    organization_name: Mapped[str | None] = mapped_column(
        String(200), info={"personal": "free_text"}
    )
    title: Mapped[str | None] = mapped_column(String(200), info={"personal": "free_text"})
    start_on: Mapped[dt.date | None] = mapped_column(Date)
    end_on: Mapped[dt.date | None] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="", info={"personal": "free_text"})
    source: Mapped[str] = mapped_column(String(12), default="self")  # self|resume|college


class ProfileWish(Base):
    """What a student wants: cities (division codes), pay floor, occupations, mobility."""

    __tablename__ = "profile_wish"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    city_codes: Mapped[list[str] | None] = mapped_column(JSON)
    salary_min: Mapped[int | None] = mapped_column(Integer)  # yuan per month
    occupation_ids: Mapped[list[int] | None] = mapped_column(JSON)
    willing_to_relocate: Mapped[bool] = mapped_column(Boolean, default=True)
    willing_to_go_abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    summary: Mapped[str] = mapped_column(Text, default="", info={"personal": "free_text"})
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProfileProtected(Base):
    """Protected attributes a college may record, for the fairness audit ONLY.

    Never a matching feature: ``matching`` does not import this table except in
    ``matching.fairness`` (exposure by group). Every field is personal.
    """

    __tablename__ = "profile_protected"

    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), primary_key=True
    )
    gender: Mapped[str | None] = mapped_column(String(12), info={"personal": "sensitive"})
    birth_year: Mapped[int | None] = mapped_column(Integer, info={"personal": "sensitive"})
    ethnicity: Mapped[str | None] = mapped_column(String(40), info={"personal": "sensitive"})
    marital_status: Mapped[str | None] = mapped_column(String(20), info={"personal": "sensitive"})
    hukou_province: Mapped[str | None] = mapped_column(String(6), info={"personal": "sensitive"})
    health_note: Mapped[str | None] = mapped_column(String(100), info={"personal": "sensitive"})


# --- résumés ------------------------------------------------------------------------------


class ResumeFile(Base):
    """An uploaded résumé: the file (under the data directory) and its extracted text."""

    __tablename__ = "resume_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    file_name: Mapped[str] = mapped_column(String(300), info={"personal": "free_text"})
    media_type: Mapped[str] = mapped_column(String(100))
    sha256: Mapped[str] = mapped_column(String(64))
    size: Mapped[int] = mapped_column(Integer)
    stored_path: Mapped[str] = mapped_column(String(500), info={"personal": "free_text"})
    text: Mapped[str] = mapped_column(Text, default="", info={"personal": "free_text"})
    language: Mapped[str | None] = mapped_column(String(8))
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ProfileSuggestion(Base):
    """A fact read from a résumé that the student confirms or rejects.

    ``kind``: ``education``, ``organization``, ``title``, ``experience``, ``skill``,
    ``certificate``, ``language``, ``major``, ``location``. ``value`` holds the parsed
    fields (for a skill: ``concept_id``; for an experience: organization, title, dates);
    ``span`` the character offsets in the résumé text that support it.
    """

    __tablename__ = "profile_suggestion"

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    resume_file_id: Mapped[int | None] = mapped_column(
        ForeignKey("resume_file.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(String(300), info={"personal": "free_text"})
    value: Mapped[dict[str, object] | None] = mapped_column(JSON, info={"personal": "free_text"})
    span_start: Mapped[int | None] = mapped_column(Integer)
    span_end: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|accepted|rejected
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    decided_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


# --- applications and feedback ------------------------------------------------------------


class Application(Base):
    """A profile's application to a posting and where it stands.

    ``stage``: applied, screened, interview, offer, hired, declined. ``origin``: how it
    began: ``student`` (applied), ``invitation`` (a recruiter invited and the student
    accepted), ``fair`` (a job-fair assignment). ``declined_by`` says which side ended a
    declined application.
    """

    __tablename__ = "application"
    __table_args__ = (UniqueConstraint("profile_id", "posting_id", name="uq_application"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), index=True
    )
    posting_id: Mapped[int] = mapped_column(
        ForeignKey("posting.id", ondelete="CASCADE"), index=True
    )
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    stage: Mapped[str] = mapped_column(String(12), default="applied")
    origin: Mapped[str] = mapped_column(String(12), default="student")
    # who ended a declined application: ``student`` (withdrew) or ``employer`` (rejected)
    declined_by: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class ApplicationEvent(Base):
    """One timestamped step of an application (append-only)."""

    __tablename__ = "application_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(
        ForeignKey("application.id", ondelete="CASCADE"), index=True
    )
    stage: Mapped[str] = mapped_column(String(12))
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    note: Mapped[str | None] = mapped_column(String(500), info={"personal": "free_text"})


class MatchFeedback(Base):
    """What someone did with a match: view, save, apply, invite, interview, hire, dismiss.

    ``position`` and ``score`` record where the ranker showed it (for learning to rank).
    """

    __tablename__ = "match_feedback"
    __table_args__ = (Index("ix_match_feedback_pair", "profile_id", "posting_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"))
    event: Mapped[str] = mapped_column(String(12))
    side: Mapped[str] = mapped_column(String(10))  # student|employer
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    position: Mapped[int | None] = mapped_column(Integer)
    score: Mapped[float | None] = mapped_column(Float)
    ranker: Mapped[str | None] = mapped_column(String(40))
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow, index=True)


class RankerModel(Base):
    """A trained learning-to-rank model, its offline evaluation, and whether it is used."""

    __tablename__ = "ranker_model"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(20))  # lambdarank
    features: Mapped[list[str]] = mapped_column(JSON)
    model_text: Mapped[str] = mapped_column(Text)
    metrics: Mapped[dict[str, object] | None] = mapped_column(JSON)
    trained_on: Mapped[int] = mapped_column(Integer, default=0)  # feedback rows used
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


# --- job fairs (双选会) ---------------------------------------------------------------------


class JobFair(Base):
    """A two-way selection fair with interview slots of ``slot_minutes``."""

    __tablename__ = "job_fair"

    id: Mapped[int] = mapped_column(primary_key=True)
    organization_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    name_zh: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(200))
    held_on: Mapped[dt.date] = mapped_column(Date)
    venue: Mapped[str | None] = mapped_column(String(200))
    starts_at: Mapped[str] = mapped_column(String(5), default="09:00")  # HH:MM
    ends_at: Mapped[str] = mapped_column(String(5), default="17:00")
    slot_minutes: Mapped[int] = mapped_column(Integer, default=20)
    status: Mapped[str] = mapped_column(String(12), default="open")  # open|allocated|closed
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FairOpening(Base):
    """A posting offered at a fair with its number of seats (hires wanted there)."""

    __tablename__ = "fair_opening"
    __table_args__ = (UniqueConstraint("fair_id", "posting_id", name="uq_fair_opening"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fair.id", ondelete="CASCADE"), index=True)
    posting_id: Mapped[int] = mapped_column(ForeignKey("posting.id", ondelete="CASCADE"))
    seats: Mapped[int] = mapped_column(Integer, default=1)
    booth: Mapped[str | None] = mapped_column(String(40))


class FairRegistration(Base):
    """A profile registered for a fair."""

    __tablename__ = "fair_registration"
    __table_args__ = (UniqueConstraint("fair_id", "profile_id", name="uq_fair_registration"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fair.id", ondelete="CASCADE"), index=True)
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    # When the student's list was last stated (by the student, or the organisers for
    # them; migration 0006): a stated list, even an empty one, is never filled by the
    # ranker. ``None``: never stated.
    list_stated_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class FairPreference(Base):
    """One entry of a ranked preference list: a student ranks openings (``side`` =
    ``student``) or an opening ranks students (``employer``); rank 1 is the best."""

    __tablename__ = "fair_preference"
    __table_args__ = (
        UniqueConstraint("fair_opening_id", "profile_id", "side", name="uq_fair_preference"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fair.id", ondelete="CASCADE"), index=True)
    fair_opening_id: Mapped[int] = mapped_column(ForeignKey("fair_opening.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    side: Mapped[str] = mapped_column(String(10))
    rank: Mapped[int] = mapped_column(Integer)
    origin: Mapped[str] = mapped_column(String(10), default="stated")  # stated|ranker


class FairAssignment(Base):
    """The allocation's result: a student placed on an opening, with an interview slot."""

    __tablename__ = "fair_assignment"
    __table_args__ = (UniqueConstraint("fair_id", "profile_id", name="uq_fair_assignment"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fair.id", ondelete="CASCADE"), index=True)
    fair_opening_id: Mapped[int] = mapped_column(ForeignKey("fair_opening.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    student_rank: Mapped[int | None] = mapped_column(Integer)
    employer_rank: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)


class FairInterview(Base):
    """An interview slot at a fair: no student and no opening has two at the same time."""

    __tablename__ = "fair_interview"
    __table_args__ = (
        UniqueConstraint("fair_id", "profile_id", "starts_at", name="uq_fair_interview_student"),
        UniqueConstraint(
            "fair_id", "fair_opening_id", "starts_at", name="uq_fair_interview_opening"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("job_fair.id", ondelete="CASCADE"), index=True)
    fair_opening_id: Mapped[int] = mapped_column(ForeignKey("fair_opening.id", ondelete="CASCADE"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("profile.id", ondelete="CASCADE"))
    starts_at: Mapped[dt.datetime] = mapped_column(DateTime)
    ends_at: Mapped[dt.datetime] = mapped_column(DateTime)
