"""Plotly figures of the outcomes pages, serialised for ``static/charts.js`` (no inline
script): indicator trends by graduation year, a comparison of majors, enrollment per
major and direction, and recruiting efficiency by month. Suppressed figures are gaps."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from talentbridge.outcomes.views import RATES, EnrollmentSeries, GroupFigures
from talentbridge.web.chart_text import plot_text, plot_texts
from talentbridge.web.i18n import Translator

COLORS = ("#0b5cad", "#2a9d5b", "#d98c1f", "#8e44ad", "#c0392b", "#16a085", "#7f8c8d")


def _layout(figure: go.Figure, *, x_title: str, y_title: str, percent: bool = False) -> str:
    figure.update_layout(
        template="plotly_white",
        margin={"l": 48, "r": 12, "t": 12, "b": 40},
        xaxis_title=x_title,
        yaxis_title=y_title,
        legend={"orientation": "h", "y": -0.3},
        height=340,
    )
    if percent:
        figure.update_yaxes(tickformat=".0%", range=[0, 1.05])
    text: str = figure.to_json()
    return text


def _pct(group: GroupFigures, indicator: str) -> float | None:
    figure = group.figures.get(indicator)
    return None if figure is None or figure.suppressed else figure.value


def rates_trend(
    trend: Sequence[GroupFigures], t: Translator, alliance: Sequence[GroupFigures] = ()
) -> str | None:
    """Each rate by graduation year (dashed: the alliance beside a college)."""
    if len(trend) < 1 or not any(_pct(g, r) is not None for g in trend for r in RATES):
        return None
    figure = go.Figure()
    for i, rate in enumerate(RATES):
        color = COLORS[i % len(COLORS)]
        figure.add_trace(
            go.Scatter(
                name=t(f"outcomes.indicator.{rate}"),
                x=[str(g.year) for g in trend],
                y=[_pct(g, rate) for g in trend],
                mode="lines+markers",
                line={"color": color},
            )
        )
        if alliance:
            figure.add_trace(
                go.Scatter(
                    name=f"{t(f'outcomes.indicator.{rate}')} · {t('outcomes.alliance')}",
                    x=[str(g.year) for g in alliance],
                    y=[_pct(g, rate) for g in alliance],
                    mode="lines",
                    line={"color": color, "dash": "dot"},
                    visible="legendonly",
                )
            )
    return _layout(figure, x_title=t("outcomes.year"), y_title="%", percent=True)


def salary_trend(trend: Sequence[GroupFigures], t: Translator) -> str | None:
    """Median starting pay by graduation year with the quartiles as error bars."""
    points = [
        (str(g.year), f)
        for g in trend
        if (f := g.figures.get("starting_salary")) is not None and f.value is not None
    ]
    if not points:
        return None
    figure = go.Figure(
        go.Scatter(
            name=t("outcomes.indicator.starting_salary"),
            x=[year for year, _ in points],
            y=[f.value for _, f in points],
            mode="lines+markers",
            error_y={
                "type": "data",
                "symmetric": False,
                "array": [
                    (f.q3 - f.value) if f.q3 is not None and f.value else 0 for _, f in points
                ],
                "arrayminus": [
                    (f.value - f.q1) if f.q1 is not None and f.value else 0 for _, f in points
                ],
            },
            line={"color": COLORS[0]},
        )
    )
    return _layout(figure, x_title=t("outcomes.year"), y_title=t("outcomes.yuan"))


def majors_bars(majors: Sequence[GroupFigures], t: Translator, lang: str) -> str | None:
    """Placement and major-related employment rate per major, side by side."""
    if not majors:
        return None
    names = plot_texts(g.label(lang) for g in majors)
    figure = go.Figure(
        [
            go.Bar(
                name=t(f"outcomes.indicator.{rate}"),
                x=names,
                y=[_pct(g, rate) for g in majors],
                marker_color=COLORS[i],
            )
            for i, rate in enumerate(("placement_rate", "related_employment_rate"))
        ]
    )
    figure.update_layout(barmode="group")
    return _layout(figure, x_title=t("outcomes.major"), y_title="%", percent=True)


def enrollment_lines(series: Sequence[EnrollmentSeries], t: Translator, lang: str) -> str | None:
    """Enrolled students per major and direction by year; a new direction's line starts
    in the year it opened."""
    if not series:
        return None
    figure = go.Figure(
        [
            go.Scatter(
                name=plot_text(s.label(lang)),
                x=[str(y) for y, _ in s.points],
                y=[v for _, v in s.points],
                mode="lines+markers",
                line={"dash": "solid" if s.direction is None else "dot"},
            )
            for s in series
        ]
    )
    return _layout(figure, x_title=t("outcomes.year"), y_title=t("outcomes.enrolled"))


def recruiting_trend(
    months: Sequence[str], medians: Sequence[float | None], t: Translator, cutoff: str | None
) -> str | None:
    """Median days to hire by month of the posting date, the switch date marked."""
    if not any(m is not None for m in medians):
        return None
    figure = go.Figure(
        go.Scatter(
            name=t("outcomes.recruiting.days_to_hire"),
            x=list(months),
            y=list(medians),
            mode="lines+markers",
            line={"color": COLORS[0]},
        )
    )
    if cutoff:
        figure.add_vline(x=cutoff, line_dash="dash", line_color=COLORS[4])
    return _layout(figure, x_title=t("outcomes.recruiting.month"), y_title="d")
