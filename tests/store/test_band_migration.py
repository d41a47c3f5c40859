"""Migration 0003 recomputes stored band keys in the block-local layout (and back)."""

from __future__ import annotations

import hashlib

from sqlalchemy import Engine, inspect, select

from talentbridge.pipeline.dedup import band_keys, from_signed64, to_signed64
from talentbridge.store.engine import session_factory
from talentbridge.store.migrate import downgrade, is_up_to_date, upgrade
from talentbridge.store.tables import Posting, PostingBand

FINGERPRINTS = [0x0123_4567_89AB_CDEF, (1 << 64) - 1, 0]  # the last: no text, no bands


def _keys_of_0002(block: str, fingerprint: int) -> list[int]:
    """Band keys as revision 0002 stored them: one BLAKE2b digest per band."""
    keys, start = [], 0
    for index in range(6):
        width = 64 // 6 + (1 if index < 64 % 6 else 0)
        value = (fingerprint >> start) & ((1 << width) - 1)
        start += width
        digest = hashlib.blake2b(f"{block}\x1f{index}\x1f{value}".encode(), digest_size=8)
        keys.append(int.from_bytes(digest.digest(), "big", signed=True))
    return keys


def _stored(engine: Engine) -> dict[int, set[int]]:
    with session_factory(engine)() as s:
        rows = s.execute(select(PostingBand.posting_id, PostingBand.band)).all()
    out: dict[int, set[int]] = {}
    for posting_id, band in rows:
        out.setdefault(posting_id, set()).add(band)
    return out


def test_upgrade_recomputes_band_keys_and_downgrade_restores_them(engine: Engine) -> None:
    downgrade(engine, "0002")
    assert "ix_posting_block_key" in {i["name"] for i in inspect(engine).get_indexes("posting")}
    ids: dict[int, tuple[str, int]] = {}
    with session_factory(engine)() as s:
        for n, fingerprint in enumerate(FINGERPRINTS):
            block = f"顺丰速运|仓库管理员|{n}"
            posting = Posting(
                title="仓库管理员",
                employer_name="顺丰速运",
                description="负责仓库收发货" if fingerprint else "",
                content_hash=f"{n:032x}",
                block_key=block,
                fingerprint=to_signed64(fingerprint),
            )
            s.add(posting)
            s.flush()
            ids[posting.id] = (block, fingerprint)
            if fingerprint:
                s.add_all(
                    PostingBand(band=k, posting_id=posting.id)
                    for k in _keys_of_0002(block, fingerprint)
                )
        s.commit()

    upgrade(engine)
    assert is_up_to_date(engine)
    assert "ix_posting_block_key" not in {i["name"] for i in inspect(engine).get_indexes("posting")}
    expected = {pid: set(band_keys(block, fp)) for pid, (block, fp) in ids.items() if fp}
    assert _stored(engine) == expected
    with session_factory(engine)() as s:  # the stored fingerprints are untouched
        stored = {pid: fp for pid, fp in s.execute(select(Posting.id, Posting.fingerprint))}
    assert {pid: from_signed64(fp) for pid, fp in stored.items()} == {
        pid: fp for pid, (_b, fp) in ids.items()
    }

    downgrade(engine, "0002")
    assert _stored(engine) == {
        pid: set(_keys_of_0002(block, fp)) for pid, (block, fp) in ids.items() if fp
    }
    upgrade(engine)
    assert _stored(engine) == expected
