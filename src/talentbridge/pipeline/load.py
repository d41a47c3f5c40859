"""The load step of posting ingestion: one batch → postings, sources, flags, rejects.

Each batch is one transaction: normalize its rows, compute dedup keys, look up the
exact and near duplicates already stored (only for this batch's keys, so memory stays
flat), insert the new postings and a ``PostingSource`` for every row, then record the
rejected rows and the run's counts.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TypeVar

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.pipeline.columns import ColumnMap, apply
from talentbridge.pipeline.dedup import (
    DedupInput,
    NearDuplicateIndex,
    band_keys,
    dedup_batch,
    from_signed64,
    posting_keys,
    to_signed64,
)
from talentbridge.pipeline.ingest_types import IngestOptions, Origin
from talentbridge.pipeline.normalize import PostingDraft, Rejection, normalize_posting
from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportReport, RejectsWriter, RowError
from talentbridge.store.engine import write_lock
from talentbridge.store.tables import (
    ImportRun,
    Organization,
    Posting,
    PostingBand,
    PostingFlag,
    PostingSource,
    RejectedRow,
    table_of,
    utcnow,
)
from talentbridge.taxonomy.tagging import ingest_hook

SAMPLE_MARKERS = ("示例", "sample")


class BatchLoader:
    """Normalizes, deduplicates and loads one batch at a time (one transaction each)."""

    def __init__(
        self,
        factory: sessionmaker[Session],
        origin: Origin,
        options: IngestOptions,
        report: ImportReport,
        writer: RejectsWriter | None,
        *,
        resumed: bool,
    ) -> None:
        self.factory = factory
        self.origin = origin
        self.options = options
        self.report = report
        self.writer = writer
        self.resumed = resumed
        self.salary_given = self.salary_parsed = 0
        self.place_given = self.place_resolved = 0
        self.flagged = 0
        self._employers: dict[str, int] | None = None
        self._own_names: set[str] = set()
        self._own_primary = ""

    # --- per batch -----------------------------------------------------------------

    def load(self, rows: list[SourceRow], cmap: ColumnMap) -> None:
        r = self.report
        committed = (r.read, r.stored, r.unchanged, r.duplicates, r.rejected, len(r.errors))
        try:
            with self.factory() as session:
                # One batch at a time across imports: the duplicates it looks up stay
                # missing until it has stored them (SQLite: BEGIN IMMEDIATE).
                write_lock(session, "posting_import")
                self._load(session, rows, cmap)
                self._record_counts(session)
                session.commit()
        except BaseException:
            # The batch rolled back: so do its counts (the run records what is stored).
            r.read, r.stored, r.unchanged, r.duplicates, r.rejected, kept = committed
            del r.errors[kept:]
            raise

    def _load(self, session: Session, rows: list[SourceRow], cmap: ColumnMap) -> None:
        self.report.read += len(rows)
        rejects: list[RowError] = []
        done = self._already_loaded(session, rows) if self.resumed else set()
        drafts: list[tuple[SourceRow, PostingDraft, bool]] = []
        for row in rows:
            if row.row_number in done:
                self.report.unchanged += 1
                continue
            if row.error is not None:
                rejects.append(RowError(row.row_number, None, row.error, row.values))
                continue
            fields, extra = apply(row.values, cmap)
            if self.options.organization_id is not None and not fields.get("company"):
                fields["company"] = self._own_name(session)  # a recruiter's own posting
            result = normalize_posting(fields, reference=self.options.reference, attributes=extra)
            if isinstance(result, Rejection):
                rejects.append(RowError(row.row_number, result.field, result.reason, row.values))
                continue
            problem = self._employer_problem(session, result)
            if problem:
                rejects.append(RowError(row.row_number, "company", problem, row.values))
                continue
            self._count_quality(fields, result)
            is_sample = any(m in fields.get("source", "").lower() for m in SAMPLE_MARKERS)
            drafts.append((row, result, is_sample))
        self._store(session, drafts)
        self._reject(session, rejects)

    def _already_loaded(self, session: Session, rows: list[SourceRow]) -> set[int]:
        done: set[int] = set()
        for chunk in padded_chunks(sorted({row.row_number for row in rows}), KEY_CHUNK):
            done.update(
                session.scalars(
                    select(PostingSource.row_number).where(
                        PostingSource.file_sha256 == self.origin.sha256,
                        PostingSource.row_number.in_(chunk),
                    )
                )
            )
        return done

    def _employers_by_name(self, session: Session) -> dict[str, int]:
        if self._employers is None:
            self._employers = {
                name: org_id
                for name, org_id in session.execute(
                    select(Organization.name_zh, Organization.id).where(
                        Organization.kind == "enterprise"
                    )
                )
            }
            if self.options.organization_id is not None:
                own = session.get(Organization, self.options.organization_id)
                if own is not None:
                    self._own_names = {n for n in (own.name_zh, own.name_en) if n}
                    self._own_primary = own.name_zh
        return self._employers

    def _own_name(self, session: Session) -> str:
        self._employers_by_name(session)
        return self._own_primary

    def _employer_problem(self, session: Session, draft: PostingDraft) -> str | None:
        employers = self._employers_by_name(session)
        if self.options.organization_id is None:
            return None
        if draft.employer_name not in self._own_names:
            return "a recruiter may post only for their own organization"
        employers[draft.employer_name] = self.options.organization_id
        return None

    def _count_quality(self, fields: Mapping[str, str], draft: PostingDraft) -> None:
        if draft.salary_text:
            self.salary_given += 1
            self.salary_parsed += draft.salary_parsed
        if draft.place_text:
            self.place_given += 1
            self.place_resolved += draft.city_code is not None
        self.flagged += bool(draft.flags)

    def _store(self, session: Session, drafts: list[tuple[SourceRow, PostingDraft, bool]]) -> None:
        if not drafts:
            return
        inputs = []
        for index, (_row, draft, _sample) in enumerate(drafts):
            # The resolved city, not the raw place text: boards write places differently.
            keys = posting_keys(
                title=draft.title,
                company=draft.employer_name,
                location=draft.city_code or draft.place_text or "",
                description=draft.description,
            )
            inputs.append(
                DedupInput(keys.content_hash, keys.block_key, keys.fingerprint, -(index + 1))
            )
        exact = _ids_by_hash(session, {i.content_hash for i in inputs})
        # Near-duplicate candidates through the band keys: only postings sharing a band
        # with this batch are read, however large a block (one employer's title) grows.
        bands = {i.provisional_id: band_keys(i.block_key, i.fingerprint) for i in inputs}
        wanted = sorted({band for keys in bands.values() for band in keys})
        near = NearDuplicateIndex()
        candidates: set[int] = set()
        for chunk in padded_chunks(wanted, BAND_CHUNK):
            candidates.update(
                session.scalars(select(PostingBand.posting_id).where(PostingBand.band.in_(chunk)))
            )
        for chunk in padded_chunks(sorted(candidates), KEY_CHUNK):
            for posting_id, key, fingerprint in session.execute(
                select(Posting.id, Posting.block_key, Posting.fingerprint).where(
                    Posting.id.in_(chunk)
                )
            ):
                near.add(key, from_signed64(fingerprint), posting_id)
        decisions = dedup_batch(inputs, exact, near)

        employers = self._employers_by_name(session)
        new_items = [
            (inp, drafts[-inp.provisional_id - 1])
            for inp, decision in zip(inputs, decisions, strict=True)
            if decision.kind == "new"
        ]
        new_ids: list[int] = []
        if new_items:
            # A plain executemany (no RETURNING): one small prepared statement reused for
            # every row. A multi-row INSERT … RETURNING is one statement of ~16,000
            # parameters whose text changes with the number of new rows, so each batch
            # compiled another and the driver's statement cache held up to 128 of them
            # (about 1 MB each). The new ids are read back by content hash (unique).
            session.execute(
                insert(table_of(Posting)),
                [
                    _posting_values(draft, inp, employers, sample, self.report.run_id)
                    for inp, (_row, draft, sample) in new_items
                ],
            )
            returned = _ids_by_hash(session, {inp.content_hash for inp, _item in new_items})
            new_ids = [returned[inp.content_hash] for inp, _item in new_items]
        real = {inp.provisional_id: pid for (inp, _d), pid in zip(new_items, new_ids, strict=True)}
        sources = []
        for decision, (row, draft, _sample) in zip(decisions, drafts, strict=True):
            posting_id = real.get(decision.target_id, decision.target_id)
            sources.append(
                {
                    "posting_id": posting_id,
                    "import_run_id": self.report.run_id,
                    "source": self.origin.source[:100],
                    "source_ref": draft.source_ref,
                    "file_name": self.origin.name[:500],
                    "file_sha256": self.origin.sha256,
                    "row_number": row.row_number,
                    "relation": {"new": "original", "exact": "exact", "near": "near"}[
                        decision.kind
                    ],
                    "seen_at": utcnow(),
                }
            )
            if decision.kind == "new":
                self.report.stored += 1
            else:
                self.report.duplicates += 1
        session.execute(insert(table_of(PostingSource)), sources)
        band_rows = [
            {"band": band, "posting_id": real[inp.provisional_id]}
            for inp, _item in new_items
            for band in dict.fromkeys(bands[inp.provisional_id])
        ]
        if band_rows:
            session.execute(insert(table_of(PostingBand)), band_rows)
        flags = [
            {
                "posting_id": real[inp.provisional_id],
                "rule": flag.rule,
                "phrase": flag.phrase[:200],
                "start": flag.start,
                "end": flag.end,
                "law": flag.law[:300],
            }
            for inp, (_row, draft, _s) in new_items
            for flag in draft.flags
        ]
        if flags:
            session.execute(insert(table_of(PostingFlag)), flags)
        if self.options.tag and new_items:
            ingest_hook(
                session, [(real[inp.provisional_id], draft) for inp, (_row, draft, _s) in new_items]
            )
        if self.options.on_new_postings is not None and new_items:
            self.options.on_new_postings(
                session,
                [(real[inp.provisional_id], draft) for inp, (_row, draft, _s) in new_items],
            )

    def _reject(self, session: Session, rejects: list[RowError]) -> None:
        if not rejects:
            return
        self.report.rejected += len(rejects)
        for error in rejects:
            if len(self.report.errors) < 1000:
                self.report.errors.append(error)
            if self.writer is not None:
                self.writer.write(error)
        session.execute(
            insert(table_of(RejectedRow)),
            [
                {
                    "import_run_id": self.report.run_id,
                    "row_number": e.row_number,
                    "field": e.field,
                    "reason": e.reason,
                    "raw": dict(e.raw),
                }
                for e in rejects
            ],
        )

    def _record_counts(self, session: Session) -> None:
        r = self.report
        session.execute(
            update(ImportRun)
            .where(ImportRun.id == r.run_id)
            .values(
                rows_read=r.read,
                rows_stored=r.stored,
                rows_unchanged=r.unchanged,
                rows_duplicate=r.duplicates,
                rows_rejected=r.rejected,
            )
        )


T = TypeVar("T")
KEY_CHUNK = 256
"""Keys per ``IN (…)`` lookup. Every list is padded to exactly this many (or
``BAND_CHUNK``) values, so each lookup is one statement text, compiled once and reused,
rather than a new statement per batch size (SQLAlchemy renders one placeholder per
value, and the SQLite driver caches each distinct text with its compiled program)."""
BAND_CHUNK = 1024


def padded_chunks(values: Sequence[T], size: int) -> Iterator[list[T]]:
    """``values`` in lists of exactly ``size``, the last padded by repeating its first
    value (harmless inside ``IN``). Nothing for no values."""
    for start in range(0, len(values), size):
        chunk = list(values[start : start + size])
        chunk.extend([chunk[0]] * (size - len(chunk)))
        yield chunk


def _ids_by_hash(session: Session, hashes: set[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for chunk in padded_chunks(sorted(hashes), KEY_CHUNK):
        rows = session.execute(
            select(Posting.content_hash, Posting.id).where(Posting.content_hash.in_(chunk))
        )
        found.update((content_hash, posting_id) for content_hash, posting_id in rows)
    return found


def _posting_values(
    draft: PostingDraft,
    inp: DedupInput,
    employers: Mapping[str, int],
    is_sample: bool,
    run_id: int,
) -> dict[str, object]:
    return {
        "title": draft.title,
        "employer_name": draft.employer_name,
        "organization_id": employers.get(draft.employer_name),
        "industry": draft.industry,
        "salary_text": draft.salary_text,
        "salary_min": draft.salary_min,
        "salary_max": draft.salary_max,
        "salary_months": draft.salary_months,
        "salary_negotiable": draft.salary_negotiable,
        "place_text": draft.place_text,
        "province_code": draft.province_code,
        "city_code": draft.city_code,
        "district_code": draft.district_code,
        "in_circle": draft.in_circle,
        "education_level": draft.education_level,
        "education_text": draft.education_text,
        "experience_min": draft.experience_min,
        "experience_max": draft.experience_max,
        "fresh_graduate": draft.fresh_graduate,
        "openings": draft.openings,
        "posted_on": draft.posted_on,
        "posted_month": draft.posted_month,
        "description": draft.description,
        "requirements": draft.requirements,
        "content_hash": inp.content_hash,
        "block_key": inp.block_key[:100],
        "fingerprint": to_signed64(inp.fingerprint),
        "attributes": draft.attributes or None,
        "flag_count": len(draft.flags),
        "is_sample": is_sample,
        "import_run_id": run_id,
        "created_at": utcnow(),
    }
