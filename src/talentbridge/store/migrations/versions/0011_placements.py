"""placements

The placement table (issue 8): one record per graduate of where they went, imported from
a college's yearly file or recorded when matching records a hire.

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 20:02:13.589291
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "placement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("organization_id", sa.Integer(), nullable=False),
        sa.Column("destination", sa.String(length=16), nullable=False),
        sa.Column("employer_name", sa.String(length=200), nullable=True),
        sa.Column("employer_id", sa.Integer(), nullable=True),
        sa.Column("job_title", sa.String(length=200), nullable=True),
        sa.Column("occupation_code", sa.String(length=20), nullable=True),
        sa.Column("occupation_id", sa.Integer(), nullable=True),
        sa.Column("place_text", sa.String(length=200), nullable=True),
        sa.Column("division_code", sa.String(length=6), nullable=True),
        sa.Column("in_circle", sa.Boolean(), nullable=True),
        sa.Column("abroad", sa.Boolean(), nullable=False),
        sa.Column("salary_monthly", sa.Integer(), nullable=True),
        sa.Column("start_date", sa.Date(), nullable=True),
        sa.Column("contract_signed", sa.Boolean(), nullable=True),
        sa.Column("source", sa.String(length=10), nullable=False),
        sa.Column("application_id", sa.Integer(), nullable=True),
        sa.Column("import_run_id", sa.Integer(), nullable=True),
        sa.Column("source_row", sa.Integer(), nullable=True),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_id"],
            ["application.id"],
            name=op.f("fk_placement_application_id_application"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["employer_id"],
            ["organization.id"],
            name=op.f("fk_placement_employer_id_organization"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["import_run_id"], ["import_run.id"], name=op.f("fk_placement_import_run_id_import_run")
        ),
        sa.ForeignKeyConstraint(
            ["occupation_id"],
            ["occupation.id"],
            name=op.f("fk_placement_occupation_id_occupation"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["organization_id"],
            ["organization.id"],
            name=op.f("fk_placement_organization_id_organization"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profile.id"],
            name=op.f("fk_placement_profile_id_profile"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_placement")),
        sa.UniqueConstraint("profile_id", name=op.f("uq_placement_profile_id")),
    )
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_placement_employer_id"), ["employer_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_placement_occupation_id"), ["occupation_id"], unique=False
        )
        batch_op.create_index(
            "ix_placement_org_destination", ["organization_id", "destination"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("placement", schema=None) as batch_op:
        batch_op.drop_index("ix_placement_org_destination")
        batch_op.drop_index(batch_op.f("ix_placement_occupation_id"))
        batch_op.drop_index(batch_op.f("ix_placement_employer_id"))

    op.drop_table("placement")
