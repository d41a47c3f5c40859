"""The store behind the matching evaluation: the 51job postings and our written profiles.

``build_eval_store(directory)`` makes a fresh SQLite store in ``directory`` through the
real code paths, as a college and a job board would fill it:

* the whole MOE 2021 major catalog (``../shared/data/majors``) and the bundled majors,
  occupations, 对口 links and skill taxonomy, plus our 对口 links for the catalog majors
  the bundled table lacks (``benchmarks/matching_eval/major_occupations.csv``);
* one evaluation college offering every profile's major (organization and offering
  files through the registry importers);
* the profiles: a generated student file through ``matching.profiles.import_profiles``,
  then skills, certificates, languages, experiences and the wish through
  ``matching.profile_edit`` (as the college's platform administrator). A free-text skill
  that is not a taxonomy label is read with the taxonomy extractor (its concepts are
  added); one that names no concept is left out (``EvalStore.unresolved``);
* the 51job file through ``pipeline.postings.import_postings`` with tagging (skills and
  occupation per posting), as the demo does.

Each posting is found again by its row in the file (``posting_source``); the profile
keys (``P01``…) are the student numbers.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.accounts.policy import Principal, Role
from talentbridge.config import load_settings
from talentbridge.matching.concept_refs import HOLDABLE_KINDS, ConceptResolver
from talentbridge.matching.profile_edit import (
    ExperienceInput,
    WishInput,
    add_concepts,
    add_experience,
    set_wish,
)
from talentbridge.matching.profiles import import_profiles
from talentbridge.pipeline.columns import unwrap_cell
from talentbridge.pipeline.postings import import_postings
from talentbridge.pipeline.readers import read_table, sha256_of
from talentbridge.registry.offerings import import_college_majors
from talentbridge.registry.organizations import import_organizations
from talentbridge.store.engine import create_engine_for, session_factory, transaction
from talentbridge.store.migrate import upgrade
from talentbridge.store.tables import Concept, Occupation, PostingSource, Profile
from talentbridge.taxonomy.concepts import load_bundled_taxonomy
from talentbridge.taxonomy.extractor import extractor_for
from talentbridge.taxonomy.majors import import_major_catalog, load_bundled_majors
from talentbridge.taxonomy.occupations import import_major_occupations, load_bundled_occupations

ROOT = Path(__file__).resolve().parents[1]
EVAL_DIR = ROOT / "benchmarks" / "matching_eval"
PROFILES = EVAL_DIR / "profiles.jsonl"
LABELS = EVAL_DIR / "labels.jsonl"
POOLS = EVAL_DIR / "pools.jsonl"
LINKS = EVAL_DIR / "major_occupations.csv"
SHARED = ROOT.parent / "shared" / "data"
POSTINGS = SHARED / "postings" / "51job-bigdata-2019.csv"
CATALOG = SHARED / "majors" / "vocational-major-catalog-2021.csv"
REFERENCE = dt.date(2019, 9, 15)  # the postings' time: "now" for the profiles
COLLEGE = "EVAL-C01"
TITLE_COLUMN = "职位"


def title_sha1(title_cell: str) -> str:
    """The drift check of a label: SHA-1 of the title cell as unwrapped, 12 hex digits."""
    return hashlib.sha1(unwrap_cell(title_cell).encode("utf-8")).hexdigest()[:12]


def read_rows(path: Path = POSTINGS) -> dict[int, dict[str, str]]:
    """The posting file's rows by row number (header = 1), cells unwrapped."""
    with read_table(path) as table:
        return {
            row.row_number: {k: unwrap_cell(v) for k, v in row.values.items()}
            for row in table
            if row.error is None
        }


def load_profiles(path: Path = PROFILES) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@dataclass
class EvalStore:
    factory: sessionmaker[Session]
    posting_of_row: dict[int, int]  # file row -> posting id (duplicates share one)
    profile_of_key: dict[str, int]  # P01 -> profile id
    unresolved: dict[str, list[str]] = field(default_factory=dict)  # key -> skill texts
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def row_of_posting(self) -> dict[int, int]:
        """Posting id -> the first file row it came from."""
        out: dict[int, int] = {}
        for row, posting in sorted(self.posting_of_row.items()):
            out.setdefault(posting, row)
        return out

    @property
    def key_of_profile(self) -> dict[int, str]:
        return {pid: key for key, pid in self.profile_of_key.items()}


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _reference_files(directory: Path, profiles: list[dict[str, object]]) -> dict[str, Path]:
    files = directory / "files"
    files.mkdir(parents=True, exist_ok=True)
    orgs = _write_csv(
        files / "organizations.csv",
        ["code", "kind", "name_zh", "name_en", "city", "district", "address", "is_sample"],
        [[COLLEGE, "college", "评测职业技术学院", "Evaluation College", "成都", "", "", "是"]],
    )
    majors = sorted({(str(p["level"]), str(p["major_code"])) for p in profiles})
    offers = _write_csv(
        files / "college_majors.csv",
        ["college_code", "major_level", "major_code", "direction_zh", "direction_en", "start_year"],
        [[COLLEGE, level, code, "", "", "2015"] for level, code in majors],
    )
    students = _write_csv(
        files / "students.csv",
        ["college_code", "student_no", "name", "major_level", "major_code", "graduation_year",
         "visible_to_employers", "source"],
        [
            [COLLEGE, str(p["id"]), f"评测{p['id']}", str(p["level"]), str(p["major_code"]),
             str(p["graduation_year"]), "是", "sample"]
            for p in profiles
        ],
    )  # fmt: skip
    return {"organizations": orgs, "college_majors": offers, "students": students}


def _concepts_of(
    session: Session, resolver: ConceptResolver, texts: list[str]
) -> tuple[dict[str, list[int]], list[str]]:
    """Concept ids per group for free-text labels: an exact label, else the extractor."""
    kind_group = {"certificate": "certificates", "language": "languages"}
    extractor = extractor_for(session)
    found: dict[str, list[int]] = defaultdict(list)
    missing: list[str] = []
    for text in texts:
        ids: list[int] = []
        exact = resolver.resolve(text, HOLDABLE_KINDS)
        if exact.concept_id is not None:
            ids = [exact.concept_id]
        else:
            ids = [cid for cid, hit in extractor.concepts(text).items() if not hit.negated]
        kinds = dict(
            session.execute(select(Concept.id, Concept.kind).where(Concept.id.in_(ids)))
            .tuples()
            .all()
        )
        taken = [cid for cid in ids if kinds.get(cid) in HOLDABLE_KINDS]
        if not taken:
            missing.append(text)
        for cid in taken:
            group = kind_group.get(kinds[cid], "skills")
            if cid not in found[group]:
                found[group].append(cid)
    return found, missing


def _month(text: object) -> dt.date | None:
    if not text:
        return None
    year, month = str(text).split("-")
    return dt.date(int(year), int(month), 1)


def _summary(p: dict[str, object]) -> str:
    """The free text a student writes about themself: description, wished jobs, skills."""
    wish = p["wishes"]
    parts = [
        str(p["summary"]),
        "求职意向：" + "、".join(wish["occupations"]),  # type: ignore[index]
        "技能：" + "、".join(p["skills"]),  # type: ignore[arg-type]
    ]
    if p["certificates"]:
        parts.append("证书：" + "、".join(p["certificates"]))  # type: ignore[arg-type]
    if p["languages"]:
        parts.append("语言：" + "、".join(p["languages"]))  # type: ignore[arg-type]
    return "\n".join(parts)


def _fill_profiles(
    factory: sessionmaker[Session], profiles: list[dict[str, object]], ids: dict[str, int]
) -> dict[str, list[str]]:
    admin = Principal(user_id=0, role=Role.PLATFORM_ADMIN, organization_id=None)
    unresolved: dict[str, list[str]] = {}
    with transaction(factory) as session:
        resolver = ConceptResolver(session)
        occupation_ids = dict(
            session.execute(select(Occupation.code, Occupation.id)).tuples().all()
        )
        for p in profiles:
            key, pid = str(p["id"]), ids[str(p["id"])]
            texts = [*p["skills"], *p["certificates"], *p["languages"]]  # type: ignore[misc]
            groups, missing = _concepts_of(session, resolver, texts)
            if missing:
                unresolved[key] = missing
            for group, concept_ids in groups.items():
                add_concepts(
                    session, admin, profile_id=pid, group=group, refs=concept_ids, source="self"
                )
            for e in p["experiences"]:  # type: ignore[attr-defined]
                add_experience(
                    session,
                    admin,
                    profile_id=pid,
                    experience=ExperienceInput(
                        kind=e["kind"],
                        organization_name=e["organization"],
                        title=e["title"],
                        start_on=_month(e["start"]),
                        end_on=_month(e["end"]),
                        description=e["description"],
                    ),
                )
            wish = p["wishes"]
            set_wish(
                session,
                admin,
                profile_id=pid,
                wish=WishInput(
                    city_codes=tuple(wish["city_codes"]),  # type: ignore[index]
                    salary_min=wish["salary_min"],  # type: ignore[index]
                    occupation_ids=tuple(
                        occupation_ids[c]
                        for c in wish["occupation_codes"]  # type: ignore[index]
                    ),
                    willing_to_relocate=bool(wish["willing_to_relocate"]),  # type: ignore[index]
                    summary=_summary(p),
                ),
            )
    return unresolved


def build_eval_store(directory: Path, *, postings: Path = POSTINGS) -> EvalStore:
    """A fresh store in ``directory`` (which must not hold one) with everything loaded."""
    import time

    directory.mkdir(parents=True, exist_ok=True)
    db = directory / "talentbridge.db"
    if db.exists():
        raise FileExistsError(f"{db} exists; give an empty directory")
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(directory)})
    engine = create_engine_for(settings)
    factory = session_factory(engine)
    profiles = load_profiles()
    timings: dict[str, float] = {}
    start = time.perf_counter()
    upgrade(engine)
    rejects = directory / "rejects"
    import_major_catalog(factory, CATALOG, rejects_dir=rejects, rejects_beside_input=False)
    load_bundled_majors(factory)
    load_bundled_occupations(factory)
    import_major_occupations(factory, LINKS, rejects_dir=rejects, rejects_beside_input=False)
    load_bundled_taxonomy(factory)
    files = _reference_files(directory, profiles)
    import_organizations(factory, files["organizations"], rejects_dir=rejects)
    import_college_majors(factory, files["college_majors"], rejects_dir=rejects)
    report = import_profiles(factory, files["students"], rejects_dir=rejects)
    if report.rejected:
        raise RuntimeError(f"profiles rejected: {report.summary()}")
    with factory() as session:
        ids = {
            no: pid
            for no, pid in session.execute(select(Profile.student_no, Profile.id)).tuples().all()
        }
    timings["reference_and_profiles"] = time.perf_counter() - start
    start = time.perf_counter()
    import_postings(
        factory,
        postings,
        source="51job",
        reference=REFERENCE,
        rejects_dir=rejects,
        rejects_beside_input=False,
    )
    timings["postings"] = time.perf_counter() - start
    unresolved = _fill_profiles(factory, profiles, ids)
    digest = sha256_of(postings)
    with factory() as session:
        rows = dict(
            session.execute(
                select(PostingSource.row_number, PostingSource.posting_id).where(
                    PostingSource.file_sha256 == digest
                )
            )
            .tuples()
            .all()
        )
    return EvalStore(factory, rows, ids, unresolved, timings)


def open_eval_store(directory: Path, *, postings: Path = POSTINGS) -> EvalStore:
    """An evaluation store built earlier in ``directory`` (no rebuild)."""
    settings = load_settings({"TALENTBRIDGE_DATA_DIR": str(directory)})
    factory = session_factory(create_engine_for(settings))
    digest = sha256_of(postings)
    with factory() as session:
        ids = dict(session.execute(select(Profile.student_no, Profile.id)).tuples().all())
        rows = dict(
            session.execute(
                select(PostingSource.row_number, PostingSource.posting_id).where(
                    PostingSource.file_sha256 == digest
                )
            )
            .tuples()
            .all()
        )
    return EvalStore(factory, rows, ids)
