"""Pages: "我的数据与隐私 / My data and privacy" (``/account/privacy``).

A signed-in person sees the privacy notice, the consents in force with a button to
grant or withdraw each (``privacy.consent``), their consent history, downloads of all
their data (JSON, PDF: ``privacy.export``) and of their résumé files, and the account
deletion (``privacy.erasure``), which asks them to type their username and tick a box.
A college admin (for a student of their college) or the platform admin erases an
account from ``/account/privacy/erase/{user_id}`` with the same confirmation. Every
form carries the CSRF token (the router is included with ``verify_csrf``).
"""

from __future__ import annotations

import json
from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import FileResponse, RedirectResponse, Response

from talentbridge.errors import NotFound
from talentbridge.privacy import consent
from talentbridge.privacy.erasure import erase_account
from talentbridge.privacy.export import export_person, person_profile
from talentbridge.privacy.export_pdf import PdfFontMissing, export_pdf
from talentbridge.privacy.overview import erasure_target, own_resume, privacy_overview
from talentbridge.web.deps import CurrentUser, PrincipalDep, SessionDep
from talentbridge.web.rendering import current_viewer, render, request_locale
from talentbridge.web.security import end_session

router = APIRouter()

BASE = "/account/privacy"
Flag = Annotated[str, Form(max_length=5)]
Typed = Annotated[str, Form(max_length=64)]


def _attachment(name: str) -> dict[str, str]:
    return {"Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}"}


def _lang(request: Request) -> str:
    return request_locale(request, current_viewer(request))


@router.get(BASE, name="privacy")
def privacy_page(
    request: Request,
    user: CurrentUser,
    session: SessionDep,
    done: str | None = None,
    error: str | None = None,
) -> Response:
    lang = _lang(request)
    title, body = consent.notice().text(lang)
    return render(
        request,
        "privacy/index.html",
        user=user,
        view=privacy_overview(session, user),
        purposes=consent.PURPOSES,
        purpose_texts=consent.notice().purposes.get(lang, consent.notice().purposes["zh"]),
        notice_title=title,
        notice_paragraphs=[p for p in body.splitlines() if p.strip()],
        done=done if done in ("granted", "withdrawn") else None,
        error=error if error in ("font",) else None,
    )


@router.post(BASE + "/consents/{purpose}", name="privacy_consent")
def change_consent(
    purpose: str,
    user: CurrentUser,
    principal: PrincipalDep,
    session: SessionDep,
    granted: Flag = "",
) -> Response:
    if purpose not in consent.PURPOSES:
        raise NotFound(f"no consent purpose {purpose!r}")
    profile = person_profile(session, user.id)
    if profile is None:
        raise NotFound("you have no student profile")
    grant = granted == "1"
    consent.change(session, principal, profile_id=profile.id, purpose=purpose, granted=grant)
    state = "granted" if grant else "withdrawn"
    return RedirectResponse(f"{BASE}?done={state}#consents", status_code=303)


@router.get(BASE + "/export.json", name="privacy_export_json")
def export_json(user: CurrentUser, session: SessionDep) -> Response:
    data = export_person(session, user.id)
    body = json.dumps(data, ensure_ascii=False, indent=2).encode("utf-8")
    return Response(body, media_type="application/json; charset=utf-8",
                    headers=_attachment(f"talentbridge-{user.username}.json"))  # fmt: skip


@router.get(BASE + "/export.pdf", name="privacy_export_pdf")
def export_pdf_file(request: Request, user: CurrentUser, session: SessionDep) -> Response:
    data = export_person(session, user.id)
    try:
        pdf = export_pdf(data, _lang(request))
    except PdfFontMissing:
        return RedirectResponse(f"{BASE}?error=font", status_code=303)
    return Response(pdf, media_type="application/pdf",
                    headers=_attachment(f"talentbridge-{user.username}.pdf"))  # fmt: skip


@router.get(BASE + "/resumes/{resume_id}", name="privacy_resume")
def resume_file(resume_id: int, user: CurrentUser, session: SessionDep) -> Response:
    path, name, media_type = own_resume(session, user.id, resume_id)
    return FileResponse(path, media_type=media_type, headers=_attachment(name))


def _confirm_page(
    request: Request, *, action: str, username: str, own: bool, who: str, status_code: int = 200,
    wrong: bool = False,
) -> Response:  # fmt: skip
    return render(request, "privacy/delete.html", status_code=status_code, action=action,
                  username=username, own=own, who=who, wrong=wrong)  # fmt: skip


@router.get(BASE + "/delete", name="privacy_delete")
def delete_page(request: Request, user: CurrentUser) -> Response:
    return _confirm_page(request, action=BASE + "/delete", username=user.username, own=True,
                         who=user.display_name or user.username)  # fmt: skip


@router.post(BASE + "/delete", name="privacy_delete_confirm")
def delete_account(
    request: Request,
    user: CurrentUser,
    principal: PrincipalDep,
    session: SessionDep,
    confirm_username: Typed = "",
    understood: Flag = "",
) -> Response:
    if confirm_username.strip() != user.username or understood != "1":
        return _confirm_page(request, action=BASE + "/delete", username=user.username, own=True,
                             who=user.display_name or user.username, status_code=400,
                             wrong=True)  # fmt: skip
    erase_account(session, principal, user_id=user.id, channel="web")
    end_session(request)
    request.state.viewer = None
    return render(request, "privacy/deleted.html", other=None)


@router.get(BASE + "/erase/{user_id}", name="privacy_erase")
def erase_page(
    request: Request, user_id: int, principal: PrincipalDep, session: SessionDep
) -> Response:
    target = erasure_target(session, principal, user_id)
    return _confirm_page(request, action=f"{BASE}/erase/{user_id}", username=target.username,
                         own=False, who=target.display_name or target.username)  # fmt: skip


@router.post(BASE + "/erase/{user_id}", name="privacy_erase_confirm")
def erase_other(
    request: Request,
    user_id: int,
    principal: PrincipalDep,
    session: SessionDep,
    confirm_username: Typed = "",
    understood: Flag = "",
) -> Response:
    target = erasure_target(session, principal, user_id)
    if target.user_id == principal.user_id:
        return RedirectResponse(BASE + "/delete", status_code=303)
    if confirm_username.strip() != target.username or understood != "1":
        return _confirm_page(request, action=f"{BASE}/erase/{user_id}", username=target.username,
                             own=False, who=target.display_name or target.username,
                             status_code=400, wrong=True)  # fmt: skip
    erase_account(session, principal, user_id=user_id, channel="web")
    return render(request, "privacy/deleted.html", other=target.username)
