"""The skill graph page, ``GET /demand/graph``: region, year and threshold controls, an
interactive plotly network (layout computed here with a seeded spring layout, drawn by
``static/charts.js``), the cluster table and GraphML/JSON downloads.

The graph itself comes from ``analytics.graph``; this module only lays it out and
renders it. Parameters are parsed by ``web.api.demand_graph.graph_params``, the same
as the API's, so the download links return exactly what the page shows.
"""

from __future__ import annotations

import json
import math
from typing import Any
from urllib.parse import urlencode

import networkx as nx
from fastapi import APIRouter, Request
from plotly.colors import qualitative
from starlette.responses import Response

from talentbridge.analytics.graph import SEED, SkillGraph, emerging_clusters, graph_years
from talentbridge.analytics.regions import parse_region
from talentbridge.taxonomy.concepts import LEAF_KINDS
from talentbridge.web.api.demand_graph import DemandReader, GraphParams, ParamsDep
from talentbridge.web.chart_text import plot_text
from talentbridge.web.deps import SessionDep
from talentbridge.web.i18n import Translator, load_catalogs, translator
from talentbridge.web.rendering import current_viewer, render, request_locale

router = APIRouter()

PALETTE = qualitative.Plotly + qualitative.D3[1::2]
LABELLED = 15  # the most frequent skills carry their name on the chart
# (least NPMI, line width, colour): stronger associations are drawn darker and thicker
EDGE_BANDS = (
    (0.5, 2.4, "rgba(80,80,80,0.55)"),
    (0.3, 1.3, "rgba(120,120,120,0.4)"),
    (-1.0, 0.6, "rgba(150,150,150,0.3)"),
)
MEMBERS_SHOWN = 6


def cluster_color(cluster_id: int) -> str:
    color: str = PALETTE[(cluster_id - 1) % len(PALETTE)]
    return color


def _layout(graph: SkillGraph) -> dict[int, tuple[float, float]]:
    """Seeded spring layout (same graph, same picture); weight NPMI."""
    g = graph.to_networkx()
    if not g.number_of_nodes():
        return {}
    k = 1.6 / math.sqrt(g.number_of_nodes())
    positions = nx.spring_layout(g, weight="weight", seed=SEED, k=k, iterations=50)
    return {int(n): (round(float(x), 4), round(float(y), 4)) for n, (x, y) in positions.items()}


def graph_figure(graph: SkillGraph, t: Translator, lang: str) -> str | None:
    """The network as plotly JSON: edges as grey line traces by NPMI band, one marker
    trace per cluster (colour = cluster, size = postings, hover = labels and counts)."""
    if not graph.nodes:
        return None
    pos = _layout(graph)
    traces: list[dict[str, Any]] = []
    bands: dict[int, tuple[list[float | None], list[float | None]]] = {}
    for e in graph.edges:
        band = next(i for i, b in enumerate(EDGE_BANDS) if e.npmi >= b[0])
        xs, ys = bands.setdefault(band, ([], []))
        (x0, y0), (x1, y1) = pos[e.source], pos[e.target]
        xs.extend((x0, x1, None))
        ys.extend((y0, y1, None))
    for band in sorted(bands, reverse=True):  # weak lines first, strong ones on top
        _, width, color = EDGE_BANDS[band]
        xs, ys = bands[band]
        traces.append(
            {
                "type": "scatter",
                "x": xs,
                "y": ys,
                "mode": "lines",
                "hoverinfo": "skip",
                "showlegend": False,
                "line": {"width": width, "color": color},
            }
        )
    biggest = max(n.postings for n in graph.nodes)
    labelled = {n.concept_id for n in graph.nodes[:LABELLED]}
    clusters = {c.id: c for c in graph.clusters}
    for cluster in graph.clusters:
        members = [n for n in graph.nodes if n.cluster == cluster.id]
        other = "zh" if lang == "en" else "en"
        hover = [
            "<b>{}</b><br>{}<br>{}<br>{}".format(
                plot_text(n.label(lang)),
                plot_text(n.label(other)),
                t("graph.hover_postings", postings=f"{n.postings:,}", share=f"{n.share:.1%}"),
                t("graph.hover_cluster", name=plot_text(clusters[n.cluster].name(lang))),
            )
            for n in members
        ]
        traces.append(
            {
                "type": "scatter",
                "x": [pos[n.concept_id][0] for n in members],
                "y": [pos[n.concept_id][1] for n in members],
                "mode": "markers+text",
                "name": f"{cluster.id}. {plot_text(cluster.name(lang))}",
                "text": [
                    plot_text(n.label(lang)) if n.concept_id in labelled else "" for n in members
                ],
                "textposition": "top center",
                "textfont": {"size": 11},
                "hovertext": hover,
                "hoverinfo": "text",
                "marker": {
                    "size": [round(8 + 26 * math.sqrt(n.postings / biggest), 1) for n in members],
                    "color": cluster_color(cluster.id),
                    "line": {"width": 1, "color": "#ffffff"},
                },
            }
        )
    hidden = {"visible": False, "showgrid": False, "zeroline": False}
    layout = {
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 8, "r": 8, "t": 8, "b": 8},
        "xaxis": hidden,
        "yaxis": hidden,
        "hovermode": "closest",
        "dragmode": "pan",
        "legend": {"orientation": "h", "y": -0.02, "yanchor": "top", "font": {"size": 11}},
        "height": 560,
    }
    # Plain JSON, not plotly.graph_objects: validating every trace there cost more than
    # building the whole graph.
    return json.dumps({"data": traces, "layout": layout}, ensure_ascii=False, separators=(",", ":"))


def _query(params: GraphParams) -> str:
    pairs: list[tuple[str, Any]] = [("region", params.region)]
    pairs += [("year", y) for y in params.years]
    pairs += [
        ("min_pair", params.min_pair),
        ("min_npmi", params.min_npmi),
        ("max_nodes", params.max_nodes),
    ]
    pairs += [("kind", k) for k in params.kinds]
    return urlencode(pairs)


@router.get("/demand/graph", name="demand_graph")
def demand_graph(
    request: Request, session: SessionDep, params: ParamsDep, _p: DemandReader
) -> Response:
    graph = params.build(session)
    lang = request_locale(request, current_viewer(request))
    t = translator(load_catalogs(), lang)
    emerging = {c.id for c in emerging_clusters(graph)}
    names = {n.concept_id: n.label(lang) for n in graph.nodes}
    return render(
        request,
        "demand/graph.html",
        graph=graph,
        params=params,
        regions=[parse_region(r) for r in ("all", "circle")],
        years=graph_years(session, params.region),
        kinds=sorted(LEAF_KINDS),
        figure=graph_figure(graph, t, lang),
        emerging=emerging,
        members={c.id: [names[i] for i in c.concept_ids[:MEMBERS_SHOWN]] for c in graph.clusters},
        colors={c.id: cluster_color(c.id) for c in graph.clusters},
        query=_query(params),
    )
