"""Plotly figures of the demand pages, serialised for ``static/charts.js``.

Figures are written as plain JSON (``{"data": [...], "layout": {...}}``) rather than
through ``plotly.graph_objects``, whose validation cost about 20 ms of CPU per figure
(a third of a page); the ``plotly_white`` template is expanded once per process, so the
JSON is what ``Figure.to_json()`` gave.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any

from talentbridge.analytics.datatable import DataTable
from talentbridge.analytics.trends import SeriesView
from talentbridge.web.chart_text import plot_text, plot_texts
from talentbridge.web.i18n import Translator

LAYOUT: dict[str, Any] = {
    "margin": {"l": 8, "r": 16, "t": 16, "b": 40},
    "legend": {"orientation": "h", "y": -0.2},
}


@cache
def _template() -> dict[str, Any]:
    import plotly.io as pio

    template: dict[str, Any] = pio.templates["plotly_white"].to_plotly_json()
    return template


def _json(traces: list[dict[str, Any]], **layout: Any) -> str:
    figure = {"data": traces, "layout": {**LAYOUT, **layout, "template": _template()}}
    return json.dumps(figure, ensure_ascii=False, separators=(",", ":"))


def bar_figure(
    table: DataTable, *, label: str, value: str, lang: str, t: Translator, top: int = 15
) -> str | None:
    """Horizontal bars of the first ``top`` rows (largest on top)."""
    rows = list(table.rows)[:top]
    if not rows:
        return None
    names = plot_texts(r.get(f"{label}_{lang}") or r.get(f"{label}_zh") or "" for r in rows)[::-1]
    values = [r.get(value) or 0 for r in rows][::-1]
    bars = {"type": "bar", "x": values, "y": names, "orientation": "h",
            "marker": {"color": "#1f6fb2"}}  # fmt: skip
    return _json(
        [bars],
        height=max(260, 24 * len(rows) + 60),
        xaxis={"title": {"text": t("demand.postings")}},
        yaxis={"automargin": True},
    )


def series_figure(view: SeriesView, *, lang: str, t: Translator) -> str | None:
    """The monthly series and, after it, the forecast with its 80% and 95% bands."""
    if not view.months:
        return None
    name = plot_text(view.label_zh if lang == "zh" else view.label_en)
    traces: list[dict[str, Any]] = [
        {"type": "scatter", "x": view.months, "y": view.values, "mode": "lines+markers",
         "name": name}
    ]  # fmt: skip
    fc = view.forecast or {}
    months = fc.get("months")
    if fc.get("status") == "ok" and isinstance(months, list) and months:
        for low, high, label, alpha in (
            ("lower95", "upper95", "95%", 0.12),
            ("lower80", "upper80", "80%", 0.22),
        ):
            lows, highs = _values(fc.get(low)), _values(fc.get(high))
            traces.append(
                {
                    "type": "scatter",
                    "x": [*months, *months[::-1]],
                    "y": [*highs, *lows[::-1]],
                    "fill": "toself",
                    "fillcolor": f"rgba(230,126,34,{alpha})",
                    "line": {"width": 0},
                    "hoverinfo": "skip",
                    "name": t("demand.forecast_band", level=label),
                }
            )
        traces.append(
            {
                "type": "scatter",
                "x": [view.months[-1], *months],
                "y": [view.values[-1], *_values(fc.get("point"))],
                "mode": "lines+markers",
                "line": {"dash": "dash", "color": "#e67e22"},
                "name": t("demand.forecast_of", model=str(fc.get("model"))),
            }
        )
    return _json(traces, height=340, yaxis={"title": {"text": t("demand.postings")}})


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
    names = plot_texts(r.get(f"label_{lang}") or r.get("label_zh") for r in rows)
    traces = []
    for key, zh, en in regions:
        slug = key.replace(":", "_")
        traces.append(
            {
                "type": "bar",
                "name": plot_text(zh if lang == "zh" else en),
                "x": names,
                "y": [r.get(f"{slug}_share") for r in rows],
            }
        )
    return _json(traces, barmode="group", height=360, yaxis={"tickformat": ".0%"})


def _values(value: object) -> list[float]:
    return [float(v) for v in value] if isinstance(value, list) else []
