"""Major-direction advice (专业方向建议): a ranked list of recommendations — open,
expand, hold or shrink — for one college or for a whole region, each with its evidence.

Candidates: every MOE catalog major with 对口 occupations and every major direction
offered in the region (``analytics.supply``), and the emerging skill clusters of the
skill graph (``analytics.graph``) that no course in the region covers (→ open a new
direction). The score and the decision rules are explained in ``docs/advice.md``; the
weights and thresholds are ``config.AdviceSettings``.

Score of a candidate, each component in [−1, 1]:

* ``level`` = log2(demand index / 100) / 2, clipped: demand against the average major;
* ``trend`` = year-on-year growth / 50 %, clipped, halved when the change is within
  noise; averaged with the 6-month forecast growth (forecast vs the last 6 months) when
  the forecast beats the seasonal-naive baseline;
* ``gap`` = log2(gap ratio) / 2, clipped (demand share vs supply share in the region),
  or 1 when the region graduates nobody in it;
* ``salary`` = log2(median pay / the region's median pay), clipped.

``score`` = Σ weight·component / Σ weights. Offered candidates (by the college, or in
the region view by any college of the region) get ``expand`` at ``score ≥ expand``,
``shrink`` at ``score ≤ shrink``, else ``hold`` — and ``hold`` whatever the score when
the two periods together have fewer than ``min_postings`` postings (too little evidence).
Candidates not offered get ``open`` at ``score ≥ open`` with at least ``min_postings``
postings; the others are not recommended. A direction is proposed to a college only
under a major it offers, and a major only at a catalog level the college teaches.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import literal_column, select, union_all
from sqlalchemy.orm import Session

from talentbridge.analytics.regions import ALL, CIRCLE, parse_region
from talentbridge.analytics.supply import SupplyItem, SupplyReport, supply_demand
from talentbridge.config import AdviceSettings
from talentbridge.store.tables import Concept, Organization, Posting, PostingConcept

ACTIONS = ("open", "expand", "hold", "shrink")
SAMPLE_POSTINGS = 5
SAMPLE_BATCH = 100  # per-key queries per statement (SQLite allows 500)
DEFINING_SKILLS = 8
MAX_CLUSTER_COVERAGE = 0.5  # a cluster at most this much taught is "not covered"


@dataclass
class Recommendation:
    action: str  # open | expand | hold | shrink
    kind: str  # major | direction | cluster
    key: str
    name_zh: str
    name_en: str
    score: float
    components: dict[str, float]
    reasons: list[str]
    evidence: dict[str, Any]
    item: SupplyItem | None = None
    rank: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "action": self.action,
            "kind": self.kind,
            "key": self.key,
            "name_zh": self.name_zh,
            "name_en": self.name_en,
            "score": self.score,
            "components": self.components,
            "reasons": self.reasons,
            "evidence": self.evidence,
        }


@dataclass
class AdviceReport:
    region: str
    college: Organization | None
    supply: SupplyReport
    recommendations: list[Recommendation]
    settings: AdviceSettings
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        period = self.supply.period
        return {
            "region": self.region,
            "college": None if self.college is None else self.college.code,
            "period": period.to_dict() if period else None,
            "data_version": self.supply.data_version,
            "settings": self.settings.__dict__,
            "recommendations": [r.to_dict() for r in self.recommendations],
            "notes": self.notes,
        }


def _clip(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def _log2(value: float) -> float:
    return math.log2(value) if value > 0 else -math.inf


def components(item: SupplyItem, region_salary: float | None) -> dict[str, float]:
    """The four score components of a major or direction (see the module docstring)."""
    level = _clip(_log2(max(item.demand_index, 1.0) / 100) / 2)
    if item.yoy is None:
        trend = 0.5 if item.prev_postings == 0 and item.significant else 0.0
    else:
        trend = _clip(item.yoy / 0.5) * (1.0 if item.significant else 0.5)
    if item.forecast_growth is not None:
        trend = (trend + _clip(item.forecast_growth / 0.5)) / 2
    if item.graduates <= 0 or item.gap_ratio is None:
        gap = 1.0
    else:
        gap = _clip(_log2(max(item.gap_ratio, 0.01)) / 2)
    salary = 0.0
    if item.salary_median and region_salary:
        salary = _clip(_log2(item.salary_median / region_salary))
    return {
        k: round(v, 3)
        for k, v in {"level": level, "trend": trend, "gap": gap, "salary": salary}.items()
    }


def weighted(parts: dict[str, float], settings: AdviceSettings) -> float:
    weights = {
        "level": settings.weight_level,
        "trend": settings.weight_trend,
        "gap": settings.weight_gap,
        "salary": settings.weight_salary,
    }
    total = sum(weights.values())
    if total <= 0:
        return 0.0
    return round(sum(weights[k] * parts.get(k, 0.0) for k in weights) / total, 3)


def decide(
    score: float, *, offered: bool, evidence_postings: float, settings: AdviceSettings
) -> str | None:
    """The action for a candidate, or ``None`` when a candidate not offered is not
    worth opening."""
    enough = evidence_postings >= settings.min_postings
    if not offered:
        return "open" if enough and score >= settings.open_threshold else None
    if not enough:
        return "hold"
    if score >= settings.expand_threshold:
        return "expand"
    if score <= settings.shrink_threshold:
        return "shrink"
    return "hold"


def _reasons(item: SupplyItem, parts: dict[str, float]) -> list[str]:
    reasons: list[str] = []
    if item.yoy is not None and item.significant:
        reasons.append("rising" if item.yoy > 0 else "falling")
    elif item.yoy is not None:
        reasons.append("steady")
    if item.forecast is not None and not item.forecast.get("beats_baseline"):
        reasons.append("forecast_baseline")
    if item.graduates <= 0:
        reasons.append("no_supply")
    elif parts["gap"] >= 0.25:
        reasons.append("undersupplied")
    elif parts["gap"] <= -0.25:
        reasons.append("oversupplied")
    if parts["salary"] >= 0.15:
        reasons.append("high_pay")
    elif parts["salary"] <= -0.15:
        reasons.append("low_pay")
    if item.postings + item.prev_postings < 1:
        reasons.append("no_demand_data")
    return reasons


def _concept_ref(concepts: dict[int, Concept], concept_id: int, **extra: Any) -> dict[str, Any]:
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


def _samples_for(
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


def _evidence(
    report: SupplyReport, item: SupplyItem, samples: list[dict[str, Any]]
) -> dict[str, Any]:
    concepts = report.concepts
    if item.direction_zh is not None:
        skills = [_concept_ref(concepts, c) for c in item.defining[:DEFINING_SKILLS]]
    else:
        skills = [
            _concept_ref(concepts, c, postings=round(n, 1), taught=c in item.taught)
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
        else _concept_ref(concepts, item.leading_concept),
        "skills": skills,
        "coverage_gaps": [
            _concept_ref(concepts, c, postings=round(n, 1)) for c, n in item.coverage_gaps
        ],
        "sample_postings": samples,
    }


LEVEL_NAMES = {
    "secondary": ("中职", "secondary"),
    "associate": ("高职专科", "associate"),
    "bachelor": ("职业本科", "bachelor"),
}


def _names(item: SupplyItem) -> tuple[str, str]:
    """Names with the catalog level, since one name can exist at several levels."""
    zh_level, en_level = LEVEL_NAMES.get(item.major_level, (item.major_level, item.major_level))
    en = item.major_name_en or item.major_name_zh
    if item.direction_zh is None:
        return f"{item.major_name_zh}（{zh_level}）", f"{en} ({en_level})"
    return (
        f"{item.major_name_zh}·{item.direction_zh}（{zh_level}）",
        f"{en} · {item.direction_en or item.direction_zh} ({en_level})",
    )


def advise(
    session: Session,
    *,
    region: str = CIRCLE,
    college_id: int | None = None,
    settings: AdviceSettings | None = None,
    with_forecast: bool = True,
    with_clusters: bool = True,
    samples_for: int = 30,
) -> AdviceReport:
    """Ranked recommendations for ``college_id`` (or for the region when ``None``)."""
    settings = settings or AdviceSettings()
    region = parse_region(region).key
    college = session.get(Organization, college_id) if college_id is not None else None
    supply = supply_demand(
        session, region=region, college_id=college_id, advice=settings, with_forecast=with_forecast
    )
    own_majors = set()
    own_levels: set[str] = set()
    if college is not None:
        own_levels = {
            i.major_level
            for i in supply.majors()
            if any(c.organization_id == college.id for c in i.colleges)
        }
        own_majors = {
            i.major_id
            for i in supply.majors()
            if any(c.organization_id == college.id for c in i.colleges)
        }
    recommendations: list[Recommendation] = []
    for item in supply.items:
        if college is not None:
            offered = any(c.organization_id == college.id for c in item.colleges)
            if item.direction_zh is not None and not offered and item.major_id not in own_majors:
                continue
            if not offered and own_levels and item.major_level not in own_levels:
                continue  # a college is advised at the levels it teaches
        else:
            offered = item.offered
        parts = components(item, supply.region_salary_median)
        score = weighted(parts, settings)
        action = decide(
            score,
            offered=offered,
            evidence_postings=item.postings + item.prev_postings,
            settings=settings,
        )
        if action is None:
            continue
        reasons = _reasons(item, parts)
        if offered and item.postings + item.prev_postings < settings.min_postings:
            reasons.append("little_evidence")
        name_zh, name_en = _names(item)
        recommendations.append(
            Recommendation(
                action,
                "direction" if item.direction_zh else "major",
                item.key,
                name_zh,
                name_en,
                score,
                parts,
                reasons,
                {},
                item,
            )
        )
    notes: list[str] = []
    if supply.period is None:
        notes.append("no_demand_data")
    if with_clusters and supply.period is not None:
        recommendations += _cluster_candidates(session, supply, settings, notes)
    order = {"open": 0, "expand": 0, "shrink": 1, "hold": 2}
    recommendations.sort(
        key=lambda r: (order[r.action], -r.score if r.action != "shrink" else r.score, r.key)
    )
    sampled = [r.item for r in recommendations[:samples_for] if r.item is not None]
    samples = _samples_for(session, supply.region, sampled) if sampled else {}
    for rank, rec in enumerate(recommendations, start=1):
        rec.rank = rank
        if rec.item is not None:
            rec.evidence = _evidence(supply, rec.item, samples.get(rec.item.key, []))
    return AdviceReport(region, college, supply, recommendations, settings, notes)


def _cluster_candidates(
    session: Session, supply: SupplyReport, settings: AdviceSettings, notes: list[str]
) -> list[Recommendation]:
    """Emerging skill clusters no course of the region (or college) covers → open."""
    try:
        from talentbridge.analytics import graph as skill_graphs
    except ImportError:  # the skill graph is not installed in this build
        notes.append("no_skill_graph")
        return []
    region = ALL if supply.region == ALL else CIRCLE  # the graph keeps only these two
    years = skill_graphs.graph_years(session, region)
    if len(years) < 2:
        return []
    try:
        graph = skill_graphs.skill_graph(session, region=region, years=years[-2:])
    except skill_graphs.GraphInputError:
        return []
    clusters = skill_graphs.emerging_clusters(graph, min_postings=settings.min_postings)
    taught = set().union(*(i.taught for i in supply.items)) if supply.items else set()
    majors = supply.majors()
    mean = sum(i.postings for i in majors) / len(majors) if majors else 0.0
    found: list[Recommendation] = []
    concepts = (
        {
            c.id: c
            for c in session.scalars(
                select(Concept).where(
                    Concept.id.in_({c for cl in clusters for c in cl.concept_ids})
                )
            )
        }
        if clusters
        else {}
    )
    for cluster in clusters:
        members = list(cluster.concept_ids)
        covered = len(set(members) & taught) / len(members) if members else 1.0
        if covered > MAX_CLUSTER_COVERAGE:
            continue
        yearly = float(cluster.postings_latest)
        level = _clip(_log2(max(yearly / mean, 0.01)) / 2) if mean else 0.0
        parts = {
            "level": round(level, 3),
            "trend": round(_clip((cluster.growth or 0) / 0.5), 3),
            "gap": 1.0,
            "salary": 0.0,
        }
        score = weighted(parts, settings)
        if score < settings.open_threshold:
            continue
        found.append(
            Recommendation(
                "open",
                "cluster",
                f"cluster:{cluster.id}",
                cluster.name_zh,
                cluster.name_en,
                score,
                parts,
                ["emerging_cluster", "not_taught"],
                {
                    "postings": cluster.postings_latest,
                    "postings_previous": cluster.postings_previous,
                    "share": cluster.share_latest,
                    "share_previous": cluster.share_previous,
                    "growth": cluster.growth,
                    "z": cluster.z,
                    "years": list(graph.years),
                    "graph_region": region,
                    "coverage": round(covered, 3),
                    "skills": [_concept_ref(concepts, c) for c in members[:DEFINING_SKILLS]],
                    "sample_postings": sample_postings(
                        session, supply.region, concept_id=members[0]
                    )
                    if members
                    else [],
                },
            )
        )
    return found


def college_choices(session: Session) -> list[Organization]:
    """The colleges a planner or analyst can pick for a college's view, by code."""
    query = select(Organization).where(Organization.kind == "college").order_by(Organization.code)
    return list(session.scalars(query))


def college_by_code(session: Session, code: str) -> Organization | None:
    query = select(Organization).where(Organization.code == code, Organization.kind == "college")
    return session.scalar(query)
