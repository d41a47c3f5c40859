"""Recruiting efficiency (招聘效率) per posting, per employer and per month.

Everything is computed from a posting's date (``Posting.posted_on``) and the
timestamped steps of its applications (``ApplicationEvent``); the definitions are
written out in ``docs/outcomes.md`` ("Recruiting efficiency"):

* **qualified application**: an application that reached ``screened`` or any later
  stage (``interview``, ``offer``, ``hired``), whatever happened to it afterwards;
* **days to the first qualified application**: from the posting date (00:00 of that
  day) to the *creation* of the earliest-created qualified application;
* **days to the first interview** / **days to hire**: from the posting date to the
  earliest ``interview`` / ``hired`` event of any of its applications;
* **applications per hire** / **candidates screened per hire**: for a posting with at
  least one hire, its applications (screened: its qualified applications) ÷ its hires;
* **offer acceptance rate**: offers that became hires ÷ offers decided (an application
  that reached ``offer`` and is now ``hired`` or ``declined``; open offers wait).

Days are fractional (seconds ÷ 86,400) and never negative (an application stamped
before the posting date counts as day 0). A posting that has not reached a step yet
has no value for it (it is not counted as zero or as "now"). A posting belongs to the
month of its posting date. Only postings of an employer in the store
(``Posting.organization_id``) with a posting date are counted. Medians and quartiles
use linear interpolation between order statistics (numpy's default).

Who may see what (``accounts.outcomes_policy.can_view_recruiting``): the platform admin and analysts every
employer, one by one and together; a recruiter only their own organization; college
staff the figures over all employers only (no row per employer); nobody else. The
figures are aggregates over postings, never a person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from talentbridge.accounts.directory import holds_sample_data
from talentbridge.accounts.outcomes_policy import can_view_recruiting, recruiting_employer
from talentbridge.accounts.principal import Principal
from talentbridge.errors import Forbidden, NotFound
from talentbridge.store.matching_tables import Application, ApplicationEvent
from talentbridge.store.tables import Organization, Posting

QUALIFIED_STAGES: frozenset[str] = frozenset({"screened", "interview", "offer", "hired"})
# Per-posting measures that can be summarized and compared (all: lower is better).
MEASURES: tuple[str, ...] = (
    "days_to_first_qualified",
    "days_to_first_interview",
    "days_to_hire",
    "applications_per_hire",
    "screened_per_hire",
)
DAY_SECONDS = 86_400.0


# --- access ---------------------------------------------------------------------------


def employer_scope(principal: Principal, employer_id: int | None) -> int | None:
    """The employer the principal's figures are limited to (``None``: every employer).

    A recruiter asking for no employer gets their own organization
    (``recruiting_employer``). Raises ``Forbidden`` when the principal may not see the
    requested employer's (or any) figures.
    """
    if employer_id is None:
        employer_id = recruiting_employer(principal)
    if not can_view_recruiting(principal, employer_id):
        raise Forbidden("you may not see these recruiting figures")
    return employer_id


def employer_by_code(session: Session, code: str) -> Organization:
    """The organization with this code (``NotFound`` otherwise)."""
    org = session.scalar(select(Organization).where(Organization.code == code))
    if org is None:
        raise NotFound(f"no organization with code {code!r}")
    return org


# --- per posting ----------------------------------------------------------------------


@dataclass(frozen=True)
class AppSteps:
    """One application of a posting: when it was created and its steps (stage, time)."""

    created_at: dt.datetime
    steps: tuple[tuple[str, dt.datetime], ...]


@dataclass(frozen=True)
class PostingTimes:
    """The recruiting facts of one posting (``None``: the step was not reached)."""

    posting_id: int
    employer_id: int
    posted_on: dt.date
    applications: int
    screened: int  # qualified applications: reached ``screened`` or beyond
    interviews: int  # applications that reached ``interview``
    offers: int  # applications that reached ``offer``
    hires: int
    offers_decided: int  # reached ``offer`` and now hired or declined
    offers_accepted: int  # reached ``offer`` and then ``hired``
    days_to_first_qualified: float | None
    days_to_first_interview: float | None
    days_to_hire: float | None  # to the first hire

    @property
    def month(self) -> str:
        return self.posted_on.strftime("%Y-%m")

    @property
    def applications_per_hire(self) -> float | None:
        return self.applications / self.hires if self.hires else None

    @property
    def screened_per_hire(self) -> float | None:
        return self.screened / self.hires if self.hires else None

    def measure(self, name: str) -> float | None:
        """The value of one of ``MEASURES``."""
        if name not in MEASURES:
            raise ValueError(f"unknown measure {name!r}; use one of: {', '.join(MEASURES)}")
        value: float | None = getattr(self, name)
        return value


def days_between(posted_on: dt.date, at: dt.datetime) -> float:
    """Fractional days from 00:00 of ``posted_on`` to ``at`` (0 when ``at`` is earlier)."""
    start = dt.datetime.combine(posted_on, dt.time())
    return max(0.0, (at.replace(tzinfo=None) - start).total_seconds() / DAY_SECONDS)


def posting_times(
    posting_id: int, employer_id: int, posted_on: dt.date, applications: Iterable[AppSteps]
) -> PostingTimes:
    """The facts of one posting from its applications' steps (pure; see the module)."""
    apps = list(applications)
    first_qualified: dt.datetime | None = None
    first_interview: dt.datetime | None = None
    first_hire: dt.datetime | None = None
    screened = interviews = offers = hires = decided = accepted = 0
    for app in apps:
        stages = {stage for stage, _ in app.steps}
        if stages & QUALIFIED_STAGES:
            screened += 1
            if first_qualified is None or app.created_at < first_qualified:
                first_qualified = app.created_at
        interviews += "interview" in stages
        if "offer" in stages:
            offers += 1
            decided += bool(stages & {"hired", "declined"})
            accepted += "hired" in stages
        hires += "hired" in stages
        for stage, at in app.steps:
            if stage == "interview" and (first_interview is None or at < first_interview):
                first_interview = at
            if stage == "hired" and (first_hire is None or at < first_hire):
                first_hire = at

    def days(at: dt.datetime | None) -> float | None:
        return None if at is None else days_between(posted_on, at)

    return PostingTimes(
        posting_id=posting_id,
        employer_id=employer_id,
        posted_on=posted_on,
        applications=len(apps),
        screened=screened,
        interviews=interviews,
        offers=offers,
        hires=hires,
        offers_decided=decided,
        offers_accepted=accepted,
        days_to_first_qualified=days(first_qualified),
        days_to_first_interview=days(first_interview),
        days_to_hire=days(first_hire),
    )


def _conditions(
    employer_id: int | None, since: dt.date | None, until: dt.date | None
) -> list[ColumnElement[bool]]:
    """Postings of an employer in the store, with a posting date in the period."""
    conditions: list[ColumnElement[bool]] = [
        Posting.organization_id.is_not(None),
        Posting.posted_on.is_not(None),
    ]
    if employer_id is not None:
        conditions.append(Posting.organization_id == employer_id)
    if since is not None:
        conditions.append(Posting.posted_on >= since)
    if until is not None:
        conditions.append(Posting.posted_on <= until)
    return conditions


def load_posting_times(
    session: Session,
    *,
    principal: Principal,
    employer_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> list[PostingTimes]:
    """Every posting with at least one application, posted in ``since``…``until``
    (inclusive; open ends allowed), of the employers the principal may see."""
    employer_id = employer_scope(principal, employer_id)
    conditions = _conditions(employer_id, since, until)
    app_rows = session.execute(
        select(
            Application.id,
            Application.posting_id,
            Posting.organization_id,
            Posting.posted_on,
            Application.created_at,
        )
        .join(Posting, Posting.id == Application.posting_id)
        .where(*conditions)
    ).all()
    event_rows = session.execute(
        select(ApplicationEvent.application_id, ApplicationEvent.stage, ApplicationEvent.at)
        .join(Application, Application.id == ApplicationEvent.application_id)
        .join(Posting, Posting.id == Application.posting_id)
        .where(ApplicationEvent.stage != "applied", *conditions)
    ).all()
    steps: dict[int, list[tuple[str, dt.datetime]]] = defaultdict(list)
    for app_id, stage, at in event_rows:
        steps[app_id].append((stage, at))
    by_posting: dict[int, tuple[int, dt.date, list[AppSteps]]] = {}
    for app_id, posting_id, org_id, posted_on, created_at in app_rows:
        assert org_id is not None and posted_on is not None  # the conditions say so
        entry = by_posting.setdefault(posting_id, (org_id, posted_on, []))
        entry[2].append(AppSteps(created_at, tuple(sorted(steps.get(app_id, ()), key=_at))))
    return [
        posting_times(pid, org_id, posted_on, apps)
        for pid, (org_id, posted_on, apps) in sorted(by_posting.items())
    ]


def _at(step: tuple[str, dt.datetime]) -> dt.datetime:
    return step[1]


# --- summaries ------------------------------------------------------------------------


@dataclass(frozen=True)
class Distribution:
    """n values summarized: median and quartiles (``None`` when n is 0)."""

    n: int
    median: float | None
    q1: float | None
    q3: float | None

    @classmethod
    def of(cls, values: Sequence[float]) -> Distribution:
        if not values:
            return cls(0, None, None, None)
        q1, median, q3 = (
            float(x) for x in np.quantile(np.asarray(values, float), [0.25, 0.5, 0.75])
        )
        return cls(len(values), median, q1, q3)


@dataclass(frozen=True)
class RecruitingSummary:
    """Recruiting efficiency of a group of postings (an employer, a month, or all)."""

    employer_id: int | None  # None: every employer in scope
    employer_code: str | None
    employer_name_zh: str | None
    employer_name_en: str | None
    month: str | None  # YYYY-MM of the posting date; None: the whole period
    postings: int  # postings with at least one application
    applications: int
    screened: int
    hires: int
    offers_decided: int
    offers_accepted: int
    measures: dict[str, Distribution] = field(default_factory=dict)  # by MEASURES name

    @property
    def offer_acceptance_rate(self) -> float | None:
        """Offers that became hires ÷ offers decided (``None`` when none was decided)."""
        return self.offers_accepted / self.offers_decided if self.offers_decided else None

    @property
    def applications_per_hire_pooled(self) -> float | None:
        """All applications of the group's postings ÷ all their hires."""
        return self.applications / self.hires if self.hires else None


def summarize(
    times: Sequence[PostingTimes],
    *,
    employer: Organization | None = None,
    month: str | None = None,
) -> RecruitingSummary:
    """Counts, the offer acceptance rate and each measure's distribution over postings."""
    measures = {
        name: Distribution.of([v for t in times if (v := t.measure(name)) is not None])
        for name in MEASURES
    }
    return RecruitingSummary(
        employer_id=employer.id if employer else None,
        employer_code=employer.code if employer else None,
        employer_name_zh=employer.name_zh if employer else None,
        employer_name_en=employer.name_en if employer else None,
        month=month,
        postings=len(times),
        applications=sum(t.applications for t in times),
        screened=sum(t.screened for t in times),
        hires=sum(t.hires for t in times),
        offers_decided=sum(t.offers_decided for t in times),
        offers_accepted=sum(t.offers_accepted for t in times),
        measures=measures,
    )


@dataclass(frozen=True)
class RecruitingTable:
    """The recruiting-efficiency report of a period for the employers in scope."""

    since: dt.date | None
    until: dt.date | None
    employer_id: int | None  # the one employer asked for (or a recruiter's own)
    overall: RecruitingSummary
    by_employer: list[RecruitingSummary]  # most postings first; those the reader may see
    by_month: list[RecruitingSummary]  # oldest month first, every employer in scope
    synthetic: bool  # the store holds the demo's generated sample data


def recruiting_table(
    session: Session,
    *,
    principal: Principal,
    employer_id: int | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> RecruitingTable:
    """Recruiting efficiency overall, per employer and per month of the posting date."""
    scoped = employer_scope(principal, employer_id)
    times = load_posting_times(
        session, principal=principal, employer_id=scoped, since=since, until=until
    )
    per_employer: dict[int, list[PostingTimes]] = defaultdict(list)
    per_month: dict[str, list[PostingTimes]] = defaultdict(list)
    for t in times:
        per_employer[t.employer_id].append(t)
        per_month[t.month].append(t)
    orgs = {
        org.id: org
        for org in session.scalars(select(Organization).where(Organization.id.in_(per_employer)))
    }
    by_employer = sorted(
        (
            summarize(ts, employer=orgs.get(eid))
            for eid, ts in per_employer.items()
            if can_view_recruiting(principal, eid)  # college staff: no single employer
        ),
        key=lambda s: (-s.postings, s.employer_code or ""),
    )
    one = orgs.get(scoped) if scoped is not None else None
    if scoped is not None and one is None:
        one = session.get(Organization, scoped)
    return RecruitingTable(
        since=since,
        until=until,
        employer_id=scoped,
        overall=summarize(times, employer=one),
        by_employer=by_employer,
        by_month=[summarize(per_month[m], employer=one, month=m) for m in sorted(per_month)],
        synthetic=holds_sample_data(session),
    )
