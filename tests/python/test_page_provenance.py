"""Provenance a reader can follow to the page: a PDF value's page number, a table value's labels as printed, PDF
evidence without the spaces of the text layer, and the URL an HTML page was saved from.

The session's documents warehouse (test_readers.write_documents_corpus) holds the three real PDFs of
../shared/corpus/pdf (their page numbers checked by opening them: huaian_city_2024.pdf prints 行政许可 447228 on
page 3 and 行政事业性收费 96171.6 on page 4) and the HTML fixtures (tests/fixtures/html:
saved_page_with_canonical_link.html names its URL, format_2021_markdown.html none).
"""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, query, zfxxgk

from ingest.land import connect
from ingest.readers.html import HtmlReader
from ingest.readers.pdf import PdfReader
from zfxxgk.publish import work_database_path

CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "pdf"
HTML_FIXTURES = ROOT / "tests" / "fixtures" / "html"
SAVED_PAGE = HTML_FIXTURES / "saved_page_with_canonical_link.html"
CANONICAL_URL = "https://www.example-county.gov.cn/zwgk/ndbg/202401/t20240118_4512.html"
OG_URL = "https://m.example-county.gov.cn/zwgk/ndbg/202401/t20240118_4512.html"
SAVED_FROM_URL = "http://www.example-county.gov.cn/zwgk/ndbg/202401/t20240118_4512.html"
PDF_NAMES = ("hongze_district_2023", "hongze_district_2024", "huaian_city_2024")
PAGE_FILES = ", ".join(
    f"'{name}'" for name in [*(f"{pdf}.pdf" for pdf in PDF_NAMES), SAVED_PAGE.name, "format_2021_markdown.html"]
)
"""The files of the documents warehouse these tests are about (it holds other readers' files too)."""

VALUES_BY_FILE = """
    select regexp_extract(d.source_path, '[^/]+$') as file, v.*
    from marts.fct_indicator_values as v join marts.dim_reports as d using (report_id)
"""


def needs_corpus() -> None:
    if not CORPUS_PDF.is_dir():
        pytest.skip("../shared/corpus is not beside this checkout")


@pytest.fixture(scope="module")
def page_warehouse(documents_warehouse: Path) -> Path:
    """The session's documents warehouse (test_readers.write_documents_corpus): the PDFs and the saved page."""
    return documents_warehouse


# --- the readers ---------------------------------------------------------------------------------------------------


def test_the_pdf_reader_counts_the_lines_each_page_gives() -> None:
    needs_corpus()
    path = CORPUS_PDF / "hongze_district_2023.pdf"
    result = PdfReader().read(path.read_bytes(), path)
    assert result.page_line_counts == (12, 11, 50, 44, 3)
    assert sum(result.page_line_counts) == result.raw_text.count("\n")


def test_a_form_feed_inside_a_pdf_line_counts_as_the_line_break_normalization_makes_of_it() -> None:
    from ingest.readers.pdf import _page_line_counts

    assert _page_line_counts([["一行", "二\f行"], [], ["三行\u2028四行"]]) == (3, 0, 2)


def test_the_html_reader_takes_the_canonical_link_then_og_url_then_the_saved_from_comment() -> None:
    data = SAVED_PAGE.read_bytes()
    assert HtmlReader().read(data, SAVED_PAGE).source_url == CANONICAL_URL
    without_canonical = data.replace(b'<link rel="canonical"', b'<link rel="alternate"')
    assert HtmlReader().read(without_canonical, SAVED_PAGE).source_url == OG_URL
    only_comment = without_canonical.replace(b'property="og:url"', b'property="og:title"')
    assert HtmlReader().read(only_comment, SAVED_PAGE).source_url == SAVED_FROM_URL
    relative = only_comment.replace(b"saved from url=", b"saved by").replace(b"alternate", b"canonical")
    relative = relative.replace(CANONICAL_URL.encode(), b"/zwgk/ndbg/202401/t20240118_4512.html")
    assert HtmlReader().read(relative, SAVED_PAGE).source_url is None
    markdown = HTML_FIXTURES / "format_2021_markdown.html"
    assert HtmlReader().read(markdown.read_bytes(), markdown).source_url is None


# --- the warehouse -------------------------------------------------------------------------------------------------


def test_each_page_of_a_pdf_lands_with_the_line_it_starts_on(page_warehouse: Path) -> None:
    rows = query(
        page_warehouse,
        """
        select p.page_no, p.first_line_no, p.line_count
        from raw.report_pages as p join raw.reports as r using (report_id)
        where r.source_path like '%/huaian_city_2024.pdf'
        order by p.page_no
        """,
    )
    assert rows == [(1, 1, 7), (2, 8, 6), (3, 14, 12), (4, 26, 47), (5, 73, 56), (6, 129, 4)]
    assert query(page_warehouse, "select count(distinct report_id), count(*) from raw.report_pages") == [(3, 16)]


def test_a_pdf_value_carries_its_page_and_a_table_value_its_labels_as_printed(page_warehouse: Path) -> None:
    rows = query(
        page_warehouse,
        f"""
        select indicator_code, value, page_no, line_no, table_label, row_label, column_label, evidence
        from ({VALUES_BY_FILE})
        where file = 'huaian_city_2024.pdf' and applicant_type = 'total'
            and indicator_code in ('proactive_via_website', 'licensing_decisions', 'fee_amount', 'outcome_total')
        order by page_no, line_no
        """,
    )
    assert rows == [
        ("proactive_via_website", Decimal(5500), 1, 7, None, None, None, "市政府网站主动公开各类政府信息 5500 余条"),
        ("licensing_decisions", Decimal(447228), 3, 24, "二、主动公开政府信息情况", "行政许可", "本年处理决定数量",
         "行政许可 447228"),
        ("fee_amount", Decimal("96171.6"), 4, 31, "二、主动公开政府信息情况", "行政事业性收费",
         "本年收费金额（单位：万元）", "行政事业性收费 96171.6"),
        ("outcome_total", Decimal(3050), 5, 95, "三、收到和处理政府信息公开申请情况", "(七)总计", "总计",
         "(七)总计 2932 53 0 0 61 4 3050"),
    ]  # fmt: skip


def test_every_pdf_value_has_a_page_and_no_other_value_has_one(page_warehouse: Path) -> None:
    rows = query(
        page_warehouse,
        f"""
        select file, count(*), count(page_no), min(page_no), max(page_no)
        from ({VALUES_BY_FILE})
        where file in ({PAGE_FILES})
        group by file order by file
        """,
    )
    assert rows == [
        ("format_2021_markdown.html", 208, 0, None, None),
        ("hongze_district_2023.pdf", 188, 188, 1, 5),
        ("hongze_district_2024.pdf", 189, 189, 1, 5),
        ("huaian_city_2024.pdf", 212, 212, 1, 6),
        ("saved_page_with_canonical_link.html", 3, 0, None, None),
    ]


def test_pdf_evidence_loses_the_spaces_between_han_characters_and_the_offsets_still_index_the_text(
    page_warehouse: Path,
) -> None:
    rows = query(
        page_warehouse,
        f"""
        select v.page_no, v.line_no, v.raw_cell_text, v.evidence,
            substr(r.text, v.start_offset + 1, v.end_offset - v.start_offset), l.line
        from ({VALUES_BY_FILE}) as v
        join staging.stg_reports as r using (report_id)
        join staging.stg_report_lines as l on v.report_id = l.report_id and v.line_no = l.line_no
        where v.file = 'hongze_district_2023.pdf' and v.indicator_code = 'litigation_direct_pending'
            and v.applicant_type = 'total'
        """,
    )
    # the row's label runs over two lines of the text as landed (尚未 审结 / 总 计10 1 0 ...): the evidence joins them
    line = "总 计10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"
    assert rows == [(4, 115, "0", "尚未审结总计10 1 0 0 0 0 0 0 0 0 5 0 0 0 0", "0", line)]
    issues = query(
        page_warehouse,
        """
        select i.rule, i.page_no, i.line_no, i.evidence
        from marts.fct_quality_issues as i join marts.dim_reports as d using (report_id)
        where d.source_path like '%/hongze_district_2023.pdf'
        """,
    )
    evidence = "尚未审结总计10 1 0 0 0 0 0 0 0 0 5 0 0 0 0"
    assert issues == [("parts_differ_from_total", 4, 115, evidence)] * 2


def test_an_html_pages_values_carry_the_url_it_was_saved_from_and_keep_their_spaces(page_warehouse: Path) -> None:
    """Only a PDF's text layer spaces characters apart: the page's 其中&nbsp;通过 stays as written."""
    rows = query(
        page_warehouse,
        f"""
        select file, indicator_code, value, source_url, page_no, table_label, line_no, evidence
        from ({VALUES_BY_FILE})
        where file like '%.html' and source_url is not null
        order by file, line_no, start_offset
        """,
    )
    page, url = "saved_page_with_canonical_link.html", CANONICAL_URL
    assert rows == [
        (page, "proactive_total", Decimal(3120), url, None, None, 4, "某县人民政府全年共主动公开政府信息3120条"),
        (page, "proactive_via_website", Decimal(2860), url, None, None, 4, "其中 通过政府网站公开信息2860条"),
        (page, "applications_received", Decimal(46), url, None, None, 5, "全年共收到政府信息公开申请46件"),
    ]
    assert query(
        page_warehouse,
        f"select regexp_extract(source_path, '[^/]+$') as file, source_url from marts.dim_reports "
        f"where file in ({PAGE_FILES}) order by 1",
    ) == [
        ("format_2021_markdown.html", None),
        ("hongze_district_2023.pdf", None),
        ("hongze_district_2024.pdf", None),
        ("huaian_city_2024.pdf", None),
        ("saved_page_with_canonical_link.html", CANONICAL_URL),
    ]


# --- existing warehouses -------------------------------------------------------------------------------------------


def test_a_warehouse_landed_before_pages_and_urls_reads_its_pdfs_and_pages_again(tmp_path: Path) -> None:
    """A warehouse whose raw.reports has no source_url column gets it; files read by the reader versions before
    (PDF 1.0.0, HTML 1.2.0) are read again and take their pages and URL."""
    needs_corpus()
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(CORPUS_PDF / "hongze_district_2024.pdf", corpus / "r.pdf")
    shutil.copy(SAVED_PAGE, corpus / "r.html")
    db_path = tmp_path / "zfxxgk.duckdb"
    assert zfxxgk("ingest", str(corpus), "--db", str(db_path)).returncode == 0
    landed = work_database_path(db_path)
    con = duckdb.connect(str(landed))
    con.execute("alter table raw.reports drop column source_url")
    con.execute("update raw.reports set reader_version = case reader when 'pdf' then '1.0.0' else '1.2.0' end")
    con.execute("delete from raw.report_pages")
    con.close()
    con = connect(str(landed))  # the landing connection adds the column
    assert con.execute("select count(*), count(source_url) from raw.reports").fetchall() == [(2, 0)]
    con.close()
    assert zfxxgk("ingest", str(corpus), "--db", str(db_path)).returncode == 0
    assert query(landed, "select reader, reader_version, source_url from raw.reports order by reader") == [
        ("html", HtmlReader.version, CANONICAL_URL),
        ("pdf", PdfReader.version, None),
    ]
    assert query(landed, "select page_no, first_line_no, line_count from raw.report_pages order by page_no") == [
        (1, 1, 10),
        (2, 11, 10),
        (3, 21, 49),
        (4, 70, 46),
        (5, 116, 3),
    ]
