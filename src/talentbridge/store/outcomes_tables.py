"""Tables of employment outcomes (issue 8): one placement record per graduate.

A placement (毕业去向) says where a graduate went: ``destination`` is one of employed,
further_study, enlisted, self_employed, flexible, not_employed. Employment details
(employer, job title, occupation, place, monthly salary, start date, signed contract)
are kept as the college reported them; ``occupation_id`` is set when the reported
occupation code is in the store, so the 对口 relation can classify it. Records come from
a college's yearly file (``source`` ``import``, with its import run and row) or from a
hire recorded in matching (``source`` ``matching``, with the application).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base, utcnow

DESTINATIONS: tuple[str, ...] = (
    "employed",
    "further_study",
    "enlisted",
    "self_employed",
    "flexible",
    "not_employed",
)


class Placement(Base):
    """Where one graduate went (their current destination; one row per profile)."""

    __tablename__ = "placement"
    __table_args__ = (Index("ix_placement_org_destination", "organization_id", "destination"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profile.id", ondelete="CASCADE"), unique=True
    )
    # The graduate's college, kept here for the access policy and per-college figures.
    organization_id: Mapped[int] = mapped_column(ForeignKey("organization.id", ondelete="CASCADE"))
    destination: Mapped[str] = mapped_column(String(16))
    employer_name: Mapped[str | None] = mapped_column(String(200))
    employer_id: Mapped[int | None] = mapped_column(
        ForeignKey("organization.id", ondelete="SET NULL"), index=True
    )
    job_title: Mapped[str | None] = mapped_column(String(200))
    occupation_code: Mapped[str | None] = mapped_column(String(20))  # as reported
    occupation_id: Mapped[int | None] = mapped_column(
        ForeignKey("occupation.id", ondelete="SET NULL"), index=True
    )
    place_text: Mapped[str | None] = mapped_column(String(200))
    division_code: Mapped[str | None] = mapped_column(String(6))  # GB/T 2260, city or district
    in_circle: Mapped[bool | None] = mapped_column(Boolean)  # Chengdu–Chongqing circle
    abroad: Mapped[bool] = mapped_column(Boolean, default=False)
    salary_monthly: Mapped[int | None] = mapped_column(Integer)  # yuan per month
    start_date: Mapped[dt.date | None] = mapped_column(Date)
    contract_signed: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(10), default="import")  # import|matching
    application_id: Mapped[int | None] = mapped_column(
        ForeignKey("application.id", ondelete="SET NULL")
    )
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))
    source_row: Mapped[int | None] = mapped_column(Integer)
    is_sample: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime, default=utcnow)
