"""API: a person's own data and consents (``/api/v1/me/privacy/…``, PIPL art. 44-47).

* ``GET /me/privacy/export``: everything held about the caller as JSON (the layout of
  ``privacy.export``; ``format`` names its version); ``GET /me/privacy/export.pdf`` the
  same as a PDF (503 when the server lacks the Chinese font).
* ``GET /me/privacy/consents``: the consents in force, the notice version and the
  history; ``PUT`` grants or withdraws any of them (recorded with channel ``api``;
  takes effect at once). 404 when the caller has no student profile.
* ``DELETE /me/privacy/account?confirm=USERNAME``: erases the caller's account (the
  username must be repeated; 400 otherwise). 204; every token and session is revoked.

A browser session calling the writes must send the CSRF header; bearer tokens need not.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse, Response

from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.privacy import consent
from talentbridge.privacy.erasure import erase_account
from talentbridge.privacy.export import export_person, person_profile
from talentbridge.privacy.export_pdf import PdfFontMissing, export_pdf
from talentbridge.web.api.library_schemas import ERRORS, LibraryErrorOut
from talentbridge.web.deps import CurrentUser, PrincipalDep, SessionDep

router = APIRouter(tags=["privacy"])


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    return {code: ERRORS[code] for code in (401, *codes)}


class ConfirmationMismatch(TalentBridgeError):
    """The repeated username does not match (400)."""


class ConsentRecordOut(BaseModel):
    purpose: str = Field(examples=["employer_visibility"])
    granted: bool
    notice_version: str
    at: dt.datetime
    channel: str = Field(description="web, api, import, cli or demo")
    by_self: bool = Field(description="recorded by the person (else by their college or admin)")


class ConsentsOut(BaseModel):
    profile_id: int
    notice_version: str = Field(description="the version of the privacy notice in force")
    consents: dict[str, bool] = Field(
        description="purpose → granted: employer_visibility, automated_ranking"
    )
    history: list[ConsentRecordOut] = Field(description="newest first")


class ConsentsIn(BaseModel):
    employer_visibility: bool | None = Field(
        None, description="employers may find and read the profile"
    )
    automated_ranking: bool | None = Field(
        None, description="the matching may score the person (PIPL art. 24)"
    )


def _consents(session: SessionDep, user: CurrentUser) -> ConsentsOut:
    profile = person_profile(session, user.id)
    if profile is None:
        raise NotFound("you have no student profile, so no consents")
    return ConsentsOut(
        profile_id=profile.id,
        notice_version=consent.notice().version,
        consents=consent.current_state(profile),
        history=[
            ConsentRecordOut(purpose=h.purpose, granted=h.granted, notice_version=h.notice_version,
                             at=h.at, channel=h.channel, by_self=h.by_self)
            for h in consent.history(session, profile)
        ],
    )  # fmt: skip


@router.get(
    "/me/privacy/export",
    summary="Everything the platform holds about you (JSON)",
    responses=errors(),
)
def export_json(user: CurrentUser, session: SessionDep) -> dict[str, Any]:
    """The sections are documented in docs/security.md section 4; ``format`` names the
    layout (``talentbridge.personal-data/1``)."""
    return export_person(session, user.id)


@router.get(
    "/me/privacy/export.pdf",
    summary="Everything the platform holds about you (PDF)",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "the PDF"},
        **errors(),
        503: {"model": LibraryErrorOut, "description": "the server lacks the Chinese font"},
    },
)
def export_pdf_file(
    user: CurrentUser, session: SessionDep, lang: str = Query("zh", pattern="^(zh|en)$")
) -> Response:
    try:
        pdf = export_pdf(export_person(session, user.id), lang)
    except PdfFontMissing as exc:
        body = {"error": {"code": "unavailable", "message": str(exc)}}
        return JSONResponse(body, status_code=503)
    return Response(pdf, media_type="application/pdf")


@router.get(
    "/me/privacy/consents",
    response_model=ConsentsOut,
    summary="Your consents, the notice version and the history",
    responses=errors(404),
)
def get_consents(user: CurrentUser, session: SessionDep) -> ConsentsOut:
    return _consents(session, user)


@router.put(
    "/me/privacy/consents",
    response_model=ConsentsOut,
    summary="Grant or withdraw consents (takes effect at once)",
    responses=errors(404, 422),
)
def put_consents(
    body: ConsentsIn, user: CurrentUser, principal: PrincipalDep, session: SessionDep
) -> ConsentsOut:
    """Each purpose given is recorded (with channel ``api``); those left out stay."""
    profile = person_profile(session, user.id)
    if profile is None:
        raise NotFound("you have no student profile, so no consents")
    for purpose, granted in body.model_dump(exclude_none=True).items():
        consent.change(session, principal, profile_id=profile.id, purpose=purpose,
                       granted=bool(granted), channel="api")  # fmt: skip
    return _consents(session, user)


@router.delete(
    "/me/privacy/account",
    status_code=204,
    response_class=Response,
    summary="Delete your account and erase your personal information",
    responses=errors(400, 422),
)
def delete_account(
    user: CurrentUser,
    principal: PrincipalDep,
    session: SessionDep,
    confirm: str = Query(..., max_length=64, description="your username, repeated to confirm"),
) -> Response:
    """Cannot be undone. Aggregates (graduate destination, application stages) are kept
    without anything that identifies you; the audit log records the deletion."""
    if confirm != user.username:
        raise ConfirmationMismatch("confirm must repeat your username exactly")
    erase_account(session, principal, user_id=user.id, channel="api")
    return Response(status_code=204)
