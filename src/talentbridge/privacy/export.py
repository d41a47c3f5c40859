"""Everything the store holds about one person, for them to take away (PIPL art. 45).

``export_person(session, user_id)`` returns a JSON-ready dict with stable, documented
keys (``FORMAT`` names the layout; docs/security.md section 4 lists the sections). Each
record is written with its table's column names, dates and times as ISO 8601; secrets
are never written (``password_hash``, token and session hashes). Sections:

``user`` the account; ``profile`` the student record; ``concepts`` skills, certificates
and languages (with their labels); ``courses``; ``experiences``; ``wish``; ``protected``
the attributes the college recorded for the fairness audit; ``resumes`` (metadata and
extracted text; the files themselves can be downloaded from the privacy page);
``suggestions`` (read from résumés); ``applications`` (each with its ``events``; an
event's actor is given by role and organization, never by name); ``invitations`` and
``match_feedback`` (match-list events); ``fairs`` (``registrations``, ``preferences``,
``assignments``, ``interviews``); ``placements``; ``consents``; ``library_events``;
``api_tokens``; ``sessions``; ``login_attempts``; ``import_runs`` (imports they
started); ``audit`` (``reads_by_others``: reads of their profile, applications and
placements, alone or in a list (``in_list``), by whom (role and organization), when,
and why; ``own_actions``: events they caused).

``COVERED`` and ``EXCLUDED`` name, for every table with a ``profile_id`` or ``user_id``
column, the section that exports it or the reason it is left out;
tests/privacy/test_privacy_export.py fails when a new such table is in neither.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from talentbridge.errors import NotFound
from talentbridge.privacy.consent import current_state, notice
from talentbridge.store.library_tables import LibraryEvent
from talentbridge.store.matching_tables import (
    Application,
    ApplicationEvent,
    FairAssignment,
    FairInterview,
    FairPreference,
    FairRegistration,
    JobFair,
    MatchFeedback,
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileProtected,
    ProfileSuggestion,
    ProfileWish,
    ResumeFile,
)
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import (
    ApiToken,
    AuditEvent,
    Concept,
    ImportRun,
    Organization,
    Posting,
    Profile,
    User,
    utcnow,
)
from talentbridge.store.trust_tables import ConsentRecord, LoginAttempt, UserSession

FORMAT = "talentbridge.personal-data/1"

# table -> the export section that holds its rows about the person
COVERED: dict[str, str] = {
    "user_account": "user",
    "profile": "profile",
    "profile_concept": "concepts",
    "profile_course": "courses",
    "profile_experience": "experiences",
    "profile_wish": "wish",
    "profile_protected": "protected",
    "resume_file": "resumes",
    "profile_suggestion": "suggestions",
    "application": "applications",
    "application_event": "applications[].events",
    "match_feedback": "match_feedback, invitations",
    "fair_registration": "fairs.registrations",
    "fair_preference": "fairs.preferences",
    "fair_assignment": "fairs.assignments",
    "fair_interview": "fairs.interviews",
    "placement": "placements",
    "consent_record": "consents",
    "library_event": "library_events",
    "api_token": "api_tokens",
    "user_session": "sessions",
    "login_attempt": "login_attempts",
    "import_run": "import_runs",
    "audit_event": "audit",
}
# table -> why it is not exported (none so far: every personal table is covered)
EXCLUDED: dict[str, str] = {}

SECRET_COLUMNS = frozenset({"password_hash", "token_hash"})


def _value(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return value


def row(obj: Any, *, drop: Iterable[str] = ()) -> dict[str, Any]:
    """A record as a dict of its columns (secrets and ``drop`` left out)."""
    skip = SECRET_COLUMNS | set(drop)
    return {c.key: _value(getattr(obj, c.key)) for c in obj.__table__.columns if c.key not in skip}


def _rows(objs: Iterable[Any], *, drop: Iterable[str] = ()) -> list[dict[str, Any]]:
    return [row(o, drop=drop) for o in objs]


def _actor(session: Session, user_id: int | None, person_id: int) -> dict[str, Any] | None:
    """Who acted, without naming another person: themselves, or a role and organization."""
    if user_id is None:
        return None
    if user_id == person_id:
        return {"self": True}
    user = session.get(User, user_id)
    if user is None:
        return {"self": False, "role": None, "organization": None}
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    return {"self": False, "role": user.role, "organization": org.name_zh if org else None}


def _postings(session: Session, ids: set[int]) -> dict[int, dict[str, Any]]:
    if not ids:
        return {}
    found = session.execute(
        select(Posting.id, Posting.title, Posting.employer_name).where(Posting.id.in_(ids))
    )
    return {pid: {"title": title, "employer_name": employer} for pid, title, employer in found}


def _profile_sections(session: Session, profile: Profile, user_id: int) -> dict[str, Any]:
    pid = profile.id
    out: dict[str, Any] = {}
    org = session.get(Organization, profile.organization_id)
    out["profile"] = row(profile) | {
        "organization": org.name_zh if org else None,
        "consent_state": current_state(profile),
    }
    concepts = session.execute(
        select(ProfileConcept, Concept.kind, Concept.label_zh, Concept.label_en)
        .join(Concept, Concept.id == ProfileConcept.concept_id)
        .where(ProfileConcept.profile_id == pid)
        .order_by(ProfileConcept.id)
    )
    out["concepts"] = [
        row(pc) | {"kind": kind, "label_zh": zh, "label_en": en} for pc, kind, zh, en in concepts
    ]
    out["courses"] = _rows(session.scalars(
        select(ProfileCourse).where(ProfileCourse.profile_id == pid).order_by(ProfileCourse.id)))  # fmt: skip
    out["experiences"] = _rows(session.scalars(
        select(ProfileExperience).where(ProfileExperience.profile_id == pid)
        .order_by(ProfileExperience.id)))  # fmt: skip
    wish = session.get(ProfileWish, pid)
    out["wish"] = row(wish) if wish else None
    protected = session.get(ProfileProtected, pid)
    out["protected"] = row(protected) if protected else None
    out["resumes"] = _rows(session.scalars(
        select(ResumeFile).where(ResumeFile.profile_id == pid).order_by(ResumeFile.id)),
        drop=("stored_path",))  # fmt: skip
    out["suggestions"] = _rows(session.scalars(
        select(ProfileSuggestion).where(ProfileSuggestion.profile_id == pid)
        .order_by(ProfileSuggestion.id)))  # fmt: skip
    apps = list(session.scalars(
        select(Application).where(Application.profile_id == pid).order_by(Application.id)))  # fmt: skip
    feedback = list(session.scalars(
        select(MatchFeedback).where(MatchFeedback.profile_id == pid).order_by(MatchFeedback.id)))  # fmt: skip
    postings = _postings(session, {a.posting_id for a in apps} | {f.posting_id for f in feedback})
    events: dict[int, list[ApplicationEvent]] = {}
    if apps:
        for ev in session.scalars(
            select(ApplicationEvent)
            .where(ApplicationEvent.application_id.in_([a.id for a in apps]))
            .order_by(ApplicationEvent.id)
        ):
            events.setdefault(ev.application_id, []).append(ev)
    out["applications"] = [
        row(a) | {
            "posting": postings.get(a.posting_id),
            "events": [
                row(e, drop=("user_id",)) | {"actor": _actor(session, e.user_id, user_id)}
                for e in events.get(a.id, [])
            ],
        }
        for a in apps
    ]  # fmt: skip
    fb_rows = [
        row(f, drop=("user_id",)) | {"posting": postings.get(f.posting_id),
                                     "actor": _actor(session, f.user_id, user_id)}
        for f in feedback
    ]  # fmt: skip
    out["invitations"] = [f for f in fb_rows if f["event"] == "invite"]
    out["match_feedback"] = [f for f in fb_rows if f["event"] != "invite"]
    fair_names: dict[int, str] = {
        fid: name for fid, name in session.execute(select(JobFair.id, JobFair.name_zh))
    }

    def fair_rows(table: Any) -> list[dict[str, Any]]:
        found = session.scalars(select(table).where(table.profile_id == pid).order_by(table.id))
        return [row(r) | {"fair": fair_names.get(r.fair_id)} for r in found]

    out["fairs"] = {
        "registrations": fair_rows(FairRegistration),
        "preferences": fair_rows(FairPreference),
        "assignments": fair_rows(FairAssignment),
        "interviews": fair_rows(FairInterview),
    }
    out["placements"] = _rows(session.scalars(
        select(Placement).where(Placement.profile_id == pid).order_by(Placement.id)))  # fmt: skip
    out["consents"] = [
        row(c, drop=("actor_user_id",)) | {"actor": _actor(session, c.actor_user_id, user_id)}
        for c in session.scalars(
            select(ConsentRecord).where(ConsentRecord.profile_id == pid)
            .order_by(ConsentRecord.at, ConsentRecord.id))
    ]  # fmt: skip
    return out


EMPTY_PROFILE_SECTIONS: dict[str, Any] = {
    "profile": None,
    "concepts": [],
    "courses": [],
    "experiences": [],
    "wish": None,
    "protected": None,
    "resumes": [],
    "suggestions": [],
    "applications": [],
    "invitations": [],
    "match_feedback": [],
    "fairs": {"registrations": [], "preferences": [], "assignments": [], "interviews": []},
    "placements": [],
    "consents": [],
}


def _listed_ids(detail: str | None) -> set[int]:
    """The record ids of a list read's detail (``"3 profiles: 4,9,12"``)."""
    if not detail or ": " not in detail:
        return set()
    return {int(x) for x in detail.split(": ", 1)[1].split(",") if x.strip().isdigit()}


def _audit(
    session: Session, user: User, profile: Profile | None, records: dict[str, set[int]]
) -> dict[str, Any]:
    """Reads of the person's records by others (one record, or a list that held it:
    ``accounts.audit.record_reads`` writes one event per college with the ids shown),
    and the events the person caused."""
    about = [(AuditEvent.target_type == "user") & (AuditEvent.target_id == user.id)]
    for kind, ids in records.items():
        if ids:
            about.append((AuditEvent.target_type == kind) & AuditEvent.target_id.in_(ids))
    if profile is not None:  # list reads name no target; their college is the profile's
        about.append(
            AuditEvent.target_type.in_(list(records))
            & AuditEvent.target_id.is_(None)
            & (AuditEvent.organization_id == profile.organization_id)
        )
    found = session.scalars(
        select(AuditEvent)
        .where(or_(*about), or_(AuditEvent.user_id.is_(None), AuditEvent.user_id != user.id))
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    reads = []
    for e in found:
        listed = e.target_id is None and e.target_type in records
        if listed and not _listed_ids(e.detail) & records[e.target_type or ""]:
            continue
        out = row(e, drop=("user_id", "organization_id"))
        if listed:  # the other records of the list are not the person's
            out |= {"detail": None, "in_list": True}
        reads.append(out | {"actor": _actor(session, e.user_id, user.id)})
    own = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.user_id == user.id)
        .order_by(AuditEvent.at, AuditEvent.id)
    )
    return {"reads_by_others": reads, "own_actions": _rows(own, drop=("user_id",))}


def person_profile(session: Session, user_id: int) -> Profile | None:
    return session.scalar(select(Profile).where(Profile.user_id == user_id))


def export_person(session: Session, user_id: int) -> dict[str, Any]:
    """Every record about the user (see the module docstring); ``NotFound`` if no user."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} not found")
    profile = person_profile(session, user_id)
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    data: dict[str, Any] = {
        "format": FORMAT,
        "generated_at": utcnow().isoformat(),
        "notice_version": notice().version,
        "user": row(user) | {"organization": org.name_zh if org else None},
    }
    data |= _profile_sections(session, profile, user_id) if profile else EMPTY_PROFILE_SECTIONS
    data["library_events"] = _rows(session.scalars(
        select(LibraryEvent).where(LibraryEvent.user_id == user_id).order_by(LibraryEvent.id)),
        drop=("user_id",))  # fmt: skip
    data["api_tokens"] = _rows(session.scalars(
        select(ApiToken).where(ApiToken.user_id == user_id).order_by(ApiToken.id)),
        drop=("user_id",))  # fmt: skip
    data["sessions"] = _rows(session.scalars(
        select(UserSession).where(UserSession.user_id == user_id).order_by(UserSession.id)),
        drop=("user_id",))  # fmt: skip
    data["login_attempts"] = _rows(session.scalars(
        select(LoginAttempt).where(LoginAttempt.username == user.username)
        .order_by(LoginAttempt.id)))  # fmt: skip
    data["import_runs"] = _rows(session.scalars(
        select(ImportRun).where(ImportRun.user_id == user_id).order_by(ImportRun.id)),
        drop=("user_id", "rejects_path"))  # fmt: skip
    records = {
        "profile": {profile.id} if profile else set(),
        "application": {a["id"] for a in data["applications"]},
        "placement": {p["id"] for p in data["placements"]},
    }
    data["audit"] = _audit(session, user, profile, records)
    return data


SECTIONS = (
    *("format", "generated_at", "notice_version", "user"),
    *EMPTY_PROFILE_SECTIONS,
    *("library_events", "api_tokens", "sessions", "login_attempts", "import_runs", "audit"),
)
