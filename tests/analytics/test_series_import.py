"""The Job-SDF series importer: real files, idempotency, rejects, file errors, links, CLI."""

from __future__ import annotations

import csv
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from support import shared_file
from talentbridge.analytics.series_import import import_job_sdf
from talentbridge.cli import app
from talentbridge.errors import InputFileError
from talentbridge.store.demand_tables import DemandSeries
from talentbridge.store.tables import Concept, ImportRun, RejectedRow, Taxonomy

MONTHS = [f"2021-{m:02d}" for m in range(1, 13)] + ["2022-01", "2022-02"]


def _series(session: Session, **where: str) -> list[DemandSeries]:
    query = select(DemandSeries).order_by(
        DemandSeries.scope_kind, DemandSeries.scope_code, DemandSeries.skill_code
    )
    for name, value in where.items():
        query = query.where(getattr(DemandSeries, name) == value)
    return list(session.scalars(query))


def _write_lists(root: Path) -> None:
    for folder, skills, regions in (
        ("entity_map", ["报关", "跨境电商", "叉车"], ["西南", "华东"]),
        ("entity_map_en", ["customs clearance", "Cross-border e-commerce", "Forklift"],
         ["Southwest China", "East China"]),
    ):  # fmt: skip
        (root / folder).mkdir(parents=True)
        (root / folder / "skill.list").write_text("skill_name\n" + "\n".join(skills), "utf-8")
        (root / folder / "region.list").write_text("region_name\n" + "\n".join(regions), "utf-8")


def _row(region: object, skill: object, values: list[object]) -> dict[str, object]:
    return {"region_id": region, "skill_id": skill, **dict(zip(MONTHS, values, strict=True))}


def _write_parquet(path: Path, rows: list[dict[str, object]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    columns = ["region_id", "skill_id", *MONTHS]
    table = pa.table(
        {
            "region_id": pa.array([r["region_id"] for r in rows], pa.int64()),
            "skill_id": pa.array([r["skill_id"] for r in rows], pa.int64()),
            **{m: pa.array([r[m] for r in rows], pa.float64()) for m in columns[2:]},
        }
    )
    pq.write_table(table, path)


@pytest.fixture()
def small_sdf(tmp_path: Path) -> Path:
    root = tmp_path / "sdf"
    _write_lists(root)
    good = [float(v) for v in range(14)]
    _write_parquet(
        root / "demand" / "region.parquet",
        [
            _row(0, 0, good),  # row 1
            _row(0, 1, [*good[:5], None, *good[6:]]),  # row 2: missing 2021-06
            _row(1, 1, [*good[:3], -4.0, *good[4:]]),  # row 3: negative 2021-04
            _row(0, 9, good),  # row 4: unknown skill
            _row(5, 2, good),  # row 5: unknown region
            _row(1, 2, [v * 2 for v in good]),  # row 6
            _row(0, 0, good),  # row 7: duplicate of row 1
        ],
    )
    return root


def test_small_folder_stores_valid_series_and_rejects_bad_rows(
    small_sdf: Path, factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    (report,) = import_job_sdf(factory, small_sdf, rejects_dir=tmp_path / "rejects")
    assert (report.read, report.stored, report.duplicates, report.rejected) == (7, 2, 1, 4)
    assert report.balanced
    reasons = {(e.row_number, e.field, e.reason) for e in report.errors}
    assert reasons == {
        (2, "2021-06", "missing value"),
        (3, "2021-04", "negative count -4"),
        (4, "skill_id", "unknown skill id 9"),
        (5, "region_id", "unknown region id 5"),
    }
    stored = _series(session)
    assert [(s.scope_code, s.skill_code) for s in stored] == [("0", "0"), ("1", "2")]
    first = stored[0]
    assert (first.source, first.scope_kind, first.start_month) == ("job-sdf", "region", "2021-01")
    assert (first.scope_name_zh, first.scope_name_en) == ("西南", "Southwest China")
    assert (first.skill_name_zh, first.skill_name_en) == ("报关", "customs clearance")
    assert first.values == [float(v) for v in range(14)]
    run = session.get(ImportRun, report.run_id)
    assert run is not None and run.kind == "demand_series" and run.rows_rejected == 4
    assert session.scalar(select(func.count()).select_from(RejectedRow)) == 4
    # The rejects file sits beside the input, with the original columns and the reason.
    assert report.rejects_path == small_sdf / "demand" / "region.rejects.csv"
    with report.rejects_path.open(encoding="utf-8-sig") as handle:
        rejected = list(csv.DictReader(handle))
    assert [r["_row"] for r in rejected] == ["2", "3", "4", "5"]
    assert rejected[1]["2021-04"] == "-4" and rejected[1]["_field"] == "2021-04"


def test_reimport_changes_nothing_and_a_changed_value_updates_one_series(
    small_sdf: Path, factory: sessionmaker[Session], session: Session
) -> None:
    import_job_sdf(factory, small_sdf)
    before = {(s.scope_code, s.skill_code): (s.id, list(s.values)) for s in _series(session)}
    (again,) = import_job_sdf(factory, small_sdf)
    assert (again.stored, again.unchanged, again.rejected) == (0, 2, 4)
    session.expire_all()
    assert {(s.scope_code, s.skill_code): (s.id, list(s.values)) for s in _series(session)} == (
        before
    )
    good = [float(v) for v in range(14)]
    _write_parquet(
        small_sdf / "demand" / "region.parquet",
        [_row(0, 0, [*good[:-1], 99.0]), _row(1, 2, [v * 2 for v in good])],
    )
    (changed,) = import_job_sdf(factory, small_sdf)
    assert (changed.stored, changed.unchanged, changed.rejected) == (1, 1, 0)
    session.expire_all()
    series = _series(session, skill_code="0")[0]
    assert series.id == before[("0", "0")][0] and series.values[-1] == 99.0
    # nothing rejected any more: the stale rejects file is gone
    assert not (small_sdf / "demand" / "region.rejects.csv").exists()


def test_a_csv_demand_file_with_a_non_number_is_rejected_by_row(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    root = tmp_path / "sdf"
    _write_lists(root)
    (root / "demand").mkdir()
    header = ["region_id", "skill_id", *MONTHS]
    lines = [
        ",".join(header),
        ",".join(["1", "2", *["3"] * 14]),
        ",".join(["0", "1", "x", *["1"] * 13]),
    ]
    (root / "demand" / "region.csv").write_text("\n".join(lines) + "\n", "utf-8")
    (report,) = import_job_sdf(factory, root)
    assert (report.stored, report.rejected) == (1, 1)
    error = report.errors[0]
    assert (error.row_number, error.field, error.reason) == (3, "2021-01", "not a number: 'x'")
    assert [s.values for s in _series(session)] == [[3.0] * 14]


def test_unreadable_or_incomplete_files_are_one_clear_error(
    tmp_path: Path, factory: sessionmaker[Session], session: Session
) -> None:
    root = tmp_path / "sdf"
    _write_lists(root)
    (root / "demand").mkdir()
    with pytest.raises(InputFileError, match="no demand/r0"):
        import_job_sdf(factory, root)
    (root / "demand" / "region.parquet").write_bytes(b"PAR1 this is not parquet")
    with pytest.raises(InputFileError, match="not a readable parquet file"):
        import_job_sdf(factory, root)
    pq.write_table(
        pa.table({"region_id": [0], "2021-01": [1.0]}), root / "demand" / "region.parquet"
    )
    with pytest.raises(InputFileError, match="missing column"):
        import_job_sdf(factory, root)
    pq.write_table(
        pa.table({"region_id": [0], "skill_id": [0], "2021-01": [1.0], "2021-03": [1.0]}),
        root / "demand" / "region.parquet",
    )
    with pytest.raises(InputFileError, match="not consecutive"):
        import_job_sdf(factory, root)
    (root / "entity_map" / "skill.list").unlink()
    with pytest.raises(InputFileError, match="name list not found"):
        import_job_sdf(factory, root)
    with pytest.raises(InputFileError, match="not a folder"):
        import_job_sdf(factory, tmp_path / "missing")
    assert session.scalar(select(func.count()).select_from(DemandSeries)) == 0


def test_series_link_to_active_concepts_by_exact_label(
    small_sdf: Path, factory: sessionmaker[Session], session: Session
) -> None:
    taxonomy = Taxonomy(code="talentbridge", version="1", name="test", is_active=True)
    retired = Taxonomy(code="old", version="0", name="old", is_active=False)
    session.add_all([taxonomy, retired])
    session.flush()
    customs = Concept(taxonomy_id=taxonomy.id, key="tb.customs", kind="skill", label_zh="报关")
    forklift = Concept(
        taxonomy_id=taxonomy.id, key="tb.forklift", kind="skill", label_en="forklift"
    )
    stale = Concept(taxonomy_id=retired.id, key="old.cbec", kind="skill", label_zh="跨境电商")
    session.add_all([customs, forklift, stale])
    session.commit()
    import_job_sdf(factory, small_sdf)
    links = {s.skill_code: s.concept_id for s in _series(session)}
    assert links == {"0": customs.id, "2": forklift.id}  # en "Forklift", case-insensitive


@pytest.mark.shared_data
def test_the_real_job_sdf_files_import_completely_and_idempotently(
    factory: sessionmaker[Session], session: Session, tmp_path: Path
) -> None:
    root = shared_file("job-sdf/demand/region.parquet").parents[1]
    reports = import_job_sdf(factory, root, rejects_dir=tmp_path, rejects_beside_input=False)
    counts = {r.file.stem: (r.read, r.stored, r.rejected) for r in reports}
    assert counts == {
        "r0": (2335, 2335, 0),
        "r1": (32690, 32690, 0),
        "region": (16345, 16345, 0),
    }
    series = _series(session, scope_kind="region", scope_code="6", skill_code="2090")[0]
    assert (series.scope_name_zh, series.skill_name_zh, series.skill_name_en) == (
        "西南", "跨境电商", "Cross-border e-commerce",
    )  # fmt: skip
    assert series.start_month == "2021-01" and len(series.values) == 30
    customs = _series(session, scope_kind="market", skill_code="925")[0]
    assert customs.skill_name_zh == "报关" and customs.scope_name_en == "Whole market"
    # Regions add up to the market, as the data set's README says.
    regions = _series(session, scope_kind="region", skill_code="925")
    assert len(regions) == 7
    assert [sum(v) for v in zip(*(r.values for r in regions), strict=True)] == customs.values
    again = import_job_sdf(factory, root, rejects_dir=tmp_path, rejects_beside_input=False)
    assert [(r.stored, r.unchanged) for r in again] == [(0, 2335), (0, 32690), (0, 16345)]


def test_cli_imports_a_folder(small_sdf: Path, tmp_path: Path) -> None:
    env = {"TALENTBRIDGE_DATA_DIR": str(tmp_path / "data"), "TALENTBRIDGE_DATABASE_URL": ""}
    result = CliRunner().invoke(app, ["import", "demand-series", str(small_sdf)], env=env)
    output = " ".join(result.output.split())
    assert result.exit_code == 0, output
    assert "demand_series" in output and "unknown skill id 9" in output
    missing = CliRunner().invoke(app, ["import", "demand-series", str(tmp_path / "nope")], env=env)
    assert missing.exit_code == 1 and "not a folder" in " ".join(missing.output.split())
