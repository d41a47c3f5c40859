"""A hire recorded in matching becomes the graduate's placement.

``record_hire(session, application)`` is called by ``matching.applications.move`` when
an application reaches ``hired``. The placement says: employed, at the posting's
organization (employer name as the posting gives it), in the posting's job title,
occupation and place, at the posting's minimum monthly pay (its maximum when no minimum
is stated), starting on the day of the hire; ``source`` ``matching`` with the
application.

A placement the college reported in its file (``source`` ``import``) is the college's
official record and is left as it is; a later import for the same graduate overrides a
hire (``outcomes.placement_import`` counts that as an update). A second hire of the
same graduate replaces the first one's details.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.store.matching_tables import Application
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import Occupation, Organization, Posting, Profile, utcnow


def _hire_values(session: Session, application: Application) -> dict[str, object]:
    posting = session.get(Posting, application.posting_id)
    profile = session.get(Profile, application.profile_id)
    if posting is None or profile is None:  # pragma: no cover - foreign keys hold them
        raise LookupError(f"application {application.id} lost its posting or profile")
    occupation_code = None
    if posting.occupation_id is not None:
        occupation_code = session.scalar(
            select(Occupation.code).where(Occupation.id == posting.occupation_id)
        )
    employer_name = posting.employer_name
    if not employer_name and posting.organization_id is not None:
        employer = session.get(Organization, posting.organization_id)
        employer_name = employer.name_zh if employer is not None else ""
    return {
        "organization_id": profile.organization_id,
        "destination": "employed",
        "employer_name": (employer_name or None) and employer_name[:200],
        "employer_id": posting.organization_id,
        "job_title": posting.title[:200],
        "occupation_code": occupation_code,
        "occupation_id": posting.occupation_id,
        "place_text": posting.place_text,
        "division_code": posting.district_code or posting.city_code or posting.province_code,
        "in_circle": posting.in_circle if posting.province_code else None,
        "abroad": False,
        "salary_monthly": posting.salary_min if posting.salary_min else posting.salary_max,
        "start_date": application.updated_at.date(),
        "contract_signed": None,
        "application_id": application.id,
        "is_sample": profile.is_sample or posting.is_sample,
    }


def record_hire(session: Session, application: Application) -> Placement:
    """Create or update the placement of a hired application's graduate (see the module
    docstring); a college-reported placement is returned unchanged. Flushes."""
    placement = session.scalars(
        select(Placement).where(Placement.profile_id == application.profile_id)
    ).one_or_none()
    if placement is not None and placement.source == "import":
        return placement
    values = _hire_values(session, application)
    if placement is None:
        placement = Placement(profile_id=application.profile_id, source="matching", **values)
        session.add(placement)
    else:
        for name, value in values.items():
            setattr(placement, name, value)
        placement.source = "matching"
        placement.import_run_id = None
        placement.source_row = None
        placement.updated_at = utcnow()
    session.flush()
    return placement
