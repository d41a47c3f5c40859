"""Skills in the JSON API: ``POST /extract`` for any text, and the taxonomy read side
(concept search, one concept, versions, candidate phrases for analysts)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, HTTPException, Query
from pydantic import BaseModel, Field

from talentbridge.accounts.policy import can_edit_taxonomy, can_view_taxonomy
from talentbridge.errors import Forbidden
from talentbridge.taxonomy import browse
from talentbridge.taxonomy.concepts import KINDS
from talentbridge.taxonomy.extractor import MAX_BYTES
from talentbridge.web.deps import PrincipalDep, SessionDep

router = APIRouter(tags=["skills"])

PAGE_SIZE = 20
MAX_TITLE = 200


# --- bodies ------------------------------------------------------------------------------


class ExtractIn(BaseModel):
    text: str = Field(description="any text, at most 1 MB of UTF-8", examples=["熟悉报关和HS归类"])
    title: str | None = Field(None, max_length=MAX_TITLE, description="a job title, if any")


class ConceptRefOut(BaseModel):
    key: str
    kind: str
    label_zh: str
    label_en: str
    taxonomy: str = Field(description="taxonomy code")


class HitOut(BaseModel):
    start: int = Field(description="offset of the first character in the text")
    end: int = Field(description="offset after the last character")
    surface: str
    concept: ConceptRefOut
    confidence: float
    strength: str = Field(description="required or preferred (优先, 加分, preferred)")
    negated: bool


class OccupationGuessOut(BaseModel):
    code: str
    name_zh: str
    name_en: str | None
    confidence: float


class ExtractOut(BaseModel):
    version: str = Field(description="taxonomy versions that produced the hits")
    reason: str | None = Field(description="empty, binary, truncated or error; null when fine")
    hits: list[HitOut]
    occupation: OccupationGuessOut | None


class ConceptPageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[ConceptRefOut]


class LabelOut(BaseModel):
    lang: str = Field(description="zh, en, or any (abbreviations)")
    text: str
    label_type: str = Field(description="preferred, alias or abbreviation")


class OccupationRefOut(BaseModel):
    code: str
    name_zh: str
    name_en: str | None


class MajorRefOut(BaseModel):
    level: str
    code: str
    name_zh: str
    name_en: str | None


class ConceptDetailOut(ConceptRefOut):
    taxonomy_version: str
    description_zh: str
    description_en: str
    labels: list[LabelOut]
    parent: ConceptRefOut | None
    path: list[ConceptRefOut] = Field(description="ancestors, root first")
    children: list[ConceptRefOut]
    occupations: list[OccupationRefOut]
    majors: list[MajorRefOut]
    postings: int = Field(description="postings tagged with the concept (any version)")


class VersionOut(BaseModel):
    id: int
    code: str
    version: str
    name: str
    source: str | None
    is_active: bool
    created_at: dt.datetime
    concepts: int


class CandidateOut(BaseModel):
    id: int
    phrase: str
    lang: str
    postings: int
    recent_postings: int
    growth: float
    first_month: str | None
    last_month: str | None
    example: str
    status: str
    suggested: ConceptRefOut | None = Field(description="a close concept, when the encoder runs")


def _ref(brief: browse.ConceptBrief) -> ConceptRefOut:
    return ConceptRefOut(
        key=brief.key,
        kind=brief.kind,
        label_zh=brief.label_zh,
        label_en=brief.label_en,
        taxonomy=brief.taxonomy,
    )


# --- endpoints ---------------------------------------------------------------------------


@router.post("/extract", response_model=ExtractOut, summary="Skills in any text")
def extract(body: ExtractIn, _principal: PrincipalDep, session: SessionDep) -> ExtractOut:
    """Concepts named in ``text`` with their spans, whether they are required or
    preferred and whether negated, plus the likely occupation (from ``title`` and the
    required concepts). Text over 1 MB is refused with 413; empty or binary text gives
    no hits and a ``reason``."""
    size = len(body.text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_BYTES:
        raise HTTPException(
            413, f"text is {size:,} bytes; at most {MAX_BYTES:,} bytes (1 MB) of UTF-8 are read"
        )
    result = browse.analyze_text(session, body.text, body.title or "")
    occupation = result.occupation
    return ExtractOut(
        version=result.version,
        reason=result.reason,
        hits=[
            HitOut(
                start=h.start,
                end=h.end,
                surface=h.surface,
                concept=_ref(h.concept),
                confidence=h.confidence,
                strength=h.strength,
                negated=h.negated,
            )
            for h in result.hits
        ],
        occupation=(
            OccupationGuessOut(
                code=occupation.code,
                name_zh=occupation.name_zh,
                name_en=occupation.name_en,
                confidence=occupation.confidence,
            )
            if occupation is not None
            else None
        ),
    )


@router.get(
    "/taxonomy/concepts", response_model=ConceptPageOut, summary="Search concepts by any label"
)
def search_concepts(
    principal: PrincipalDep,
    session: SessionDep,
    q: Annotated[str | None, Query(max_length=100, description="part of a label, zh or en")] = None,
    kind: Annotated[str | None, Query(description=f"one of {', '.join(KINDS)}")] = None,
    page: Annotated[int, Query(ge=1)] = 1,
    page_size: Annotated[int, Query(ge=1, le=100)] = PAGE_SIZE,
) -> ConceptPageOut:
    if not can_view_taxonomy(principal):
        raise Forbidden("your role may not read the taxonomy")
    if kind and kind not in KINDS:
        raise HTTPException(422, f"unknown kind {kind!r}; use one of {', '.join(KINDS)}")
    total, items = browse.search_concepts(
        session, q, kind=kind or None, limit=page_size, offset=(page - 1) * page_size
    )
    return ConceptPageOut(
        total=total, page=page, page_size=page_size, items=[_ref(c) for c in items]
    )


@router.get("/taxonomy/versions", response_model=list[VersionOut], summary="Taxonomy versions")
def versions(principal: PrincipalDep, session: SessionDep) -> list[VersionOut]:
    if not can_view_taxonomy(principal):
        raise Forbidden("your role may not read the taxonomy")
    return [VersionOut(**v.__dict__) for v in browse.taxonomy_versions(session)]


@router.get(
    "/taxonomy/candidates",
    response_model=list[CandidateOut],
    summary="Candidate phrases (analysts and platform admins)",
)
def candidates(
    principal: PrincipalDep,
    session: SessionDep,
    status: Annotated[str, Query(pattern="^(new|accepted|dismissed)$")] = "new",
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[CandidateOut]:
    if not can_edit_taxonomy(principal):
        raise Forbidden("only analysts and platform admins review candidate phrases")
    return [
        CandidateOut(**{**v.__dict__, "suggested": _ref(v.suggested) if v.suggested else None})
        for v in browse.candidate_views(session, status=status, limit=limit)
    ]


@router.get("/taxonomy/concepts/{key:path}", response_model=ConceptDetailOut, summary="One concept")
def concept(key: str, principal: PrincipalDep, session: SessionDep) -> ConceptDetailOut:
    if not can_view_taxonomy(principal):
        raise Forbidden("your role may not read the taxonomy")
    detail = browse.concept_detail(session, key, co_occurring=0)
    base = _ref(detail.concept).model_dump()
    return ConceptDetailOut(
        **base,
        taxonomy_version=detail.taxonomy_version,
        description_zh=detail.description_zh,
        description_en=detail.description_en,
        labels=[LabelOut(lang=x.lang, text=x.text, label_type=x.label_type) for x in detail.labels],
        parent=_ref(detail.path[-1]) if detail.path else None,
        path=[_ref(p) for p in detail.path],
        children=[_ref(c) for c in detail.children],
        occupations=[OccupationRefOut(**o.__dict__) for o in detail.occupations],
        majors=[MajorRefOut(**m.__dict__) for m in detail.majors],
        postings=detail.postings,
    )
