"""dim_reports: the acceptance metadata of the five sample reports, and one fixture per resolution rule."""

from __future__ import annotations

import csv
import datetime
from pathlib import Path

import pytest
from conftest import ROOT, SharedWarehouse, rows_by_file

ACCEPTANCE_COLUMNS = [
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

# file: (issuer, report_year, province, city, county, region_code, admin_level, template_version, publish_date)
FIXTURES: dict[str, tuple] = {
    "ambiguous_chaoyang.txt": (
        "朝阳区人民政府", 2017, "吉林省", "长春市", "朝阳区", "220104", "county", "legacy", None,
    ),
    "prefecture_hami.txt": (
        "哈密地区行政公署", 2014, "新疆维吾尔自治区", "哈密地区", None, "652200", "city", "legacy", None,
    ),
    "province_administered_jiyuan.txt": (
        "济源市人民政府", 2016, "河南省", "济源市", None, "419001", "city", "legacy", datetime.date(2017, 3, 28),
    ),
    "development_zone_luoyang.txt": (
        "洛阳市高新技术产业开发区管理委员会", 2017, "河南省", "洛阳市", None, "410300", "county", "legacy",
        datetime.date(2018, 3, 15),
    ),
    "township_sanshi.txt": (
        "三市镇人民政府", 2018, "湖南省", "岳阳市", "平江县", "430626", "township", "legacy",
        datetime.date(2019, 1, 25),
    ),
    "ocr_shuyang.txt": ("沭阳县人民政府", 2016, "江苏省", "宿迁市", "沭阳县", "321322", "county", "legacy", None),
    # 沐阴县: two characters off 沭阳县, so no division; 莆江县: one confusable character off both 浦江县 (金华市)
    # and 蒲江县 (成都市), both named in the text, so a tie left unresolved
    "ocr_two_characters_off.txt": (None, 2016, None, None, None, None, None, "legacy", None),
    "ocr_ambiguous_pujiang.txt": (None, 2017, None, None, None, None, None, "legacy", None),
    "news_page.txt": (None, None, None, None, None, None, None, None, datetime.date(2019, 5, 10)),
    "format_2019_dated_2020.txt": (
        "南京市玄武区人民政府", 2020, "江苏省", "南京市", "玄武区", "320102", "county", "format_2019",
        datetime.date(2021, 1, 29),
    ),
    "format_2021_huaian.txt": (
        "淮安市淮安区人民政府", 2021, "江苏省", "淮安市", "淮安区", "320803", "county", "format_2021", None,
    ),
    "one_line_sihong.txt": (
        "泗洪县人民政府", 2019, "江苏省", "宿迁市", "泗洪县", "321324", "county", "format_2019",
        datetime.date(2020, 1, 20),
    ),
    "pdf_qingjiangpu.txt": (
        "淮安市清江浦区人民政府", 2022, "江苏省", "淮安市", "清江浦区", "320812", "county", "format_2021", None,
    ),
    # the title names the body; the office that signs drafted it for the government
    "one_line_signed_by_office_jinan.txt": (
        "六安市金安区人民政府", 2022, "安徽省", "六安市", "金安区", "341502", "county", "format_2021",
        datetime.date(2023, 1, 16),
    ),
    # a markdown title (# ...) names a department
    "markdown_title_wuhou.txt": (
        "成都市武侯区市场监督管理局", 2023, "四川省", "成都市", "武侯区", "510107", "department", "format_2021", None,
    ),
    "subdistrict_chinese_date.txt": (
        "胜利街道办事处", 2019, None, None, None, None, "township", "format_2019", datetime.date(2020, 1, 16),
    ),
    "appendix_unnumbered_yueyang.txt": (
        "岳阳县人民政府", 2015, "湖南省", "岳阳市", "岳阳县", "430621", "county", "legacy", None,
    ),
    "department_yueyang_education.txt": (
        "岳阳县教育局", 2018, "湖南省", "岳阳市", "岳阳县", "430621", "department", "legacy", None,
    ),
    "province_henan.txt": ("河南省人民政府", 2015, "河南省", None, None, "410000", "province", "legacy", None),
    "municipality_district_beijing_chaoyang.txt": (
        "北京市朝阳区人民政府", 2019, "北京市", "北京市", "朝阳区", "110105", "county", "format_2019", None,
    ),
    "league_xilingol.txt": (
        "锡林郭勒盟行政公署", 2016, "内蒙古自治区", "锡林郭勒盟", None, "152500", "city", "legacy", None,
    ),
    "county_level_city_yicheng.txt": (
        "宜城市人民政府", 2016, "湖北省", "襄阳市", "宜城市", "420684", "county", "legacy", None,
    ),
    "development_zone_short_name_xinxiang.txt": (
        "新乡高新区管委会", 2016, "河南省", "新乡市", None, "410700", "county", "legacy", None,
    ),
    # pdftotext -layout of the three PDFs in shared/corpus/pdf: titles over two lines, "-1-" page numbers
    "pdftotext_hongze_district_2023.txt": (
        "洪泽区人民政府", 2023, "江苏省", "淮安市", "洪泽区", "320813", "county", "format_2021", None,
    ),
    "pdftotext_hongze_district_2024.txt": (
        "淮安市洪泽区人民政府", 2024, "江苏省", "淮安市", "洪泽区", "320813", "county", "format_2021", None,
    ),
    "pdftotext_huaian_city_2024.txt": (
        "淮安市人民政府", 2024, "江苏省", "淮安市", None, "320800", "city", "format_2021", None,
    ),
    # real openings (shared/corpus/real), one per rule of issue 17
    # a title that begins with the year names the body after it; the page's 发布机构 is not it
    "real_year_first_title_gaoqing.txt": (
        "高青县畜牧局", 2008, "山东省", "淄博市", "高青县", "370322", "department", "legacy",
        datetime.date(2009, 2, 19),
    ),
    # no title: the year from the opening sentence (2023年,在区委…), the body from a sentence it is the subject of;
    # no place is named, so none is given
    "real_opening_year_subdistrict_guanzhou.txt": (
        "官洲街道办事处", 2023, None, None, None, None, "township", "format_2021", None,
    ),
    # the title says only 公安局: the text names 白水县公安局, and 白水县 places it
    "real_department_named_after_county_baishui.txt": (
        "白水县公安局", 2019, "陕西省", "渭南市", "白水县", "610527", "department", "format_2019", None,
    ),
    # page header fields as markdown bullets (- 发布日期: 2026-02-09) are page furniture, not the title
    "real_header_bullets_kaiyuan.txt": (
        "开远市人民政府", 2025, "云南省", "红河哈尼族彝族自治州", "开远市", "532502", "county", "format_2021",
        datetime.date(2026, 2, 9),
    ),
    # a report inside a cover letter: 【制定机关】 names the body, 【公布日期】 dates it
    "real_law_database_header_wuwei.txt": (
        "武威市人民政府", 2020, "甘肃省", "武威市", None, "620600", "city", "format_2019",
        datetime.date(2021, 3, 3),
    ),
    # 现公布白城市农业农村局2024年政府信息公开工作年度报告: the opening sentence is no title but names the body
    "real_announced_issuer_baicheng_agriculture.txt": (
        "白城市农业农村局", 2024, "吉林省", "白城市", None, "220800", "department", "format_2021", None,
    ),
    # 结合国家税务总局芜湖市镜湖区税务局(以下简称…)
    "real_compiled_by_jinghu_tax.txt": (
        "国家税务总局芜湖市镜湖区税务局", 2022, "安徽省", "芜湖市", "镜湖区", "340202", "department", "format_2021",
        None,
    ),
    # a subdistrict named in a sentence, placed by the one county the text names
    "real_subdistrict_in_text_donghu.txt": (
        "东湖街道办事处", 2023, "浙江省", "绍兴市", "越城区", "330602", "township", "format_2021", None,
    ),
    # 由洪江区沅江路街道办事处编制: 洪江区 is no division of the list; the one city the text names places it
    "real_subdistrict_city_only_hongjiang.txt": (
        "洪江区沅江路街道办事处", 2023, "湖南省", "怀化市", None, "431200", "township", "format_2021", None,
    ),
    # page header as pipe rows (发文日期 | 2018-02-28 |); 发布机构 | 市政府办 is no body: the opening sentence names it
    "real_pipe_header_taizhou.txt": (
        "泰州市人民政府", 2017, "江苏省", "泰州市", None, "321200", "city", "legacy", datetime.date(2018, 2, 28),
    ),
    # no title, no body named: the place the opening sentence is about (2020年,武汉市坚持…)
    "real_opening_place_wuhan.txt": (
        "武汉市人民政府", 2020, "湖北省", "武汉市", None, "420100", "city", "format_2019", None,
    ),
    # 来源:区人民政府办公室 时间:2017-01-12 10:01
    "real_source_time_header_jinan.txt": (
        "福州市晋安区人民政府", 2016, "福建省", "福州市", "晋安区", "350111", "county", "legacy",
        datetime.date(2017, 1, 12),
    ),
    # a title followed by the pipes of its layout table cell
    "real_layout_pipes_title_haiyan.txt": (
        "海盐县核电事故场外应急办公室", 2008, "浙江省", "嘉兴市", "海盐县", "330424", "department", "legacy", None,
    ),
    # no title, no body named, 揭东分局 and 我局: a department; 2019年,揭东分局… gives the year
    "real_we_bureau_jiedong.txt": (None, 2019, None, None, None, None, "department", "format_2019", None),
    # 我市 and 瑞安市 named: a county-level city whose name no other division bears is written without its city
    "real_self_reference_county_city_ruian.txt": (
        "瑞安市人民政府", 2012, "浙江省", "温州市", "瑞安市", "330381", "county", "legacy", None,
    ),
    # a cut page: only the header's date (2020-01-15) says which year it reports on
    "header_date_year_only.txt": (
        None, 2019, None, None, None, None, "department", "format_2019", datetime.date(2020, 1, 15),
    ),
    # a municipality's office: the municipality is its province
    "municipality_office_beijing.txt": (
        "北京市人民政府办公厅", 2019, "北京市", None, None, "110000", "department", "format_2019", None,
    ),
    # zones whose name carries no division (seed zone_regions): their city, else their province
    "zone_pingtan.txt": ("平潭综合实验区管委会", 2018, "福建省", "福州市", None, "350100", "county", "legacy", None),
    "zone_xiongan.txt": ("雄安新区管理委员会", 2020, "河北省", None, None, "130000", "county", "format_2019", None),
}  # fmt: skip


@pytest.fixture(scope="module")
def warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds the sample reports and the metadata fixtures."""
    return shared_warehouse.db_path


def as_text(value: object) -> str:
    return "" if value is None else str(value)


def test_samples_match_the_acceptance_metadata(warehouse: Path) -> None:
    with (ROOT / "tests" / "acceptance" / "seed_reports.csv").open(encoding="utf-8") as handle:
        expected = {row["file"]: [row[column] for column in ACCEPTANCE_COLUMNS] for row in csv.DictReader(handle)}

    rows = rows_by_file(warehouse, f"select report_id, {', '.join(ACCEPTANCE_COLUMNS)} from marts.dim_reports")
    actual = {row[0]: [as_text(value) for value in row[1:]] for row in rows if row[0] in expected}

    assert actual == expected


def test_samples_are_annual_reports_with_their_titles_and_codes(warehouse: Path) -> None:
    rows = rows_by_file(
        warehouse,
        "select report_id, title, region_code, is_annual_report, not_annual_report_reason, "
        "char_count > 0, source_path_count from marts.dim_reports",
    )
    assert [row for row in rows if row[0][:3].isdigit()] == [
        ("000_d4ff795807e30615.txt", "新乡市高新技术产业开发区管委会2015年度政府信息公开工作报告", "410700",
         True, None, True, 1),
        ("001_082f890431297067.txt", None, "220104", True, None, True, 1),
        ("002_8415d511d2c02aaa.txt", None, "652100", True, None, True, 1),
        ("003_571ed394d0d9efb0.txt", None, "430621", True, None, True, 1),
        ("004_81c7aeba41491e94.txt", "济源市2013年政府信息公开工作年度报告", "419001", True, None, True, 1),
    ]  # fmt: skip


@pytest.mark.parametrize("file", sorted(FIXTURES))
def test_fixture_metadata(warehouse: Path, file: str) -> None:
    rows = rows_by_file(
        warehouse,
        "select report_id, issuer, report_year, province, city, county, region_code, admin_level, "
        "template_version, publish_date from marts.dim_reports",
    )
    assert {row[0]: row[1:] for row in rows}[file] == FIXTURES[file]


def test_a_news_page_is_not_an_annual_report(warehouse: Path) -> None:
    rows = rows_by_file(
        warehouse, "select report_id, is_annual_report, not_annual_report_reason from marts.dim_reports"
    )
    flags = {row[0]: row[1:] for row in rows}
    assert flags["news_page.txt"] == (False, "no_annual_report_cue")
    # a page cut before its report cue (only 一、总体情况 and headings of the template survive)
    assert flags["real_we_bureau_jiedong.txt"] == (False, "no_annual_report_cue")
    not_reports = {"news_page.txt", "real_we_bureau_jiedong.txt"}
    assert all(flag == (True, None) for file, flag in flags.items() if file not in not_reports)


def test_places_are_matched_with_their_zone_and_kind(warehouse: Path) -> None:
    rows = rows_by_file(
        warehouse,
        "select report_id, zone, matched_text, name, code, match_kind from intermediate.int_report_places_matched "
        "where zone = 'subject'",
    )
    subject_matches = [
        row
        for row in rows
        if row[0]
        in {"ocr_shuyang.txt", "ambiguous_chaoyang.txt", "ocr_two_characters_off.txt", "ocr_ambiguous_pujiang.txt"}
    ]
    assert subject_matches == [
        ("ambiguous_chaoyang.txt", "subject", "朝阳区", "朝阳区", "110105", "exact"),
        ("ambiguous_chaoyang.txt", "subject", "朝阳区", "朝阳区", "220104", "exact"),
        ("ocr_shuyang.txt", "subject", "沐阳县", "沭阳县", "321322", "ocr"),
    ]


def test_a_misread_name_two_divisions_can_be_is_a_quality_issue(warehouse: Path) -> None:
    rows = rows_by_file(
        warehouse,
        "select report_id, rule, severity, issue_sentence, evidence, line_no, start_offset "
        "from marts.fct_quality_issues where rule = 'place_name_ambiguous'",
    )
    assert rows == [
        (
            "ocr_ambiguous_pujiang.txt",
            "place_name_ambiguous",
            "warn",
            "莆江县 (in the subject) is no division; read with one confusable character otherwise, it is any of 2 "
            "divisions of the places the text names: 浦江县 (330726), 蒲江县 (510131). No region is taken from it.",
            "莆江县",
            1,
            0,
        )
    ]
