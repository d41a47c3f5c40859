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
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.analytics.advice_evidence import (
    DEFINING_SKILLS,
    concept_ref,
    evidence,
    sample_postings,
    sample_postings_for,
)
from talentbridge.analytics.regions import ALL, CIRCLE, parse_region
from talentbridge.analytics.supply import SupplyItem, SupplyReport, supply_demand
from talentbridge.analytics.supply_queries import concept_infos
from talentbridge.config import AdviceSettings
from talentbridge.store.tables import Organization

ACTIONS = ("open", "expand", "hold", "shrink")
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


@dataclass(frozen=True)
class CollegeRef:
    """The college advised (a plain value: reports are cached beyond their session)."""

    id: int
    code: str
    name_zh: str
    name_en: str | None


@dataclass
class AdviceReport:
    region: str
    college: CollegeRef | None
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
    org = session.get(Organization, college_id) if college_id is not None else None
    college = None if org is None else CollegeRef(org.id, org.code, org.name_zh, org.name_en)
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
    samples = sample_postings_for(session, supply.region, sampled) if sampled else {}
    for rank, rec in enumerate(recommendations, start=1):
        rec.rank = rank
        if rec.item is not None:
            rec.evidence = evidence(supply, rec.item, samples.get(rec.item.key, []))
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
    concepts = concept_infos(session, {c for cl in clusters for c in cl.concept_ids})
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
                    "skills": [concept_ref(concepts, c) for c in members[:DEFINING_SKILLS]],
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
