"""Occupations (in the style of 国家职业分类大典 2022) and the 对口 major → occupation relation.

Both are importable from CSV/XLSX and ship as small bundled tables
(``taxonomy/data/occupations.csv``, ``taxonomy/data/major_occupations.csv``); the
relation is also editable one link at a time.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import NotFound, TalentBridgeError
from talentbridge.pipeline.readers import SourceRow
from talentbridge.pipeline.runs import ImportRecorder, ImportReport, Progress, run_import
from talentbridge.store.tables import Major, MajorOccupation, Occupation
from talentbridge.taxonomy.majors import CATALOG, bundled_path, parse_level

OCCUPATION_COLUMNS = ("code", "name_zh", "name_en", "group_code", "description")
LINK_COLUMNS = ("major_level", "major_code", "occupation_code", "strength")
STRENGTHS = ("primary", "related")
_CODE = re.compile(r"^\d-\d{2}-\d{2}-\d{2}$")
_GROUP = re.compile(r"^\d-\d{2}(-\d{2})?$")
_STRENGTH_WORDS = {"primary": "primary", "related": "related", "主要": "primary", "相关": "related"}


def _text_or_none(value: str) -> str | None:
    return value or None


def _process_occupations(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    existing = {o.code: o for o in session.scalars(select(Occupation))}
    seen: dict[str, SourceRow] = {}
    for row in rows:
        code = row.get("code")
        if not _CODE.match(code):
            rec.reject(row, "code", f"code {code!r} is not of the form 4-02-06-03")
            continue
        name_zh = row.get("name_zh")
        if not name_zh or len(name_zh) > 100:
            rec.reject(row, "name_zh", "Chinese name is empty or longer than 100 characters")
            continue
        group = row.get("group_code") or code.rsplit("-", 1)[0]
        if not _GROUP.match(group) or not code.startswith(group + "-"):
            rec.reject(row, "group_code", f"group {group!r} does not contain code {code}")
            continue
        wanted: dict[str, object] = {
            "name_zh": name_zh,
            "name_en": _text_or_none(row.get("name_en")),
            "group_code": group,
            "description": _text_or_none(row.get("description")),
        }
        if code in seen:
            if seen[code].values == row.values:
                rec.duplicate()
            else:
                rec.reject(
                    row, "code", f"duplicate code {code}; row {seen[code].row_number} has it"
                )
            continue
        seen[code] = row
        occupation = existing.get(code)
        if occupation is None:
            session.add(Occupation(code=code, import_run_id=rec.run_id, **wanted))
            rec.stored()
            continue
        changed = [k for k, v in wanted.items() if getattr(occupation, k) != v]
        for key in changed:
            setattr(occupation, key, wanted[key])
        if changed:
            occupation.import_run_id = rec.run_id
            rec.stored()
        else:
            rec.unchanged()


def import_occupations(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
    rejects_beside_input: bool = True,
) -> ImportReport:
    """Import occupations (columns code, name_zh, name_en, group_code, description)."""
    return run_import(
        factory,
        path,
        kind="occupations",
        required=("code", "name_zh"),
        process=_process_occupations,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
        rejects_beside_input=rejects_beside_input,
    )


def _process_links(session: Session, rows: Iterator[SourceRow], rec: ImportRecorder) -> None:
    majors = {
        (m.level, m.code): m for m in session.scalars(select(Major).where(Major.catalog == CATALOG))
    }
    occupations = {o.code: o for o in session.scalars(select(Occupation))}
    links = {
        (link.major_id, link.occupation_id): link
        for link in session.scalars(select(MajorOccupation))
    }
    seen: dict[tuple[int, int], SourceRow] = {}
    for row in rows:
        level = parse_level(row.get("major_level"))
        if level is None:
            rec.reject(row, "major_level", f"unknown level {row.get('major_level')!r}")
            continue
        major = majors.get((level, row.get("major_code").upper()))
        if major is None:
            rec.reject(
                row, "major_code", f"unknown major {row.get('major_code')!r} at level {level}"
            )
            continue
        if major.item_level != "major":
            rec.reject(row, "major_code", f"{major.code} is a {major.item_level}, not a major")
            continue
        occupation = occupations.get(row.get("occupation_code"))
        if occupation is None:
            rec.reject(row, "occupation_code", f"unknown occupation {row.get('occupation_code')!r}")
            continue
        strength = _STRENGTH_WORDS.get(row.get("strength").lower() or "primary")
        if strength is None:
            rec.reject(
                row, "strength", f"strength must be primary or related, not {row.get('strength')!r}"
            )
            continue
        key = (major.id, occupation.id)
        if key in seen:
            if seen[key].values == row.values:
                rec.duplicate()
            else:
                rec.reject(row, "occupation_code", f"link repeats row {seen[key].row_number}")
            continue
        seen[key] = row
        link = links.get(key)
        if link is None:
            link = MajorOccupation(
                major_id=major.id,
                occupation_id=occupation.id,
                strength=strength,
                import_run_id=rec.run_id,
            )
            session.add(link)
            links[key] = link
            rec.stored()
        elif link.strength != strength:
            link.strength = strength
            link.import_run_id = rec.run_id
            rec.stored()
        else:
            rec.unchanged()


def import_major_occupations(
    factory: sessionmaker[Session],
    path: Path,
    *,
    user_id: int | None = None,
    rejects_dir: Path | None = None,
    progress: Progress | None = None,
    rejects_beside_input: bool = True,
) -> ImportReport:
    """Import 对口 links (major_level, major_code, occupation_code, strength)."""
    return run_import(
        factory,
        path,
        kind="major_occupations",
        required=("major_level", "major_code", "occupation_code"),
        process=_process_links,
        user_id=user_id,
        rejects_dir=rejects_dir,
        progress=progress,
        rejects_beside_input=rejects_beside_input,
    )


def load_bundled_occupations(
    factory: sessionmaker[Session], *, user_id: int | None = None
) -> tuple[ImportReport, ImportReport]:
    """Load the bundled occupations and the bundled 对口 links (majors must be loaded)."""
    occupations = import_occupations(
        factory, bundled_path("occupations.csv"), user_id=user_id, rejects_beside_input=False
    )
    links = import_major_occupations(
        factory, bundled_path("major_occupations.csv"), user_id=user_id, rejects_beside_input=False
    )
    return occupations, links


def find_occupation(session: Session, code: str) -> Occupation | None:
    return session.scalar(select(Occupation).where(Occupation.code == code.strip()))


def list_occupations(session: Session) -> list[Occupation]:
    return list(session.scalars(select(Occupation).order_by(Occupation.code)))


def related_occupations(
    session: Session, major_id: int, *, strength: str | None = None
) -> list[Occupation]:
    """The occupations a major prepares for, primary ones first, then by code."""
    query = (
        select(Occupation, MajorOccupation.strength)
        .join(MajorOccupation, MajorOccupation.occupation_id == Occupation.id)
        .where(MajorOccupation.major_id == major_id)
    )
    if strength is not None:
        query = query.where(MajorOccupation.strength == strength)
    rows = session.execute(query).all()
    rank = {name: i for i, name in enumerate(STRENGTHS)}
    ordered = sorted(rows, key=lambda r: (rank.get(r[1], 9), r[0].code))
    return [occupation for occupation, _ in ordered]


def is_related(session: Session, major_id: int, occupation_id: int) -> bool:
    """Whether ``occupation_id`` is 对口 for ``major_id`` (primary or related)."""
    return session.get(MajorOccupation, (major_id, occupation_id)) is not None


def link_major_occupation(
    session: Session, major_id: int, occupation_id: int, strength: str = "primary"
) -> MajorOccupation:
    """Add or update one 对口 link (flushed, not committed)."""
    if strength not in STRENGTHS:
        raise TalentBridgeError(f"strength must be primary or related, not {strength!r}")
    if session.get(Major, major_id) is None:
        raise NotFound(f"major {major_id} not found")
    if session.get(Occupation, occupation_id) is None:
        raise NotFound(f"occupation {occupation_id} not found")
    link = session.get(MajorOccupation, (major_id, occupation_id))
    if link is None:
        link = MajorOccupation(major_id=major_id, occupation_id=occupation_id, strength=strength)
        session.add(link)
    else:
        link.strength = strength
    session.flush()
    return link


def unlink_major_occupation(session: Session, major_id: int, occupation_id: int) -> bool:
    """Remove one 对口 link; False when there was none (flushed, not committed)."""
    link = session.get(MajorOccupation, (major_id, occupation_id))
    if link is None:
        return False
    session.delete(link)
    session.flush()
    return True


def occupation_export_row(occupation: Occupation) -> dict[str, str]:
    return {
        "code": occupation.code,
        "name_zh": occupation.name_zh,
        "name_en": occupation.name_en or "",
        "group_code": occupation.group_code or "",
        "description": occupation.description or "",
    }
