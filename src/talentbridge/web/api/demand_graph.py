"""The skill graph in the JSON API: ``GET /demand/graph`` (nodes, edges, clusters and
the parameters used) and ``GET /demand/graph.graphml`` (the same graph as GraphML).

Whoever may open the demand area may read it (``require_area("demand")``); the graph
holds aggregates only. ``graph_params`` is shared with the ``/demand/graph`` page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session
from starlette.responses import Response

from talentbridge.accounts.policy import Principal
from talentbridge.analytics import graph as skill_graphs
from talentbridge.analytics.graph import SkillGraph
from talentbridge.taxonomy.concepts import KINDS
from talentbridge.web.deps import SessionDep, require_area

router = APIRouter(tags=["demand"])

GRAPHML = "application/graphml+xml"


@dataclass(frozen=True)
class GraphParams:
    region: str
    years: tuple[str, ...]  # empty: every year
    min_pair: int
    min_npmi: float
    max_nodes: int
    kinds: tuple[str, ...]  # empty: every kind

    def build(self, session: Session) -> SkillGraph:
        return skill_graphs.skill_graph(
            session,
            region=self.region,
            years=list(self.years) or None,
            min_pair=self.min_pair,
            min_npmi=self.min_npmi,
            max_nodes=self.max_nodes,
            kinds=list(self.kinds) or None,
        )

    def file_stem(self) -> str:
        return "-".join(["skill-graph", self.region, *self.years])


def graph_params(
    region: Annotated[str, Query(pattern="^(all|circle)$", description="all or circle")] = "all",
    year: Annotated[
        list[str] | None,
        Query(description="YYYY, repeatable; none means every year (empty values are ignored)"),
    ] = None,
    min_pair: Annotated[
        int, Query(ge=1, le=1_000_000, description="least postings naming both skills")
    ] = skill_graphs.DEFAULT_MIN_PAIR,
    min_npmi: Annotated[
        float, Query(ge=0.0, le=1.0, description="least normalized PMI of an edge")
    ] = skill_graphs.DEFAULT_MIN_NPMI,
    max_nodes: Annotated[
        int, Query(ge=1, le=skill_graphs.MAX_NODES_LIMIT, description="most skills shown")
    ] = skill_graphs.DEFAULT_MAX_NODES,
    kind: Annotated[
        list[str] | None,
        Query(description=f"concept kinds, repeatable ({', '.join(KINDS)}); none: every leaf kind"),
    ] = None,
) -> GraphParams:
    """Query parameters of the skill graph (the page and both API answers)."""
    years = sorted({y.strip() for y in year or () if y.strip()})
    kinds = sorted({k for k in kind or () if k})  # checked by skill_graph
    return GraphParams(region, tuple(years), min_pair, min_npmi, max_nodes, tuple(kinds))


ParamsDep = Annotated[GraphParams, Depends(graph_params)]
DemandReader = Annotated[Principal, Depends(require_area("demand"))]


# --- bodies ------------------------------------------------------------------------------


class NodeOut(BaseModel):
    concept_id: int
    key: str
    kind: str
    label_zh: str
    label_en: str
    postings: int = Field(description="postings naming the concept in the selected years")
    share: float = Field(description="postings / all postings of the selected years")
    cluster: int = Field(description="id of the node's cluster")
    degree: int


class EdgeOut(BaseModel):
    source: int = Field(description="concept id (the smaller one)")
    target: int = Field(description="concept id")
    n: int = Field(description="postings naming both")
    pmi: float = Field(description="pointwise mutual information, natural log")
    npmi: float = Field(description="normalized PMI in [-1, 1]")


class ClusterOut(BaseModel):
    id: int
    name_zh: str
    name_en: str
    concept_ids: list[int] = Field(description="members, most frequent first")
    size: int
    postings: int = Field(description="estimated postings naming at least one member")
    share: float
    latest_year: str
    previous_year: str | None
    postings_latest: int
    postings_previous: int | None
    share_latest: float
    share_previous: float | None
    growth: float | None = Field(description="share_latest / share_previous - 1")
    z: float | None = Field(description="two-proportion z statistic of the share change")


class GraphOut(BaseModel):
    region: str
    years: list[str]
    postings: int = Field(description="postings in the selected years (N)")
    parameters: dict[str, Any]
    nodes: list[NodeOut]
    edges: list[EdgeOut]
    clusters: list[ClusterOut]


# --- endpoints ---------------------------------------------------------------------------


@router.get("/demand/graph", response_model=GraphOut, summary="The skill co-occurrence graph")
def demand_graph(params: ParamsDep, _p: DemandReader, session: SessionDep) -> GraphOut:
    """Skills as nodes, co-occurrence in postings as edges weighted by PMI and NPMI
    (thresholded by ``min_pair`` and ``min_npmi``), clusters by Louvain community
    detection named by their top skills, with each cluster's share and growth."""
    return GraphOut.model_validate(params.build(session).to_json())


@router.get(
    "/demand/graph.graphml",
    summary="The skill graph as GraphML",
    response_class=Response,
    responses={200: {"content": {GRAPHML: {}}}},
)
def demand_graph_graphml(params: ParamsDep, _p: DemandReader, session: SessionDep) -> Response:
    """The same graph as ``/demand/graph`` as a GraphML file (labels, counts and
    cluster as node attributes; n, PMI and NPMI as edge attributes)."""
    body = params.build(session).to_graphml()
    filename = f"{params.file_stem()}.graphml"
    return Response(
        body,
        media_type=GRAPHML,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(filename)}"},
    )
