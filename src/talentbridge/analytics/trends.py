"""Rising and falling skills: year-on-year change in the share of postings naming a
skill, with a test of whether the change is more than noise.

For a skill named in ``a`` of the ``A`` postings of the current period and ``b`` of the
``B`` postings of the same months a year before, the rate ratio is
``rr = (a / A) / (b / B)``; ``ln rr`` has standard error ``sqrt(1/a + 1/b)`` (Poisson
counts; 0.5 is added to a zero count). A skill is *rising* when the lower end of the 95%
interval of ``ln rr`` is above zero and its Benjamini–Hochberg adjusted p-value is below
``alpha``; *falling* symmetrically. Ranking is by that conservative end of the interval,
not by the point estimate, so a skill going from 1 to 4 postings (a wide interval) never
tops a list led by skills with hundreds of postings. Skills with fewer than
``min_postings`` in both periods together are not tested at all.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.analytics.demand import Period, concept_names, skill_counts, totals
from talentbridge.analytics.regions import parse_region

Z95 = 1.959964


@dataclass(frozen=True)
class Change:
    concept_id: int
    current: int
    previous: int
    rate_ratio: float
    low: float  # 95% interval of the rate ratio
    high: float
    p_value: float
    q_value: float  # Benjamini–Hochberg adjusted


def changes(
    current: dict[int, int],
    previous: dict[int, int],
    current_total: int,
    previous_total: int,
    *,
    min_postings: int = 20,
) -> list[Change]:
    """The tested change of every concept with enough postings (pure; see module doc)."""
    if current_total <= 0 or previous_total <= 0:
        return []
    tested = []
    for cid in sorted(set(current) | set(previous)):
        a, b = current.get(cid, 0), previous.get(cid, 0)
        if a + b < min_postings:
            continue
        aa, bb = (a or 0.5), (b or 0.5)
        log_rr = math.log((aa / current_total) / (bb / previous_total))
        se = math.sqrt(1 / aa + 1 / bb)
        p = math.erfc(abs(log_rr / se) / math.sqrt(2))
        tested.append((cid, a, b, log_rr, se, p))
    q_values = _benjamini_hochberg([t[5] for t in tested])
    return [
        Change(cid, a, b, math.exp(lr), math.exp(lr - Z95 * se), math.exp(lr + Z95 * se), p, q)
        for (cid, a, b, lr, se, p), q in zip(tested, q_values, strict=True)
    ]


def _benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    m = len(p_values)
    order = sorted(range(m), key=lambda i: p_values[i])
    adjusted = [1.0] * m
    running = 1.0
    for rank in range(m, 0, -1):
        i = order[rank - 1]
        running = min(running, p_values[i] * m / rank)
        adjusted[i] = running
    return adjusted


MOVER_COLUMNS = (
    Column("rank", "排名", "Rank", "int"),
    Column("label_zh", "技能", "Skill (zh)"),
    Column("label_en", "技能(英文)", "Skill"),
    Column("current", "本期招聘信息数", "Postings now", "int"),
    Column("previous", "去年同期", "A year before", "int"),
    Column("share_now", "本期占比", "Share now", "share"),
    Column("share_before", "去年同期占比", "Share a year before", "share"),
    Column("change", "占比同比变化", "Change of share (YoY)", "share"),
    Column("low", "95%区间下限", "95% low", "float"),
    Column("high", "95%区间上限", "95% high", "float"),
    Column("q_value", "校正p值", "Adjusted p", "float"),
)


@dataclass(frozen=True)
class Movers:
    rising: DataTable
    falling: DataTable
    period: Period
    previous: Period
    tested: int


def movers(
    session: Session,
    *,
    region: str,
    period: Period,
    min_postings: int = 20,
    alpha: float = 0.05,
    limit: int = 20,
) -> Movers:
    """Rising and falling skills, year on year, for the region (see module doc)."""
    key = parse_region(region).key
    previous = period.shifted(-12)
    now = skill_counts(session, region=key, period=period)
    before = skill_counts(session, region=key, period=previous)
    now_total = totals(session, region=key, period=period).postings
    before_total = totals(session, region=key, period=previous).postings
    found = changes(now, before, now_total, before_total, min_postings=min_postings)
    significant = [c for c in found if c.q_value < alpha]
    rising = sorted((c for c in significant if c.low > 1), key=lambda c: (-c.low, c.concept_id))
    falling = sorted((c for c in significant if c.high < 1), key=lambda c: (c.high, c.concept_id))
    names = concept_names(session, [c.concept_id for c in rising[:limit] + falling[:limit]])

    def table(name: str, items: list[Change]) -> DataTable:
        rows = []
        for rank, c in enumerate(items[:limit], start=1):
            zh, en, _kind = names.get(c.concept_id, ("", "", ""))
            share_now = c.current / now_total
            share_before = c.previous / before_total
            rows.append(
                {
                    "rank": rank,
                    "concept_id": c.concept_id,
                    "label_zh": zh,
                    "label_en": en,
                    "current": c.current,
                    "previous": c.previous,
                    "share_now": round(share_now, 4),
                    "share_before": round(share_before, 4),
                    "change": round(share_now / share_before - 1, 4) if share_before else None,
                    "low": round(c.low, 3),
                    "high": round(c.high, 3),
                    "q_value": round(c.q_value, 4),
                }
            )
        notes = [
            f"{period.label} vs {previous.label}; {len(found)} skills tested "
            f"(≥ {min_postings} postings), significance {alpha} after Benjamini–Hochberg"
        ]
        return DataTable(name, MOVER_COLUMNS, rows, notes)

    return Movers(
        table("rising-skills", rising),
        table("falling-skills", falling),
        period,
        previous,
        len(found),
    )


# --- a series with its forecast ------------------------------------------------------------


@dataclass(frozen=True)
class SeriesView:
    """Monthly postings of a skill, an occupation or of everything in a region, every
    month the cube holds, with the forecast of the next months (``Forecast.to_dict()``)."""

    kind: str  # skill | occupation | total
    ref_id: int | None
    region: str
    label_zh: str
    label_en: str
    months: list[str]
    values: list[int]
    forecast: dict[str, object] | None

    def table(self) -> DataTable:
        columns = (
            Column("month", "月份", "Month"),
            Column("postings", "招聘信息数", "Postings", "int"),
            Column("forecast", "预测", "Forecast", "float"),
            Column("lower80", "80%区间下限", "80% low", "float"),
            Column("upper80", "80%区间上限", "80% high", "float"),
        )
        rows: list[dict[str, object]] = [
            {"month": m, "postings": v} for m, v in zip(self.months, self.values, strict=True)
        ]
        fc = self.forecast or {}
        months = _floats_or_names(fc.get("months"))
        point, low, high = (_numbers(fc.get(k)) for k in ("point", "lower80", "upper80"))
        for i, month in enumerate(months):
            rows.append(
                {"month": month, "forecast": point[i], "lower80": low[i], "upper80": high[i]}
            )
        notes = [str(fc["note"])] if fc.get("note") else []
        slug = f"{self.kind}-{self.ref_id}" if self.ref_id else self.kind
        return DataTable(f"series-{slug}-{self.region.replace(':', '-')}", columns, rows, notes)


def _floats_or_names(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _numbers(value: object) -> list[float]:
    return [float(v) for v in value] if isinstance(value, list) else []


def series_view(
    session: Session, *, kind: str, ref_id: int | None, region: str, with_forecast: bool = True
) -> SeriesView | None:
    """The whole monthly series of a skill (``kind='skill'``), an occupation or all
    postings (``'total'``) in the region, and its forecast (cached per cube version).
    None when the cube is empty or the skill/occupation is unknown."""
    from talentbridge.analytics.cube import get_state
    from talentbridge.analytics.demand import (
        available_months,
        month_at,
        month_index,
        monthly_totals,
        occupation_names,
        occupation_series,
        skill_series,
    )
    from talentbridge.analytics.forecast_cache import forecast_series

    key = parse_region(region).key
    held = available_months(session)
    if not held:
        return None
    months = [month_at(i) for i in range(month_index(held[0]), month_index(held[-1]) + 1)]
    if kind == "skill" and ref_id:
        names = concept_names(session, [ref_id]).get(ref_id)
        if names is None:
            return None
        zh, en = names[0], names[1]
        values = skill_series(session, concept_id=ref_id, region=key, months=months)
    elif kind == "occupation" and ref_id:
        found = occupation_names(session, [ref_id]).get(ref_id)
        if found is None:
            return None
        zh, en = found[1], found[2]
        values = occupation_series(session, occupation_id=ref_id, region=key, months=months)
    elif kind == "total":
        zh, en = "全部招聘信息", "All postings"
        values = monthly_totals(session, region=key, months=months)
    else:
        return None
    forecast = None
    if with_forecast:
        version = get_state(session).version
        result = forecast_series(
            session,
            series_key=f"{kind}:{ref_id or 0}:{key}",
            data_version=version,
            start_month=months[0],
            values=values,
        )
        forecast = result.to_dict()
    return SeriesView(kind, ref_id, key, zh, en, months, values, forecast)


def series_of(
    session: Session,
    *,
    region: str,
    concept_id: int | None = None,
    occupation_id: int | None = None,
) -> SeriesView | None:
    """The series of an occupation when given, else of a skill when given, else of all
    postings (what the pages, downloads and API ask for)."""
    if occupation_id:
        return series_view(session, kind="occupation", ref_id=occupation_id, region=region)
    if concept_id:
        return series_view(session, kind="skill", ref_id=concept_id, region=region)
    return series_view(session, kind="total", ref_id=None, region=region)
