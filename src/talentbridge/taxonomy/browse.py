"""Read queries over the taxonomy for the web UI and the API: the concept tree, one
concept with its labels, links and posting counts, search by any label in either
language, the stored versions, candidate phrases, and extraction of any text.

Concepts are addressed by key (``tb.customs.hs``): a taxonomy edit installs a new
version with new row ids, so counts over tagged postings join on the key and the
taxonomy code, and cover every version that tagged them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, case, func, or_, select
from sqlalchemy.orm import Session, aliased

from talentbridge.errors import NotFound
from talentbridge.store.tables import (
    CandidatePhrase,
    Concept,
    ConceptLabel,
    ConceptMajor,
    ConceptOccupation,
    Major,
    Occupation,
    Posting,
    PostingConcept,
    Taxonomy,
)
from talentbridge.taxonomy.concepts import BUNDLED_CODE
from talentbridge.taxonomy.tagging import tagger_for

MAX_GROWTH = 10.0
MAX_DEPTH = 50


@dataclass(frozen=True)
class ConceptBrief:
    key: str
    kind: str
    label_zh: str
    label_en: str
    taxonomy: str  # the taxonomy code

    def label(self, lang: str) -> str:
        first, second = (
            (self.label_en, self.label_zh) if lang == "en" else (self.label_zh, self.label_en)
        )
        return first or second or self.key


@dataclass
class TreeNode:
    concept: ConceptBrief
    children: list[TreeNode] = field(default_factory=list)


@dataclass(frozen=True)
class LabelView:
    lang: str  # zh | en | any
    text: str
    label_type: str  # preferred | alias | abbreviation


@dataclass(frozen=True)
class OccupationRef:
    code: str
    name_zh: str
    name_en: str | None


@dataclass(frozen=True)
class MajorRef:
    level: str
    code: str
    name_zh: str
    name_en: str | None


@dataclass(frozen=True)
class VersionView:
    id: int
    code: str
    version: str
    name: str
    source: str | None
    is_active: bool
    created_at: dt.datetime
    concepts: int

    @classmethod
    def of(cls, t: Taxonomy, concepts: int) -> VersionView:
        return cls(t.id, t.code, t.version, t.name, t.source, t.is_active, t.created_at, concepts)


@dataclass(frozen=True)
class ConceptDetail:
    concept: ConceptBrief
    taxonomy_version: str
    description_zh: str
    description_en: str
    labels: list[LabelView]
    path: list[ConceptBrief]  # ancestors, root first
    children: list[ConceptBrief]
    occupations: list[OccupationRef]
    majors: list[MajorRef]
    postings: int
    co_occurring: list[tuple[ConceptBrief, int]]


def _brief(concept: Concept, code: str) -> ConceptBrief:
    return ConceptBrief(
        concept.key, concept.kind, concept.label_zh or "", concept.label_en or "", code
    )


# --- versions and the tree ---------------------------------------------------------------


def taxonomy_versions(session: Session) -> list[VersionView]:
    """Every stored taxonomy version, newest first, with its concept count."""
    counts: dict[int, int] = {
        taxonomy_id: int(n)
        for taxonomy_id, n in session.execute(
            select(Concept.taxonomy_id, func.count()).group_by(Concept.taxonomy_id)
        )
    }
    taxonomies = session.scalars(select(Taxonomy).order_by(Taxonomy.id.desc()))
    return [VersionView.of(t, counts.get(t.id, 0)) for t in taxonomies]


def _active(session: Session, code: str | None) -> Taxonomy | None:
    active = list(session.scalars(select(Taxonomy).where(Taxonomy.is_active).order_by(Taxonomy.id)))
    for wanted in (code, BUNDLED_CODE):
        for taxonomy in active:
            if taxonomy.code == wanted:
                return taxonomy
    return active[0] if active else None


def concept_tree(
    session: Session, code: str | None = None
) -> tuple[VersionView | None, list[TreeNode]]:
    """The active version of taxonomy ``code`` (ours by default) as a forest."""
    taxonomy = _active(session, code)
    if taxonomy is None:
        return None, []
    concepts = list(
        session.scalars(
            select(Concept).where(Concept.taxonomy_id == taxonomy.id).order_by(Concept.id)
        )
    )
    nodes = {c.id: TreeNode(_brief(c, taxonomy.code)) for c in concepts}
    roots: list[TreeNode] = []
    for c in concepts:
        parent = nodes.get(c.parent_id) if c.parent_id is not None else None
        (parent.children if parent is not None else roots).append(nodes[c.id])
    return VersionView.of(taxonomy, len(concepts)), roots


# --- search ------------------------------------------------------------------------------


def _search_conditions(q: str | None, kind: str | None) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = [Taxonomy.is_active.is_(True)]
    if q and q.strip():
        needle = " ".join(q.split()).lower()
        matching = select(ConceptLabel.concept_id).where(
            func.lower(ConceptLabel.text).contains(needle, autoescape=True)
        )
        conditions.append(
            or_(Concept.id.in_(matching), func.lower(Concept.key).contains(needle, autoescape=True))
        )
    if kind:
        conditions.append(Concept.kind == kind)
    return conditions


def search_concepts(
    session: Session, q: str | None, *, kind: str | None = None, limit: int = 20, offset: int = 0
) -> tuple[int, list[ConceptBrief]]:
    """Active concepts with a label (any language, any type) or key containing ``q``;
    exact preferred labels first. Returns (total, one page)."""
    conditions = _search_conditions(q, kind)
    total = session.scalar(
        select(func.count()).select_from(Concept).join(Taxonomy).where(*conditions)
    )
    needle = " ".join((q or "").split()).lower()
    exact = case(
        (func.lower(Concept.label_zh) == needle, 0),
        (func.lower(Concept.label_en) == needle, 0),
        else_=1,
    )
    rows = session.execute(
        select(Concept, Taxonomy.code)
        .join(Taxonomy)
        .where(*conditions)
        .order_by(exact, func.length(Concept.key), Concept.key)
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total or 0), [_brief(c, code) for c, code in rows]


def concept_choices(
    session: Session, *, kinds: Sequence[str] = (), limit: int = 3000
) -> list[ConceptBrief]:
    """Active concepts (of ``kinds``, or all) for a picker: a datalist of keys."""
    query = select(Concept, Taxonomy.code).join(Taxonomy).where(Taxonomy.is_active)
    if kinds:
        query = query.where(Concept.kind.in_(list(kinds)))
    rows = session.execute(query.order_by(Concept.key).limit(limit)).all()
    return [_brief(c, code) for c, code in rows]


# --- one concept ---------------------------------------------------------------------------


def _active_concept(session: Session, key: str) -> tuple[Concept, Taxonomy]:
    row = session.execute(
        select(Concept, Taxonomy)
        .join(Taxonomy)
        .where(Concept.key == key, Taxonomy.is_active)
        .order_by(Taxonomy.id)
        .limit(1)
    ).first()
    if row is None:
        raise NotFound(f"no concept {key!r} in an active taxonomy")
    return row[0], row[1]


def briefs_by_key(session: Session, keys: Iterable[str]) -> dict[str, ConceptBrief]:
    wanted = list(set(keys))
    if not wanted:
        return {}
    rows = session.execute(
        select(Concept, Taxonomy.code)
        .join(Taxonomy)
        .where(Concept.key.in_(wanted), Taxonomy.is_active)
    ).all()
    return {c.key: _brief(c, code) for c, code in rows}


def briefs_by_id(session: Session, ids: Iterable[int]) -> dict[int, ConceptBrief]:
    wanted = list(set(ids))
    if not wanted:
        return {}
    rows = session.execute(
        select(Concept, Taxonomy.code).join(Taxonomy).where(Concept.id.in_(wanted))
    ).all()
    return {c.id: _brief(c, code) for c, code in rows}


def _posting_count(session: Session, key: str, code: str) -> int:
    return int(
        session.scalar(
            select(func.count(func.distinct(PostingConcept.posting_id)))
            .join(Concept, Concept.id == PostingConcept.concept_id)
            .join(Taxonomy, Taxonomy.id == Concept.taxonomy_id)
            .where(Concept.key == key, Taxonomy.code == code)
        )
        or 0
    )


def _co_occurring(
    session: Session, key: str, code: str, limit: int
) -> list[tuple[ConceptBrief, int]]:
    mine, other = aliased(PostingConcept), aliased(PostingConcept)
    mine_c, other_c = aliased(Concept), aliased(Concept)
    n = func.count(func.distinct(other.posting_id))
    rows = session.execute(
        select(other_c.key, n)
        .select_from(mine)
        .join(mine_c, mine_c.id == mine.concept_id)
        .join(Taxonomy, Taxonomy.id == mine_c.taxonomy_id)
        .join(other, other.posting_id == mine.posting_id)
        .join(other_c, other_c.id == other.concept_id)
        .where(mine_c.key == key, Taxonomy.code == code, other_c.key != key)
        .where(mine.negated.is_(False), other.negated.is_(False))
        .group_by(other_c.key)
        .order_by(n.desc(), other_c.key)
        .limit(limit)
    ).all()
    briefs = briefs_by_key(session, [r[0] for r in rows])
    return [(briefs[k], int(count)) for k, count in rows if k in briefs]


def concept_detail(session: Session, key: str, *, co_occurring: int = 10) -> ConceptDetail:
    """One active concept: labels by language and type, parent path, children, linked
    occupations and majors, postings tagged with it and its frequent companions."""
    concept, taxonomy = _active_concept(session, key)
    labels = [
        LabelView(lab.lang, lab.text, lab.label_type)
        for lab in session.scalars(
            select(ConceptLabel)
            .where(ConceptLabel.concept_id == concept.id)
            .order_by(ConceptLabel.id)
        )
    ]
    path: list[ConceptBrief] = []  # validation keeps cycles out; the depth cap is a guard
    parent = session.get(Concept, concept.parent_id) if concept.parent_id else None
    while parent is not None and len(path) < MAX_DEPTH:
        path.insert(0, _brief(parent, taxonomy.code))
        parent = session.get(Concept, parent.parent_id) if parent.parent_id else None
    children = [
        _brief(c, taxonomy.code)
        for c in session.scalars(
            select(Concept).where(Concept.parent_id == concept.id).order_by(Concept.id)
        )
    ]
    occupations = [
        OccupationRef(code, zh, en)
        for code, zh, en in session.execute(
            select(Occupation.code, Occupation.name_zh, Occupation.name_en)
            .join(ConceptOccupation, ConceptOccupation.occupation_id == Occupation.id)
            .where(ConceptOccupation.concept_id == concept.id)
            .order_by(Occupation.code)
        )
    ]
    majors = [
        MajorRef(level, code, zh, en)
        for level, code, zh, en in session.execute(
            select(Major.level, Major.code, Major.name_zh, Major.name_en)
            .join(ConceptMajor, ConceptMajor.major_id == Major.id)
            .where(ConceptMajor.concept_id == concept.id)
            .order_by(Major.level, Major.code)
        )
    ]
    companions = _co_occurring(session, key, taxonomy.code, co_occurring) if co_occurring else []
    return ConceptDetail(
        _brief(concept, taxonomy.code), f"{taxonomy.code}@{taxonomy.version}",
        concept.description_zh or "", concept.description_en or "", labels, path, children,
        occupations, majors, _posting_count(session, key, taxonomy.code), companions,
    )  # fmt: skip


# --- candidate phrases --------------------------------------------------------------------


@dataclass(frozen=True)
class CandidateView:
    id: int
    phrase: str
    lang: str
    postings: int
    recent_postings: int
    growth: float  # recent share of postings ÷ earlier share (capped at 10)
    first_month: str | None
    last_month: str | None
    example: str
    status: str
    suggested: ConceptBrief | None = None  # from the optional semantic layer


def _month_minus(month: str, months: int) -> str:
    index = int(month[:4]) * 12 + int(month[5:7]) - 1 - months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def candidate_views(
    session: Session, *, status: str = "new", limit: int = 100, recent_months: int = 6
) -> list[CandidateView]:
    """Stored candidate phrases, most recent postings first, with their growth (the
    same measure as discovery: share of postings in the last ``recent_months`` months
    over the share before)."""
    rows = list(
        session.scalars(
            select(CandidatePhrase)
            .where(CandidatePhrase.status == status)
            .order_by(CandidatePhrase.recent_postings.desc(), CandidatePhrase.postings.desc(),
                      CandidatePhrase.phrase)
            .limit(limit)
        )
    )  # fmt: skip
    latest = session.scalar(select(func.max(Posting.posted_month)))
    total = int(session.scalar(select(func.count()).select_from(Posting)) or 0)
    recent_total = 0
    if latest:
        recent_from = _month_minus(latest, recent_months - 1)
        recent_total = int(
            session.scalar(
                select(func.count()).select_from(Posting).where(Posting.posted_month >= recent_from)
            )
            or 0
        )
    earlier_total = total - recent_total
    suggested = briefs_by_id(session, [r.suggested_concept_id or 0 for r in rows])
    views: list[CandidateView] = []
    for row in rows:
        recent_share = row.recent_postings / recent_total if recent_total else 0.0
        earlier = row.postings - row.recent_postings
        earlier_share = earlier / earlier_total if earlier_total else 0.0
        growth = min(MAX_GROWTH, recent_share / earlier_share) if earlier_share else (
            MAX_GROWTH if recent_share else 0.0
        )  # fmt: skip
        views.append(
            CandidateView(row.id, row.phrase, row.lang, row.postings, row.recent_postings,
                          round(growth, 2), row.first_month, row.last_month, row.example or "",
                          row.status, suggested.get(row.suggested_concept_id or 0))
        )  # fmt: skip
    return views


# --- any text -----------------------------------------------------------------------------


@dataclass(frozen=True)
class HitView:
    start: int
    end: int
    surface: str
    concept: ConceptBrief
    confidence: float
    strength: str
    negated: bool


@dataclass(frozen=True)
class OccupationGuessView:
    code: str
    name_zh: str
    name_en: str | None
    confidence: float


@dataclass(frozen=True)
class TextAnalysis:
    version: str
    reason: str | None  # empty | binary | truncated | error
    hits: list[HitView]
    occupation: OccupationGuessView | None


def analyze_text(session: Session, text: str, title: str = "") -> TextAnalysis:
    """Concepts in ``text`` (spans index it as given) and the occupation of ``title``
    plus the required concepts. Never raises on bad text: the reason says why."""
    tagger = tagger_for(session)
    extraction = tagger.extractor.extract(text)
    briefs = briefs_by_id(session, {h.concept_id for h in extraction.hits})
    hits = [
        HitView(
            h.start, h.end, h.surface, briefs[h.concept_id], h.confidence, h.strength, h.negated
        )
        for h in extraction.hits
        if h.concept_id in briefs
    ]
    required = [h.concept_id for h in extraction.hits if not h.negated and h.strength == "required"]
    guess = tagger.classifier.classify(title or "", required) if (title or required) else None
    occupation = session.get(Occupation, guess.occupation_id) if guess is not None else None
    return TextAnalysis(
        version=tagger.version,
        reason=extraction.reason,
        hits=hits,
        occupation=(
            OccupationGuessView(
                occupation.code, occupation.name_zh, occupation.name_en, guess.confidence
            )
            if occupation is not None and guess is not None
            else None
        ),
    )


@dataclass(frozen=True)
class Segment:
    text: str  # with hits, a highlighted span
    hits: Sequence[HitView] = ()

    @property
    def negated(self) -> bool:
        return any(h.negated for h in self.hits)

    @property
    def preferred(self) -> bool:
        return any(h.strength == "preferred" for h in self.hits)


def highlight(text: str, hits: Sequence[HitView]) -> list[Segment]:
    """``text`` cut into plain and highlighted segments (hits on one span together;
    a span overlapping an earlier one is left plain)."""
    spans: dict[tuple[int, int], list[HitView]] = defaultdict(list)
    for hit in hits:
        spans[(hit.start, hit.end)].append(hit)
    out: list[Segment] = []
    cursor = 0
    for (start, end), group in sorted(spans.items()):
        if start < cursor or end > len(text):
            continue
        if start > cursor:
            out.append(Segment(text[cursor:start]))
        out.append(Segment(text[start:end], group))
        cursor = end
    if cursor < len(text):
        out.append(Segment(text[cursor:]))
    return out
