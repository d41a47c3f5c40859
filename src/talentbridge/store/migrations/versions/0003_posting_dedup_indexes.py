"""posting dedup indexes: block-local band keys, WITHOUT ROWID band table, no block_key index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 12:31:07.481889

Why (docs/benchmarks.md, "Ingestion (issue 3)"): at 1,000,000 postings every posting
cost a random page in three large indexes besides its content hash: ``posting.block_key``
(queried by nothing) and six band keys spread over the whole ``posting_band`` key
index. Band keys now start with a digest of the block key, so one posting's keys share
one or two index pages; the band table has no rowid B-tree on SQLite; the unused
block_key index is dropped. Stored band keys are recomputed from each posting's block
key and fingerprint (the functions below are frozen copies of the two layouts).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BANDS = 6  # NEAR_DUPLICATE_MAX_DISTANCE + 1
_CHUNK = 5_000


def _signed(value: int) -> int:
    return value - (1 << 64) if value >= 1 << 63 else value


def _band_values(fingerprint: int) -> Iterator[tuple[int, int]]:
    start = 0
    for index in range(_BANDS):
        width = 64 // _BANDS + (1 if index < 64 % _BANDS else 0)
        yield index, (fingerprint >> start) & ((1 << width) - 1)
        start += width


def _block_local_keys(block_key: str, fingerprint: int) -> list[int]:
    """``pipeline.dedup.band_keys`` as of this revision: block digest | index | value."""
    digest = hashlib.blake2b(block_key.encode(), digest_size=8).digest()
    prefix = (int.from_bytes(digest, "big") >> 14) << 14
    return [_signed(prefix | (i << 11) | v) for i, v in _band_values(fingerprint)]


def _hashed_keys(block_key: str, fingerprint: int) -> list[int]:
    """The band keys of revision 0002: one BLAKE2b digest per band."""
    return [
        int.from_bytes(
            hashlib.blake2b(f"{block_key}\x1f{i}\x1f{v}".encode(), digest_size=8).digest(),
            "big",
            signed=True,
        )
        for i, v in _band_values(fingerprint)
    ]


def _create_band_table(*, without_rowid: bool) -> None:
    op.create_table(
        "posting_band",
        sa.Column("band", sa.BigInteger(), nullable=False),
        sa.Column("posting_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["posting.id"],
            name=op.f("fk_posting_band_posting_id_posting"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("band", "posting_id", name=op.f("pk_posting_band")),
        sqlite_with_rowid=not without_rowid,
    )


def _fill_bands(keys: Callable[[str, int], list[int]]) -> None:
    """One row per distinct band key of every posting with text (fingerprint != 0)."""
    bind = op.get_bind()
    posting = sa.table("posting", sa.column("id"), sa.column("block_key"), sa.column("fingerprint"))
    band = sa.table("posting_band", sa.column("band"), sa.column("posting_id"))
    last = 0
    while True:
        rows = bind.execute(
            sa.select(posting.c.id, posting.c.block_key, posting.c.fingerprint)
            .where(posting.c.id > last, posting.c.fingerprint != 0)
            .order_by(posting.c.id)
            .limit(_CHUNK)
        ).all()
        if not rows:
            return
        values = [
            {"band": key, "posting_id": posting_id}
            for posting_id, block_key, fingerprint in rows
            for key in dict.fromkeys(keys(block_key, fingerprint & ((1 << 64) - 1)))
        ]
        bind.execute(sa.insert(band), values)
        last = rows[-1][0]


def _replace_band_table(*, without_rowid: bool, keys: Callable[[str, int], list[int]]) -> None:
    with op.batch_alter_table("posting_band", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_band_posting_id"))
    op.drop_table("posting_band")
    _create_band_table(without_rowid=without_rowid)
    _fill_bands(keys)
    with op.batch_alter_table("posting_band", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_posting_band_posting_id"), ["posting_id"], unique=False
        )


def upgrade() -> None:
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_posting_block_key"))
    _replace_band_table(without_rowid=True, keys=_block_local_keys)


def downgrade() -> None:
    _replace_band_table(without_rowid=False, keys=_hashed_keys)
    with op.batch_alter_table("posting", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_posting_block_key"), ["block_key"], unique=False)
