"""The demand map pages and API: overview, trends with forecasts, regions, occupation
profiles, downloads and who may see them."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker
from webtools import World, login

from demandtools import add_occupation, add_posting, add_taxonomy
from talentbridge.analytics.cube import refresh


@pytest.fixture()
def demand_store(world: World, factory: sessionmaker[Session]) -> dict[str, int]:
    """Two years of postings: 直播电商 rising, 快递 falling, in Chengdu and Chongqing."""
    with factory.begin() as session:
        ids = add_taxonomy(session, ["直播电商", "快递", "Excel"])
        ecom = add_occupation(session, "4-01-02-09", "跨境电子商务师")
        courier = add_occupation(session, "4-02-07-01", "快递员")
        for year, live, express in (("2024", 3, 9), ("2025", 9, 3)):
            for month in range(1, 13):
                stamp = f"{year}-{month:02d}"
                for i in range(live):
                    add_posting(session, month=stamp, place="510107" if i % 2 else "500112",
                                occupation_id=ecom, salary=(8000, 10000),
                                concepts=[ids["直播电商"], ids["Excel"]])  # fmt: skip
                for i in range(express):
                    add_posting(session, month=stamp, place="510107" if i % 3 else "110000",
                                occupation_id=courier, salary=(5000, 6000),
                                concepts=[ids["快递"]])  # fmt: skip
    refresh(factory)
    return ids | {"ecom": ecom, "courier": courier}


def test_overview_shows_totals_charts_and_tables(
    client: TestClient, demand_store: dict[str, int]
) -> None:
    login(client, "analyst")
    page = client.get("/demand")
    assert page.status_code == 200, page.text
    text = page.text
    assert "2025-01 – 2025-12" in text  # the default period: the last 12 months
    assert "跨境电子商务师" in text and "直播电商" in text
    assert text.count("data-plotly-figure=") >= 3
    assert "/demand/download/top-skills.csv?region=all&amp;start=2025-01&amp;end=2025-12" in text
    assert "<script>" not in text
    assert f"/demand/occupations/{demand_store['ecom']}?" in text


def test_filters_change_the_numbers(client: TestClient, demand_store: dict[str, int]) -> None:
    login(client, "analyst")
    everywhere = client.get("/api/v1/demand/totals?start=2025-01&end=2025-12").json()
    chongqing = client.get("/api/v1/demand/totals?region=p:500000&start=2025-01&end=2025-12").json()
    assert everywhere["postings"] == 12 * 12
    assert chongqing["postings"] == 12 * 5  # live commerce i = 0, 2, 4, 6, 8 of 9 a month
    assert client.get("/api/v1/demand/totals?region=x:1").status_code == 422
    assert client.get("/api/v1/demand/totals?start=2025-13&end=2025-12").status_code == 422


def test_trends_list_rising_and_falling_and_forecast_the_series(
    client: TestClient, demand_store: dict[str, int]
) -> None:
    login(client, "analyst")
    movers = client.get("/api/v1/demand/movers?start=2025-01&end=2025-12").json()
    assert {r["label_zh"] for r in movers["rising"]["rows"]} == {
        "直播电商",
        "Excel",
    }  # Excel goes with it
    assert [r["label_zh"] for r in movers["falling"]["rows"]] == ["快递"]
    series = client.get(f"/api/v1/demand/series?concept_id={demand_store['直播电商']}").json()
    assert series["months"][0] == "2024-01" and len(series["values"]) == 24
    assert series["values"][:2] == [3, 3] and series["values"][-1] == 9
    forecast = series["forecast"]
    assert forecast["status"] == "ok" and len(forecast["point"]) == 6
    assert (
        forecast["backtest"]["baseline"].startswith("seasonal_naive")
        or forecast["backtest"]["baseline"] == "naive"
    )
    page = client.get("/demand/trends")
    assert page.status_code == 200
    assert "上升最快的技能" in page.text and "直播电商" in page.text
    assert "预测模型" in page.text and "回测" in page.text


def test_regions_page_and_location_quotients(
    client: TestClient, demand_store: dict[str, int]
) -> None:
    login(client, "analyst")
    data = client.get("/api/v1/demand/regions?start=2025-01&end=2025-12").json()
    express = next(r for r in data["skills"]["rows"] if r["label_zh"] == "快递")
    # 快递: 36 postings everywhere of 144; Beijing ("elsewhere") holds 12 of its 12 postings
    assert express["elsewhere_postings"] == 12 and express["elsewhere_lq"] == 4.0
    page = client.get("/demand/regions")
    assert page.status_code == 200 and "区位商" in page.text


def test_occupation_profile_page(client: TestClient, demand_store: dict[str, int]) -> None:
    login(client, "analyst")
    page = client.get(f"/demand/occupations/{demand_store['ecom']}")
    assert page.status_code == 200
    assert "跨境电子商务师" in page.text and "Excel" in page.text
    assert client.get("/demand/occupations/999999").status_code == 404
    api = client.get(f"/api/v1/demand/occupations/{demand_store['ecom']}/skills").json()
    assert {r["label_zh"]: r["share"] for r in api["rows"]} == {"直播电商": 1.0, "Excel": 1.0}


def test_every_table_downloads_as_csv_and_xlsx(
    client: TestClient, demand_store: dict[str, int]
) -> None:
    login(client, "analyst")
    query = "region=all&start=2025-01&end=2025-12"
    for name in ("top-skills", "top-occupations", "rising-skills", "falling-skills",
                 "region-overview", "region-comparison"):  # fmt: skip
        response = client.get(f"/demand/download/{name}.csv?{query}")
        assert response.status_code == 200, name
        assert response.content.startswith(b"\xef\xbb\xbf")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert len(rows) >= 2, name
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(f"/demand/download/top-skills.xlsx?{query}").content)
    )
    sheet = book.active
    assert sheet is not None and sheet.cell(2, 2).value == "直播电商"
    series = client.get(f"/demand/download/series.csv?{query}&concept_id={demand_store['快递']}")
    assert series.status_code == 200 and "2025-12" in series.text
    assert client.get(f"/demand/download/nothing.csv?{query}").status_code == 404
    assert client.get(f"/demand/download/top-skills.pdf?{query}").status_code == 400


def test_students_and_anonymous_users_do_not_get_the_demand_map(
    client: TestClient, demand_store: dict[str, int]
) -> None:
    assert client.get("/api/v1/demand/top-skills").status_code == 401
    assert client.get("/demand", follow_redirects=False).status_code in (303, 401)


def test_an_empty_cube_says_so(client: TestClient, world: World) -> None:
    login(client, "analyst")
    page = client.get("/demand")
    assert page.status_code == 200 and "还没有可统计的招聘信息" in page.text
    assert client.get("/api/v1/demand/top-skills").status_code == 404
