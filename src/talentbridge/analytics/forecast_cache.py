"""Forecasts cached per series and data version (table ``demand_forecast``).

``forecast_series(session, series_key=..., data_version=..., start_month=...,
values=...)`` returns the stored forecast when one exists for (``series_key``,
``data_version``) with the same horizon, else fits one with ``analytics.forecast``,
stores it (replacing the forecasts of older data versions of the same series) and
returns it. Keys are the caller's: the demand cube uses ``skill:<concept id>:<region
key>`` and ``occupation:<id>:<region key>`` with the cube's ``DemandState.version``;
external series use ``series:<DemandSeries.id>``.

The helper writes through the caller's session inside a savepoint and flushes; it does
not commit (the caller's commit keeps the cached row). Two workers fitting the same
series at once is harmless: the loser of the unique key reads the winner's row.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from talentbridge.analytics.forecast import HORIZON, Forecast, forecast
from talentbridge.store.demand_tables import DemandForecast


def _cached(session: Session, series_key: str, version: str) -> DemandForecast | None:
    return session.scalars(
        select(DemandForecast).where(
            DemandForecast.series_key == series_key, DemandForecast.data_version == version
        )
    ).one_or_none()


def forecast_series(
    session: Session,
    *,
    series_key: str,
    data_version: str | int,
    start_month: str,
    values: Sequence[float],
    horizon: int = HORIZON,
) -> Forecast:
    """The cached forecast of ``series_key`` at ``data_version``, fitting it if needed."""
    version = str(data_version)
    row = _cached(session, series_key, version)
    if row is not None and row.result.get("horizon") == horizon:
        return Forecast.from_dict(row.result)
    result = forecast(values, start_month, horizon=horizon)
    payload = result.to_dict()
    try:
        with session.begin_nested():
            if row is not None:  # same data, another horizon: replace
                row.model = result.model or result.status
                row.result = payload
                row.note = result.note
            else:
                session.execute(
                    delete(DemandForecast).where(
                        DemandForecast.series_key == series_key,
                        DemandForecast.data_version != version,
                    )
                )
                session.add(
                    DemandForecast(
                        series_key=series_key,
                        data_version=version,
                        model=result.model or result.status,
                        result=payload,
                        note=result.note,
                    )
                )
            session.flush()
    except IntegrityError:  # another worker stored it first
        stored = _cached(session, series_key, version)
        if stored is not None and stored.result.get("horizon") == horizon:
            return Forecast.from_dict(stored.result)
    return Forecast.from_dict(payload)


def cached_forecasts(
    session: Session, series_keys: Sequence[str], data_version: str | int, horizon: int = HORIZON
) -> dict[str, Forecast]:
    """The stored forecasts of these series at ``data_version`` (one query per 500
    keys): callers with many series look them up at once and fit only the missing ones
    with ``forecast_series``."""
    version = str(data_version)
    keys = sorted(set(series_keys))
    found: dict[str, Forecast] = {}
    for i in range(0, len(keys), 500):
        rows = session.execute(
            select(DemandForecast.series_key, DemandForecast.result).where(
                DemandForecast.series_key.in_(keys[i : i + 500]),
                DemandForecast.data_version == version,
            )
        ).all()
        for key, result in rows:
            if result.get("horizon") == horizon:
                found[key] = Forecast.from_dict(result)
    return found
