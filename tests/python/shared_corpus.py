"""The corpus of the shared warehouse: every fixture report that read-only tests assert on, built once per session.

Each source goes to a folder of its own (sample/, quality/, ...); the file names stay unique across the corpus, so
a test finds its reports by file name (conftest.rows_by_file, or `regexp_extract(source_path, '[^/]+$')`) and
filters its assertions to them. A report a test needs that is no fixture file is generated here (GENERATED).
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"
SEEDS = ROOT / "seeds"

# folder in the corpus -> the fixture files copied into it
COPIED = {
    "sample": ROOT / "data" / "sample",
    "quality": FIXTURES / "quality",
    "metadata": FIXTURES / "metadata",
    "sections": FIXTURES / "sections",
    "tables": FIXTURES / "tables",
    "prose": FIXTURES / "prose",
}

PROSE_TITLE = "某县人民政府2014年政府信息公开工作年度报告\n"
PROSE_TITLE_2021 = "某县人民政府2021年政府信息公开工作年度报告\n"

# test_tables.py: table edge cases, one report each
EDGE_REPORTS = {
    # a legacy table whose fee row is printed in 元: the indicator is in 万元
    "yuan.txt": "\n".join(
        [
            "某县2015年政府信息公开工作年度报告",
            "政府信息公开情况统计表",
            "（一）主动公开政府信息数\t条\t120",
            "（一）收到申请数\t件\t3",
            "四、行政复议数量\t件\t0",
            "七、依申请公开信息收取的费用\t元\t500",
        ]
    ),
    # the same table printed twice, once with another figure: no value for that cell
    "twice.txt": "\n".join(
        [
            "某镇2016年政府信息公开工作年度报告",
            "政府信息公开情况统计表",
            "（一）主动公开政府信息数\t条\t80",
            "（一）收到申请数\t件\t2",
            "四、行政复议数量\t件\t0",
            "附表（重复）",
            "（一）主动公开政府信息数\t条\t80",
            "（一）收到申请数\t件\t5",
            "四、行政复议数量\t件\t0",
        ]
    ),
    # prose that names table rows but is no table: nothing
    "prose.txt": "某局2017年政府信息公开工作年度报告\n全年收到申请数12件，主动公开政府信息数300条，行政复议数量为0。\n",
}

# test_tables.py: a 2021 review table whose run holds one digit per cell (its upheld row breaks a rule)
ONE_DIGIT_PER_CELL_HEADING = (
    "四、政府信息公开行政复议、行政诉讼情况行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计"
    + "未经复议直接起诉复议后起诉"
    + "结果维持结果纠正其他结果尚未审结总计" * 2
)
ONE_DIGIT_PER_CELL = (
    f"某县2021年政府信息公开工作年度报告{ONE_DIGIT_PER_CELL_HEADING}100000000000000五、存在的主要问题\n"
)


# test_tables.py: the 2019 report of the one-line fixtures under an issuer of its own, so no report of the year
# after settles its runs; and a space-separated table whose label runs into its first cell (12 8: two cells of three)
LONE_RUNS_TITLE = "孤山县审计局2019年政府信息公开工作年度报告\n"
SPACED_2021 = """某县人民政府2021年政府信息公开工作年度报告
二、主动公开政府信息情况
第二十条第（一）项
信息内容 本年制发件数 本年废止件数 现行有效件数
规章 0 0 0
行政规范性文件12 8
第二十条第（五）项
信息内容 本年处理决定数量
行政许可 1265
第二十条第（六）项
信息内容 本年处理决定数量
行政处罚 87
行政强制 3
"""


# test_tables.py: two reports whose tables a reader handed over as cells (raw.report_table_cells), written beside the
# landed text before the build (land_reader_cells): cells_2021.txt (its text has no table), cells_2015.txt (its text
# lines say 3 where the cells say 5)
READER_CELLS_2021 = "某区人民政府2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n见下表。\n"
READER_CELL_LINES_2015 = ["（一）主动公开政府信息数\t条\t120", "（一）收到申请数\t件\t3", "四、行政复议数量\t件\t0"]
READER_CELLS_2015 = (
    "某乡2015年政府信息公开工作年度报告\n政府信息公开情况统计表\n" + "\n".join(READER_CELL_LINES_2015) + "\n"
)


def reader_cells_2021() -> list[list[list[str]]]:
    """The 2021 report's two tables as a reader lands them: cells, spans expanded."""
    span = ["三、本年度办理结果"]
    rows = [
        ["申请人情况"] * 3 + ["自然人"] + ["法人或其他组织"] * 5 + ["总计"],
        ["申请人情况"] * 3 + ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"],
        ["一、本年新收政府信息公开申请数量"] * 3 + ["51", "3", "0", "0", "1", "0", "55"],
        ["二、上年结转政府信息公开申请数量"] * 3 + ["0", "0", "0", "0", "0", "0", ""],
        [*span, "（一）予以公开", "（一）予以公开", "40", "3", "0", "0", "1", "0", "44"],
        [*span, "（三）不予公开", "1.属于国家秘密", "/", "0", "0", "0", "0", "0", "0"],
    ]
    review = [
        ["行政复议"] * 5 + ["行政诉讼"] * 10,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] + ["未经复议直接起诉"] * 5 + ["复议后起诉"] * 5,
        ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"] * 3,
        ["1", "0", "0", "0", "1", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0"],
    ]
    return [rows, review]


READER_CELLS = {
    "cells_2021.txt": (READER_CELLS_2021, reader_cells_2021()),
    "cells_2015.txt": (
        READER_CELLS_2015,
        [[["（一）主动公开政府信息数", "条", "120"], ["（一）收到申请数", "件", "5"], ["四、行政复议数量", "件", "0"]]],
    ),
}
"""file name -> (its text, its tables as a reader's cells)."""


def land_reader_cells(work: Path) -> None:
    """Write the cells of READER_CELLS into the landed work file `work`, as a reader would have."""
    con = duckdb.connect(str(work))
    try:
        report_ids = dict(
            con.execute("select regexp_extract(source_path, '[^/]+$'), report_id from raw.reports").fetchall()
        )
        rows = [
            (report_ids[file], table_no, row_no, col_no, text)
            for file, (_, tables) in READER_CELLS.items()
            for table_no, table in enumerate(tables, start=1)
            for row_no, row in enumerate(table, start=1)
            for col_no, text in enumerate(row, start=1)
        ]
        con.executemany("insert into raw.report_table_cells values (?, ?, ?, ?, ?)", rows)
    finally:
        con.close()


# test_long_lines.py: a report with no line breaks, 3 MB: real reports' texts with their line breaks removed (a legacy
# report in prose and a format_2021 report flattened to one line, tables run together), over and over
LONG_FILE = "one_line_repeated.txt"
LONG_TEMPLATES = [ROOT / "data/sample/002_8415d511d2c02aaa.txt", FIXTURES / "tables/format_2021_one_line.txt"]
LONG_BYTES = 3 * 1024 * 1024


def long_line_text() -> str:
    """The text of LONG_FILE: the LONG_TEMPLATES without line breaks, repeated to LONG_BYTES of UTF-8 (whole copies)."""
    text = "".join(template.read_text(encoding="utf-8").replace("\n", "") for template in LONG_TEMPLATES)
    return text * -(-LONG_BYTES // len(text.encode("utf-8")))


def lone_runs() -> dict[str, str]:
    one_line = (FIXTURES / "tables" / "format_2019_one_line_2019.txt").read_text(encoding="utf-8")
    return {"format_2019_one_line_2019_alone.txt": LONE_RUNS_TITLE + one_line, "spaced_2021.txt": SPACED_2021}


def seed_rows(name: str) -> list[dict[str, str]]:
    (path,) = SEEDS.glob(f"*/{name}.csv")  # seeds/<kind>/<name>.csv
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def example_sentence(example: str) -> str:
    """The sentence of a seed example, without the remark in brackets after it."""
    return example.split(" (")[0].split(" / ")[0]


def prose_examples() -> dict[str, str]:
    """test_prose.py: one report per cue example of the seeds (a 2014 report, or a 2021 one for a code only the
    2019/2021 templates have, such as outcome_total)."""
    formats = {row["code"]: row["formats"].split("|") for row in seed_rows("indicators")}
    reports = {}
    for seed in ("prose_figure_cues", "prose_negation_cues"):
        for row in seed_rows(seed):
            legacy = {"legacy", "prose"} & set(formats[row["indicator_code"]])
            text = (PROSE_TITLE if legacy else PROSE_TITLE_2021) + example_sentence(row["example"]) + "。\n"
            reports[f"example_{seed}_{row['cue_id']}.txt"] = text
    return reports


def generated() -> dict[str, dict[str, str]]:
    """folder in the corpus -> {file name: text} of the reports written for the tests."""
    return {
        "prose_examples": prose_examples(),
        "table_edges": {name: text + "\n" for name, text in EDGE_REPORTS.items()},
        "table_runs": {"one_digit_per_cell_2021.txt": ONE_DIGIT_PER_CELL, **lone_runs()},
        "reader_cells": {name: text for name, (text, _) in READER_CELLS.items()},
        "long_lines": {LONG_FILE: long_line_text()},
    }


def write_shared_corpus(corpus: Path) -> list[str]:
    """Write the corpus under `corpus`; the names of its files (unique, checked)."""
    names: list[str] = []
    for folder, source in COPIED.items():
        (corpus / folder).mkdir(parents=True)
        for path in sorted(source.glob("*.txt")):
            shutil.copy(path, corpus / folder / path.name)
            names.append(path.name)
    for folder, reports in generated().items():
        (corpus / folder).mkdir(parents=True)
        for name, text in reports.items():
            (corpus / folder / name).write_text(text, encoding="utf-8")
            names.append(name)
    # test_build.py: a file the ingest rejects (empty) warns, and the build goes on
    (corpus / "rejected").mkdir()
    (corpus / "rejected" / "empty.txt").write_bytes(b"")
    names.append("empty.txt")
    duplicates = sorted({name for name in names if names.count(name) > 1})
    assert not duplicates, f"two files of the shared corpus have the same name: {duplicates}"
    return sorted(names)
