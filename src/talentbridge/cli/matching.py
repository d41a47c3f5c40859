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


# --- learning to rank ---------------------------------------------------------------------

ranker_app = typer.Typer(help="Learning-to-rank models 排序模型.", no_args_is_help=True)
app.add_typer(ranker_app, name="ranker")
SampleOpt = Annotated[
    bool, typer.Option("--sample/--no-sample", help="Use feedback on sample (demo) data too")
]
FoldsOpt = Annotated[int, typer.Option("--folds", min=2, max=20, help="Grouped K-fold")]


def _figures(metrics: dict[str, object] | None) -> str:
    m = metrics or {}

    def f(key: str) -> str:
        value = m.get(key)
        return f"{value:.3f}" if isinstance(value, float | int) else "—"

    return (
        f"NDCG@10 held-out: model {f('model_ndcg')} vs hand-set weights {f('weights_ndcg')} "
        f"({m.get('queries', '—')} profiles, {m.get('folds', '—')} folds, "
        f"{m.get('pairs', '—')} pairs)"
    )


@ranker_app.command("train")
def ranker_train(
    name: Annotated[str, typer.Option("--name", help="A name for the model")] = "lambdarank",
    folds: FoldsOpt = 5,
    sample: SampleOpt = True,
) -> None:
    """Train a LightGBM lambdarank model on the recorded feedback, evaluated offline by
    grouped K-fold against the hand-set weights; stored, not switched on."""
    from talentbridge.matching import ltr
    from talentbridge.matching.index import index_for
    from talentbridge.store.matching_tables import RankerModel

    def work(session: Session, _principal: Principal) -> RankerModel:
        labels = ltr.feedback_labels(session, include_sample=sample)
        return ltr.train_ranker(session, index_for(session), labels, name=name, folds=folds)

    model = _in_store(work, None, commit=True)
    console.print(f"model {model.id} ({model.name}) trained on {model.trained_on} pairs",
                  highlight=False)  # fmt: skip
    console.print(_figures(model.metrics), highlight=False, soft_wrap=True)
    console.print(f"switch it on with: talentbridge ranker activate {model.id}", highlight=False)


@ranker_app.command("evaluate")
def ranker_evaluate(folds: FoldsOpt = 5, sample: SampleOpt = True) -> None:
    """Offline evaluation only (nothing stored): the learned model against the hand-set
    weights by NDCG@10 on held-out profiles."""
    from talentbridge.matching import ltr
    from talentbridge.matching.index import index_for

    def work(session: Session, _principal: Principal) -> ltr.OfflineEvaluation:
        labels = ltr.feedback_labels(session, include_sample=sample)
        return ltr.cross_validate(ltr.training_set(index_for(session), labels), folds=folds)

    evaluation = _in_store(work, None)
    console.print(_figures(evaluation.as_dict()), highlight=False, soft_wrap=True)
    verdict = "better" if evaluation.better else "not better"
    console.print(f"the learned model is {verdict} than the hand-set weights", highlight=False)


@ranker_app.command("activate")
def ranker_activate(model_id: Annotated[int, typer.Argument(help="Model id")]) -> None:
    """Use a model for ranking, only if it beats the hand-set weights offline (the web
    and API use it when TALENTBRIDGE_MATCH_RANKER=learned)."""
    from talentbridge.matching import ltr
    from talentbridge.store.matching_tables import RankerModel

    def work(session: Session, _principal: Principal) -> RankerModel:
        return ltr.activate(session, model_id)

    model = _in_store(work, None, commit=True)
    console.print(f"model {model.id} ({model.name}) is active: {_figures(model.metrics)}",
                  highlight=False, soft_wrap=True)  # fmt: skip


@ranker_app.command("deactivate")
def ranker_deactivate() -> None:
    """Back to the hand-set weights."""
    from talentbridge.matching import ltr

    def work(session: Session, _principal: Principal) -> None:
        ltr.deactivate(session)

    _in_store(work, None, commit=True)
    console.print("the hand-set weights rank the lists", highlight=False)


@ranker_app.command("list")
def ranker_list() -> None:
    """Trained models with their offline figures; which one is active."""
    from talentbridge.matching.listing import ranker_models

    def work(session: Session, _principal: Principal) -> list[list[str]]:
        return [
            [str(m.id), m.name, m.created_at.strftime("%Y-%m-%d %H:%M"), str(m.trained_on),
             _figures(m.metrics), "active" if m.active else ""]
            for m in ranker_models(session)
        ]  # fmt: skip

    rows = _in_store(work, None)
    table = Table(title="ranker models 排序模型")
    for header in ("id", "name", "trained", "pairs", "offline evaluation", ""):
        table.add_column(header)
    for row in rows:
        table.add_row(*row)
    console.print(table)
