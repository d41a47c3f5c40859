"""Matching commands: ranked jobs for a profile, candidates for a posting, one pair's
explanation, and running a job fair's allocation.

``talentbridge match jobs --profile N``, ``match candidates --posting N``,
``match explain --profile N --posting M`` and ``fair allocate FAIR_ID``. The commands
act as the operator of the store (the platform admin) unless ``--as USERNAME`` names a
user whose rights apply (a college admin allocating their own fair, a recruiter asking
for candidates); every decision is still ``accounts.policy``'s.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

import typer
from rich.table import Table
from sqlalchemy.orm import Session

from talentbridge.accounts.policy import Principal
from talentbridge.accounts.roles import Role
from talentbridge.accounts.users import get_user_by_username
from talentbridge.cli.common import _open_store, app, console, fail
from talentbridge.config import SettingsError
from talentbridge.errors import NotFound, TalentBridgeError

match_app = typer.Typer(help="Person–job matching 人岗匹配.", no_args_is_help=True)
fair_app = typer.Typer(help="Job fairs 双选会.", no_args_is_help=True)
app.add_typer(match_app, name="match")
app.add_typer(fair_app, name="fair")

OPERATOR = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)
T = TypeVar("T")

AsOpt = Annotated[
    str | None,
    typer.Option("--as", help="Act as this user (their rights apply); default: the operator"),
]
KOpt = Annotated[int, typer.Option("--k", min=1, max=500, help="How many to list")]


def _principal(session: Session, username: str | None) -> Principal:
    if username is None:
        return OPERATOR
    user = get_user_by_username(session, username)
    if user is None:
        raise NotFound(f"no user {username!r}")
    return Principal.of(user)


def _in_store(
    work: Callable[[Session, Principal], T], username: str | None, *, commit: bool = False
) -> T:
    """Run ``work`` in one session as the chosen principal; named errors become a message."""
    try:
        _settings, engine, factory = _open_store()
        try:
            with factory() as session:
                result = work(session, _principal(session, username))
                if commit:
                    session.commit()
                return result
        finally:
            engine.dispose()
    except (TalentBridgeError, SettingsError, ValueError) as exc:
        raise fail(str(exc)) from None


def _pct(value: float) -> str:
    return f"{100 * value:.0f}"


@match_app.command("jobs")
def jobs_cmd(
    profile: Annotated[int, typer.Option("--profile", help="Profile id")],
    k: KOpt = 20,
    city: Annotated[str | None, typer.Option("--city", help="City name or code")] = None,
    salary: Annotated[int | None, typer.Option("--salary", help="Pay floor, yuan/month")] = None,
    hide_flagged: Annotated[bool, typer.Option("--hide-flagged")] = False,
    as_user: AsOpt = None,
) -> None:
    """Rank jobs for a profile (适合我的岗位): the same ranking the web shows."""
    from talentbridge.matching.engine import jobs_for
    from talentbridge.matching.index import index_for
    from talentbridge.matching.listing import job_filters, subject_profile
    from talentbridge.pipeline.posting_queries import get_posting

    def work(session: Session, principal: Principal) -> tuple[list[list[str]], str | None]:
        subject = subject_profile(session, principal, profile)
        parsed = job_filters(city=city, salary=salary, hide_flagged=hide_flagged)
        rows = []
        for m in jobs_for(index_for(session), subject.id, parsed.filters, k=k):
            posting = get_posting(session, m.posting_id)
            rows.append([
                str(m.rank), str(m.posting_id), posting.title, posting.employer_name,
                _pct(m.score) if m.scored else "—", _pct(m.parts.skills), _pct(m.parts.major),
                _pct(m.parts.wishes), "⚑" if m.flagged else "",
            ])  # fmt: skip
        return rows, parsed.problem

    rows, problem = _in_store(work, as_user, commit=True)
    if problem:
        console.print(f"[yellow]city filter not applied:[/] {problem}", highlight=False)
    table = Table(title=f"jobs for profile {profile} 推荐岗位")
    for header in ("#", "posting", "title 岗位", "employer 单位", "score", "skills", "major",
                   "wishes", "flag"):  # fmt: skip
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@match_app.command("candidates")
def candidates_cmd(
    posting: Annotated[int, typer.Option("--posting", help="Posting id")],
    k: KOpt = 20,
    as_user: AsOpt = None,
) -> None:
    """Rank candidates for a posting (候选人): consenting or applied candidates only."""
    from talentbridge.matching.engine import CandidateFilters
    from talentbridge.matching.index import index_for
    from talentbridge.matching.listing import ranked_candidates, recruited_posting

    def work(session: Session, principal: Principal) -> list[list[str]]:
        found = recruited_posting(session, principal, posting)
        return [
            [str(r.match.rank), str(r.person.id), r.person.name, r.person.college_zh,
             r.person.major_zh or "—", _pct(r.match.score) if r.match.scored else "—",
             "applied" if r.applied else ("invited" if r.invited else "")]
            for r in ranked_candidates(session, principal, found, CandidateFilters(),
                                       index=index_for(session), k=k, ranker=None)
        ]  # fmt: skip

    rows = _in_store(work, as_user, commit=True)
    table = Table(title=f"candidates for posting {posting} 候选人")
    for header in ("#", "profile", "name 姓名", "college 院校", "major 专业", "score", "status"):
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)


@match_app.command("explain")
def explain_cmd(
    profile: Annotated[int, typer.Option("--profile", help="Profile id")],
    posting: Annotated[int, typer.Option("--posting", help="Posting id")],
    as_user: AsOpt = None,
) -> None:
    """Why a profile and a posting match: skills, 对口, wishes, the score's parts."""
    from talentbridge.matching.explain import Explanation, explain
    from talentbridge.matching.index import index_for
    from talentbridge.matching.listing import explained_pair

    def work(session: Session, principal: Principal) -> Explanation:
        explained_pair(session, principal, profile, posting)
        return explain(index_for(session), profile, posting)

    e = _in_store(work, as_user, commit=True)
    p = e.parts
    lines = [
        f"profile {e.profile_id} × posting {e.posting_id}"
        + ("" if e.scored else "  (opted out of automated ranking: not scored)"),
        f"total 综合 {_pct(p.total)} = harmonic mean of employer side {_pct(p.employer_side)}"
        f" and student side {_pct(p.student_side)}",
        f"parts: skills {_pct(p.skills)} · major {_pct(p.major)} · education {_pct(p.education)}"
        f" · text {_pct(p.text)} · wishes {_pct(p.wishes)}",
        "matched 已具备: " + (", ".join(s.label_zh or s.key for s in e.matched_skills) or "—"),
        "missing 欠缺: " + (", ".join(s.label_zh or s.key for s in e.missing_skills) or "—"),
        f"major 专业: {e.major.relation} ({e.major.major_name_zh or '—'} → "
        f"{e.major.occupation_name_zh or '—'})",
        f"wishes 意向: city {e.wishes.city.status} · salary {e.wishes.salary.status} · "
        f"occupation {e.wishes.occupation.status}",
    ]
    if e.flagged:
        lines.append(f"flagged 合规提示: {e.flag_count} intake flag(s)")
    for line in lines:
        console.print(line, highlight=False, soft_wrap=True)


@fair_app.command("allocate")
def allocate_cmd(
    fair_id: Annotated[int, typer.Argument(help="Job fair id")],
    as_user: AsOpt = None,
) -> None:
    """Fill unstated preference lists from the engine, allocate by deferred acceptance
    and schedule interviews without clashes (replacing an earlier run)."""
    from talentbridge.matching.fair_run import RunReport, run_allocation

    def work(session: Session, principal: Principal) -> RunReport:
        return run_allocation(session, principal, fair_id=fair_id)

    report = _in_store(work, as_user, commit=True)
    s, f = report.summary, report.filled
    share = f"{100 * s.assigned_share:.0f}%" if s.assigned_share is not None else "—"
    for line in (
        f"fair 双选会 {s.fair_id}: {s.status}",
        f"lists filled by the engine: {f.students_filled} students, {f.openings_filled} openings"
        f" ({f.students_opted_out} opted-out students left unscored)",
        f"assigned 分配: {s.assigned}/{s.registered} students ({share}),"
        f" seats {s.seats_filled}/{s.seats_total}",
        f"interviews 面试: {s.interviews} in {s.slots} slots; unscheduled {len(s.unscheduled)}",
        f"blocking pairs 阻塞对: {s.blocking_pairs} (0: stable)",
    ):
        console.print(line, highlight=False, soft_wrap=True)
