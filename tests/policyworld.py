"""Random worlds for the property test of the access policy (importable as
``policyworld``): organizations of every kind, users of every role in them, and records
(profiles with unique marker names, phones and e-mails; postings; applications and
invitations; placements; library resources in every state; a job fair), made through
the real services where there is one.

``world_specs()`` is the hypothesis strategy; ``build_world(session, spec, ...)`` makes
the store and returns what the test's oracle needs: plain facts, no ORM rows.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import strategies as st
from sqlalchemy.orm import Session

from demandtools import add_occupation, add_posting, add_taxonomy
from talentbridge.accounts.principal import Principal
from talentbridge.accounts.roles import Role
from talentbridge.library.resources import change_status, create_library, submit_resource
from talentbridge.matching.applications import apply
from talentbridge.matching.fairs import add_opening, create_fair, register
from talentbridge.matching.invitations import accept_invitation, invite
from talentbridge.privacy.erasure import erase_account
from talentbridge.registry.organizations import create_organization
from talentbridge.store.matching_tables import ProfileConcept, ProfileWish
from talentbridge.store.outcomes_tables import Placement
from talentbridge.store.tables import CollegeMajor, Major, Posting, Profile, User

# Markers are unique over the whole test run, so a record of an earlier example can
# never be mistaken for one of this example.
_serial = itertools.count(1)

RESOURCE_STATES = ("draft", "review", "published", "withdrawn")
SKILLS = ("报关", "仓储管理")


@dataclass(frozen=True)
class ProfileSpec:
    has_user: bool  # a student account (else an imported record without one)
    visible: bool  # consented to be found by employers
    opt_out: bool  # refused automated ranking
    placed: bool  # has a placement record (outcomes)
    erased: bool = False  # the student erased their account (with one) at the end


@dataclass(frozen=True)
class CollegeSpec:
    profiles: tuple[ProfileSpec, ...]
    resources: tuple[str, ...]  # states of resources its teacher submitted


@dataclass(frozen=True)
class WorldSpec:
    colleges: tuple[CollegeSpec, ...]
    postings_per_enterprise: tuple[int, ...]
    applications: frozenset[tuple[int, int]]  # (profile index, posting index), modulo
    invitations: tuple[tuple[int, int, bool], ...]  # (profile, posting, accepted)
    fair: bool


_profiles = st.builds(
    ProfileSpec, st.booleans(), st.booleans(), st.booleans(), st.booleans(), st.booleans()
)
_colleges = st.builds(
    CollegeSpec,
    st.lists(_profiles, min_size=1, max_size=3).map(tuple),
    st.lists(st.sampled_from(RESOURCE_STATES), max_size=2).map(tuple),
)
_pair = st.tuples(st.integers(0, 50), st.integers(0, 50))


def world_specs() -> st.SearchStrategy[WorldSpec]:
    return st.builds(
        WorldSpec,
        st.lists(_colleges, min_size=1, max_size=2).map(tuple),
        st.lists(st.integers(1, 2), min_size=1, max_size=2).map(tuple),
        st.frozensets(_pair, max_size=3),
        st.lists(st.tuples(st.integers(0, 50), st.integers(0, 50), st.booleans()), max_size=2).map(
            tuple
        ),
        st.booleans(),
    )


# --- what the oracle sees ---------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    """A user of the world (``token``: a bearer token for the API)."""

    user_id: int
    username: str
    role: Role
    org_id: int | None
    token: str


@dataclass
class PersonRecord:
    """A profile and the facts the policy decides over; its markers must not leak."""

    id: int
    org_id: int
    user_id: int | None
    visible: bool
    name: str
    phone: str
    email: str
    applied_orgs: set[int] = field(default_factory=set)  # applied or accepted an invitation
    erased: bool = False  # erased (PIPL art. 47): its markers are shown to no one
    fair_orgs: set[int] = field(default_factory=set)  # colleges whose job fair they joined

    @property
    def contact(self) -> tuple[str, str]:
        return (self.phone, self.email)


@dataclass(frozen=True)
class ResourceRecord:
    id: int
    status: str
    submitted_by: int
    org_id: int | None
    title: str


@dataclass
class BuiltWorld:
    people: list[Person]
    profiles: list[PersonRecord]
    resources: list[ResourceRecord]
    # ids (and codes) of every record, by the kind of path or query parameter
    ids: dict[str, list[int | str]]


# --- building ------------------------------------------------------------------------------


def _principal(user: User) -> Principal:
    return Principal.of(user)


def _user(
    session: Session, password_hash: str, role: Role, org_id: int | None, display: str
) -> User:
    """A user row with a precomputed password hash (argon2 per user would take seconds
    per example; ``accounts.users.create_user`` is tested on its own)."""
    n = next(_serial)
    user = User(
        username=f"{role.value}{n}",
        display_name=display,
        password_hash=password_hash,
        role=role.value,
        organization_id=org_id,
        locale="zh",
        is_active=True,
    )
    session.add(user)
    session.flush()
    return user


def build_world(
    session: Session, spec: WorldSpec, *, password_hash: str, data_dir: Path
) -> tuple[BuiltWorld, list[User]]:
    """Make the world of ``spec`` in ``session`` (committed); the users come back too,
    for the caller to issue tokens and sign in."""
    users: list[User] = []
    n = next(_serial)
    concepts = add_taxonomy(session, SKILLS, code=f"t{n}")
    occupation = add_occupation(session, f"4-01-01-{n % 100:02d}", f"报关员{n}")
    major = Major(
        level="associate", item_level="major", code=f"53{n:04d}", name_zh="现代物流管理",
        name_en="Logistics", category_code="53", category_name="财经商贸大类",
    )  # fmt: skip
    session.add(major)
    session.flush()

    platform = _user(session, password_hash, Role.PLATFORM_ADMIN, None, "平台管理员")
    users.append(platform)
    analysts = []
    for kind in ("association", "authority"):
        org = create_organization(session, code=f"{kind[:2].upper()}{n}", kind=kind, name_zh=kind)
        session.flush()
        analysts.append(_user(session, password_hash, Role.ANALYST, org.id, "分析员"))
    users.extend(analysts)

    # enterprises, their recruiters and postings
    recruiters: list[User] = []
    postings: list[Posting] = []
    enterprise_codes: list[str] = []
    for e, count in enumerate(spec.postings_per_enterprise):
        code = f"E{n}x{e}"
        org = create_organization(session, code=code, kind="enterprise", name_zh=f"企业{code}")
        session.flush()
        enterprise_codes.append(code)
        recruiter = _user(session, password_hash, Role.RECRUITER, org.id, "招聘专员")
        recruiters.append(recruiter)
        for k in range(count):
            pid = add_posting(
                session, title=f"报关专员{k}", occupation_id=occupation, place="510107",
                concepts=[concepts[s] for s in SKILLS],
            )  # fmt: skip
            posting = session.get(Posting, pid)
            assert posting is not None
            posting.organization_id = org.id
            posting.employer_name = org.name_zh
            postings.append(posting)
    users.extend(recruiters)
    session.flush()

    # colleges, their staff, students and profiles
    profiles: list[PersonRecord] = []
    profile_users: dict[int, User] = {}
    staff: dict[int, tuple[User, User]] = {}
    college_codes: list[str] = []
    college_ids: list[int] = []
    pending_resources: list[tuple[User, int | None, str]] = []
    for c, college in enumerate(spec.colleges):
        code = f"C{n}x{c}"
        org = create_organization(session, code=code, kind="college", name_zh=f"学院{code}")
        session.flush()
        college_codes.append(code)
        college_ids.append(org.id)
        cm = CollegeMajor(organization_id=org.id, major_id=major.id)
        session.add(cm)
        admin = _user(session, password_hash, Role.COLLEGE_ADMIN, org.id, "学院管理员")
        teacher = _user(session, password_hash, Role.TEACHER, org.id, "教师")
        staff[org.id] = (admin, teacher)
        users.extend([admin, teacher])
        session.flush()
        for ps in college.profiles:
            m = next(_serial)
            name = f"Nm{m:05d}q"
            student = None
            if ps.has_user:
                student = _user(session, password_hash, Role.STUDENT, org.id, name)
                users.append(student)
            profile = Profile(
                organization_id=org.id, user_id=student.id if student else None,
                college_major_id=cm.id, student_no=f"S{m:06d}", name=name,
                phone=f"1390{m:07d}", email=f"em{m:05d}q@example.cn", graduation_year=2025,
                visible_to_employers=ps.visible, ranking_opt_out=ps.opt_out,
            )  # fmt: skip
            session.add(profile)
            session.flush()
            session.add_all(
                ProfileConcept(profile_id=profile.id, concept_id=concepts[s], source="self")
                for s in SKILLS
            )
            session.add(ProfileWish(profile_id=profile.id, city_codes=["510100"]))
            if ps.placed:
                session.add(
                    Placement(
                        profile_id=profile.id, organization_id=org.id, destination="employed",
                        employer_name="企业", employer_id=postings[0].organization_id,
                        division_code="510107", in_circle=True, salary_monthly=5000,
                    )
                )  # fmt: skip
            if student is not None:
                profile_users[profile.id] = student
            profiles.append(
                PersonRecord(
                    profile.id,
                    org.id,
                    profile.user_id,
                    ps.visible,
                    name,
                    profile.phone or "",
                    profile.email or "",
                )
            )
        for state in college.resources:
            pending_resources.append((teacher, org.id, state))
    session.flush()

    # applications (only students with an account apply) and invitations
    applicants = [p for p in profiles if p.id in profile_users]
    if applicants:
        for a, b in sorted(spec.applications):
            person, posting = applicants[a % len(applicants)], postings[b % len(postings)]
            if posting.organization_id in person.applied_orgs:
                continue
            apply(session, _principal(profile_users[person.id]), profile_id=person.id,
                  posting_id=posting.id)  # fmt: skip
            person.applied_orgs.add(posting.organization_id or 0)
        visible = [p for p in applicants if p.visible]
        for a, b, accepted in spec.invitations:
            if not visible:
                break
            person, posting = visible[a % len(visible)], postings[b % len(postings)]
            if posting.organization_id in person.applied_orgs:
                continue
            recruiter = recruiters[spec_index(postings, posting, spec)]
            invitation = invite(session, _principal(recruiter), profile_id=person.id,
                                posting_id=posting.id)  # fmt: skip
            if accepted:
                accept_invitation(session, _principal(profile_users[person.id]),
                                  invitation_id=invitation.id)  # fmt: skip
                person.applied_orgs.add(posting.organization_id or 0)
    session.flush()

    # library resources in every state
    resources: list[ResourceRecord] = []
    library_codes: list[str] = []
    if pending_resources:
        library = create_library(
            session, principal=_principal(platform), code=f"lib{n}", name_zh="单证库",
            name_en="Documents",
        )  # fmt: skip
        library_codes.append(library.code)
        for teacher, org_id, state in pending_resources:
            m = next(_serial)
            title = f"Rs{m:05d}q"
            resource = submit_resource(
                session, principal=_principal(teacher), library_id=library.id, title_zh=title,
                title_en=title, kind="courseware", data_dir=data_dir, max_bytes=1 << 20,
                data=f"{title} bill of lading".encode(), file_name="notes.txt",
                for_review=state != "draft",
            )  # fmt: skip
            reviewer = _principal(staff[org_id][0]) if org_id else _principal(platform)
            if state in ("published", "withdrawn"):
                change_status(session, principal=reviewer, resource_id=resource.id,
                              action="publish")  # fmt: skip
            if state == "withdrawn":
                change_status(session, principal=reviewer, resource_id=resource.id,
                              action="withdraw")  # fmt: skip
            resources.append(
                ResourceRecord(
                    resource.id, resource.status, teacher.id, resource.organization_id, title
                )
            )

    # a job fair of the first college, with an opening and the students registered
    fair_ids: list[int] = []
    opening_ids: list[int] = []
    if spec.fair:
        admin = staff[college_ids[0]][0]
        fair = create_fair(session, _principal(admin), name_zh="双选会",
                           held_on=dt.date(2026, 12, 1))  # fmt: skip
        opening = add_opening(session, _principal(recruiters[0]), fair_id=fair.id,
                              posting_id=postings[0].id)  # fmt: skip
        for person in applicants:
            register(session, _principal(profile_users[person.id]), fair_id=fair.id,
                     profile_id=person.id)  # fmt: skip
            person.fair_orgs.add(college_ids[0])
        fair_ids.append(fair.id)
        opening_ids.append(opening.id)
    # erasures last, so that the records they leave (applications, placements) exist
    erased_users: set[int] = set()
    specs = [ps for college in spec.colleges for ps in college.profiles]
    for ps, person in zip(specs, profiles, strict=True):
        if ps.erased and person.id in profile_users:
            erase_account(session, _principal(platform), user_id=profile_users[person.id].id)
            person.erased = True
            erased_users.add(profile_users[person.id].id)
    users = [u for u in users if u.id not in erased_users]
    session.commit()

    from talentbridge.store.matching_tables import Application

    application_ids = [a.id for a in session.query(Application).all()]
    ids: dict[str, list[int | str]] = {
        "profile": [p.id for p in profiles],
        "posting": [p.id for p in postings],
        "occupation": [occupation],
        "resource": [r.id for r in resources],
        "application": list(application_ids),
        "fair": list(fair_ids),
        "opening": list(opening_ids),
        "college": list(college_ids),
        "college_code": list(college_codes),
        "enterprise_code": list(enterprise_codes),
        "library_code": list(library_codes),
        "concept_key": list(SKILLS),
        "user": [u.id for u in users],
        "resume": [],
    }
    people = [Person(u.id, u.username, Role(u.role), u.organization_id, token="") for u in users]
    return BuiltWorld(people=people, profiles=profiles, resources=resources, ids=ids), users


def spec_index(postings: list[Posting], posting: Posting, spec: WorldSpec) -> int:
    """Which enterprise (and so which recruiter) a posting belongs to."""
    position = postings.index(posting)
    for e, count in enumerate(spec.postings_per_enterprise):
        if position < count:
            return e
        position -= count
    raise AssertionError("posting outside the spec")
