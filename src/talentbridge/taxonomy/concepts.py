"""The skill taxonomy model: read, validate, install, export and list concepts.

A taxonomy file (CSV or XLSX, one row per concept) has the columns of ``COLUMNS``;
lists inside a cell (aliases, abbreviations, occupation codes, majors) are separated by
``|``. Our bundled taxonomy, a college's own list and our export all use this format.

Installing is all or nothing: a file with duplicate ids, an unknown parent, a cycle in
the hierarchy, a missing label or a label shared by two concepts is refused with the
exact rows named, and the stored taxonomy is left as it was.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from talentbridge.errors import Conflict, TalentBridgeError
from talentbridge.pipeline.readers import read_table
from talentbridge.registry.exports import write_table
from talentbridge.store.tables import (
    Concept,
    ConceptLabel,
    ConceptMajor,
    ConceptOccupation,
    Major,
    Occupation,
    Taxonomy,
)

COLUMNS = (
    "id", "kind", "parent", "label_zh", "label_en", "aliases_zh", "aliases_en",
    "abbreviations", "occupations", "majors", "description_zh", "description_en",
)  # fmt: skip
KINDS = ("cluster", "group", "skill", "knowledge", "tool", "certificate", "language", "soft_skill")
LEAF_KINDS = frozenset(KINDS[2:])
BUNDLED_CODE = "talentbridge"
BUNDLED_VERSION = "2026.11"
BUNDLED_FILE = Path(__file__).parent / "data" / "skills.csv"


@dataclass(frozen=True)
class Problem:
    row_number: int
    field: str | None
    reason: str

    def describe(self) -> str:
        where = f"row {self.row_number}" + (f", column {self.field}" if self.field else "")
        return f"{where}: {self.reason}"


class TaxonomyInvalid(TalentBridgeError):
    """A taxonomy file was refused; ``problems`` names every offending row."""

    def __init__(self, source: object, problems: Sequence[Problem]) -> None:
        shown = "; ".join(p.describe() for p in problems[:10])
        more = f" (and {len(problems) - 10} more)" if len(problems) > 10 else ""
        super().__init__(f"{source}: taxonomy refused, nothing changed: {shown}{more}")
        self.problems = list(problems)


@dataclass(frozen=True)
class ConceptSpec:
    key: str
    kind: str
    label_zh: str = ""
    label_en: str = ""
    parent: str = ""
    aliases_zh: tuple[str, ...] = ()
    aliases_en: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    occupations: tuple[str, ...] = ()
    majors: tuple[str, ...] = ()
    description_zh: str = ""
    description_en: str = ""
    row_number: int = 0

    def labels(self) -> list[tuple[str, str, str]]:
        """(lang, text, label_type) of every surface form, preferred labels first."""
        out: list[tuple[str, str, str]] = []
        if self.label_zh:
            out.append(("zh", self.label_zh, "preferred"))
        if self.label_en:
            out.append(("en", self.label_en, "preferred"))
        out += [("zh", a, "alias") for a in self.aliases_zh]
        out += [("en", a, "alias") for a in self.aliases_en]
        out += [("any", a, "abbreviation") for a in self.abbreviations]
        return out


def _split(cell: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(part.strip() for part in cell.split("|") if part.strip()))


def read_taxonomy_file(path: Path) -> list[ConceptSpec]:
    """Read concepts from a CSV/XLSX file in the ``COLUMNS`` format (not yet validated)."""
    specs: list[ConceptSpec] = []
    with read_table(Path(path)) as table:
        table.require("id", "kind")
        for row in table:
            specs.append(
                ConceptSpec(
                    key=row.get("id"),
                    kind=row.get("kind").lower(),
                    parent=row.get("parent"),
                    label_zh=row.get("label_zh"),
                    label_en=row.get("label_en"),
                    aliases_zh=_split(row.get("aliases_zh")),
                    aliases_en=_split(row.get("aliases_en")),
                    abbreviations=_split(row.get("abbreviations")),
                    occupations=_split(row.get("occupations")),
                    majors=_split(row.get("majors")),
                    description_zh=row.get("description_zh"),
                    description_en=row.get("description_en"),
                    row_number=row.row_number,
                )
            )
    return specs


def validate(specs: Sequence[ConceptSpec], *, hierarchy: bool = True) -> list[Problem]:
    """Every problem that would make the taxonomy unusable, with its row.

    ``hierarchy`` checks the cluster → group → leaf shape of our own format; imported
    taxonomies such as ESCO have their own shapes and skip it.
    """
    problems: list[Problem] = []
    by_key: dict[str, ConceptSpec] = {}
    for spec in specs:
        if not spec.key:
            problems.append(Problem(spec.row_number, "id", "id is empty"))
            continue
        if spec.key in by_key:
            first = by_key[spec.key].row_number
            problems.append(
                Problem(spec.row_number, "id", f"duplicate id {spec.key!r} (first on row {first})")
            )
            continue
        by_key[spec.key] = spec
        if spec.kind not in KINDS:
            problems.append(Problem(spec.row_number, "kind", f"unknown kind {spec.kind!r}"))
        if not spec.label_zh and not spec.label_en:
            problems.append(Problem(spec.row_number, "label_zh", "no label in either language"))
    for spec in by_key.values():
        if spec.parent and spec.parent not in by_key:
            problems.append(
                Problem(spec.row_number, "parent", f"parent {spec.parent!r} does not exist")
            )
        elif hierarchy and spec.kind in KINDS:
            parent_kind = by_key[spec.parent].kind if spec.parent else ""
            wanted = {"cluster": ("",), "group": ("cluster", "group")}.get(
                spec.kind, ("group", "cluster")
            )
            if parent_kind not in wanted:
                problems.append(
                    Problem(
                        spec.row_number, "parent",
                        f"a {spec.kind} cannot sit under {parent_kind or 'nothing'}",
                    )
                )  # fmt: skip
    problems += _cycles(by_key)
    problems += _shared_labels(by_key.values())
    return sorted(problems, key=lambda p: (p.row_number, p.field or ""))


def _cycles(by_key: dict[str, ConceptSpec]) -> list[Problem]:
    problems: list[Problem] = []
    reported: set[str] = set()
    for start in by_key:
        seen: list[str] = []
        key = start
        while key and key in by_key and key not in seen:
            seen.append(key)
            key = by_key[key].parent
        if key and key in seen:
            cycle = seen[seen.index(key) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                rows = ", ".join(str(by_key[k].row_number) for k in cycle)
                problems.append(
                    Problem(
                        by_key[key].row_number, "parent",
                        f"cycle in the hierarchy: {' → '.join([*cycle, key])} (rows {rows})",
                    )
                )  # fmt: skip
    return problems


def label_key(text: str) -> str:
    """How labels are compared for clashes: case-insensitive, inner spaces collapsed."""
    return " ".join(text.lower().split())


def _shared_labels(specs: Iterable[ConceptSpec]) -> list[Problem]:
    owner: dict[str, ConceptSpec] = {}
    problems: list[Problem] = []
    for spec in specs:
        for _lang, text, _type in spec.labels():
            key = label_key(text)
            other = owner.setdefault(key, spec)
            if other.key != spec.key:
                problems.append(
                    Problem(
                        spec.row_number, "label",
                        f"label {text!r} also belongs to {other.key!r} (row {other.row_number})",
                    )
                )  # fmt: skip
    return problems


def content_sha256(specs: Sequence[ConceptSpec]) -> str:
    digest = hashlib.sha256()
    for spec in sorted(specs, key=lambda s: s.key):
        digest.update(repr({**spec.__dict__, "row_number": 0}).encode())
    return digest.hexdigest()


@dataclass
class InstallReport:
    taxonomy_id: int
    code: str
    version: str
    concepts: int
    labels: int
    unchanged: bool = False
    warnings: list[str] = field(default_factory=list)

    def summary(self) -> str:
        state = "unchanged" if self.unchanged else "installed"
        text = f"taxonomy {self.code}@{self.version} {state}: {self.concepts} concepts, {self.labels} labels"
        if self.warnings:
            text += f"; {len(self.warnings)} warnings"
        return text


def install_taxonomy(
    factory: sessionmaker[Session],
    specs: Sequence[ConceptSpec],
    *,
    code: str,
    version: str,
    name: str,
    source: str | None = None,
    hierarchy: bool = True,
    origin: object = "taxonomy",
) -> InstallReport:
    """Validate and store a taxonomy version in one transaction (or refuse it whole).

    Installing the same code and version with the same content changes nothing; the
    same version with other content is refused (give it a new version).
    """
    problems = validate(specs, hierarchy=hierarchy)
    if problems:
        raise TaxonomyInvalid(origin, problems)
    sha = content_sha256(specs)
    with factory() as session:
        existing = session.scalar(
            select(Taxonomy).where(Taxonomy.code == code, Taxonomy.version == version)
        )
        if existing is not None:
            if existing.content_sha256 != sha:
                raise Conflict(
                    f"taxonomy {code}@{version} is already installed with other content; "
                    "install it under a new version"
                )
            count = len(
                session.scalars(select(Concept.id).where(Concept.taxonomy_id == existing.id)).all()
            )
            return InstallReport(existing.id, code, version, count, 0, unchanged=True)
        report = _insert(
            session, specs, code=code, version=version, name=name, source=source, sha=sha
        )
        session.commit()
        return report


def _insert(
    session: Session,
    specs: Sequence[ConceptSpec],
    *,
    code: str,
    version: str,
    name: str,
    source: str | None,
    sha: str,
) -> InstallReport:
    for older in session.scalars(select(Taxonomy).where(Taxonomy.code == code)):
        older.is_active = False
    taxonomy = Taxonomy(code=code, version=version, name=name, source=source, content_sha256=sha)
    session.add(taxonomy)
    session.flush()
    ids = list(
        session.scalars(
            insert(Concept).returning(Concept.id, sort_by_parameter_order=True),
            [
                {
                    "taxonomy_id": taxonomy.id, "key": s.key, "kind": s.kind,
                    "label_zh": s.label_zh or None, "label_en": s.label_en or None,
                    "description_zh": s.description_zh or None,
                    "description_en": s.description_en or None, "status": "active",
                }
                for s in specs
            ],
        )
    )  # fmt: skip
    id_of = {s.key: concept_id for s, concept_id in zip(specs, ids, strict=True)}
    for spec in specs:
        if spec.parent:
            session.execute(
                update(Concept)
                .where(Concept.id == id_of[spec.key])
                .values(parent_id=id_of[spec.parent])
            )
    labels = [
        {"concept_id": id_of[s.key], "lang": lang, "text": text, "label_type": kind}
        for s in specs
        for lang, text, kind in s.labels()
    ]
    if labels:
        session.execute(insert(ConceptLabel), labels)
    warnings = _links(session, specs, id_of)
    return InstallReport(taxonomy.id, code, version, len(specs), len(labels), warnings=warnings)


def _links(session: Session, specs: Sequence[ConceptSpec], id_of: dict[str, int]) -> list[str]:
    occupations = {
        code: occ_id for code, occ_id in session.execute(select(Occupation.code, Occupation.id))
    }
    majors = {
        f"{level}:{code}": major_id
        for level, code, major_id in session.execute(select(Major.level, Major.code, Major.id))
    }
    warnings: list[str] = []
    occ_rows, major_rows = [], []
    for spec in specs:
        for occ in spec.occupations:
            if occ in occupations:
                occ_rows.append({"concept_id": id_of[spec.key], "occupation_id": occupations[occ]})
            else:
                warnings.append(f"row {spec.row_number}: occupation {occ} is not in the store")
        for major in spec.majors:
            if major in majors:
                major_rows.append({"concept_id": id_of[spec.key], "major_id": majors[major]})
            else:
                warnings.append(f"row {spec.row_number}: major {major} is not in the store")
    if occ_rows:
        session.execute(insert(ConceptOccupation), occ_rows)
    if major_rows:
        session.execute(insert(ConceptMajor), major_rows)
    return warnings


def import_taxonomy_file(
    factory: sessionmaker[Session], path: Path, *, code: str, version: str, name: str | None = None
) -> InstallReport:
    """Install a taxonomy from a CSV/XLSX file in our format (a college's own list)."""
    specs = read_taxonomy_file(path)
    return install_taxonomy(
        factory, specs, code=code, version=version, name=name or code, source=str(path), origin=path
    )


def load_bundled_taxonomy(factory: sessionmaker[Session]) -> InstallReport:
    """Install our bundled international-logistics and trade taxonomy."""
    return install_taxonomy(
        factory,
        read_taxonomy_file(BUNDLED_FILE),
        code=BUNDLED_CODE,
        version=BUNDLED_VERSION,
        name="TalentBridge 国际物流与贸易技能分类 / international logistics and trade skills",
        source="bundled",
        origin=BUNDLED_FILE.name,
    )


def specs_of(session: Session, taxonomy_id: int) -> list[ConceptSpec]:
    """The stored taxonomy as specs again (for export and re-validation)."""
    concepts = session.scalars(
        select(Concept).where(Concept.taxonomy_id == taxonomy_id).order_by(Concept.id)
    ).all()
    key_of = {c.id: c.key for c in concepts}
    labels: dict[int, list[ConceptLabel]] = {}
    for label in session.scalars(
        select(ConceptLabel).where(ConceptLabel.concept_id.in_(key_of)).order_by(ConceptLabel.id)
    ):
        labels.setdefault(label.concept_id, []).append(label)
    occupations: dict[int, list[str]] = {}
    for concept_id, occ in session.execute(
        select(ConceptOccupation.concept_id, Occupation.code)
        .join(Occupation, Occupation.id == ConceptOccupation.occupation_id)
        .where(ConceptOccupation.concept_id.in_(key_of))
    ):
        occupations.setdefault(concept_id, []).append(occ)
    majors: dict[int, list[str]] = {}
    for concept_id, level, code in session.execute(
        select(ConceptMajor.concept_id, Major.level, Major.code)
        .join(Major, Major.id == ConceptMajor.major_id)
        .where(ConceptMajor.concept_id.in_(key_of))
    ):
        majors.setdefault(concept_id, []).append(f"{level}:{code}")

    def texts(concept_id: int, lang: str, kind: str) -> tuple[str, ...]:
        return tuple(
            lab.text for lab in labels.get(concept_id, [])
            if lab.lang == lang and lab.label_type == kind
        )  # fmt: skip

    return [
        ConceptSpec(
            key=c.key, kind=c.kind, parent=key_of.get(c.parent_id or 0, ""),
            label_zh=c.label_zh or "", label_en=c.label_en or "",
            aliases_zh=texts(c.id, "zh", "alias"), aliases_en=texts(c.id, "en", "alias"),
            abbreviations=texts(c.id, "any", "abbreviation"),
            occupations=tuple(sorted(occupations.get(c.id, []))),
            majors=tuple(sorted(majors.get(c.id, []))),
            description_zh=c.description_zh or "", description_en=c.description_en or "",
        )
        for c in concepts
    ]  # fmt: skip


def export_taxonomy(session: Session, taxonomy_id: int, path: Path) -> int:
    """Write a stored taxonomy as CSV or XLSX (by suffix) in the import format."""
    specs = specs_of(session, taxonomy_id)
    rows = [
        {
            "id": s.key, "kind": s.kind, "parent": s.parent, "label_zh": s.label_zh,
            "label_en": s.label_en, "aliases_zh": "|".join(s.aliases_zh),
            "aliases_en": "|".join(s.aliases_en), "abbreviations": "|".join(s.abbreviations),
            "occupations": "|".join(s.occupations), "majors": "|".join(s.majors),
            "description_zh": s.description_zh, "description_en": s.description_en,
        }
        for s in specs
    ]  # fmt: skip
    write_table(Path(path), list(COLUMNS), rows)
    return len(rows)


def next_version(version: str) -> str:
    """The version a local change of ``version`` is installed as: ``2026.11`` →
    ``2026.11-local.1`` → ``2026.11-local.2``."""
    base, _, n = version.partition("-local.")
    return f"{base}-local.{int(n or 0) + 1}"


def active_taxonomies(session: Session) -> list[Taxonomy]:
    return list(session.scalars(select(Taxonomy).where(Taxonomy.is_active).order_by(Taxonomy.id)))


def version_tag(taxonomies: Sequence[Taxonomy]) -> str:
    """What extractions record: e.g. ``talentbridge@2026.11+esco@1.2``."""
    return "+".join(f"{t.code}@{t.version}" for t in taxonomies)[:80]


def remove_taxonomy(factory: sessionmaker[Session], taxonomy_id: int) -> None:
    with factory() as session:
        session.execute(delete(Taxonomy).where(Taxonomy.id == taxonomy_id))
        session.commit()
