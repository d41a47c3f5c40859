"""Demand forecasts on the real Job-SDF series (issue 5): backtest against seasonal naive.

Run: ``.venv/bin/python benchmarks/forecast_bench.py [--all] [--per-region 250]
[--market 500] [--seed 5] [--no-docs]``

* Imports ``../shared/data/job-sdf`` with the real importer
  (``analytics.series_import.import_job_sdf``) into a temporary SQLite store and reads
  the series back from ``demand_series`` (the import time is reported too).
* Series: by default a deterministic sample: **every** skill of region 西南 (Southwest
  China, where Chengdu and Chongqing are), ``--per-region`` skills of each of the six
  other regions and ``--market`` skills of the whole market, drawn with
  ``random.Random(--seed)``. ``--all`` takes every region and market series (18,680;
  about 25 minutes on one core).
* A series is scored when its first 24 months have a nonzero total. For each:
  ``analytics.forecast.backtest`` on all 30 months, i.e. the model is chosen on months
  1–24 (inner split: 1–18 fit, 19–24 validate), then the chosen model and the
  seasonal-naive baseline (m = 12) are fitted on months 1–24 (2021-01 … 2022-12) and
  scored on months 25–30 (2023-01 … 2023-06). Medians and means of sMAPE and MASE, the
  share of series where the chosen model beats the baseline (lower MASE), by volume
  (mean monthly count in the 24 training months: low < 10, medium 10–100, high ≥ 100).
  We do not score "the served forecast" on the same holdout: serving the baseline when
  the model lost is decided on that holdout, so its score would be flattering.
* Timing: the backtest per series (one core, this process), and the full
  ``analytics.forecast.forecast`` (backtest + refit + intervals) on the first 300 sampled
  series, each timed on its own (median and mean).
* Writes "## Demand forecasts: Job-SDF backtest (issue 5)" into docs/benchmarks.md
  (``--no-docs`` to skip).
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select

from docs_section import replace_section
from talentbridge.analytics.forecast import Backtest, backtest, forecast
from talentbridge.analytics.series_import import import_job_sdf
from talentbridge.store.demand_tables import DemandSeries
from talentbridge.store.engine import session_factory
from talentbridge.store.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "job-sdf"
HEADING = "## Demand forecasts: Job-SDF backtest (issue 5)"
FOCUS_REGION = "6"  # 西南
TRAIN = 24
VOLUME_BINS = (
    ("low (< 10/month)", 0, 10),
    ("medium (10–100)", 10, 100),
    ("high (≥ 100)", 100, 1e18),
)


@dataclass(frozen=True)
class Scored:
    group: str
    volume: str
    test: Backtest


def cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def load_series(workdir: Path) -> tuple[list[DemandSeries], float]:
    engine = create_engine(f"sqlite:///{workdir / 'bench.db'}")
    upgrade(engine)
    factory = session_factory(engine)
    started = time.perf_counter()
    reports = import_job_sdf(factory, DATA, rejects_dir=workdir, rejects_beside_input=False)
    seconds = time.perf_counter() - started
    for report in reports:
        print(report.summary())
    with factory() as session:
        rows = list(
            session.scalars(
                select(DemandSeries)
                .where(DemandSeries.scope_kind.in_(["region", "market"]))
                .order_by(DemandSeries.scope_kind, DemandSeries.scope_code, DemandSeries.id)
            )
        )
        session.expunge_all()
    engine.dispose()
    return rows, seconds


def sample(rows: list[DemandSeries], args: argparse.Namespace) -> list[DemandSeries]:
    if args.all:
        return rows
    rng = random.Random(args.seed)
    groups: dict[tuple[str, str], list[DemandSeries]] = {}
    for row in rows:
        groups.setdefault((row.scope_kind, row.scope_code), []).append(row)
    chosen: list[DemandSeries] = []
    for (kind, code), members in sorted(groups.items()):
        if kind == "region" and code == FOCUS_REGION:
            chosen += members
        else:
            size = args.market if kind == "market" else args.per_region
            chosen += rng.sample(members, min(size, len(members)))
    return chosen


def volume_of(values: list[float]) -> str:
    mean = sum(values[:TRAIN]) / TRAIN
    return next(name for name, low, high in VOLUME_BINS if low <= mean < high)


def group_of(row: DemandSeries) -> str:
    if row.scope_kind == "market":
        return "whole market"
    return f"{row.scope_name_zh} {row.scope_name_en}"


def summarize(scored: list[Scored]) -> list[str]:
    def med(values: list[float]) -> str:
        return f"{statistics.median(values):.3f}" if values else "–"

    def mean(values: list[float]) -> str:
        return f"{statistics.fmean(values):.3f}" if values else "–"

    def line(label: str, items: list[Scored]) -> str:
        tests = [s.test for s in items]
        both = [t for t in tests if t.mase is not None and t.baseline_mase is not None]
        m_smape = [t.smape for t in tests]
        b_smape = [t.baseline_smape for t in tests]
        m_mase = [t.mase for t in both if t.mase is not None]
        b_mase = [t.baseline_mase for t in both if t.baseline_mase is not None]
        wins = sum(t.beats_baseline for t in tests)
        return (
            f"| {label} | {len(tests):,} | {med(m_smape)} / {med(b_smape)} | "
            f"{mean(m_smape)} / {mean(b_smape)} | {med(m_mase)} / {med(b_mase)} | "
            f"{mean(m_mase)} / {mean(b_mase)} | {100 * wins / max(len(tests), 1):.1f} % |"
        )

    out = [
        "| series | n | median sMAPE model / baseline | mean sMAPE | median MASE | mean MASE "
        "| model beats baseline |",
        "|---|---:|---:|---:|---:|---:|---:|",
        line("**all scored**", scored),
    ]
    for group in sorted({s.group for s in scored}):
        out.append(line(group, [s for s in scored if s.group == group]))
    for name, _low, _high in VOLUME_BINS:
        out.append(line(f"volume {name}", [s for s in scored if s.volume == name]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--all", action="store_true", help="every region and market series")
    parser.add_argument("--per-region", type=int, default=250)
    parser.add_argument("--market", type=int, default=500)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--no-docs", action="store_true")
    args = parser.parse_args()
    if not DATA.exists():
        sys.exit(f"{DATA} is not there; nothing was measured.")
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        rows, import_seconds = load_series(Path(tmp))
    chosen = sample(rows, args)
    eligible = [r for r in chosen if len(r.values) >= TRAIN + 6 and sum(r.values[:TRAIN]) > 0]
    print(f"{len(chosen):,} series sampled, {len(eligible):,} with a nonzero training part")
    forecast(eligible[0].values, eligible[0].start_month)  # warm up once
    scored: list[Scored] = []
    started = time.perf_counter()
    for i, row in enumerate(eligible, 1):
        test = backtest(row.values[: TRAIN + 6])
        assert test.train_months == TRAIN and test.holdout == 6 and test.season == 12
        scored.append(Scored(group_of(row), volume_of(row.values), test))
        if i % 500 == 0:
            print(f"  {i:,} backtests, {(time.perf_counter() - started) / i * 1000:.1f} ms each")
    backtest_ms = (time.perf_counter() - started) / len(eligible) * 1000
    timed = eligible[:300]
    times: list[float] = []
    for row in timed:
        started = time.perf_counter()
        forecast(row.values, row.start_month)
        times.append(time.perf_counter() - started)
    forecast_ms = statistics.fmean(times) * 1000
    forecast_median_ms = statistics.median(times) * 1000
    load_after = os.getloadavg()
    models = Counter(s.test.model for s in scored)
    share = 100 * sum(s.test.beats_baseline for s in scored) / max(len(scored), 1)
    table = summarize(scored)
    machine = (
        f"{cpu_name()}; {os.cpu_count()} logical CPUs (one used); Python "
        f"{platform.python_version()}; load average before {load_before[0]:.2f}, after "
        f"{load_after[0]:.2f} (1 min; the machine is shared)"
    )
    sampling = (
        "every region and market series"
        if args.all
        else (
            f"all {sum(1 for r in chosen if r.scope_code == FOCUS_REGION and r.scope_kind == 'region'):,} "
            f"skills of 西南 Southwest China, {args.per_region} random skills of each other "
            f"region and {args.market} of the whole market (random.Random({args.seed}))"
        )
    )
    section = "\n".join(
        [
            HEADING,
            "",
            "Command: `.venv/bin/python benchmarks/forecast_bench.py"
            + (" --all" if args.all else "")
            + "`. Data: Job-SDF (Chen et al., *Job-SDF: A Multi-Granularity Dataset for Job "
            "Skill Demand Forecasting and Benchmarking*, NeurIPS 2024 Datasets and Benchmarks, "
            "arXiv 2406.11920), monthly skill-demand counts 2021-01 … 2023-06, imported with "
            f"`talentbridge import demand-series` ({len(rows):,} region and market series; the "
            f"whole import of 51,370 series took {import_seconds:.1f} s).",
            "",
            f"Machine: {machine}.",
            "",
            f"Series: {sampling}; {len(eligible):,} of {len(chosen):,} have a nonzero total in "
            "their first 24 months and are scored. Each is trained on 2021-01 … 2022-12 (24 "
            "months) and scored on 2023-01 … 2023-06 (6 months). The model is chosen on the "
            "training months only (fit on the first 18, validate on the last 6, lowest MASE "
            "wins); the baseline is seasonal naive (m = 12, the same month of 2022). MASE is "
            "scaled by the in-sample seasonal-naive error (m = 12). Each cell: chosen model / "
            "baseline; lower is better. “Beats” = strictly lower MASE than the baseline on "
            "the holdout.",
            "",
            *table,
            "",
            "Models chosen: "
            + ", ".join(f"{name} {count:,}" for name, count in models.most_common())
            + ".",
            "",
            f"Time: {backtest_ms:.1f} ms per series for the backtest (selection + scoring); "
            f"a full `forecast()` (backtest, refit, intervals) over {len(timed)} series: "
            f"median {forecast_median_ms:.1f} ms, mean {forecast_ms:.1f} ms per series, "
            f"about {60_000 / forecast_ms:,.0f} series a minute on one core at the load "
            "above (other sessions shared both cores).",
            "",
            "Before (`ses` and `holt_damped` fitted with statsmodels' `ExponentialSmoothing`, "
            "same sample and command): median sMAPE 57.134 / 61.410, median MASE 0.889 / "
            "0.923, mean sMAPE 68.686, mean MASE 1.233, beats the baseline on 42.0 %; "
            "269.7 ms per `forecast()` at load 4.7–9.7 (about 85 ms at load 4–6). The numpy "
            "grid search (`analytics/smoothing.py`) replaced it.",
            "",
            f"Reading: the chosen model beats the seasonal-naive baseline on {share:.0f} % of "
            "the scored series; on the others the served forecast is the baseline and the UI "
            "says so (`beats_baseline` false, `note` set). 2023-01 contains the Spring "
            "Festival (22 January 2023; 1 February in 2022), so the holdout starts with a "
            "moved holiday dip that no model of monthly counts without a holiday calendar "
            "can place.",
            "",
            "Published figures: the Job-SDF paper benchmarks statistical and deep models "
            "(ARIMA, Prophet, RNNs, Transformers, PatchTST, FiLM, GNN-based) with MAE, RMSE, "
            "sMAPE and RRMSE at occupation, company and region granularities. The search "
            "tool gave its abstract but not its result tables, so no published number is "
            "quoted here. The setups are **not like-for-like**: the paper's own split, "
            "horizon and scaling could not be checked here, while this is a per-series "
            "backtest of 24 months → 6 months on the region and market files kept in "
            "`shared/data` (30 months), scored also by MASE, which the paper does not list.",
        ]
    )
    print(section)
    if not args.no_docs:
        replace_section(HEADING, section)
        print(f"\nwrote {HEADING!r} to docs/benchmarks.md")


if __name__ == "__main__":
    main()
