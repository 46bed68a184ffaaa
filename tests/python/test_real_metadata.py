"""dim_reports on the 30 real openings of shared/corpus/real: the gold metadata of tests/fixtures/real/real_reports.csv,
field by field, with the fields the warehouse still gets wrong listed as known misses (their value today), so that
fixing one and breaking another both fail."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from conftest import ROOT, SharedWarehouse, rows_by_file

GOLD = ROOT / "tests" / "fixtures" / "real" / "real_reports.csv"
# the openings as copied into the project (tests/fixtures/real), else where they are shared
SHARED_REAL = ROOT.parent / "shared" / "corpus" / "real"
REAL_DIR = GOLD.parent if (GOLD.parent / "101_longgang_qzfgzbm_2024.txt").is_file() else SHARED_REAL
FIELDS = [
    "report_year",
    "issuer",
    "province",
    "city",
    "county",
    "admin_level",
    "template_version",
    "publish_date",
    "script",
]

# (file, field): the value the warehouse gives today, where gold says otherwise ("" is null)
KNOWN_MISSES: dict[tuple[str, str], str] = {
    # the excerpt names no body and no place (深圳市龙岗区 is in the page address only)
    ("101_longgang_qzfgzbm_2024.txt", "province"): "",
    ("101_longgang_qzfgzbm_2024.txt", "city"): "",
    ("101_longgang_qzfgzbm_2024.txt", "county"): "",
    ("101_longgang_qzfgzbm_2024.txt", "admin_level"): "",
    # 揭东分局 and 揭东区 only: the full name of the 分局 is nowhere in the text
    ("106_jiedong_gonganfenju_2019.txt", "issuer"): "",
    ("106_jiedong_gonganfenju_2019.txt", "province"): "",
    ("106_jiedong_gonganfenju_2019.txt", "city"): "",
    ("106_jiedong_gonganfenju_2019.txt", "county"): "",
    # a subdistrict whose text names no place
    ("110_guangzhou_haizhu_guanzhoujiedao_2023.txt", "province"): "",
    ("110_guangzhou_haizhu_guanzhoujiedao_2023.txt", "city"): "",
    ("110_guangzhou_haizhu_guanzhoujiedao_2023.txt", "county"): "",
    # the text's 由洪江区沅江路街道办事处编制 wins over the title's 沅江路街道; 洪江区 is no division of the seed
    ("112_hongjiang_yuanjianglujiedao_2023.txt", "issuer"): "洪江区沅江路街道办事处",
    ("112_hongjiang_yuanjianglujiedao_2023.txt", "county"): "",
    # townships whose text names no county or city
    ("121_dazhu_chuanzhuxiang_2019.txt", "province"): "",
    ("121_dazhu_chuanzhuxiang_2019.txt", "city"): "",
    ("121_dazhu_chuanzhuxiang_2019.txt", "county"): "",
    ("122_kangle_shangwanxiang_2019.txt", "province"): "",
    ("122_kangle_shangwanxiang_2019.txt", "city"): "",
    ("122_kangle_shangwanxiang_2019.txt", "county"): "",
    ("124_weishan_niujiexiang_2019.txt", "province"): "",
    ("124_weishan_niujiexiang_2019.txt", "city"): "",
    ("124_weishan_niujiexiang_2019.txt", "county"): "",
    # 我乡 and 南薰乡 written without 人民政府; no county named
    ("136_ziyang_nanxunxiang_2014.txt", "issuer"): "",
    ("136_ziyang_nanxunxiang_2014.txt", "province"): "",
    ("136_ziyang_nanxunxiang_2014.txt", "city"): "",
    ("136_ziyang_nanxunxiang_2014.txt", "county"): "",
    # 由伊宁县人民政府办公室编制: the office that compiled the county's report reads as a department
    ("137_yining_xian_2014_mirror.txt", "admin_level"): "department",
}


def gold_rows() -> dict[str, dict[str, str]]:
    with GOLD.open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle)}


@pytest.fixture(scope="module")
def warehouse(real_warehouse: SharedWarehouse) -> Path:
    """The warehouse of scripts/score_real.py's inputs (conftest.real_warehouse): it holds every opening of the
    gold."""
    if GOLD.parent != REAL_DIR:
        pytest.skip(f"{GOLD.parent} holds no report texts")
    assert set(gold_rows()) <= set(real_warehouse.files)
    return real_warehouse.db_path


@pytest.fixture(scope="module")
def built(warehouse: Path) -> dict[str, dict[str, str]]:
    rows = rows_by_file(warehouse, f"select report_id, {', '.join(FIELDS)} from marts.dim_reports")
    return {row[0]: {f: "" if v is None else str(v) for f, v in zip(FIELDS, row[1:], strict=True)} for row in rows}


def test_the_gold_covers_every_opening() -> None:
    assert len(gold_rows()) == 30


@pytest.mark.parametrize("file", sorted(gold_rows()))
def test_real_opening_metadata(built: dict[str, dict[str, str]], file: str) -> None:
    gold = gold_rows()[file]
    expected = {field: KNOWN_MISSES.get((file, field), gold[field]) for field in FIELDS}
    assert built[file] == expected


def test_known_misses_are_misses() -> None:
    gold = gold_rows()
    assert all(gold[file][field] != value for (file, field), value in KNOWN_MISSES.items())


def test_share_of_scored_fields_right(built: dict[str, dict[str, str]]) -> None:
    # the fields shared/spec/score.py scores (all but county, where gold has a value)
    scored = [
        (file, field) for file, row in gold_rows().items() for field in FIELDS if field != "county" and row[field]
    ]
    right = [key for key in scored if built[key[0]][key[1]] == gold_rows()[key[0]][key[1]]]
    assert (len(right), len(scored)) == (195, 214)
