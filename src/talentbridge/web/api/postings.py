"""Postings in and out: ``POST /postings`` (one or a bulk of up to 1,000, through the
same pipeline as files), the public list and detail, and a single import run."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from pydantic import BaseModel, ConfigDict, Field, RootModel, model_validator
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import (
    can_submit_postings,
    can_view_import_run,
    can_view_posting_flags,
    can_view_posting_provenance_files,
    posting_employer_scope,
)
from talentbridge.domain.divisions import find_division
from talentbridge.errors import Forbidden, InputFileError, NotFound
from talentbridge.pipeline import posting_queries as pq
from talentbridge.pipeline.compliance import RULES
from talentbridge.pipeline.postings import ingest_records
from talentbridge.store.tables import Posting, PostingFlag, PostingSource
from talentbridge.web.api.schemas import ImportRunOut
from talentbridge.web.deps import PrincipalDep, SessionDep, SettingsDep

router = APIRouter(tags=["postings"])

MAX_BULK = 1000
PAGE_SIZE = 20
_CODE = re.compile(r"^\d{6}$")
Scalar = str | int | float | bool | None


# --- request bodies ----------------------------------------------------------------------


class PostingIn(BaseModel):
    """One posting. Canonical fields are listed; any header the automatic column mapping
    knows (职位, 薪资, 工作地点…) is accepted too, and unknown keys are kept as attributes."""

    model_config = ConfigDict(extra="allow")

    title: str | None = Field(None, description="job title (required)")
    company: str | None = Field(
        None, description="employer; recruiters may name only their own organization"
    )
    salary: str | None = Field(None, examples=["8-12K·13薪"])
    location: str | None = Field(None, examples=["成都-武侯区"])
    experience: str | None = Field(None, examples=["3-5年"])
    education: str | None = Field(None, examples=["大专"])
    openings: str | int | None = None
    posted: str | None = Field(None, examples=["2024-05-11"])
    description: str | None = None
    source_id: str | None = Field(None, description="the posting's id at its source")
    industry: str | None = None
    url: str | None = None
    source: str | None = None

    @model_validator(mode="after")
    def _scalars_only(self) -> PostingIn:
        extra = self.model_extra or {}
        if "postings" in extra:
            raise ValueError("a bulk request is {'postings': [ ... ]} of posting objects")
        for key, value in extra.items():
            if not isinstance(value, Scalar):
                raise ValueError(f"{key}: values must be text or numbers")
        return self

    def record(self) -> dict[str, object]:
        values: dict[str, object] = self.model_dump(exclude_none=True)
        return {k: v for k, v in values.items() if v is not None}


class PostingBulkIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    postings: list[PostingIn] = Field(description=f"at most {MAX_BULK} postings")


class PostingsBody(
    RootModel[Annotated[PostingBulkIn | PostingIn, Field(union_mode="left_to_right")]]
):
    """A single posting object, or ``{"postings": [...]}``."""


# --- responses ---------------------------------------------------------------------------


class FlagOut(BaseModel):
    rule: str
    label_zh: str
    label_en: str
    phrase: str
    law: str


class RowErrorOut(BaseModel):
    row: int = Field(description="1-based position in the request (or the file's row)")
    field: str | None
    reason: str


class StoredPostingOut(BaseModel):
    id: int
    title: str
    flags: list[FlagOut]


class PostingReportOut(BaseModel):
    run_id: int
    read: int
    stored: int
    unchanged: int
    duplicates: int
    rejected: int
    balanced: bool = Field(description="read = stored + unchanged + duplicates + rejected")
    errors: list[RowErrorOut]
    postings: list[StoredPostingOut] = Field(description="postings stored by this request")


class PostingOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    title: str
    employer_name: str
    organization_id: int | None
    salary_min: int | None = Field(description="yuan per month")
    salary_max: int | None = Field(description="yuan per month")
    salary_months: int | None
    salary_negotiable: bool
    salary_text: str | None
    place_text: str | None
    province_code: str | None
    city_code: str | None
    district_code: str | None
    in_circle: bool
    education_level: int | None
    education_text: str | None
    experience_min: int | None
    experience_max: int | None
    fresh_graduate: bool
    openings: int | None
    posted_on: dt.date | None
    flag_count: int


class SourceOut(BaseModel):
    source: str
    relation: str = Field(description="original, exact or near duplicate")
    seen_at: dt.datetime
    file_name: str | None = Field(description="staff only; null otherwise")
    row_number: int | None = Field(description="staff only; null otherwise")
    source_ref: str | None = Field(description="staff only; null otherwise")


class PostingDetailOut(PostingOut):
    description: str
    requirements: str
    flags: list[FlagOut] | None = Field(description="null when hidden from this viewer")
    sources: list[SourceOut]


class PostingPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[PostingOut]


class ImportRunDetailOut(ImportRunOut):
    balanced: bool
    rejected_rows: list[RowErrorOut] = Field(description=f"the first {pq.MAX_REJECTS_SHOWN}")


# --- helpers -----------------------------------------------------------------------------


def _flag_out(flag: PostingFlag) -> FlagOut:
    info = RULES.get(flag.rule)
    return FlagOut(
        rule=flag.rule,
        label_zh=info.label_zh if info else flag.rule,
        label_en=info.label_en if info else flag.rule,
        phrase=flag.phrase,
        law=flag.law,
    )


def _source_out(source: PostingSource, *, with_files: bool) -> SourceOut:
    return SourceOut(
        source=source.source,
        relation=source.relation,
        seen_at=source.seen_at,
        file_name=pq.display_file_name(source.file_name) if with_files else None,
        row_number=source.row_number if with_files else None,
        source_ref=source.source_ref if with_files else None,
    )


def _city_code(city: str | None) -> str | None:
    if not city or not city.strip():
        return None
    if _CODE.match(city.strip()):
        return city.strip()
    found = find_division(city)
    if found is None:
        raise HTTPException(422, f"unknown city {city!r}; use a name or a 6-digit division code")
    return found.code


def _records(body: PostingsBody) -> list[dict[str, object]]:
    root = body.root
    items = root.postings if isinstance(root, PostingBulkIn) else [root]
    if not items:
        raise HTTPException(422, "no postings in the request")
    if len(items) > MAX_BULK:
        raise HTTPException(
            413, f"at most {MAX_BULK} postings per request (got {len(items)}); split it"
        )
    return [item.record() for item in items]


# --- endpoints ---------------------------------------------------------------------------


@router.post(
    "/postings",
    response_model=PostingReportOut,
    summary="Send postings (one, or up to 1,000 as {postings: [...]})",
)
def post_postings(
    request: Request,
    principal: PrincipalDep,
    session: SessionDep,
    settings: SettingsDep,
    body: PostingsBody,
    source: Annotated[str, Query(min_length=1, max_length=100)] = "api",
) -> PostingReportOut:
    """Recruiters may post only for their own organization (rows naming another employer
    are rejected with a reason); staff may post for any employer. Sending the same body
    again stores nothing (``unchanged``)."""
    if not can_submit_postings(principal):
        raise Forbidden("your role does not send postings")
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > settings.max_upload_bytes:
        raise HTTPException(413, "request body too large")
    records = _records(body)
    session.commit()  # release the request's transaction: the pipeline writes on its own
    factory: sessionmaker[Session] = request.app.state.sessionmaker
    try:
        report = ingest_records(
            factory,
            records,
            channel="api",
            source=source,
            user_id=principal.user_id,
            organization_id=posting_employer_scope(principal),
            refresh_demand=True,
        )
    except InputFileError as exc:
        raise HTTPException(422, exc.reason) from None
    stored = pq.postings_of_run(session, report.run_id)
    flags = pq.flags_by_posting(session, [p.id for p in stored])
    return PostingReportOut(
        run_id=report.run_id,
        read=report.read,
        stored=report.stored,
        unchanged=report.unchanged,
        duplicates=report.duplicates,
        rejected=report.rejected,
        balanced=report.balanced,
        errors=[
            RowErrorOut(row=e.row_number, field=e.field, reason=e.reason) for e in report.errors
        ],
        postings=[
            StoredPostingOut(
                id=p.id, title=p.title, flags=[_flag_out(f) for f in flags.get(p.id, [])]
            )
            for p in stored
        ],
    )


@router.get("/postings", response_model=PostingPageOut, summary="Postings (public fields)")
def list_postings(
    _principal: PrincipalDep,
    session: SessionDep,
    city: Annotated[str | None, Query(description="city or district: name or code")] = None,
    q: Annotated[str | None, Query(max_length=100, description="in title or employer")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
) -> PostingPageOut:
    code = _city_code(city)
    items = pq.list_postings(
        session, city_code=code, q=q, limit=page_size, offset=(page - 1) * page_size
    )
    return PostingPageOut(
        total=pq.count_postings(session, city_code=code, q=q),
        page=page,
        page_size=page_size,
        items=[PostingOut.model_validate(p) for p in items],
    )


@router.get("/postings/{posting_id}", response_model=PostingDetailOut, summary="One posting")
def get_posting(posting_id: int, principal: PrincipalDep, session: SessionDep) -> PostingDetailOut:
    posting: Posting = pq.get_posting(session, posting_id)
    show_flags = can_view_posting_flags(principal, posting.organization_id)
    with_files = can_view_posting_provenance_files(principal)
    base: dict[str, Any] = PostingOut.model_validate(posting).model_dump()
    return PostingDetailOut(
        **base,
        description=posting.description,
        requirements=posting.requirements,
        flags=[_flag_out(f) for f in pq.posting_flags(session, posting.id)] if show_flags else None,
        sources=[
            _source_out(s, with_files=with_files) for s in pq.posting_sources(session, posting.id)
        ],
    )


@router.get("/import-runs/{run_id}", response_model=ImportRunDetailOut, summary="One import run")
def get_import_run(run_id: int, principal: PrincipalDep, session: SessionDep) -> ImportRunDetailOut:
    """The platform admin sees every run; others only runs they started (404 otherwise)."""
    run = pq.get_import_run(session, run_id)
    if not can_view_import_run(principal, run_user_id=run.user_id):
        raise NotFound(f"no import run {run_id}")
    base = ImportRunOut.model_validate(run).model_dump()
    base["file_name"] = pq.display_file_name(run.file_name)
    base["rejects_path"] = None  # a server path: not for clients; use the rejects CSV
    return ImportRunDetailOut(
        **base,
        balanced=pq.run_is_balanced(run),
        rejected_rows=[
            RowErrorOut(row=r.row_number, field=r.field, reason=r.reason)
            for r in pq.rejected_rows(session, run.id)
        ],
    )
