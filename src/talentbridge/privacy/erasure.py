"""Account deletion (PIPL art. 47): erase a person's personal information, keep only
anonymous aggregates, and record that it happened.

Who: the person themselves, the college admin of their college (for a student's
account), or the platform admin (``can_erase``). What ``erase_account`` does, in one
transaction:

* **account**: username becomes ``erased-<id>``, display name and email are cleared, the
  password hash is made unusable, ``is_active`` false, ``deleted_at`` set; every API
  token and every sign-in session is revoked (sessions also lose their IP address and
  browser); login attempts under the old username take the new one;
* **profile**: name and student number become the token ``erased-p<id>``, phone and
  email are cleared, both consents are withdrawn (consent records with channel of the
  request; the matching index drops the profile, ``matching.facts`` skips erased
  profiles), ``deleted_at`` set and the link to the account cut;
* **deleted**: skills and languages, courses, experiences, the wish (with its free-text
  summary), protected attributes, suggestions, résumé rows and their files on disk
  (a file is removed when no other résumé row shares its content);
* **cleared**: notes on application events, the raw text of rejected import rows that
  name the person (by student number, phone, email or name), the account's link on
  library usage events;
* **kept** (anonymous, for the aggregates): the profile row's college, major, direction
  and graduation year, placements (destination, occupation, salary, place, year: the
  outcomes indicators do not change), applications and their stages (recruiting
  efficiency), fair rows and match feedback (no text), consent records (evidence);
* **audit**: one ``account.erased`` event naming only ids and the role that erased.

The audit log is append-only and is not rewritten (docs/security.md section 4).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import record_event
from talentbridge.accounts.policy import Principal
from talentbridge.accounts.principal import same_org
from talentbridge.accounts.roles import Role
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching.version import mark_changed
from talentbridge.privacy.consent import PURPOSES, set_purpose
from talentbridge.privacy.export import person_profile
from talentbridge.store.library_tables import LibraryEvent
from talentbridge.store.matching_tables import (
    Application,
    ApplicationEvent,
    ProfileConcept,
    ProfileCourse,
    ProfileExperience,
    ProfileProtected,
    ProfileSuggestion,
    ProfileWish,
    ResumeFile,
)
from talentbridge.store.tables import ApiToken, Profile, RejectedRow, User, utcnow
from talentbridge.store.trust_tables import LoginAttempt, UserSession

UNUSABLE_PASSWORD = "!erased"  # never a valid argon2 hash: no password verifies


def can_erase(principal: Principal, user: User) -> bool:
    """The person, the college admin of a student's college, or the platform admin."""
    if principal.user_id == user.id or principal.role is Role.PLATFORM_ADMIN:
        return True
    return (
        principal.role is Role.COLLEGE_ADMIN
        and user.role == Role.STUDENT.value
        and same_org(principal, user.organization_id)
    )


@dataclass
class ErasureReport:
    user_id: int
    profile_id: int | None
    deleted: dict[str, int] = field(default_factory=dict)
    files_removed: list[str] = field(default_factory=list)
    tokens_revoked: int = 0
    sessions_revoked: int = 0

    def summary(self) -> str:
        parts = [f"{k} {v}" for k, v in self.deleted.items() if v]
        return (
            f"user {self.user_id} erased (profile {self.profile_id}); deleted: "
            f"{', '.join(parts) or 'nothing'}; files removed {len(self.files_removed)}; "
            f"tokens revoked {self.tokens_revoked}; sessions revoked {self.sessions_revoked}"
        )


def erasable_user(session: Session, principal: Principal, user_id: int) -> User:
    """The user, if the principal may erase it (``NotFound`` when they may not know of it)."""
    user = session.get(User, user_id)
    if user is None or user.deleted_at is not None:
        raise NotFound(f"user {user_id} not found")
    if not can_erase(principal, user):
        if same_org(principal, user.organization_id):
            raise Forbidden("you may not delete this account")
        raise NotFound(f"user {user_id} not found")
    return user


def _count(session: Session, stmt: object) -> int:
    return int(session.execute(stmt).rowcount or 0)  # type: ignore[call-overload]


def _remove_files(session: Session, rows: list[ResumeFile]) -> list[str]:
    removed: list[str] = []
    for path in sorted({r.stored_path for r in rows}):
        shared = session.scalar(
            select(ResumeFile.id).where(
                ResumeFile.stored_path == path, ResumeFile.id.not_in([r.id for r in rows])
            )
        )
        if shared is None and path:
            file = Path(path)
            if file.is_file():
                file.unlink()
                removed.append(path)
    return removed


def _personal_values(user: User, profile: Profile | None) -> list[str]:
    values = [user.email or ""]
    if profile is not None:
        values += [profile.student_no, profile.phone or "", profile.email or "", profile.name]
    return [v for v in values if v and len(v) >= 2]


def _scrub_rejected_rows(session: Session, values: list[str]) -> int:
    """Clear the raw text of rejected import rows that name the person."""
    if not values:
        return 0
    hits = []
    for rejected in session.scalars(
        select(RejectedRow).where(RejectedRow.raw.is_not(None)).execution_options(yield_per=2000)
    ):
        text = json.dumps(rejected.raw, ensure_ascii=False)
        if any(v in text for v in values):
            hits.append(rejected.id)
    if hits:
        session.execute(update(RejectedRow).where(RejectedRow.id.in_(hits)).values(raw=None))
    return len(hits)


def _erase_profile(
    session: Session, profile: Profile, report: ErasureReport, actor: Principal, channel: str
) -> None:
    pid = profile.id
    for purpose in PURPOSES:  # consent withdrawn, recorded as evidence
        set_purpose(session, profile, purpose, False, actor_user_id=actor.user_id, channel=channel)
    resumes = list(session.scalars(select(ResumeFile).where(ResumeFile.profile_id == pid)))
    report.files_removed = _remove_files(session, resumes)
    for table in (ProfileSuggestion, ResumeFile, ProfileConcept, ProfileCourse,
                  ProfileExperience, ProfileWish, ProfileProtected):  # fmt: skip
        report.deleted[table.__tablename__] = _count(
            session,
            delete(table).where(table.profile_id == pid),
        )
    app_ids = select(Application.id).where(Application.profile_id == pid)
    report.deleted["application_event.note"] = _count(
        session,
        update(ApplicationEvent)
        .where(ApplicationEvent.application_id.in_(app_ids), ApplicationEvent.note.is_not(None))
        .values(note=None),
    )
    token = f"erased-p{pid}"
    profile.name = token
    profile.student_no = token
    profile.phone = None
    profile.email = None
    profile.user_id = None
    profile.deleted_at = utcnow()


def erase_account(
    session: Session,
    principal: Principal,
    *,
    user_id: int,
    channel: str = "web",
    now: dt.datetime | None = None,
) -> ErasureReport:
    """Erase the account and its profile (see the module docstring); flushes, the caller
    commits. ``NotFound``/``Forbidden`` as ``erasable_user``."""
    user = erasable_user(session, principal, user_id)
    at = now or utcnow()
    profile = person_profile(session, user.id)
    report = ErasureReport(user_id=user.id, profile_id=profile.id if profile else None)
    report.deleted["rejected_row.raw"] = _scrub_rejected_rows(
        session, _personal_values(user, profile)
    )
    if profile is not None:
        _erase_profile(session, profile, report, principal, channel)
    old_username = user.username
    user.username = f"erased-{user.id}"
    user.display_name = ""
    user.email = None
    user.password_hash = UNUSABLE_PASSWORD
    user.is_active = False
    user.deleted_at = at
    report.tokens_revoked = _count(
        session,
        update(ApiToken)
        .where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
        .values(revoked_at=at),
    )
    report.sessions_revoked = _count(
        session,
        update(UserSession)
        .where(UserSession.user_id == user.id, UserSession.revoked_at.is_(None))
        .values(revoked_at=at),
    )
    session.execute(
        update(UserSession).where(UserSession.user_id == user.id).values(ip=None, user_agent=None)
    )
    session.execute(
        update(LoginAttempt)
        .where(LoginAttempt.username == old_username)
        .values(username=user.username)
    )
    report.deleted["library_event.user_id"] = _count(
        session,
        update(LibraryEvent).where(LibraryEvent.user_id == user.id).values(user_id=None),
    )
    session.flush()
    mark_changed(session, "profiles")
    record_event(
        session,
        user_id=principal.user_id,
        action="account.erased",
        target_type="user",
        target_id=user.id,
        organization_id=user.organization_id,
        detail=f"profile={report.profile_id} by={principal.role.value} channel={channel}",
        purpose="erasure requested (PIPL art. 47)",
    )
    return report
