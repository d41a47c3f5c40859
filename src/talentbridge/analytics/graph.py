"""The skill graph: skills as nodes, co-occurrence in postings as weighted edges,
clusters found by community detection and named by their top skills.

Everything comes from the demand cube (``store.demand_tables``), never from raw
postings, for one region (``all`` or ``circle``: the only regions the pair table keeps)
and a set of years:

* ``N`` = postings in those years (``demand_year``);
* ``n_a`` = postings naming concept ``a`` in those years (``demand_skill`` summed over
  the years' months; the same "not negated, once per posting" rule as the pairs);
* ``n_ab`` = postings naming both (``demand_skill_pair``).

An edge's PMI is ``log(n_ab·N / (n_a·n_b))`` and its normalized PMI (NPMI) is
``PMI / −log(n_ab/N)`` (1 when every posting names both), in [−1, 1]: 0 means the two
skills co-occur as often as chance predicts, 1 that they always appear together. Edges
need ``n_ab ≥ min_pair`` and ``NPMI ≥ min_npmi``.

Nodes: the ``2·max_nodes`` most frequent concepts of ``kinds`` (by default every leaf
kind: skills, knowledge, tools, certificates, languages and soft skills; the taxonomy's
``cluster`` and ``group`` headings are hubs that say little, so only on request) form a pool;
pairs are read only among the pool (a few index seeks, however large the pair table);
skills left without an edge are dropped, and the ``max_nodes`` most frequent of the rest
are kept. Communities come from Louvain (weight NPMI, fixed seed), so the same data
always gives the same graph.

A cluster's ``postings`` estimates the postings naming at least one of its skills: per
year the larger of its most frequent skill's count and ``Σn_c − Σn_cd`` over its skills
and their pairs (a lower bound by inclusion–exclusion), capped at that year's postings.
``growth`` compares the cluster's share of postings in the latest selected year with the
year before (``share_latest / share_previous − 1``) and ``z`` is the two-proportion test
statistic of that change; ``emerging_clusters`` picks the growing ones for the advice.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from typing import Any

import networkx as nx
from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from talentbridge.analytics.graph_model import Cluster, Edge, Node, SkillGraph
from talentbridge.analytics.regions import ALL, CIRCLE
from talentbridge.errors import TalentBridgeError
from talentbridge.store.demand_tables import DemandSkill, DemandSkillPair, DemandState, DemandYear
from talentbridge.store.tables import Concept
from talentbridge.taxonomy.browse import briefs_by_id
from talentbridge.taxonomy.concepts import KINDS, LEAF_KINDS

REGIONS = (ALL, CIRCLE)
DEFAULT_MIN_PAIR = 10
DEFAULT_MIN_NPMI = 0.1
DEFAULT_MAX_NODES = 60
MAX_NODES_LIMIT = 300
POOL_FACTOR = 2  # pairs are read among the 2·max_nodes most frequent concepts
SEED = 20_240_601  # Louvain seed: the same data gives the same clusters
NAME_SKILLS = 3  # a cluster is named by its three most frequent skills
DIGITS = 6  # PMI, NPMI and shares are rounded for stable output
CACHE_SIZE = 64  # graphs kept per process (each a few hundred kB at most)

_CACHE: OrderedDict[tuple[Any, ...], SkillGraph] = OrderedDict()
_CACHE_LOCK = threading.Lock()


__all__ = [
    "Cluster",
    "Edge",
    "GraphInputError",
    "Node",
    "SkillGraph",
    "clear_cache",
    "emerging_clusters",
    "graph_years",
    "pmi",
    "skill_graph",
]


class GraphInputError(TalentBridgeError):
    """A region, year or threshold the skill graph cannot be drawn for."""


# --- reading the cube ----------------------------------------------------------------------


def graph_years(session: Session, region: str = ALL) -> list[str]:
    """The years with postings in ``region``, oldest first (the year choices)."""
    return sorted(_year_totals(session, _region(region)))


def _region(region: str) -> str:
    if region not in REGIONS:
        raise GraphInputError(f"the skill graph is kept for regions all and circle, not {region!r}")
    return region


def _year_totals(session: Session, region: str) -> dict[str, int]:
    rows = session.execute(
        select(DemandYear.year, DemandYear.postings).where(
            DemandYear.region == region, DemandYear.postings > 0
        )
    )
    return {year: int(n) for year, n in rows}


def _skill_counts(
    session: Session, region: str, years: Iterable[str], kinds: Sequence[str]
) -> dict[int, dict[str, int]]:
    """concept id → {year: postings naming it} over ``years``.

    One pass in the primary key's order (region, concept, month): a sum per year by
    ``CASE`` rather than grouping by a computed year, which would need a sort.
    """
    wanted = sorted(set(years))
    month = DemandSkill.month
    sums = [
        func.sum(case((month.between(f"{y}-01", f"{y}-12"), DemandSkill.postings), else_=0))
        for y in wanted
    ]
    query = (
        select(DemandSkill.concept_id, *sums)
        .where(
            DemandSkill.region == region,
            month >= f"{wanted[0]}-01",
            month <= f"{wanted[-1]}-12",
        )
        .group_by(DemandSkill.concept_id)
    )
    if set(kinds) != set(KINDS):
        query = query.where(
            DemandSkill.concept_id.in_(select(Concept.id).where(Concept.kind.in_(list(kinds))))
        )
    out: dict[int, dict[str, int]] = {}
    for concept_id, *counts in session.connection().execute(query):
        found = {y: int(n) for y, n in zip(wanted, counts, strict=True) if n}
        if found:
            out[int(concept_id)] = found
    return out


def _pair_counts(
    session: Session, region: str, years: Iterable[str], ids: Sequence[int]
) -> dict[tuple[int, int], dict[str, int]]:
    """(a, b) → {year: postings naming both}, for pairs of concepts among ``ids``."""
    if len(ids) < 2:
        return {}
    pool = sorted(ids)
    rows = session.connection().execute(
        select(
            DemandSkillPair.year,
            DemandSkillPair.concept_a,
            DemandSkillPair.concept_b,
            DemandSkillPair.n,
        ).where(
            DemandSkillPair.region == region,
            DemandSkillPair.year.in_(sorted(set(years))),
            DemandSkillPair.concept_a.in_(pool[:-1]),
            # ``+ 0`` keeps SQLite from seeking every (a, b) of the pool in the index
            # (pool² seeks): it reads each a's pairs in order and filters b instead,
            # 2–4 times faster for pools of 300–600 on 100k pairs per year.
            (DemandSkillPair.concept_b + 0).in_(pool[1:]),
        )
    )
    out: dict[tuple[int, int], dict[str, int]] = {}
    for year, a, b, n in rows:
        if n:
            out.setdefault((int(a), int(b)), {})[year] = int(n)
    return out


# --- the graph -------------------------------------------------------------------------------


def pmi(n_ab: int, n_a: int, n_b: int, total: int) -> tuple[float, float]:
    """(PMI, NPMI) of a pair seen ``n_ab`` times among ``total`` postings (natural log)."""
    value = math.log(n_ab * total / (n_a * n_b))
    if n_ab >= total:
        return value, 1.0
    return value, value / -math.log(n_ab / total)


def skill_graph(
    session: Session,
    *,
    region: str = ALL,
    years: Sequence[str] | None = None,
    min_pair: int = DEFAULT_MIN_PAIR,
    min_npmi: float = DEFAULT_MIN_NPMI,
    max_nodes: int = DEFAULT_MAX_NODES,
    kinds: Sequence[str] | None = None,
) -> SkillGraph:
    """The skill co-occurrence graph of ``region`` over ``years`` (all years when None)
    among concepts of ``kinds`` (every leaf kind when None).

    Graphs are cached in the process per state of the cube (its version and refresh
    times, which every ``cube.refresh`` changes) and parameters: the first view after an
    import computes, the next ones are a dictionary look-up.

    Raises ``GraphInputError`` for a region other than ``all``/``circle``, a malformed
    year or thresholds out of range. A region or years without postings give an empty
    graph (no nodes), not an error.
    """
    region = _region(region)
    if min_pair < 1:
        raise GraphInputError("min_pair must be at least 1")
    if not 0.0 <= min_npmi <= 1.0:
        raise GraphInputError("min_npmi must be between 0 and 1")
    if not 1 <= max_nodes <= MAX_NODES_LIMIT:
        raise GraphInputError(f"max_nodes must be between 1 and {MAX_NODES_LIMIT}")
    for year in years or ():
        if len(year) != 4 or not year.isdigit():
            raise GraphInputError(f"a year is four digits, not {year!r}")
    wanted_kinds = sorted(set(kinds) if kinds else LEAF_KINDS)
    unknown = [k for k in wanted_kinds if k not in KINDS]
    if unknown:
        raise GraphInputError(f"unknown kind {unknown[0]!r}; use one of {', '.join(KINDS)}")
    picked = tuple(sorted(set(years))) if years else None
    stamp = _cube_stamp(session)
    if stamp is None:  # a cube never refreshed (filled by hand): nothing to key a cache on
        return _build(session, region, picked, min_pair, min_npmi, max_nodes, wanted_kinds)
    key = (stamp, (region, picked, min_pair, min_npmi, max_nodes, tuple(wanted_kinds)))
    with _CACHE_LOCK:
        found = _CACHE.get(key)
        if found is not None:
            _CACHE.move_to_end(key)
            return found
    graph = _build(session, region, picked, min_pair, min_npmi, max_nodes, wanted_kinds)
    with _CACHE_LOCK:
        _CACHE[key] = graph
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return graph


def _cube_stamp(session: Session) -> tuple[str, int, str, str] | None:
    """What identifies one state of one store's cube: its URL, version and refresh
    times; None before the first refresh."""
    state = session.execute(
        select(DemandState.version, DemandState.refreshed_at, DemandState.rebuilt_at).where(
            DemandState.id == 1
        )
    ).first()
    if state is None or state[1] is None:
        return None
    version, refreshed, rebuilt = state
    url = session.get_bind().engine.url.render_as_string(hide_password=True)
    return (url, int(version or 0), str(refreshed), str(rebuilt))


def clear_cache() -> None:
    """Forget every cached graph (benchmarks time the cold path with it)."""
    with _CACHE_LOCK:
        _CACHE.clear()


def _build(
    session: Session,
    region: str,
    years: tuple[str, ...] | None,
    min_pair: int,
    min_npmi: float,
    max_nodes: int,
    wanted_kinds: list[str],
) -> SkillGraph:
    totals = _year_totals(session, region)
    chosen = tuple(sorted(set(years) if years else totals))
    parameters: dict[str, Any] = {
        "region": region,
        "years": list(chosen),
        "min_pair": min_pair,
        "min_npmi": min_npmi,
        "max_nodes": max_nodes,
        "kinds": wanted_kinds,
        "pool": POOL_FACTOR * max_nodes,
        "seed": SEED,
        "weight": "npmi",
        "method": "louvain",
    }
    total = sum(totals.get(y, 0) for y in chosen)
    if not total:
        return SkillGraph(region, chosen, 0, (), (), (), parameters)
    latest = chosen[-1]
    previous = str(int(latest) - 1)
    previous_or_none = previous if totals.get(previous) else None
    needed = set(chosen) | ({previous} if previous_or_none else set())

    by_year = _skill_counts(session, region, needed, wanted_kinds)
    counts = {c: sum(ys.get(y, 0) for y in chosen) for c, ys in by_year.items()}
    ranked = sorted((c for c, n in counts.items() if n >= min_pair), key=lambda c: (-counts[c], c))
    pool = ranked[: POOL_FACTOR * max_nodes]
    pairs = _pair_counts(session, region, needed, pool)

    edges: dict[tuple[int, int], Edge] = {}
    for (a, b), ys in pairs.items():
        n_ab = sum(ys.get(y, 0) for y in chosen)
        if n_ab < min_pair:
            continue
        value, normalized = pmi(n_ab, counts[a], counts[b], total)
        if normalized >= min_npmi:
            edges[a, b] = Edge(a, b, n_ab, round(value, DIGITS), round(normalized, DIGITS))
    connected = {c for pair in edges for c in pair}
    kept = [c for c in pool if c in connected][:max_nodes]
    keep = set(kept)
    edges = {k: e for k, e in edges.items() if k[0] in keep and k[1] in keep}
    connected = {c for pair in edges for c in pair}
    kept = [c for c in kept if c in connected]
    parameters["pool_edges"] = len(pairs)

    communities = _communities(kept, edges.values())
    briefs = briefs_by_id(session, kept)
    labels = {
        c: (
            briefs[c].label("zh") if c in briefs else str(c),
            briefs[c].label("en") if c in briefs else str(c),
        )
        for c in kept
    }
    clusters = _clusters(
        communities, counts, by_year, pairs, totals, chosen, latest, previous_or_none, labels
    )
    cluster_of = {c: cluster.id for cluster in clusters for c in cluster.concept_ids}
    degree = dict.fromkeys(kept, 0)
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    nodes = tuple(
        Node(
            concept_id=c,
            key=briefs[c].key if c in briefs else str(c),
            kind=briefs[c].kind if c in briefs else "",
            label_zh=labels[c][0],
            label_en=labels[c][1],
            postings=counts[c],
            share=round(counts[c] / total, DIGITS),
            cluster=cluster_of[c],
            degree=degree[c],
        )
        for c in kept
    )
    return SkillGraph(
        region,
        chosen,
        total,
        nodes,
        tuple(edges[k] for k in sorted(edges)),
        tuple(clusters),
        parameters,
    )


def _communities(nodes: Sequence[int], edges: Iterable[Edge]) -> list[list[int]]:
    """Louvain communities (weight NPMI, fixed seed), each sorted; built in a fixed order."""
    graph = nx.Graph()
    graph.add_nodes_from(sorted(nodes))
    for e in sorted(edges, key=lambda e: (e.source, e.target)):
        graph.add_edge(e.source, e.target, weight=max(e.npmi, 1e-9))
    if not graph.number_of_nodes():
        return []
    found = nx.community.louvain_communities(graph, weight="weight", seed=SEED)
    return [sorted(group) for group in found]


def _estimate(
    members: Sequence[int],
    by_year: dict[int, dict[str, int]],
    pairs: dict[tuple[int, int], dict[str, int]],
    year: str,
    total: int,
) -> int:
    """Postings of ``year`` naming at least one member (inclusion–exclusion lower bound)."""
    singles = [by_year.get(c, {}).get(year, 0) for c in members]
    if not singles:
        return 0
    both = 0
    for i, a in enumerate(members):
        for b in members[i + 1 :]:
            key = (a, b) if a < b else (b, a)
            both += pairs.get(key, {}).get(year, 0)
    return min(total, max(max(singles), sum(singles) - both))


def _clusters(
    communities: list[list[int]],
    counts: dict[int, int],
    by_year: dict[int, dict[str, int]],
    pairs: dict[tuple[int, int], dict[str, int]],
    totals: dict[str, int],
    chosen: tuple[str, ...],
    latest: str,
    previous: str | None,
    labels: dict[int, tuple[str, str]],
) -> list[Cluster]:
    total = sum(totals.get(y, 0) for y in chosen)
    drafts = []
    for group in communities:
        members = sorted(group, key=lambda c: (-counts[c], c))
        per_year = {y: _estimate(members, by_year, pairs, y, totals.get(y, 0)) for y in chosen}
        drafts.append((sum(per_year.values()), members, per_year))
    drafts.sort(key=lambda d: (-d[0], min(d[1])))
    out = []
    for number, (postings, members, per_year) in enumerate(drafts, start=1):
        top = members[:NAME_SKILLS]
        latest_n = per_year[latest]
        share_latest = latest_n / totals[latest] if totals.get(latest) else 0.0
        previous_n = share_previous = growth = z = None
        if previous is not None:
            previous_n = _estimate(members, by_year, pairs, previous, totals[previous])
            share_previous = previous_n / totals[previous]
            if share_previous > 0:
                growth = round(share_latest / share_previous - 1, DIGITS)
            z = _z(latest_n, totals.get(latest, 0), previous_n, totals[previous])
        out.append(
            Cluster(
                id=number,
                name_zh="、".join(labels[c][0] for c in top),
                name_en=" / ".join(labels[c][1] for c in top),
                concept_ids=tuple(members),
                size=len(members),
                postings=postings,
                share=round(postings / total, DIGITS) if total else 0.0,
                latest_year=latest,
                previous_year=previous,
                postings_latest=latest_n,
                postings_previous=previous_n,
                share_latest=round(share_latest, DIGITS),
                share_previous=None if share_previous is None else round(share_previous, DIGITS),
                growth=growth,
                z=z,
            )
        )
    return out


def _z(x1: int, n1: int, x0: int, n0: int) -> float | None:
    """Two-proportion z statistic of x1/n1 against x0/n0 (pooled variance)."""
    if not n1 or not n0:
        return None
    pooled = (x1 + x0) / (n1 + n0)
    spread = math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n0))
    if spread == 0:
        return None
    return round((x1 / n1 - x0 / n0) / spread, 3)


# --- for the advice engine -------------------------------------------------------------------


def emerging_clusters(
    graph: SkillGraph,
    *,
    min_growth: float = 0.2,
    min_postings: int = 30,
    min_z: float = 1.96,
) -> list[Cluster]:
    """Clusters whose share of postings grew from the year before the latest selected
    year to that year: ``growth ≥ min_growth`` (0.2 = a fifth more of the postings),
    at least ``min_postings`` estimated postings in the latest year, and a change beyond
    noise (two-proportion ``z ≥ min_z``; 1.96 ≈ 5 % two-sided). Fastest growing first.

    The advice engine calls ``emerging_clusters(skill_graph(session, region=…))`` and
    reads ``Cluster.id, name_zh, name_en, concept_ids, postings, share, growth`` (plus
    ``postings_latest``, ``share_latest``, ``share_previous`` and ``z`` as evidence).
    A graph over a single year with no data the year before has no growth: no clusters.
    """
    found = [
        c
        for c in graph.clusters
        if c.growth is not None
        and c.growth >= min_growth
        and c.postings_latest >= min_postings
        and c.z is not None
        and c.z >= min_z
    ]
    return sorted(found, key=lambda c: (-(c.growth or 0.0), -c.postings_latest, c.id))
