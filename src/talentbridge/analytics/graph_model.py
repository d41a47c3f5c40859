"""The skill graph's records (nodes, edges, clusters, the graph) and its exports, JSON
and GraphML. Built by ``analytics.graph.skill_graph``; see that module for the method."""

from __future__ import annotations

import io
from dataclasses import asdict, dataclass, field
from typing import Any

import networkx as nx


@dataclass(frozen=True)
class Node:
    concept_id: int
    key: str
    kind: str
    label_zh: str
    label_en: str
    postings: int  # postings naming the concept in the selected years
    share: float  # postings / N
    cluster: int  # Cluster.id
    degree: int  # edges kept

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_zh


@dataclass(frozen=True)
class Edge:
    source: int  # concept id, source < target
    target: int
    n: int  # postings naming both
    pmi: float
    npmi: float


@dataclass(frozen=True)
class Cluster:
    """A community of skills; see the module docstring for how postings are estimated."""

    id: int  # 1 = the cluster with the most postings
    name_zh: str
    name_en: str
    concept_ids: tuple[int, ...]  # most frequent first
    size: int
    postings: int  # estimated postings naming at least one member, selected years
    share: float  # postings / N
    latest_year: str
    previous_year: str | None  # the year before the latest selected one, if it has data
    postings_latest: int
    postings_previous: int | None
    share_latest: float
    share_previous: float | None
    growth: float | None  # share_latest / share_previous − 1
    z: float | None  # two-proportion z statistic of share_latest vs share_previous

    def name(self, lang: str) -> str:
        return self.name_en if lang == "en" else self.name_zh


@dataclass(frozen=True)
class SkillGraph:
    region: str
    years: tuple[str, ...]
    postings: int  # N: postings in the selected years
    nodes: tuple[Node, ...]  # most frequent first
    edges: tuple[Edge, ...]  # by (source, target)
    clusters: tuple[Cluster, ...]  # by id
    parameters: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """Nodes, edges, clusters and the parameters that produced them (JSON-ready)."""
        return {
            "region": self.region,
            "years": list(self.years),
            "postings": self.postings,
            "parameters": dict(self.parameters),
            "nodes": [asdict(n) for n in self.nodes],
            "edges": [asdict(e) for e in self.edges],
            "clusters": [asdict(c) | {"concept_ids": list(c.concept_ids)} for c in self.clusters],
        }

    def to_networkx(self) -> nx.Graph:
        """The graph with labels, counts and cluster as node attributes."""
        names = {c.id: c for c in self.clusters}
        graph = nx.Graph(
            region=self.region,
            years=",".join(self.years),
            postings=self.postings,
            min_pair=int(self.parameters.get("min_pair", 0)),
            min_npmi=float(self.parameters.get("min_npmi", 0.0)),
        )
        for n in self.nodes:
            cluster = names[n.cluster]
            graph.add_node(
                n.concept_id,
                label=n.label_zh,
                label_zh=n.label_zh,
                label_en=n.label_en,
                key=n.key,
                kind=n.kind,
                postings=n.postings,
                share=n.share,
                degree=n.degree,
                cluster=n.cluster,
                cluster_name_zh=cluster.name_zh,
                cluster_name_en=cluster.name_en,
            )
        for e in self.edges:
            graph.add_edge(e.source, e.target, n=e.n, pmi=e.pmi, npmi=e.npmi, weight=e.npmi)
        return graph

    def to_graphml(self) -> bytes:
        """The graph as GraphML (UTF-8), for Gephi, Cytoscape or networkx."""
        buffer = io.BytesIO()
        nx.write_graphml(self.to_networkx(), buffer, encoding="utf-8")
        return buffer.getvalue()
