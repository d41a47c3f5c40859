"""Plotly figures of the demand pages, serialised for ``static/charts.js``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import plotly.graph_objects as go

from talentbridge.analytics.datatable import DataTable
from talentbridge.analytics.trends import SeriesView
from talentbridge.web.i18n import Translator

LAYOUT: dict[str, Any] = {
    "template": "plotly_white",
    "margin": {"l": 8, "r": 16, "t": 16, "b": 40},
    "legend": {"orientation": "h", "y": -0.2},
}


def _json(figure: go.Figure) -> str:
    text: str = figure.to_json()
    return text


def bar_figure(
    table: DataTable, *, label: str, value: str, lang: str, t: Translator, top: int = 15
) -> str | None:
    """Horizontal bars of the first ``top`` rows (largest on top)."""
    rows = list(table.rows)[:top]
    if not rows:
        return None
    names = [str(r.get(f"{label}_{lang}") or r.get(f"{label}_zh") or "") for r in rows][::-1]
    values = [r.get(value) or 0 for r in rows][::-1]
    figure = go.Figure(go.Bar(x=values, y=names, orientation="h", marker_color="#1f6fb2"))
    figure.update_layout(
        **LAYOUT,
        height=max(260, 24 * len(rows) + 60),
        xaxis_title=t("demand.postings"),
        yaxis={"automargin": True},
    )
    return _json(figure)


def series_figure(view: SeriesView, *, lang: str, t: Translator) -> str | None:
    """The monthly series and, after it, the forecast with its 80% and 95% bands."""
    if not view.months:
        return None
    name = view.label_zh if lang == "zh" else view.label_en
    traces: list[Any] = [go.Scatter(x=view.months, y=view.values, mode="lines+markers", name=name)]
    fc = view.forecast or {}
    months = fc.get("months")
    if fc.get("status") == "ok" and isinstance(months, list) and months:
        for low, high, label, alpha in (
            ("lower95", "upper95", "95%", 0.12),
            ("lower80", "upper80", "80%", 0.22),
        ):
            lows, highs = _values(fc.get(low)), _values(fc.get(high))
            traces.append(
                go.Scatter(
                    x=[*months, *months[::-1]],
                    y=[*highs, *lows[::-1]],
                    fill="toself",
                    fillcolor=f"rgba(230,126,34,{alpha})",
                    line={"width": 0},
                    hoverinfo="skip",
                    name=t("demand.forecast_band", level=label),
                )
            )
        traces.append(
            go.Scatter(
                x=[view.months[-1], *months],
                y=[view.values[-1], *_values(fc.get("point"))],
                mode="lines+markers",
                line={"dash": "dash", "color": "#e67e22"},
                name=t("demand.forecast_of", model=str(fc.get("model"))),
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(**LAYOUT, height=340, yaxis_title=t("demand.postings"))
    return _json(figure)


def share_figure(
    table: DataTable,
    *,
    regions: Sequence[tuple[str, str, str]],
    lang: str,
    t: Translator,
    top: int = 12,
) -> str | None:
    """Grouped bars: each top skill's share of postings in each compared region."""
    rows = list(table.rows)[:top]
    if not rows:
        return None
    names = [str(r.get(f"label_{lang}") or r.get("label_zh")) for r in rows]
    traces = []
    for key, zh, en in regions:
        slug = key.replace(":", "_")
        traces.append(
            go.Bar(
                name=zh if lang == "zh" else en, x=names, y=[r.get(f"{slug}_share") for r in rows]
            )
        )
    figure = go.Figure(traces)
    figure.update_layout(**LAYOUT, barmode="group", height=360, yaxis={"tickformat": ".0%"})
    return _json(figure)


def _values(value: object) -> list[float]:
    return [float(v) for v in value] if isinstance(value, list) else []
