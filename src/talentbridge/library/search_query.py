"""Query analysis for the library search: terms inside a query and their expansions.

A query is segmented with :func:`segment_text` (the same function as the documents).
Term-base terms are found *inside* the query by two matchers: the term tagger's
dictionary matcher (``term_tagging.term_extractor``: Chinese without word boundaries,
abbreviations such as B/L) and a matcher over segmented token sequences (English with
stemming: "bills of lading" finds "bill of lading"). Each matched concept expands to its
preferred and admitted terms in every language; the term the user typed weighs 1.0
(even a deprecated one: the user typed it), other preferred terms 0.8, admitted 0.6;
deprecated terms are expanded from but never to.

The plan is a weighted OR of alternatives: the whole query (all its tokens), each
expansion term (a phrase of its tokens), and, for longer queries, each remaining token
at a low weight. Backends turn the token groups into their own query syntax, so no
user text ever reaches a MATCH or tsquery expression unquoted.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from talentbridge.library.segment import segment_text
from talentbridge.library.term_tagging import term_extractor
from talentbridge.library.termbase import WEIGHT_ADMITTED, WEIGHT_PREFERRED, WEIGHT_QUERY, normalize
from talentbridge.store.library_tables import Term

WEIGHT_WHOLE = 1.0  # the whole query, all tokens
WEIGHT_TOKEN = 0.3  # one leftover token of a longer query
MAX_ALTERNATIVES = 16
MAX_QUERY_CHARS = 300
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Tokens that alone say nothing about a resource (after segmentation and stemming).
STOP_TOKENS = frozenset((
    "a", "an", "and", "are", "as", "at", "be", "by", "for", "from", "in", "into", "is", "it",
    "of", "on", "or", "the", "to", "with", "的", "和", "与", "及", "或", "在", "是", "了", "对",
    "中", "等", "示例", "sample",
))  # fmt: skip


@dataclass(frozen=True)
class TermRow:
    term_id: int
    concept_id: int
    lang: str
    text: str
    status: str
    tokens: tuple[str, ...]


@dataclass(frozen=True)
class Alternative:
    """One OR branch: ``tokens`` all present (as a phrase when ``phrase``)."""

    tokens: tuple[str, ...]
    phrase: bool
    weight: float
    label: str  # shown as what matched
    concept_id: int | None = None
    expansion: bool = True  # a term-base term (not the query itself or one of its tokens)


@dataclass
class QueryPlan:
    query: str
    tokens: tuple[str, ...]
    alternatives: list[Alternative] = field(default_factory=list)
    concept_weights: dict[int, float] = field(default_factory=dict)  # for the tag boost
    typed: dict[int, list[TermRow]] = field(default_factory=dict)  # concept -> typed terms
    dictionary: TermDictionary | None = None

    @property
    def expanded(self) -> tuple[str, ...]:
        return tuple(a.label for a in self.alternatives if a.concept_id is not None and a.expansion)


@dataclass
class TermDictionary:
    """Every term of the term base, by concept and by its segmented token sequence."""

    by_concept: dict[int, list[TermRow]]
    by_tokens: dict[tuple[str, ...], list[TermRow]]
    by_normalized: dict[str, list[TermRow]]
    longest: int


_cache: dict[tuple[object, ...], TermDictionary] = {}
_lock = threading.Lock()


def term_dictionary(session: Session) -> TermDictionary:
    """The store's term base as a dictionary (cached per term-base state)."""
    count, top = session.execute(select(func.count(Term.id), func.max(Term.id))).one()
    key = (str(session.get_bind().engine.url), count, top)
    with _lock:
        found = _cache.get(key)
        if found is not None:
            return found
    by_concept: dict[int, list[TermRow]] = {}
    by_tokens: dict[tuple[str, ...], list[TermRow]] = {}
    by_normalized: dict[str, list[TermRow]] = {}
    longest = 1
    query = select(
        Term.id, Term.term_concept_id, Term.lang, Term.text, Term.status, Term.normalized
    ).order_by(Term.term_concept_id, Term.lang, Term.position)
    for term_id, concept_id, lang, text, status, normalized in session.execute(query):
        tokens = tuple(segment_text(text).split())
        if not tokens:
            continue
        row = TermRow(term_id, concept_id, lang, text, status, tokens)
        by_concept.setdefault(concept_id, []).append(row)
        by_normalized.setdefault(normalized, []).append(row)
        if not _CJK.search(text):  # token sequences for spaced scripts only
            by_tokens.setdefault(tokens, []).append(row)
            longest = max(longest, len(tokens))
    dictionary = TermDictionary(by_concept, by_tokens, by_normalized, longest)
    with _lock:
        _cache.clear()
        _cache[key] = dictionary
    return dictionary


def _typed_terms(
    session: Session, query: str, tokens: list[str], dictionary: TermDictionary
) -> dict[int, list[TermRow]]:
    """Concepts whose terms occur inside the query, with the terms as typed."""
    typed: dict[int, list[TermRow]] = {}

    def add(row: TermRow) -> None:
        rows = typed.setdefault(row.concept_id, [])
        if row not in rows:
            rows.append(row)

    if dictionary.by_concept:
        for hit in term_extractor(session).extract(query).hits:
            surface = normalize(hit.surface)
            rows = [
                r
                for r in dictionary.by_normalized.get(surface, [])
                if r.concept_id == hit.concept_id
            ]
            if not rows:  # matched a folded variant: take the concept's terms of that form
                seq = tuple(segment_text(hit.surface).split())
                rows = [r for r in dictionary.by_concept.get(hit.concept_id, []) if r.tokens == seq]
            for row in rows or dictionary.by_concept.get(hit.concept_id, [])[:1]:
                add(row)
    # Token sequences: longest first, not overlapping (English inflections, stems).
    position = 0
    while position < len(tokens):
        for size in range(min(dictionary.longest, len(tokens) - position), 0, -1):
            sequence = dictionary.by_tokens.get(tuple(tokens[position : position + size]))
            if sequence:
                for row in sequence:
                    add(row)
                position += size
                break
        else:
            position += 1
    return typed


def plan_query(session: Session, query: str, *, expand: bool = True) -> QueryPlan:
    """Analyse ``query`` into weighted alternatives (see the module docstring)."""
    query = (query or "")[:MAX_QUERY_CHARS]
    tokens = segment_text(query).split()
    unique = tuple(dict.fromkeys(tokens))
    plan = QueryPlan(query=query, tokens=unique)
    if not unique:
        return plan
    seen: dict[tuple[tuple[str, ...], bool], int] = {}

    def add(alternative: Alternative) -> None:
        key = (alternative.tokens, alternative.phrase)
        index = seen.get(key)
        if index is None:
            seen[key] = len(plan.alternatives)
            plan.alternatives.append(alternative)
        elif plan.alternatives[index].weight < alternative.weight:
            plan.alternatives[index] = alternative

    whole = Alternative(unique, False, WEIGHT_WHOLE, query.strip(), expansion=False)
    covered: set[str] = set()
    if expand:
        dictionary = plan.dictionary = term_dictionary(session)
        plan.typed = _typed_terms(session, query, tokens, dictionary)
        # A query that is one term: the whole query is that term's own alternative (one
        # group with the concept, whichever language).
        for concept_id, typed in plan.typed.items():
            if any(set(row.tokens) == set(unique) for row in typed):
                whole = Alternative(unique, False, WEIGHT_WHOLE, whole.label, concept_id, False)
                break
    add(whole)
    for concept_id, typed in plan.typed.items():
        plan.concept_weights[concept_id] = WEIGHT_QUERY
        for row in typed:
            covered.update(row.tokens)
            if whole.concept_id != concept_id or set(row.tokens) != set(unique):
                add(_alternative(row, WEIGHT_QUERY))
        for row in plan.dictionary.by_concept.get(concept_id, []) if plan.dictionary else []:
            if row.status == "preferred":
                add(_alternative(row, WEIGHT_PREFERRED))
            elif row.status == "admitted":
                add(_alternative(row, WEIGHT_ADMITTED))
    if len(unique) > 1:
        for token in unique:
            if token in covered or token in STOP_TOKENS or (_CJK.match(token) and len(token) < 2):
                continue
            add(Alternative((token,), False, WEIGHT_TOKEN, token, expansion=False))
    plan.alternatives.sort(key=lambda a: -a.weight)
    del plan.alternatives[MAX_ALTERNATIVES:]
    return plan


def _alternative(row: TermRow, weight: float) -> Alternative:
    phrase = len(row.tokens) > 1 and not _CJK.search(row.text)
    return Alternative(row.tokens, phrase, weight, row.text, row.concept_id)
