"""Plotly figures for pages, serialised for ``static/charts.js`` (no inline script)."""

from __future__ import annotations

import plotly.graph_objects as go

from talentbridge.web.i18n import Translator


def enrollment_figure(rows: list[tuple[int, int, int]], t: Translator) -> str | None:
    """Grouped bars of enrolled and graduated students per year, as plotly JSON."""
    if not rows:
        return None
    years = [str(year) for year, _, _ in rows]
    figure = go.Figure(
        data=[
            go.Bar(name=t("common.enrolled"), x=years, y=[e for _, e, _ in rows]),
            go.Bar(name=t("common.graduated"), x=years, y=[g for _, _, g in rows]),
        ]
    )
    figure.update_layout(
        barmode="group",
        template="plotly_white",
        margin={"l": 48, "r": 16, "t": 16, "b": 40},
        xaxis_title=t("common.year"),
        yaxis_title=t("common.students"),
        legend={"orientation": "h", "y": -0.2},
        height=320,
    )
    text: str = figure.to_json()
    return text
