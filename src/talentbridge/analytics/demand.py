"""Reading the demand cube: top skills and occupations, monthly series, region
comparison and the skill profile of an occupation. Every query reads the pre-aggregated
tables of ``store.demand_tables`` through their primary keys or indexes, never postings.

Results are ``DataTable`` s (page, JSON and CSV/XLSX all show the same rows). Salary
figures are monthly yuan: quartiles come from summed pay bins (``analytics.bins``:
within 5% of the exact value); where bins are not kept (skills in a district) only the
mean is given.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy import Select, func, literal_column, select
from sqlalchemy.orm import Session

from talentbridge.analytics.bins import quantiles
from talentbridge.analytics.datatable import Column, DataTable
from talentbridge.analytics.regions import ALL, parse_region, without_districts
from talentbridge.domain import dates
from talentbridge.store.demand_tables import (
    DemandCell,
    DemandOccupationSkill,
    DemandSalaryBin,
    DemandSkill,
    DemandSkillSalaryBin,
)
from talentbridge.store.tables import Concept, Occupation
from talentbridge.taxonomy.concepts import LEAF_KINDS


class BadPeriod(ValueError):
    """A period that is not two months YYYY-MM with start ≤ end."""


def month_index(month: str) -> int:
    """``YYYY-MM`` as a month count; ``BadPeriod`` for anything else."""
    try:
        return dates.month_index(month)
    except ValueError as exc:
        raise BadPeriod(str(exc)) from None


month_at = dates.month_name


@dataclass(frozen=True)
class Period:
    """Months from ``start`` to ``end`` inclusive (``YYYY-MM``)."""

    start: str
    end: str

    def __post_init__(self) -> None:
        if month_index(self.start) > month_index(self.end):
            raise BadPeriod(f"the period starts after it ends: {self.start} > {self.end}")

    @property
    def months(self) -> list[str]:
        return [month_at(i) for i in range(month_index(self.start), month_index(self.end) + 1)]

    def shifted(self, months: int) -> Period:
        return Period(
            month_at(month_index(self.start) + months), month_at(month_index(self.end) + months)
        )

    @property
    def label(self) -> str:
        return self.start if self.start == self.end else f"{self.start} – {self.end}"


def available_months(session: Session) -> list[str]:
    """The months the cube holds postings for, oldest first."""
    return list(
        session.scalars(
            select(DemandCell.month)
            .distinct()
            .where(DemandCell.region == ALL)
            .order_by(DemandCell.month)
        )
    )


def default_period(session: Session, length: int = 12) -> Period | None:
    """The last ``length`` months of data (None when the cube is empty)."""
    months = available_months(session)
    if not months:
        return None
    end = months[-1]
    start = max(months[0], month_at(month_index(end) - length + 1))
    return Period(start, end)


# --- totals --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    postings: int
    openings: int
    with_salary: int
    salary_q1: float | None
    salary_median: float | None
    salary_q3: float | None
    sample: int  # synthetic demo postings among them


def totals(session: Session, *, region: str, period: Period) -> Totals:
    key = parse_region(region).key
    row = session.execute(
        select(
            func.coalesce(func.sum(DemandCell.postings), 0),
            func.coalesce(func.sum(DemandCell.openings), 0),
            func.coalesce(func.sum(DemandCell.salary_n), 0),
            func.coalesce(func.sum(DemandCell.sample), 0),
        ).where(DemandCell.region == key, DemandCell.month.between(period.start, period.end))
    ).one()
    q1, median, q3 = quantiles(pay_bins(session, region=key, period=period))
    return Totals(int(row[0]), int(row[1]), int(row[2]), q1, median, q3, int(row[3]))


def monthly_totals(session: Session, *, region: str, months: Sequence[str]) -> list[int]:
    """Postings per month of ``months`` (zeros where none)."""
    key = parse_region(region).key
    found = dict(
        session.execute(
            select(DemandCell.month, func.sum(DemandCell.postings))
            .where(DemandCell.region == key, DemandCell.month.between(months[0], months[-1]))
            .group_by(DemandCell.month)
        ).all()
    )
    return [int(found.get(m, 0)) for m in months]


# --- pay bins -------------------------------------------------------------------------------


class MonthSpan(Protocol):
    """Anything with first and last months (``Period``, supply's periods)."""

    @property
    def start(self) -> str: ...

    @property
    def end(self) -> str: ...


def pay_bins(session: Session, *, region: str, period: MonthSpan) -> dict[int, int]:
    """Pay bin → postings of the region and period (all occupations)."""
    found = occupation_pay_bins(session, region=region, period=period, by_occupation=False)
    return found.get(0, {})


def occupation_pay_bins(
    session: Session,
    *,
    region: str,
    period: MonthSpan,
    occupation_ids: Sequence[int] | None = None,
    by_occupation: bool = True,
) -> dict[int, dict[int, int]]:
    """Occupation → pay bin → postings (every occupation, or ``occupation_ids``); with
    ``by_occupation=False`` one distribution under key 0."""
    table = DemandSalaryBin
    owner = table.occupation_id if by_occupation else literal_column("0")
    statement = select(owner, table.bin, func.sum(table.n)).where(
        table.region == region, table.month.between(period.start, period.end)
    )
    if occupation_ids is not None:
        statement = statement.where(table.occupation_id.in_(list(occupation_ids)))
    grouping = (table.occupation_id, table.bin) if by_occupation else (table.bin,)
    return _nested(session, statement.group_by(*grouping))


def skill_pay_bins(
    session: Session, *, region: str, period: MonthSpan, concept_ids: Sequence[int]
) -> dict[int, dict[int, int]]:
    """Concept → pay bin → postings naming it (no districts are kept: see the cube)."""
    table = DemandSkillSalaryBin
    statement = (
        select(table.concept_id, table.bin, func.sum(table.n))
        .where(
            table.region == region,
            table.concept_id.in_(list(concept_ids)),
            table.month.between(period.start, period.end),
        )
        .group_by(table.concept_id, table.bin)
    )
    return _nested(session, statement)


def _nested(session: Session, statement: Select[int, int, int]) -> dict[int, dict[int, int]]:
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for owner, pay_bin, n in session.execute(statement):
        out[int(owner)][int(pay_bin)] = int(n or 0)
    return out


# --- top occupations and skills ----------------------------------------------------------


OCCUPATION_COLUMNS = (
    Column("rank", "排名", "Rank", "int"),
    Column("code", "职业代码", "Code"),
    Column("name_zh", "职业", "Occupation (zh)"),
    Column("name_en", "职业(英文)", "Occupation"),
    Column("postings", "招聘信息数", "Postings", "int"),
    Column("openings", "招聘人数", "Openings", "int"),
    Column("share", "占比", "Share", "share"),
    Column("salary_q1", "月薪下四分位", "Pay Q1", "money"),
    Column("salary_median", "月薪中位数", "Median pay", "money"),
    Column("salary_q3", "月薪上四分位", "Pay Q3", "money"),
)


def top_occupations(session: Session, *, region: str, period: Period, limit: int = 20) -> DataTable:
    """Occupations by postings in the region and period, with share and pay quartiles."""
    key = parse_region(region).key
    in_period = DemandCell.month.between(period.start, period.end)
    rows = session.execute(
        select(
            DemandCell.occupation_id,
            func.sum(DemandCell.postings).label("postings"),
            func.sum(DemandCell.openings),
        )
        .where(DemandCell.region == key, in_period)
        .group_by(DemandCell.occupation_id)
        .order_by(func.sum(DemandCell.postings).desc(), DemandCell.occupation_id)
    ).all()
    total = sum(int(r[1]) for r in rows) or 1
    rows = [r for r in rows if r[0]][:limit]  # 0 = not classified: counted in the share only
    ids = [int(r[0]) for r in rows]
    bins = occupation_pay_bins(session, region=key, period=period, occupation_ids=ids)
    names = occupation_names(session, ids)
    out = []
    for rank, (occupation_id, postings, openings) in enumerate(rows, start=1):
        code, zh, en = names.get(occupation_id, ("", "", ""))
        q1, median, q3 = quantiles(bins.get(occupation_id, {}))
        out.append(
            {
                "rank": rank,
                "occupation_id": occupation_id,
                "code": code,
                "name_zh": zh,
                "name_en": en,
                "postings": int(postings),
                "openings": int(openings),
                "share": round(int(postings) / total, 4),
                "salary_q1": q1,
                "salary_median": median,
                "salary_q3": q3,
            }
        )
    return DataTable("top-occupations", OCCUPATION_COLUMNS, out)


SKILL_COLUMNS = (
    Column("rank", "排名", "Rank", "int"),
    Column("label_zh", "技能", "Skill (zh)"),
    Column("label_en", "技能(英文)", "Skill"),
    Column("kind", "类型", "Kind"),
    Column("postings", "招聘信息数", "Postings", "int"),
    Column("share", "占招聘信息比", "Share of postings", "share"),
    Column("preferred_share", "其中“优先”", "Of which preferred", "share"),
    Column("openings", "招聘人数", "Openings", "int"),
    Column("salary_median", "月薪中位数", "Median pay", "money"),
    Column("salary_mean", "月薪均值", "Mean pay", "money"),
)


def top_skills(
    session: Session,
    *,
    region: str,
    period: Period,
    kind: str | None = None,
    limit: int = 30,
) -> DataTable:
    """Concepts by postings naming them, with their share of all postings and pay."""
    key = parse_region(region).key
    total = totals(session, region=key, period=period).postings or 1
    statement = (
        select(
            DemandSkill.concept_id,
            func.sum(DemandSkill.postings),
            func.sum(DemandSkill.preferred),
            func.sum(DemandSkill.openings),
            func.sum(DemandSkill.salary_n),
            func.sum(DemandSkill.salary_sum),
        )
        .where(DemandSkill.region == key, DemandSkill.month.between(period.start, period.end))
        .group_by(DemandSkill.concept_id)
        .order_by(func.sum(DemandSkill.postings).desc(), DemandSkill.concept_id)
    )
    statement = statement.join(Concept, Concept.id == DemandSkill.concept_id).where(
        Concept.kind == kind if kind else Concept.kind.in_(LEAF_KINDS)
    )  # clusters and groups are headings of the taxonomy, not skills to rank
    rows = session.execute(statement.limit(limit)).all()
    ids = [int(r[0]) for r in rows]
    medians = _skill_medians(session, key, ids, period)
    concepts = concept_names(session, ids)
    out = []
    for rank, (concept_id, postings, preferred, openings, paid, pay_sum) in enumerate(rows, 1):
        zh, en, concept_kind = concepts.get(concept_id, ("", "", ""))
        out.append(
            {
                "rank": rank,
                "concept_id": concept_id,
                "label_zh": zh,
                "label_en": en,
                "kind": concept_kind,
                "postings": int(postings),
                "share": round(int(postings) / total, 4),
                "preferred_share": round(int(preferred) / int(postings), 4) if postings else 0,
                "openings": int(openings),
                "salary_median": medians.get(concept_id),
                "salary_mean": round(int(pay_sum) / int(paid)) if paid else None,
            }
        )
    notes = []
    if parse_region(key).level == "district":
        notes.append("median pay by skill is not kept for districts; the mean is shown")
    return DataTable("top-skills", SKILL_COLUMNS, out, notes)


def _skill_medians(
    session: Session, key: str, ids: Sequence[int], period: Period
) -> dict[int, float | None]:
    if not ids or parse_region(key).level == "district":
        return {}
    bins = skill_pay_bins(session, region=key, period=period, concept_ids=ids)
    return {cid: quantiles(b, (0.5,))[0] for cid, b in bins.items()}


# --- series ----------------------------------------------------------------------------------


def skill_series(
    session: Session, *, concept_id: int, region: str, months: Sequence[str]
) -> list[int]:
    """Postings naming the concept per month of ``months`` (zeros where none)."""
    key = parse_region(region).key
    found = dict(
        session.execute(
            select(DemandSkill.month, DemandSkill.postings).where(
                DemandSkill.region == key,
                DemandSkill.concept_id == concept_id,
                DemandSkill.month.between(months[0], months[-1]),
            )
        ).all()
    )
    return [int(found.get(m, 0)) for m in months]


def occupation_series(
    session: Session, *, occupation_id: int, region: str, months: Sequence[str]
) -> list[int]:
    """Postings of the occupation per month of ``months`` (zeros where none)."""
    key = parse_region(region).key
    found = dict(
        session.execute(
            select(DemandCell.month, func.sum(DemandCell.postings))
            .where(
                DemandCell.region == key,
                DemandCell.occupation_id == occupation_id,
                DemandCell.month.between(months[0], months[-1]),
            )
            .group_by(DemandCell.month)
        ).all()
    )
    return [int(found.get(m, 0)) for m in months]


def skill_counts(
    session: Session, *, region: str, period: Period, concept_ids: Iterable[int] | None = None
) -> dict[int, int]:
    """Postings naming each concept (skills, not taxonomy headings) in the region and period."""
    key = parse_region(region).key
    statement = (
        select(DemandSkill.concept_id, func.sum(DemandSkill.postings))
        .join(Concept, Concept.id == DemandSkill.concept_id)
        .where(
            DemandSkill.region == key,
            DemandSkill.month.between(period.start, period.end),
            Concept.kind.in_(LEAF_KINDS),
        )
        .group_by(DemandSkill.concept_id)
    )
    if concept_ids is not None:
        statement = statement.where(DemandSkill.concept_id.in_(list(concept_ids)))
    return {int(c): int(n) for c, n in session.execute(statement)}


# --- occupation profile --------------------------------------------------------------------


PROFILE_COLUMNS = (
    Column("rank", "排名", "Rank", "int"),
    Column("label_zh", "技能", "Skill (zh)"),
    Column("label_en", "技能(英文)", "Skill"),
    Column("kind", "类型", "Kind"),
    Column("postings", "招聘信息数", "Postings", "int"),
    Column("share", "占该职业比", "Share of the occupation's postings", "share"),
    Column("salary_mean", "月薪均值", "Mean pay", "money"),
)


def occupation_profile(
    session: Session, *, occupation_id: int, region: str, period: Period, limit: int = 40
) -> DataTable:
    """The skills an occupation's postings ask for, how often, and at what pay."""
    key = without_districts(region)
    occupation_total = sum(
        occupation_series(session, occupation_id=occupation_id, region=key, months=period.months)
    )
    rows = session.execute(
        select(
            DemandOccupationSkill.concept_id,
            func.sum(DemandOccupationSkill.postings),
            func.sum(DemandOccupationSkill.salary_n),
            func.sum(DemandOccupationSkill.salary_sum),
        )
        .where(
            DemandOccupationSkill.region == key,
            DemandOccupationSkill.occupation_id == occupation_id,
            DemandOccupationSkill.month.between(period.start, period.end),
        )
        .group_by(DemandOccupationSkill.concept_id)
        .order_by(func.sum(DemandOccupationSkill.postings).desc(), DemandOccupationSkill.concept_id)
        .limit(limit)
    ).all()
    concepts = concept_names(session, [int(r[0]) for r in rows])
    out = []
    for rank, (concept_id, postings, paid, pay_sum) in enumerate(rows, start=1):
        zh, en, kind = concepts.get(concept_id, ("", "", ""))
        out.append(
            {
                "rank": rank,
                "concept_id": concept_id,
                "label_zh": zh,
                "label_en": en,
                "kind": kind,
                "postings": int(postings),
                "share": round(int(postings) / occupation_total, 4) if occupation_total else 0,
                "salary_mean": round(int(pay_sum) / int(paid)) if paid else None,
            }
        )
    return DataTable(f"occupation-{occupation_id}-skills", PROFILE_COLUMNS, out)


# --- names ----------------------------------------------------------------------------------


def concept_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        cid: (zh or en or "", en or zh or "", kind)
        for cid, zh, en, kind in session.execute(
            select(Concept.id, Concept.label_zh, Concept.label_en, Concept.kind).where(
                Concept.id.in_(ids)
            )
        )
    }


def occupation_names(session: Session, ids: Iterable[int]) -> dict[int, tuple[str, str, str]]:
    ids = list(ids)
    if not ids:
        return {}
    return {
        oid: (code, zh, en or zh)
        for oid, code, zh, en in session.execute(
            select(Occupation.id, Occupation.code, Occupation.name_zh, Occupation.name_en).where(
                Occupation.id.in_(ids)
            )
        )
    }


def occupation_choices(session: Session) -> list[tuple[int, str, str, str]]:
    """(id, code, name_zh, name_en) of every occupation, by code."""
    return [
        (oid, code, zh, en or zh)
        for oid, code, zh, en in session.execute(
            select(Occupation.id, Occupation.code, Occupation.name_zh, Occupation.name_en).order_by(
                Occupation.code
            )
        )
    ]
