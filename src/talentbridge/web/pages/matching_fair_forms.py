"""Job-fair ranking forms: a student ranks the fair's openings (on the fair page), and a
posting's recruiters rank the registered students they may see for their opening
(``/matching/fairs/{fair}/openings/{opening}``). Both are phone-sized lists of cards,
each with a rank to pick; they stay open until the fair is allocated.

Reads are ``matching.fair_choices`` and changes ``matching.fair_preferences``; both
apply ``accounts.policy``.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import Principal
from talentbridge.matching.fair_choices import opening_choices
from talentbridge.matching.fair_preferences import (
    set_opening_preferences,
    set_student_preferences,
)
from talentbridge.matching.fairs import FairInputError, get_fair
from talentbridge.matching.listing import own_profile_id
from talentbridge.web.deps import PrincipalDep, SessionDep, require_area
from talentbridge.web.pages.matching_common import back, int_or_none
from talentbridge.web.pages.matching_fairs import render_fair
from talentbridge.web.rendering import render

router = APIRouter()

MatchingArea = Annotated[Principal, Depends(require_area("matching"))]
Ids = Annotated[list[int] | None, Form()]
Ranks = Annotated[list[str] | None, Form()]


def ranked_ids(ids: list[int], ranks: list[str]) -> list[int]:
    """The ids a form ranked (a rank per id, empty for "not wanted"), best first."""
    if len(ids) != len(ranks):
        raise FairInputError("ranks", "every entry needs a rank or an empty choice")
    chosen: dict[int, int] = {}
    for item, text in zip(ids, ranks, strict=True):
        if not text.strip():
            continue
        rank = int_or_none(text)
        if rank is None or rank < 1:
            raise FairInputError("ranks", f"not a rank: {text!r}")
        if rank in chosen:
            raise FairInputError("ranks", f"rank {rank} is given twice")
        chosen[rank] = item
    return [chosen[rank] for rank in sorted(chosen)]


@router.post("/matching/fairs/{fair_id}/choices")
def save_choices(
    request: Request,
    fair_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    opening: Ids = None,
    rank: Ranks = None,
) -> Response:
    """The student's own choices (registered, while the fair is open)."""
    profile_id = own_profile_id(session, principal)
    try:
        wanted = ranked_ids(opening or [], rank or [])
        set_student_preferences(
            session, principal, fair_id=fair_id, profile_id=profile_id, opening_ids=wanted
        )
    except FairInputError as error:
        session.rollback()
        return render_fair(request, session, principal, fair_id, error=error)
    return back(f"/matching/fairs/{fair_id}", saved="choices")


def _render_opening(
    request: Request,
    session: Session,
    principal: Principal,
    fair_id: int,
    opening_id: int,
    *,
    error: FairInputError | None = None,
) -> Response:
    form = opening_choices(session, principal, fair_id=fair_id, opening_id=opening_id)
    return render(
        request,
        "matching/fair_opening.html",
        status_code=400 if error else 200,
        fair=get_fair(session, fair_id=fair_id),
        form=form,
        error=error,
        notice=request.query_params.get("saved"),
    )


@router.get("/matching/fairs/{fair_id}/openings/{opening_id}", name="matching_fair_opening")
def opening_page(
    request: Request, fair_id: int, opening_id: int, session: SessionDep, principal: MatchingArea
) -> Response:
    return _render_opening(request, session, principal, fair_id, opening_id)


@router.post("/matching/fairs/{fair_id}/openings/{opening_id}")
def save_ranking(
    request: Request,
    fair_id: int,
    opening_id: int,
    session: SessionDep,
    principal: PrincipalDep,
    profile: Ids = None,
    rank: Ranks = None,
) -> Response:
    """The opening's ranking of students, by the posting's recruiters."""
    try:
        wanted = ranked_ids(profile or [], rank or [])
        set_opening_preferences(
            session, principal, fair_id=fair_id, opening_id=opening_id, profile_ids=wanted
        )
    except FairInputError as error:
        session.rollback()
        return _render_opening(request, session, principal, fair_id, opening_id, error=error)
    return back(f"/matching/fairs/{fair_id}/openings/{opening_id}", saved="ranked")
