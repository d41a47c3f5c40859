"""Skill taxonomy pages: the browser and search, one concept (with edit forms for
analysts), "try it" extraction on pasted text, and the candidate-phrase review.

Reads come from ``taxonomy.browse``; edits go through ``taxonomy.edit`` and
``taxonomy.candidates`` (each installs a new taxonomy version); who may do what is in
``accounts.policy``. A refused edit re-renders the page with the rows and reasons.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.responses import RedirectResponse, Response

from talentbridge.accounts.policy import Principal, can_edit_taxonomy, can_view_taxonomy
from talentbridge.analytics.cube import recount_after_reextraction
from talentbridge.errors import Forbidden, TalentBridgeError
from talentbridge.taxonomy import browse, edit
from talentbridge.taxonomy.candidates import accept_candidate, discover, dismiss_candidate
from talentbridge.taxonomy.concepts import KINDS, LEAF_KINDS, ConceptSpec, InstallReport
from talentbridge.taxonomy.concepts import TaxonomyInvalid as Refused
from talentbridge.taxonomy.tagging import reextract
from talentbridge.web.deps import PrincipalDep, SessionDep
from talentbridge.web.rendering import render

router = APIRouter()

PAGE_SIZE = 50
MAX_TRY_CHARS = 20000
LABEL_LANGS = ("zh", "en", "any")
PARENT_KINDS = ("cluster", "group")
Text = Annotated[str, Form(max_length=300)]


def _viewer(principal: PrincipalDep) -> Principal:
    if not can_view_taxonomy(principal):
        raise Forbidden("your role may not read the taxonomy")
    return principal


def _editor(principal: PrincipalDep) -> Principal:
    if not can_edit_taxonomy(principal):
        raise Forbidden("only analysts and platform admins change the taxonomy")
    return principal


ViewerDep = Annotated[Principal, Depends(_viewer)]
EditorDep = Annotated[Principal, Depends(_editor)]


def _factory(request: Request) -> sessionmaker[Session]:
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    return factory


def _problems(exc: TalentBridgeError) -> list[str]:
    if isinstance(exc, Refused):
        return [p.describe() for p in exc.problems]
    return [str(exc)]


# --- browse and search ---------------------------------------------------------------------


@router.get("/skills", name="skills")
def index(
    request: Request,
    session: SessionDep,
    principal: ViewerDep,
    q: str = "",
    kind: str = "",
    taxonomy: str = "",
    page: int = 1,
) -> Response:
    q, page = q.strip()[:100], max(1, page)
    kind = kind if kind in KINDS else ""
    total, results = 0, list[browse.ConceptBrief]()
    if q or kind:
        total, results = browse.search_concepts(
            session, q, kind=kind or None, limit=PAGE_SIZE, offset=(page - 1) * PAGE_SIZE
        )
    version, roots = browse.concept_tree(session, taxonomy or None)
    return render(
        request,
        "skills/index.html",
        q=q, kind=kind, kinds=KINDS, page=page, total=total, results=results,
        pages=(total + PAGE_SIZE - 1) // PAGE_SIZE, version=version, roots=roots,
        versions=browse.taxonomy_versions(session), can_edit=can_edit_taxonomy(principal),
    )  # fmt: skip


# --- try it ---------------------------------------------------------------------------------


@router.get("/skills/try", name="skills_try_form")
def try_form(request: Request, principal: ViewerDep) -> Response:
    return render(
        request, "skills/try.html", text="", title="", result=None, segments=[],
        can_edit=can_edit_taxonomy(principal),
    )  # fmt: skip


@router.post("/skills/try", name="skills_try")
def try_submit(
    request: Request,
    session: SessionDep,
    principal: ViewerDep,
    text: Annotated[str, Form(max_length=MAX_TRY_CHARS)] = "",
    title: Annotated[str, Form(max_length=200)] = "",
) -> Response:
    result = browse.analyze_text(session, text, title.strip())
    return render(
        request, "skills/try.html", text=text, title=title, result=result,
        segments=browse.highlight(text, result.hits), can_edit=can_edit_taxonomy(principal),
    )  # fmt: skip


# --- candidate phrases -------------------------------------------------------------------------


def _candidates_page(
    request: Request,
    session: Session,
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    params = request.query_params
    return render(
        request, "skills/candidates.html", status_code=status_code,
        candidates=browse.candidate_views(session), errors=errors or [],
        choices=browse.concept_choices(session), parents=browse.concept_choices(session, kinds=PARENT_KINDS),
        leaf_kinds=sorted(LEAF_KINDS), found=params.get("found"), accepted=params.get("accepted"),
        dismissed=params.get("dismissed"), reextracted=params.get("reextracted"),
        tags=params.get("tags"), version=params.get("version"),
    )  # fmt: skip


@router.get("/skills/candidates", name="skills_candidates")
def candidates(request: Request, session: SessionDep, _p: EditorDep) -> Response:
    return _candidates_page(request, session)


@router.post("/skills/candidates/discover", name="skills_discover")
def run_discovery(request: Request, session: SessionDep, _p: EditorDep) -> Response:
    session.commit()  # release the request's transaction: discovery writes on its own
    ranked = discover(_factory(request))
    return RedirectResponse(f"/skills/candidates?found={len(ranked)}", status_code=303)


@router.post("/skills/candidates/reextract", name="skills_reextract")
def run_reextract(request: Request, session: SessionDep, _p: EditorDep) -> Response:
    session.commit()
    report = reextract(_factory(request), only_stale=True)
    recount_after_reextraction(_factory(request), report.postings)
    url = request.url_for("skills_candidates").include_query_params(
        reextracted=report.postings, tags=report.tags, version=report.version
    )
    return RedirectResponse(f"{url.path}?{url.query}", status_code=303)


def _accepted(request: Request, report: InstallReport) -> Response:
    url = request.url_for("skills_candidates").include_query_params(
        accepted=f"{report.code}@{report.version}"
    )
    return RedirectResponse(f"{url.path}?{url.query}", status_code=303)


@router.post("/skills/candidates/{candidate_id}/alias", name="skills_accept_alias")
def accept_as_alias(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    _p: EditorDep,
    concept: Text = "",
) -> Response:
    session.commit()
    try:
        report = accept_candidate(_factory(request), candidate_id, alias_of=concept.strip())
    except TalentBridgeError as exc:
        return _candidates_page(request, session, errors=_problems(exc), status_code=400)
    return _accepted(request, report)


@router.post("/skills/candidates/{candidate_id}/concept", name="skills_accept_concept")
def accept_as_concept(
    request: Request,
    candidate_id: int,
    session: SessionDep,
    _p: EditorDep,
    key: Text = "",
    kind: Text = "skill",
    parent: Text = "",
    label_zh: Text = "",
    label_en: Text = "",
) -> Response:
    session.commit()
    spec = ConceptSpec(
        key=key.strip(), kind=kind.strip(), parent=parent.strip(),
        label_zh=label_zh.strip(), label_en=label_en.strip(),
    )  # fmt: skip
    try:
        report = accept_candidate(_factory(request), candidate_id, new_concept=spec)
    except TalentBridgeError as exc:
        return _candidates_page(request, session, errors=_problems(exc), status_code=400)
    return _accepted(request, report)


@router.post("/skills/candidates/{candidate_id}/dismiss", name="skills_dismiss")
def dismiss(request: Request, candidate_id: int, session: SessionDep, _p: EditorDep) -> Response:
    dismiss_candidate(session, candidate_id)
    return RedirectResponse("/skills/candidates?dismissed=1", status_code=303)


# --- edits on one concept ------------------------------------------------------------------------


def _concept_page(
    request: Request,
    session: Session,
    principal: Principal,
    key: str,
    *,
    errors: list[str] | None = None,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    detail = browse.concept_detail(session, key)
    editor = can_edit_taxonomy(principal)
    return render(
        request, "skills/concept.html", status_code=status_code, d=detail, c=detail.concept,
        can_edit=editor, errors=errors or [], label_langs=LABEL_LANGS, kinds=KINDS,
        parents=browse.concept_choices(session, kinds=PARENT_KINDS) if editor else [],
        edited=request.query_params.get("edited"), **extra,
    )  # fmt: skip


def _edit(
    request: Request,
    session: Session,
    principal: Principal,
    key: str,
    action: Callable[[sessionmaker[Session]], InstallReport],
) -> Response:
    session.commit()  # release the request's transaction: the edit installs on its own
    try:
        report = action(_factory(request))
    except TalentBridgeError as exc:
        return _concept_page(
            request, session, principal, key, errors=_problems(exc), status_code=400
        )
    url = request.url_for("skills_concept", key=key).include_query_params(
        edited=f"{report.code}@{report.version}"
    )
    return RedirectResponse(f"{url.path}?{url.query}", status_code=303)


@router.post("/skills/edit/alias-add", name="skills_alias_add")
def alias_add(
    request: Request,
    session: SessionDep,
    principal: EditorDep,
    key: Text = "",
    text: Text = "",
    lang: Text = "zh",
) -> Response:
    return _edit(request, session, principal, key, lambda f: edit.add_alias(f, key, text, lang))


@router.post("/skills/edit/alias-remove", name="skills_alias_remove")
def alias_remove(
    request: Request, session: SessionDep, principal: EditorDep, key: Text = "", text: Text = ""
) -> Response:
    return _edit(request, session, principal, key, lambda f: edit.remove_alias(f, key, text))


@router.post("/skills/edit/rename", name="skills_rename")
def rename(
    request: Request,
    session: SessionDep,
    principal: EditorDep,
    key: Text = "",
    label_zh: Text = "",
    label_en: Text = "",
    keep_old: Text = "",
) -> Response:
    return _edit(
        request, session, principal, key,
        lambda f: edit.rename_label(
            f, key, label_zh=label_zh or None, label_en=label_en or None,
            keep_old_as_alias=keep_old == "1",
        ),
    )  # fmt: skip


@router.post("/skills/edit/move", name="skills_move")
def move(
    request: Request, session: SessionDep, principal: EditorDep, key: Text = "", parent: Text = ""
) -> Response:
    return _edit(request, session, principal, key, lambda f: edit.move_concept(f, key, parent))


@router.post("/skills/edit/child", name="skills_add_child")
def add_child(
    request: Request,
    session: SessionDep,
    principal: EditorDep,
    key: Text = "",
    child_key: Text = "",
    kind: Text = "skill",
    label_zh: Text = "",
    label_en: Text = "",
) -> Response:
    spec = ConceptSpec(
        key=child_key.strip(), kind=kind.strip(), parent=key,
        label_zh=label_zh.strip(), label_en=label_en.strip(),
    )  # fmt: skip
    return _edit(request, session, principal, key, lambda f: edit.add_concept(f, spec))


# --- one concept (last: its key may hold slashes) ----------------------------------------------


@router.get("/skills/{key:path}", name="skills_concept")
def concept(request: Request, key: str, session: SessionDep, principal: ViewerDep) -> Response:
    return _concept_page(request, session, principal, key)
