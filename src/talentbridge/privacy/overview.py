"""What the privacy page ("我的数据与隐私") shows a person, and their résumé files.

``privacy_overview`` gathers the consents in force, their history and the person's
résumé files; ``own_resume`` opens one of their own résumé files for download
(``NotFound`` for anyone else's, or when the file is gone from disk). ``erasure_target``
names the account a college admin or the platform admin is about to erase, and
``erasable_account_of`` the account behind a profile page they may erase.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.errors import NotFound
from talentbridge.privacy.consent import ConsentView, current_state, history, notice
from talentbridge.privacy.erasure import can_erase, erasable_user
from talentbridge.privacy.export import person_profile
from talentbridge.store.matching_tables import ResumeFile
from talentbridge.store.tables import Organization, Profile, User


@dataclass(frozen=True)
class ResumeItem:
    id: int
    file_name: str
    size: int
    created_at: dt.datetime
    available: bool  # the file is still on disk


@dataclass(frozen=True)
class PrivacyOverview:
    username: str
    profile_id: int | None
    state: dict[str, bool]
    history: list[ConsentView]
    resumes: list[ResumeItem]
    notice_version: str


def privacy_overview(session: Session, user: User) -> PrivacyOverview:
    profile = person_profile(session, user.id)
    resumes: list[ResumeItem] = []
    if profile is not None:
        resumes = [
            ResumeItem(r.id, r.file_name, r.size, r.created_at, Path(r.stored_path).is_file())
            for r in session.scalars(
                select(ResumeFile)
                .where(ResumeFile.profile_id == profile.id)
                .order_by(ResumeFile.id)
            )
        ]
    return PrivacyOverview(
        username=user.username,
        profile_id=profile.id if profile else None,
        state=current_state(profile) if profile else {},
        history=history(session, profile) if profile else [],
        resumes=resumes,
        notice_version=notice().version,
    )


def own_resume(session: Session, user_id: int, resume_id: int) -> tuple[Path, str, str]:
    """(path, file name, media type) of one of the user's own résumé files."""
    profile = person_profile(session, user_id)
    row = session.get(ResumeFile, resume_id)
    if profile is None or row is None or row.profile_id != profile.id:
        raise NotFound(f"résumé {resume_id} not found")
    path = Path(row.stored_path)
    if not path.is_file():
        raise NotFound(f"the file of résumé {resume_id} is no longer stored")
    return path, row.file_name, row.media_type


def erasable_account_of(session: Session, principal: Principal, profile_id: int) -> int | None:
    """The user id of the profile's account when the principal may erase it and is not
    its owner (a college admin or the platform admin on a student's profile page)."""
    profile = session.get(Profile, profile_id)
    if profile is None or profile.user_id is None or profile.user_id == principal.user_id:
        return None
    user = session.get(User, profile.user_id)
    if user is None or user.deleted_at is not None or not can_erase(principal, user):
        return None
    return user.id


@dataclass(frozen=True)
class ErasureTarget:
    user_id: int
    username: str
    display_name: str
    organization: str | None


def erasure_target(session: Session, principal: Principal, user_id: int) -> ErasureTarget:
    """The account the principal may erase (``NotFound``/``Forbidden`` otherwise)."""
    user = erasable_user(session, principal, user_id)
    org = session.get(Organization, user.organization_id) if user.organization_id else None
    return ErasureTarget(user.id, user.username, user.display_name, org.name_zh if org else None)
