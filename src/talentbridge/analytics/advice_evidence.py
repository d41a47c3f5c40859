"""The evidence of a recommendation (``analytics.advice``): its numbers as a plain
dictionary, the skills that define it, and sample postings — the newest postings of the
major's 对口 occupations, or naming the direction's leading skill, in the region.

Sample postings for all recommendations are read at once: one statement of per-key
``LIMIT`` queries (each walks its index backwards), so the cost does not grow with
the store's size or with the number of recommendations.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm import Session

from talentbridge.analytics.regions import parse_region
from talentbridge.analytics.supply import SupplyItem, SupplyReport
from talentbridge.store.tables import Posting, PostingConcept

SAMPLE_POSTINGS = 5
SAMPLE_BATCH = 100  # per-key queries per statement (SQLite allows 500)
DEFINING_SKILLS = 8


class ConceptLike(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def label_zh(self) -> str | None: ...
    @property
    def label_en(self) -> str | None: ...


def concept_ref(
    concepts: Mapping[int, ConceptLike], concept_id: int, **extra: Any
) -> dict[str, Any]:
    c = concepts.get(concept_id)
    return {
        "concept_id": concept_id,
        "key": c.key if c else None,
        "label_zh": (c.label_zh if c else None) or "",
        "label_en": (c.label_en if c else None) or "",
        **extra,
    }


def _region_filter(region: str) -> list[Any]:
    parsed = parse_region(region)
    if parsed.level == "all":
        return []
    if parsed.level == "circle":
        return [Posting.in_circle.is_(True)]
    column = {"province": Posting.province_code, "city": Posting.city_code}.get(
        parsed.level, Posting.district_code
    )
    return [column == parsed.code]


def _sample_rows(rows: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {"id": r[0], "title": r[1], "employer": r[2], "month": r[3], "sample": bool(r[4])}
        for r in rows
    ]


def _latest_by(
    session: Session, region: str, by: str, keys: Sequence[int], limit: int
) -> dict[int, list[Any]]:
    """The ``limit`` newest postings of the region per occupation (``by`` =
    ``occupation``) or per concept named, not negated (``by`` = ``concept``): one
    statement of per-key ``LIMIT`` queries, each walking its index backwards."""
    out: dict[int, list[Any]] = {k: [] for k in keys}
    unique = sorted(set(keys))
    for start in range(0, len(unique), SAMPLE_BATCH):
        members = []
        for key in unique[start : start + SAMPLE_BATCH]:
            if by == "concept":
                inner = (
                    select(Posting.id)
                    .join(PostingConcept, PostingConcept.posting_id == Posting.id)
                    .where(
                        PostingConcept.concept_id == key,
                        PostingConcept.negated.is_(False),
                        *_region_filter(region),
                    )
                    .order_by(PostingConcept.posting_id.desc())
                )
            else:
                inner = (
                    select(Posting.id)
                    .where(Posting.occupation_id == key, *_region_filter(region))
                    .order_by(Posting.id.desc())
                )
            sub = inner.limit(limit).subquery()
            members.append(select(literal_column(str(int(key))).label("k"), sub.c.id))
        ids = session.execute(union_all(*members)).all()
        rows = session.execute(
            select(
                Posting.id,
                Posting.title,
                Posting.employer_name,
                Posting.posted_month,
                Posting.is_sample,
            ).where(Posting.id.in_({i for _k, i in ids}))
        ).all()
        by_id = {r[0]: r for r in rows}
        for key, posting_id in ids:
            out[int(key)].append(by_id[posting_id])
    return out


def sample_postings(
    session: Session,
    region: str,
    *,
    occupations: Sequence[int] = (),
    concept_id: int | None = None,
    limit: int = SAMPLE_POSTINGS,
) -> list[dict[str, Any]]:
    """The most recent postings of these occupations (or naming this concept) in the region."""
    if concept_id is not None:
        found = _latest_by(session, region, "concept", [concept_id], limit)[concept_id]
    elif occupations:
        per = _latest_by(session, region, "occupation", occupations, limit)
        found = [r for rows in per.values() for r in rows]
    else:
        return []
    latest = sorted({r[0]: r for r in found}.values(), key=lambda r: -r[0])[:limit]
    return _sample_rows(latest)


def sample_postings_for(
    session: Session, region: str, items: Sequence[SupplyItem], limit: int = SAMPLE_POSTINGS
) -> dict[str, list[dict[str, Any]]]:
    """Sample postings for many majors and directions at once (two statements)."""
    occupations = {o for i in items if i.direction_zh is None for o in i.occupations()}
    concepts = [
        i.leading_concept
        for i in items
        if i.direction_zh is not None and i.leading_concept is not None
    ]
    by_occupation = _latest_by(session, region, "occupation", sorted(occupations), limit)
    by_concept = _latest_by(session, region, "concept", concepts, limit) if concepts else {}
    out: dict[str, list[dict[str, Any]]] = {}
    for item in items:
        if item.direction_zh is not None:
            found = by_concept.get(item.leading_concept or -1, [])
        else:
            found = [r for o in item.occupations() for r in by_occupation.get(o, [])]
        latest = sorted({r[0]: r for r in found}.values(), key=lambda r: -r[0])[:limit]
        out[item.key] = _sample_rows(latest)
    return out


def evidence(
    report: SupplyReport, item: SupplyItem, samples: list[dict[str, Any]]
) -> dict[str, Any]:
    concepts = report.concepts
    if item.direction_zh is not None:
        skills = [concept_ref(concepts, c) for c in item.defining[:DEFINING_SKILLS]]
    else:
        skills = [
            concept_ref(concepts, c, postings=round(n, 1), taught=c in item.taught)
            for c, n in item.top_skills[:DEFINING_SKILLS]
        ]
    return {
        "postings": item.postings,
        "openings": item.openings,
        "prev_postings": item.prev_postings,
        "yoy": None if item.yoy is None else round(item.yoy, 3),
        "significant": item.significant,
        "series": item.series,
        "forecast": item.forecast,
        "forecast_growth": item.forecast_growth,
        "demand_index": item.demand_index,
        "demand_per_1000": item.demand_per_1000,
        "graduates": round(item.graduates, 1),
        "supply_index": item.supply_index,
        "postings_per_graduate": item.postings_per_graduate,
        "gap_ratio": item.gap_ratio,
        "salary_median": item.salary_median,
        "region_salary_median": report.region_salary_median,
        "colleges": [
            {
                "code": c.code,
                "name_zh": c.name_zh,
                "name_en": c.name_en,
                "graduates": round(c.graduates, 1),
            }
            for c in item.colleges
        ],
        "leading_skill": None
        if item.leading_concept is None
        else concept_ref(concepts, item.leading_concept),
        "skills": skills,
        "coverage_gaps": [
            concept_ref(concepts, c, postings=round(n, 1)) for c, n in item.coverage_gaps
        ],
        "sample_postings": samples,
    }
