"""fct_report_sections: the sections of each sample report and of the format fixtures, with their types."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, SharedWarehouse, query, rows_by_file

SECTION_FIXTURES = ROOT / "tests" / "fixtures" / "sections"
# a 2021 report flattened to one line with every table cell run together (1265.38三、收到和处理…)
FORMAT_2021_ONE_LINE = ROOT / "tests" / "fixtures" / "tables" / "format_2021_one_line.txt"

FORMAT_2019_2021_HEADINGS = [
    (1, "overview", "一、总体情况"),
    (2, "proactive", "二、主动公开政府信息情况"),
    (3, "application", "三、收到和处理政府信息公开申请情况"),
    (4, "review_litigation", "四、政府信息公开行政复议、行政诉讼情况"),
    (5, "problems", "五、存在的主要问题及改进情况"),
    (6, "other", "六、其他需要报告的事项"),
]

SAMPLE_SECTIONS = {
    "000_d4ff795807e30615.txt": [
        (0, "preamble", None),
        (1, "other", "一、加强领导 完善制度,保障政府信息公开工作的顺利开展"),
        (2, "other", "二、学习借鉴 稳步推进,确保政府信息公开工作质量"),
        (3, "other", "三、结合实际 创新工作,扎实有效地开展政务公开工作"),
        (4, "problems", "四、主要问题及改进措施"),
    ],
    "001_082f890431297067.txt": [
        (1, "overview", "一、概述"),
        (2, "proactive", "二、主动公开政府信息情况"),
        (3, "application", "三、依申请公开政府信息、不予公开政府信息情况"),
        (4, "review_litigation", "四、申请行政复议、提起行政诉讼和申诉的情况"),
        (5, "fees", "五、政府信息公开收费及减免情况"),
        (6, "problems", "六、政府信息公开工作中存在的主要问题及改进情况"),
        (7, "other", "七、其他事项"),
        (8, "appendix_table", "八、附表"),
    ],
    "002_8415d511d2c02aaa.txt": [
        (0, "preamble", None),
        (1, "overview", "一、概述"),
        (2, "proactive", "二、主动公开政府信息情况"),
        (3, "application", "三、依申请公开及咨询政府信息情况"),
        (4, "fees", "四、工作人员及收费情况"),
        (5, "problems", "五、工作存在的主要问题和改进思路"),
    ],
    "003_571ed394d0d9efb0.txt": [
        (0, "preamble", None),
        (1, "overview", "一、概述"),
        (2, "proactive", "二、主动公开政府信息情况"),
        (3, "application", "三、政府信息依申请公开办理情况"),
        (4, "review_litigation", "四、因政府信息公开申请行政复议、提起行政诉讼的情况"),
        (5, "problems", "五、政府信息公开工作存在的主要问题及改进措施"),
    ],
    "004_81c7aeba41491e94.txt": [
        (0, "preamble", None),
        (1, "overview", "一、概述"),
        (2, "other", "二、政府信息公开情况"),
        (3, "problems", "三、存在问题及下步打算"),
    ],
}

FIXTURE_SECTIONS = {
    "format_2019_dated_2020.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "format_2021_huaian.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "one_line_sihong.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "pdf_qingjiangpu.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "news_page.txt": [(0, "preamble", None)],
    "pdftotext_hongze_district_2023.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "pdftotext_hongze_district_2024.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "pdftotext_huaian_city_2024.txt": [(0, "preamble", None), *FORMAT_2019_2021_HEADINGS],
    "appendix_unnumbered_yueyang.txt": [
        (0, "preamble", None),
        (1, "overview", "一、概述"),
        (2, "problems", "二、存在的主要问题及改进措施"),
        (3, "appendix_table", "附表:政府信息公开情况统计表"),
    ],
}


@pytest.fixture(scope="module")
def warehouse(shared_warehouse: SharedWarehouse) -> Path:
    """The shared warehouse: it holds the sample reports, the metadata, section and table fixtures."""
    return shared_warehouse.db_path


def sections_by_file(db_path: Path, columns: str = "section_no, section_type, heading") -> dict[str, list[tuple]]:
    sections: dict[str, list[tuple]] = {}
    for row in rows_by_file(db_path, f"select report_id, {columns} from marts.fct_report_sections"):
        sections.setdefault(row[0], []).append(row[1:])
    return sections


@pytest.mark.parametrize("file", sorted(SAMPLE_SECTIONS))
def test_sample_sections(warehouse: Path, file: str) -> None:
    assert sections_by_file(warehouse)[file] == SAMPLE_SECTIONS[file]


@pytest.mark.parametrize("file", sorted(FIXTURE_SECTIONS))
def test_fixture_sections(warehouse: Path, file: str) -> None:
    assert sections_by_file(warehouse)[file] == FIXTURE_SECTIONS[file]


def test_section_text_is_the_text_between_the_offsets(warehouse: Path) -> None:
    texts = dict(query(warehouse, "select report_id, text from staging.stg_reports"))
    rows = query(warehouse, "select report_id, start_offset, end_offset, section_text from marts.fct_report_sections")
    for report_id, start, end, section_text in rows:
        assert texts[report_id][start:end].strip(" \t") == section_text


def test_inline_headings_split_a_one_line_report(warehouse: Path) -> None:
    sections = sections_by_file(
        warehouse, "section_no, start_line_no, end_line_no, start_offset, end_offset, section_text"
    )
    assert [row[:5] for row in sections["one_line_sihong.txt"]] == [
        (0, 1, 1, 0, 21),
        (1, 1, 1, 21, 56),
        (2, 1, 1, 56, 120),
        (3, 1, 1, 120, 167),
        (4, 1, 1, 167, 197),
        (5, 1, 1, 197, 221),
        (6, 1, 1, 221, 253),
    ]
    assert sections["one_line_sihong.txt"][1][5] == "一、总体情况2019年,我县政府信息公开工作在宿迁市的指导下扎实推进。"


def test_page_numbers_end_no_section(warehouse: Path) -> None:
    sections = sections_by_file(warehouse, "section_no, start_line_no, end_line_no")
    assert sections["pdf_qingjiangpu.txt"] == [
        (0, 1, 2),
        (1, 3, 6),
        (2, 8, 10),
        (3, 12, 13),
        (4, 14, 15),
        (5, 17, 18),
        (6, 19, 20),
    ]


def test_table_rows_numbered_like_sections_are_skipped(warehouse: Path) -> None:
    # table 三 ends with the row 四、结转下年度继续办理 (numbers set apart by spaces) before section 四
    sections = sections_by_file(warehouse, "section_no, start_line_no, end_line_no")
    assert sections["pdftotext_huaian_city_2024.txt"][3:6] == [(3, 114, 201), (4, 206, 224), (5, 229, 243)]


def test_the_appendix_runs_to_the_end_of_the_table(warehouse: Path) -> None:
    sections = sections_by_file(warehouse, "section_no, start_line_no, end_line_no")
    assert sections["001_082f890431297067.txt"][-1] == (8, 31, 225)


# Reports flattened to one line by their site, one per generation (tests/fixtures/sections/README.md): every section
# of the template, with the offsets of its heading and of the next one (0-based, end exclusive), labelled by hand.
ONE_LINE_SECTIONS = {
    # corpus/real 116 (title, layout pipes, then the whole body on one line) completed with the seven parts its
    # preamble lists; traps: (一)公开的主要内容, 于一、二季度, a flattened local table ending 3 5三、, 一是/二是
    "one_line_legacy_haiyan_2008.txt": [
        (0, "preamble", None, 1, 5, 0, 291),
        (1, "overview", "一、概述", 5, 5, 291, 740),
        (2, "proactive", "二、主动公开政府信息情况", 5, 5, 740, 954),
        (3, "application", "三、依申请公开政府信息的情况", 5, 5, 954, 1002),
        (4, "review_litigation", "四、因政府信息公开申请行政复议和提起行政诉讼的情况", 5, 5, 1002, 1064),
        (5, "fees", "五、政府信息公开的收支情况", 5, 5, 1064, 1111),
        (6, "problems", "六、政府信息公开存在的主要问题和改进措施", 5, 5, 1111, 1189),
        (7, "other", "七、其他需要说明的事项", 5, 5, 1189, 1229),
    ],
    # corpus/real 121 (2019 template with legacy section names, cells run together) with its body on one line and
    # tables 三 and 四 run together too: 行政事业性收费00三、…, 一、本年新收… and 三、本年度办理结果 inside table 三,
    # 四、结转下年度继续办理0000000四、政府信息公开复议、诉讼情况
    "one_line_format_2019_dazhu_2019.txt": [
        (0, "preamble", None, 1, 5, 0, 302),
        (1, "overview", "一、概述", 5, 5, 302, 463),
        (2, "proactive", "二、主动公开政府信息情况", 5, 5, 463, 753),
        (3, "application", "三、依申请公开信息情况", 5, 5, 753, 1081),
        (4, "review_litigation", "四、政府信息公开复议、诉讼情况", 5, 5, 1081, 1186),
        (5, "problems", "五、存在的主要问题及改进情况", 5, 5, 1186, 1263),
        (6, "other", "六、其他需要报告的事项", 5, 5, 1263, 1293),
    ],
    # corpus/real 110 (2021 template, cells set apart by |) with everything after the title on one line: a preamble
    # listing the six parts with their numerals, sub-headings (二)依申请公开情况 and (三)申请行政复议…情况 in part 一,
    # table rows | 三、本年度办理结果 | and | 四、结转下年度继续办理 |
    "one_line_format_2021_haizhu_2023.txt": [
        (0, "preamble", None, 1, 2, 0, 253),
        (1, "overview", "一、总体情况", 2, 2, 253, 553),
        (2, "proactive", "二、主动公开政府信息情况", 2, 2, 553, 796),
        (3, "application", "三、收到和处理政府信息公开申请情况", 2, 2, 796, 1200),
        (4, "review_litigation", "四、政府信息公开行政复议、行政诉讼情况", 2, 2, 1200, 1346),
        (5, "problems", "五、存在的主要问题及改进情况", 2, 2, 1346, 1415),
        (6, "other", "六、其他需要报告的事项", 2, 2, 1415, 1454),
    ],
    # corpus/real 136 (a complete legacy report of seven parts, stored whole) with its lines run together
    "one_line_legacy_ziyang_nanxunxiang_2014.txt": [
        (0, "preamble", None, 1, 1, 0, 110),
        (1, "overview", "一、概述", 1, 1, 110, 354),
        (2, "proactive", "二、主动公开政府信息情况", 1, 1, 354, 387),
        (3, "application", "三、依申请公开政府信息情况", 1, 1, 387, 452),
        (4, "other", "四、政府信息公开咨询处理情况", 1, 1, 452, 482),
        (5, "review_litigation", "五、政府信息公开复议、诉讼情况", 1, 1, 482, 544),
        (6, "fees", "六、政府信息公开支出与收费", 1, 1, 544, 580),
        (7, "problems", "七、存在的主要问题和改进措施", 1, 1, 580, 645),
    ],
    # the same page as published, one heading a line: the same sections
    "legacy_ziyang_nanxunxiang_2014.txt": [
        (0, "preamble", None, 1, 1, 0, 110),
        (1, "overview", "一、概述", 2, 5, 111, 358),
        (2, "proactive", "二、主动公开政府信息情况", 6, 7, 359, 393),
        (3, "application", "三、依申请公开政府信息情况", 8, 9, 394, 460),
        (4, "other", "四、政府信息公开咨询处理情况", 10, 11, 461, 492),
        (5, "review_litigation", "五、政府信息公开复议、诉讼情况", 12, 13, 493, 556),
        (6, "fees", "六、政府信息公开支出与收费", 14, 15, 557, 594),
        (7, "problems", "七、存在的主要问题和改进措施", 16, 17, 595, 661),
    ],
    # every cell run together: 1265.38三、收到和处理…, 4000004四、政府信息公开行政复议…, and (一)主动公开。 in part 一
    "format_2021_one_line.txt": [
        (0, "preamble", None, 1, 1, 0, 233),
        (1, "overview", "一、总体情况", 1, 1, 233, 657),
        (2, "proactive", "二、主动公开政府信息情况", 1, 1, 657, 822),
        (3, "application", "三、收到和处理政府信息公开申请情况", 1, 1, 822, 1479),
        (4, "review_litigation", "四、政府信息公开行政复议、行政诉讼情况", 1, 1, 1479, 1589),
        (5, "problems", "五、存在的主要问题及改进情况", 1, 1, 1589, 1710),
        (6, "other", "六、其他需要报告的事项", 1, 1, 1710, 1783),
    ],
}


@pytest.mark.parametrize("file", sorted(ONE_LINE_SECTIONS))
def test_one_line_reports_keep_every_section(warehouse: Path, file: str) -> None:
    columns = "section_no, section_type, heading, start_line_no, end_line_no, start_offset, end_offset"
    assert sections_by_file(warehouse, columns)[file] == ONE_LINE_SECTIONS[file]


def test_one_line_sections_start_at_their_headings(warehouse: Path) -> None:
    rows = sections_by_file(warehouse, "section_no, heading, section_text")
    for file in ONE_LINE_SECTIONS:
        for section_no, heading, section_text in rows[file]:
            assert section_no == 0 or section_text.startswith(heading), (file, section_no)
    assert rows["one_line_format_2021_haizhu_2023.txt"][6][2] == (
        "六、其他需要报告的事项 无。 广州市海珠区官洲街道办事处 2024年1月22日"
    )
    assert rows["one_line_format_2019_dazhu_2019.txt"][3][2].endswith("四、结转下年度继续办理0000000")
