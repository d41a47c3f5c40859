"""Tables of the demand map: the pre-aggregated demand cube, its state, external demand
series (Job-SDF) and the forecast cache.

The cube is keyed by *region keys*, one string per level so that one indexed equality
answers any region: ``all`` (everything), ``circle`` (the Chengdu–Chongqing economic
circle), ``p:510000`` (province), ``c:510100`` (city), ``d:510107`` (district). Each
posting adds to the row of every level it belongs to. Months are ``YYYY-MM``. Salaries
are monthly yuan (the midpoint of a posting's range) kept as counts per pay bin
(``analytics.bins``), so medians and quartiles of any roll-up come from summed bins.
``occupation_id`` 0 means "not classified" and ``education_level`` -1 "not stated"
(plain integers, not foreign keys: the cube is derived data, rebuilt at will).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base, utcnow


class DemandCell(Base):
    """Postings and openings per month × region × occupation × education × industry."""

    __tablename__ = "demand_cell"
    __table_args__ = (
        UniqueConstraint(
            "region", "month", "occupation_id", "education_level", "industry",
            name="uq_demand_cell_key",
        ),
        Index("ix_demand_cell_occupation", "region", "occupation_id", "month"),
    )  # fmt: skip

    id: Mapped[int] = mapped_column(primary_key=True)
    region: Mapped[str] = mapped_column(String(12))
    month: Mapped[str] = mapped_column(String(7))
    occupation_id: Mapped[int] = mapped_column(Integer, default=0)
    education_level: Mapped[int] = mapped_column(Integer, default=-1)
    industry: Mapped[str] = mapped_column(String(100), default="")
    postings: Mapped[int] = mapped_column(Integer, default=0)
    openings: Mapped[int] = mapped_column(Integer, default=0)
    salary_n: Mapped[int] = mapped_column(Integer, default=0)
    salary_sum: Mapped[int] = mapped_column(BigInteger, default=0)
    sample: Mapped[int] = mapped_column(Integer, default=0)  # of them synthetic demo postings


class DemandSalaryBin(Base):
    """Postings with a stated salary per month × region × occupation × pay bin."""

    __tablename__ = "demand_salary_bin"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    occupation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    bin: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class DemandSkill(Base):
    """Postings naming a concept (not negated) per month × region × concept."""

    __tablename__ = "demand_skill"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    concept_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer, default=0)
    openings: Mapped[int] = mapped_column(Integer, default=0)
    preferred: Mapped[int] = mapped_column(Integer, default=0)  # only as "preferred" (优先)
    salary_n: Mapped[int] = mapped_column(Integer, default=0)
    salary_sum: Mapped[int] = mapped_column(BigInteger, default=0)


class DemandSkillSalaryBin(Base):
    """Postings with a stated salary naming a concept, per month × region × pay bin."""

    __tablename__ = "demand_skill_salary_bin"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    concept_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    bin: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class DemandOccupationSkill(Base):
    """Postings of an occupation naming a concept, per month × region (no districts)."""

    __tablename__ = "demand_occupation_skill"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    occupation_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_id: Mapped[int] = mapped_column(Integer, primary_key=True)
    month: Mapped[str] = mapped_column(String(7), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer, default=0)
    salary_n: Mapped[int] = mapped_column(Integer, default=0)
    salary_sum: Mapped[int] = mapped_column(BigInteger, default=0)


class DemandSkillPair(Base):
    """Postings naming both concepts (``concept_a < concept_b``), per year × region
    (no districts): the co-occurrence counts behind the skill graph."""

    __tablename__ = "demand_skill_pair"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[str] = mapped_column(String(4), primary_key=True)
    concept_a: Mapped[int] = mapped_column(Integer, primary_key=True)
    concept_b: Mapped[int] = mapped_column(Integer, primary_key=True)
    n: Mapped[int] = mapped_column(Integer, default=0)


class DemandYear(Base):
    """Postings per year × region (no districts): the denominators of the skill graph."""

    __tablename__ = "demand_year"

    region: Mapped[str] = mapped_column(String(12), primary_key=True)
    year: Mapped[str] = mapped_column(String(4), primary_key=True)
    postings: Mapped[int] = mapped_column(Integer, default=0)


class DemandState(Base):
    """One row (id 1): how far the cube has counted and whether it must be rebuilt."""

    __tablename__ = "demand_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    posting_watermark: Mapped[int] = mapped_column(BigInteger, default=0)  # max id counted
    postings: Mapped[int] = mapped_column(Integer, default=0)
    sample_postings: Mapped[int] = mapped_column(Integer, default=0)
    stale: Mapped[bool] = mapped_column(default=False)  # e.g. after re-extraction
    version: Mapped[int] = mapped_column(Integer, default=0)  # bumped by every refresh
    rebuilt_at: Mapped[dt.datetime | None] = mapped_column(DateTime)
    refreshed_at: Mapped[dt.datetime | None] = mapped_column(DateTime)


class DemandSeries(Base):
    """An external monthly demand series (e.g. Job-SDF: one skill in one region).

    ``scope_kind`` is ``market``, ``region`` or ``occupation``; ``values`` is the list
    of monthly counts from ``start_month`` on, one per month, no gaps.
    """

    __tablename__ = "demand_series"
    __table_args__ = (
        UniqueConstraint(
            "source", "scope_kind", "scope_code", "skill_code", name="uq_demand_series_key"
        ),
        Index("ix_demand_series_scope", "source", "scope_kind", "scope_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    source: Mapped[str] = mapped_column(String(32))
    scope_kind: Mapped[str] = mapped_column(String(16))
    scope_code: Mapped[str] = mapped_column(String(16))
    scope_name_zh: Mapped[str | None] = mapped_column(String(100))
    scope_name_en: Mapped[str | None] = mapped_column(String(200))
    skill_code: Mapped[str] = mapped_column(String(32))
    skill_name_zh: Mapped[str | None] = mapped_column(String(200))
    skill_name_en: Mapped[str | None] = mapped_column(String(300))
    concept_id: Mapped[int | None] = mapped_column(
        ForeignKey("concept.id", ondelete="SET NULL"), index=True
    )
    start_month: Mapped[str] = mapped_column(String(7))
    values: Mapped[list[float]] = mapped_column(JSON)
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class DemandForecast(Base):
    """A forecast of one series, cached for one version of the data it was fitted on."""

    __tablename__ = "demand_forecast"
    __table_args__ = (
        UniqueConstraint("series_key", "data_version", name="uq_demand_forecast_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_key: Mapped[str] = mapped_column(String(120))  # e.g. skill:42:circle
    data_version: Mapped[str] = mapped_column(String(40))
    model: Mapped[str] = mapped_column(String(40))
    result: Mapped[dict[str, object]] = mapped_column(JSON)  # points, intervals, backtest
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    note: Mapped[str | None] = mapped_column(Text)
