"""The matching lists as the edges ask for them, with their access rules applied:
whose jobs a request asks about, who may see an explanation, the posting a recruiter
asks candidates for and the ranked candidates (contact data masked until an
application), the student's and the recruiter's filters, a college's population for
the fairness audit and the ranker in use. Shared by the web pages, the JSON API and the
CLI; every decision is ``accounts.policy``'s, and reads of someone else's matches are
audited here, once."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.accounts.audit import read_purpose, record_event
from talentbridge.accounts.policy import (
    Principal,
    can_see_candidate_contact,
    can_view_candidates,
    can_view_explanation,
    can_view_matches_for_profile,
    needs_audit,
)
from talentbridge.accounts.profiles_query import get_visible_profile, visible_profiles
from talentbridge.accounts.roles import Role
from talentbridge.config import Settings
from talentbridge.errors import Forbidden, NotFound
from talentbridge.matching import ltr
from talentbridge.matching.application_queries import ApplicationView, pipeline_for_organization
from talentbridge.matching.engine import CandidateFilters, JobFilters, Match, Ranker, candidates_for
from talentbridge.matching.index import MatchIndex
from talentbridge.matching.profile_access import ProfileInputError, may_view_profile
from talentbridge.matching.profile_edit import resolve_city
from talentbridge.pipeline import posting_queries as pq
from talentbridge.privacy.masking import mask_email, mask_phone
from talentbridge.store.matching_tables import RankerModel
from talentbridge.store.tables import Posting, Profile

WEIGHTS = "weights"


def own_profile_id(session: Session, principal: Principal) -> int:
    """The profile linked to a student's account (``NotFound`` for anyone else, or for a
    student whose college has not linked a profile yet)."""
    if principal.role is Role.STUDENT:
        mine = visible_profiles(session, principal, limit=1)
        if mine:
            return mine[0].id
    raise NotFound("no profile is linked to your account")


def _audit(
    session: Session, principal: Principal, profile: Profile, action: str, detail: str = ""
) -> None:
    if needs_audit(principal, profile_user_id=profile.user_id):
        record_event(
            session,
            user_id=principal.user_id,
            action=action,
            target_type="profile",
            target_id=profile.id,
            organization_id=profile.organization_id,
            detail=detail or None,
            purpose=read_purpose(principal),
        )


def subject_profile(session: Session, principal: Principal, profile_id: int | None) -> Profile:
    """The profile whose jobs are asked for: the student's own when ``profile_id`` is
    None, else that profile for those the policy lets see its jobs (``NotFound``
    otherwise, whether it exists or not). Reads by anyone but the owner are audited."""
    if profile_id is None:
        profile_id = own_profile_id(session, principal)
    profile = session.get(Profile, profile_id)
    if profile is None or not can_view_matches_for_profile(
        principal, profile_org_id=profile.organization_id, profile_user_id=profile.user_id
    ):
        raise NotFound(f"profile {profile_id} not found")
    _audit(session, principal, profile, "matching.jobs")
    return profile


def explained_pair(
    session: Session, principal: Principal, profile_id: int, posting_id: int
) -> tuple[Profile, Posting]:
    """The pair whose explanation is asked for, if the policy lets the principal see it
    (``NotFound`` otherwise); audited when the profile is someone else's."""
    profile = session.get(Profile, profile_id)
    posting = pq.get_posting(session, posting_id)
    if profile is None or not can_view_explanation(
        principal,
        profile_org_id=profile.organization_id,
        profile_user_id=profile.user_id,
        posting_org_id=posting.organization_id,
        recruiter_may_see_profile=principal.role is Role.RECRUITER
        and may_view_profile(session, principal, profile),
    ):
        raise NotFound(f"no match of profile {profile_id} and posting {posting_id}")
    _audit(session, principal, profile, "matching.explain", f"posting {posting.id}")
    return profile, posting


def recruited_posting(session: Session, principal: Principal, posting_id: int) -> Posting:
    """The posting if the principal recruits for it (``Forbidden`` otherwise: postings
    are public, their candidates are not)."""
    posting = pq.get_posting(session, posting_id)
    if not can_view_candidates(principal, posting_org_id=posting.organization_id):
        raise Forbidden("only the posting's own recruiters see its candidates")
    return posting


T = TypeVar("T")


@dataclass(frozen=True)
class Parsed(Generic[T]):
    filters: T
    problem: str | None  # a value that could not be used (reported, not applied)


def _city(text: str | None) -> tuple[str | None, str | None]:
    if not text or not text.strip():
        return None, None
    try:
        return resolve_city(text), None
    except ProfileInputError as error:
        return None, error.reason


def job_filters(
    *,
    city: str | None = None,
    education: int | None = None,
    salary: int | None = None,
    occupation: int | None = None,
    hide_flagged: bool = False,
) -> Parsed[JobFilters]:
    """The student's filters; an unknown place is reported and not applied."""
    code, problem = _city(city)
    return Parsed(
        JobFilters(
            city_codes=(code,) if code else (),
            max_education_level=education,
            salary_floor=salary,
            occupation_ids=(occupation,) if occupation else (),
            include_flagged=not hide_flagged,
        ),
        problem,
    )


def candidate_filters(
    *, graduation_year: int | None = None, city: str | None = None
) -> Parsed[CandidateFilters]:
    code, problem = _city(city)
    return Parsed(
        CandidateFilters(
            graduation_years=(graduation_year,) if graduation_year else (), city_code=code
        ),
        problem,
    )


@dataclass(frozen=True)
class Candidate:
    """What a recruiter sees of a candidate (contact masked unless allowed)."""

    id: int
    name: str
    college_zh: str
    college_en: str | None
    major_zh: str | None
    major_en: str | None
    graduation_year: int
    phone: str | None
    email: str | None


@dataclass(frozen=True)
class CandidateRow:
    match: Match
    person: Candidate
    show_contact: bool
    applied: bool
    invited: bool


def _candidate(
    session: Session,
    principal: Principal,
    profile_id: int,
    applications: dict[int, ApplicationView],
) -> Candidate:
    """A candidate from their application to this posting (already masked and audited by
    the pipeline read), else from the profile the policy lets the recruiter see."""
    a = applications.get(profile_id)
    if a is not None:
        return Candidate(a.profile_id, a.candidate_name, a.college_name_zh, None,
                         a.major_name_zh, None, a.graduation_year, a.phone, a.email)  # fmt: skip
    v = get_visible_profile(session, principal, profile_id)  # audited read
    return Candidate(v.id, v.name, v.organization_name_zh, v.organization_name_en,
                     v.major_name_zh, v.major_name_en, v.graduation_year, v.phone, v.email)  # fmt: skip


def ranked_candidates(
    session: Session,
    principal: Principal,
    posting: Posting,
    filters: CandidateFilters,
    *,
    index: MatchIndex,
    k: int,
    ranker: Ranker | None,
) -> list[CandidateRow]:
    """ "Candidates for this opening": those who consented or applied to it, ranked;
    contact data only while the candidate's application (or accepted invitation)
    stands (``policy.can_see_candidate_contact``)."""
    pipeline = pipeline_for_organization(session, principal, posting_id=posting.id)
    applied = {a.profile_id for a in pipeline.applications}
    active = {a.profile_id for a in pipeline.applications if a.declined_by != "student"}
    invited = {i.profile_id for i in pipeline.invitations}
    by_profile = {a.profile_id: a for a in pipeline.applications}
    matches = candidates_for(
        index, posting.id, filters, k=k, applied=applied, require_consent=True, ranker=ranker
    )
    rows = []
    for m in matches:
        person = _candidate(session, principal, m.profile_id, by_profile)
        show = can_see_candidate_contact(principal, applied_or_accepted=m.profile_id in active)
        if not show:  # consent makes a candidate findable, not reachable
            person = replace(person, phone=mask_phone(person.phone), email=mask_email(person.email))
        rows.append(
            CandidateRow(
                match=m,
                person=person,
                show_contact=show and (person.phone is not None or person.email is not None),
                applied=m.profile_id in applied,
                invited=m.profile_id in invited,
            )
        )
    return rows


def college_population(index: MatchIndex, college_id: int | None) -> list[int] | None:
    """The profiles of a college in the index (``None``: every profile)."""
    if college_id is None:
        return None
    P = index.profiles
    return [int(i) for i in P.ids[P.organization == college_id]]


def ranker_of(session: Session, settings: Settings) -> tuple[str, Ranker | None]:
    """Which ranker orders the lists (its name, recorded with feedback) and its callable:
    the active learned model when ``TALENTBRIDGE_MATCH_RANKER=learned`` and one is
    active (``matching.ltr``), else the hand-set weights (``None``)."""
    if settings.match_ranker == WEIGHTS:
        return WEIGHTS, None
    model = ltr.active_model(session)
    ranker = ltr.ranker_for(session, settings.match_ranker) if model is not None else None
    if model is None or ranker is None:
        return WEIGHTS, None
    return f"ltr:{model.id}", ranker


def ranker_models(session: Session) -> list[RankerModel]:
    """Trained ranker models, the newest first."""
    return list(session.scalars(select(RankerModel).order_by(RankerModel.id.desc())))
