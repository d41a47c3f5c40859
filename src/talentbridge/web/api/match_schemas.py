"""Bodies of the matching API (``/api/v1/match/…``), read from the services' dataclasses."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, ConfigDict, Field


class _From(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class PartsOut(_From):
    skills: float = Field(description="share of the posting's skill weight held (0–1)")
    major: float = Field(description="对口: 1 primary, 0.6 related, 0 none")
    text: float
    wishes: float
    education: float
    student_side: float
    employer_side: float
    total: float = Field(description="reciprocal: harmonic mean of the two sides")


class JobMatchOut(BaseModel):
    rank: int
    posting_id: int
    title: str
    employer_name: str
    city_code: str | None
    salary_min: int | None
    salary_max: int | None
    score: float
    scored: bool = Field(description="false when the profile opted out of automated ranking")
    parts: PartsOut
    flagged: bool = Field(description="the posting has intake compliance flags")
    flag_rules: list[str] = Field(description="the rules it was flagged for")


class JobsOut(BaseModel):
    profile_id: int
    ranker: str
    filter_problem: str | None = Field(description="a filter value that was not applied")
    matches: list[JobMatchOut]


class CandidateOut(BaseModel):
    rank: int
    profile_id: int
    name: str
    college: str
    major: str | None
    graduation_year: int
    score: float
    scored: bool
    parts: PartsOut
    applied: bool
    invited: bool
    phone: str | None = Field(
        description="masked (138****5678) until the candidate applied or accepted"
    )
    email: str | None = Field(
        description="masked (z***@example.com) until the candidate applied or accepted"
    )


class CandidatesOut(BaseModel):
    posting_id: int
    ranker: str
    filter_problem: str | None
    candidates: list[CandidateOut]


class TeachingResourceOut(_From):
    resource_id: int
    title_zh: str
    title_en: str
    kind: str
    library_code: str
    is_sample: bool


class SkillOut(_From):
    concept_id: int
    key: str
    label_zh: str | None
    label_en: str | None
    weight: float
    required: bool
    resources: list[TeachingResourceOut] = Field(
        default_factory=list,
        description="published library resources that teach the skill (missing skills only)",
    )


class MajorOut(_From):
    relation: str = Field(description="primary | related | none")
    value: float
    major_code: str | None
    major_name_zh: str | None
    occupation_code: str | None
    occupation_name_zh: str | None


class WishItemOut(_From):
    status: str = Field(description="fits | partly | does_not_fit | not_stated")
    value: float
    wanted: tuple[str, ...]
    offered: str | None


class WishesOut(_From):
    city: WishItemOut
    salary: WishItemOut
    occupation: WishItemOut
    relocate: bool


class EducationOut(_From):
    asked: int | None
    held: int | None
    value: float


class ExplanationOut(_From):
    profile_id: int
    posting_id: int
    scored: bool
    parts: PartsOut
    matched_skills: list[SkillOut]
    missing_skills: list[SkillOut]
    major: MajorOut
    wishes: WishesOut
    education: EducationOut
    shared_terms: list[str]
    flagged: bool
    right_to_know: str = Field(description="the PIPL art. 24 notice, in the asked language")


class FeedbackIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: int
    posting_id: int
    event: str = Field(description="view, save or dismiss (apply and invite have endpoints)")
    position: int | None = Field(None, ge=1)
    score: float | None = None


class FeedbackOut(BaseModel):
    id: int
    created: bool = Field(description="false: a repeated view within 30 minutes")


class ConsentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    visible_to_employers: bool


class OptOutIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ranking_opt_out: bool


class ProfileStateOut(BaseModel):
    profile_id: int
    visible_to_employers: bool
    ranking_opt_out: bool


class ApplyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: int | None = Field(None, description="default: your own profile")
    posting_id: int
    position: int | None = Field(None, ge=1)
    score: float | None = None


class InviteIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: int
    posting_id: int
    position: int | None = Field(None, ge=1)
    score: float | None = None


class StageIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    to_stage: str = Field(description="screened, interview, offer, hired or declined")
    note: str | None = Field(None, max_length=500)


class FairSlotOut(_From):
    fair_id: int
    fair_name_zh: str
    fair_name_en: str | None
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    booth: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    assigned: bool = Field(description="the student's assigned opening at that fair")


class ApplicationOut(_From):
    id: int
    profile_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    flagged: bool
    stage: str
    origin: str
    declined_by: str | None
    created_at: dt.datetime
    updated_at: dt.datetime
    candidate_name: str
    college_name_zh: str
    major_name_zh: str | None
    graduation_year: int
    phone: str | None
    email: str | None
    contact_hidden: bool
    fair_interviews: list[FairSlotOut] = Field(
        default_factory=list, description="job-fair interviews of this candidate and posting"
    )


class InvitationOut(_From):
    id: int
    profile_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    invited_at: dt.datetime
    status: str


class FairAssignedOut(_From):
    opening_id: int
    posting_id: int
    posting_title: str
    employer_name: str
    booth: str | None
    application_id: int | None
    stage: str | None


class FairPlanOut(_From):
    fair_id: int
    name_zh: str
    name_en: str | None
    held_on: dt.date
    venue: str | None
    status: str
    choices: int = Field(description="openings on the student's list")
    assignment: FairAssignedOut | None
    interviews: list[FairSlotOut]


class ApplicationListOut(BaseModel):
    counts: dict[str, int]
    applications: list[ApplicationOut]
    invitations: list[InvitationOut]
    fairs: list[FairPlanOut] = Field(
        default_factory=list,
        description="a profile's job fairs (not in pipelines or for recruiters)",
    )


class EventOut(_From):
    stage: str
    at: dt.datetime
    note: str | None


class ApplicationDetailOut(BaseModel):
    application: ApplicationOut
    events: list[EventOut]
    next_stage: str | None


class FairIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name_zh: str = Field(min_length=1, max_length=200)
    name_en: str | None = Field(None, max_length=200)
    held_on: dt.date
    venue: str | None = Field(None, max_length=200)
    starts_at: str = "09:00"
    ends_at: str = "17:00"
    slot_minutes: int = 20


class FairOut(_From):
    id: int
    organization_id: int | None
    name_zh: str
    name_en: str | None
    held_on: dt.date
    venue: str | None
    starts_at: str
    ends_at: str
    slot_minutes: int
    status: str


class OpeningOut(_From):
    id: int
    posting_id: int
    title: str
    employer_name: str
    seats: int
    booth: str | None
    flagged: bool


class FairDetailOut(BaseModel):
    fair: FairOut
    openings: list[OpeningOut]
    registered: int


class RegisterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: int | None = Field(None, description="default: your own profile")


class RegistrationOut(_From):
    fair_id: int
    profile_id: int
    list_stated_at: dt.datetime | None


class ChoicesIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_id: int | None = Field(None, description="default: your own profile")
    opening_ids: list[int] = Field(max_length=500, description="best first; [] states none")


class ChoiceOut(_From):
    opening_id: int
    posting_id: int
    title: str
    employer_name: str
    seats: int
    booth: str | None
    flagged: bool
    rank: int | None


class StudentChoicesOut(_From):
    fair_id: int
    profile_id: int
    can_change: bool
    stated: bool = Field(description="false: the ranks are the matching engine's suggestion")
    stated_at: dt.datetime | None
    items: list[ChoiceOut]


class RankingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile_ids: list[int] = Field(max_length=2000, description="best first")


class CandidateChoiceOut(_From):
    profile_id: int
    name: str
    college_name_zh: str
    major_name_zh: str | None
    graduation_year: int
    chose_rank: int | None = Field(description="the student's own rank of this opening")
    rank: int | None


class OpeningChoicesOut(_From):
    fair_id: int
    opening_id: int
    posting_id: int
    title: str
    seats: int
    can_change: bool
    stated: bool
    candidates: list[CandidateChoiceOut]


class FairSummaryOut(_From):
    fair_id: int
    status: str
    registered: int
    with_list: int
    assigned: int
    assigned_share: float | None
    seats_total: int
    seats_filled: int
    mean_student_rank: float | None
    mean_employer_rank: float | None
    interviews: int
    slots: int
    blocking_pairs: int = Field(description="0: the allocation is stable")
    applications: int = Field(0, description="assignments with an application for the pair")


class AssignmentOut(_From):
    profile_id: int
    candidate_name: str
    opening_id: int
    posting_id: int
    posting_title: str
    student_rank: int | None
    employer_rank: int | None


class InterviewOut(_From):
    profile_id: int
    candidate_name: str
    opening_id: int
    posting_id: int
    posting_title: str
    booth: str | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    assigned: bool


class FairResultsOut(BaseModel):
    assignments: list[AssignmentOut]
    interviews: list[InterviewOut]


class GroupOut(BaseModel):
    group: str | None = Field(description="null: not recorded")
    profiles: int | None = Field(description="null when below the small-cell threshold")
    population_share: float | None
    exposure_share: float | None
    ratio: float | None = Field(description="exposure share ÷ population share")


class FairnessOut(BaseModel):
    attribute: str
    k: int
    postings: int
    profiles: int
    college_id: int | None
    groups: list[GroupOut]
