"""Tables of what colleges teach: training plans (人才培养方案), courses and the
concepts each course covers (the supply side of supply vs demand)."""

from __future__ import annotations

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from talentbridge.store.tables import Base


class TrainingPlan(Base):
    """A college major's (or direction's) plan of courses for an intake year."""

    __tablename__ = "training_plan"
    __table_args__ = (
        UniqueConstraint(
            "college_major_id", "direction_key", "year", name="uq_training_plan_cm_dir_year"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    college_major_id: Mapped[int] = mapped_column(
        ForeignKey("college_major.id", ondelete="CASCADE"), index=True
    )
    direction_id: Mapped[int | None] = mapped_column(ForeignKey("direction.id", ondelete="CASCADE"))
    direction_key: Mapped[int] = mapped_column(Integer, default=0)  # direction id or 0
    year: Mapped[int] = mapped_column(Integer)
    name: Mapped[str | None] = mapped_column(String(200))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class Course(Base):
    """One course of a training plan, with the text the skill extractor reads."""

    __tablename__ = "course"
    __table_args__ = (UniqueConstraint("training_plan_id", "name", name="uq_course_plan_name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    training_plan_id: Mapped[int] = mapped_column(
        ForeignKey("training_plan.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str | None] = mapped_column(String(40))
    name: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str | None] = mapped_column(String(300))
    kind: Mapped[str | None] = mapped_column(String(40))  # 专业核心课, 公共基础课 …
    semester: Mapped[int | None] = mapped_column(Integer)
    hours: Mapped[int | None] = mapped_column(Integer)
    credits: Mapped[float | None] = mapped_column(Float)
    description: Mapped[str] = mapped_column(Text, default="")
    extracted_version: Mapped[str | None] = mapped_column(String(80))
    import_run_id: Mapped[int | None] = mapped_column(ForeignKey("import_run.id"))


class CourseConcept(Base):
    """A concept a course teaches, found by the skill extractor (or set by a teacher)."""

    __tablename__ = "course_concept"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("course.id", ondelete="CASCADE"), primary_key=True
    )
    concept_id: Mapped[int] = mapped_column(
        ForeignKey("concept.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    confidence: Mapped[float] = mapped_column(Float, default=1.0)
    origin: Mapped[str] = mapped_column(String(16), default="extracted")  # extracted | manual
