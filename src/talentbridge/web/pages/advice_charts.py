"""Charts of the planning-meeting report (``/advice/report``): plotly figures as plain
JSON for ``static/charts.js`` (as ``demand_charts``), from the advice report.

* ``supply_demand_figure``: per major or direction, postings over the last 12 months
  against graduates a year in the region (grouped horizontal bars), for the
  recommended majors and directions in rank order.
* ``trend_figure``: the monthly postings of the top recommendations (24 months) and,
  dashed, their 6-month forecasts where one was made.
"""

from __future__ import annotations

from typing import Any

from talentbridge.analytics.advice import AdviceReport, Recommendation
from talentbridge.web.chart_text import plot_text
from talentbridge.web.i18n import Translator
from talentbridge.web.pages.demand_charts import _json

SUPPLY_BARS = 15
TREND_LINES = 5
COLORS = ("#1f6fb2", "#e67e22", "#2e8b57", "#8e44ad", "#c0392b")


def _name(rec: Recommendation, lang: str) -> str:
    return plot_text(rec.name_en if lang == "en" else rec.name_zh)


def charted(report: AdviceReport, top: int) -> list[Recommendation]:
    """The first ``top`` recommended majors and directions that have demand data."""
    return [r for r in report.recommendations if r.item is not None and any(r.item.series)][:top]


def supply_demand_figure(
    report: AdviceReport, *, lang: str, t: Translator, top: int = SUPPLY_BARS
) -> str | None:
    recs = charted(report, top)
    if not recs:
        return None
    names = [f"{r.rank}. {_name(r, lang)}" for r in recs][::-1]
    traces = [
        {"type": "bar", "orientation": "h", "name": t("report.chart_postings"),
         "y": names, "x": [r.evidence.get("postings") or 0 for r in recs][::-1],
         "marker": {"color": COLORS[0]}},
        {"type": "bar", "orientation": "h", "name": t("report.chart_graduates"),
         "y": names, "x": [r.evidence.get("graduates") or 0 for r in recs][::-1],
         "marker": {"color": COLORS[1]}},
    ]  # fmt: skip
    return _json(
        traces,
        barmode="group",
        height=max(300, 40 * len(recs) + 80),
        yaxis={"automargin": True},
    )


def trend_figure(
    report: AdviceReport, *, lang: str, t: Translator, top: int = TREND_LINES
) -> str | None:
    recs = [
        r for r in charted(report, len(report.recommendations)) if r.action in ("open", "expand")
    ]
    recs = (recs or charted(report, top))[:top]
    period = report.supply.period
    if not recs or period is None:
        return None
    months = period.all_months
    traces: list[dict[str, Any]] = []
    for i, rec in enumerate(recs):
        color = COLORS[i % len(COLORS)]
        name = f"{rec.rank}. {_name(rec, lang)}"
        series = list(rec.evidence.get("series") or [])
        traces.append({"type": "scatter", "mode": "lines", "name": name, "x": months[-len(series):],
                       "y": series, "line": {"color": color}, "legendgroup": name})  # fmt: skip
        fc = rec.evidence.get("forecast") or {}
        ahead = fc.get("months")
        if fc.get("status") == "ok" and isinstance(ahead, list) and ahead and series:
            point = [float(v) for v in fc.get("point") or []]
            traces.append({"type": "scatter", "mode": "lines", "x": [months[-1], *ahead],
                           "y": [series[-1], *point], "name": t("report.chart_forecast"),
                           "line": {"color": color, "dash": "dash"}, "legendgroup": name,
                           "showlegend": False})  # fmt: skip
    return _json(
        traces,
        height=380,
        yaxis={"title": {"text": t("report.chart_postings_month")}, "rangemode": "tozero"},
    )
