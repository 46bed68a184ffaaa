"""HTML, PDF and DOCX readers: text in reading order, tables handed over as cells, bad files rejected.

The warehouse test loads the three real PDFs of ../shared/corpus/pdf, an HTML page and a DOCX carrying the tables
of the markdown table fixture, and files that must be refused, and checks that they give the same values as the
text fixtures with the same tables.
"""

from __future__ import annotations

import io
import shutil
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, query, zfxxgk
from test_office_readers import write_office_files
from test_tables import VALUES_BY_FILE, expected_of, spec_rule_breaks, values_of

from ingest.read import LoadedFile, ReadTask, read_file
from ingest.readers import reader_for
from ingest.rejections import Rejection, RejectionReason
from ingest.tables import SourceCell, expand_spans
from zfxxgk.publish import work_database_path

HTML_FIXTURES = ROOT / "tests" / "fixtures" / "html"
TABLE_FIXTURES = ROOT / "tests" / "fixtures" / "tables"
CORPUS_PDF = ROOT.parent / "shared" / "corpus" / "pdf"
SPEC = ROOT.parent / "shared" / "spec"
PDF_NAMES = ["hongze_district_2023", "hongze_district_2024", "huaian_city_2024"]
TITLE = "某县人民政府2023年政府信息公开工作年度报告"


def read(path: Path) -> LoadedFile | Rejection:
    outcome = read_file(ReadTask(str(path), None, 20 * 1024 * 1024))
    assert not isinstance(outcome, str)
    return outcome  # type: ignore[return-value]


def grid_of(loaded: LoadedFile, table_no: int) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for cell in loaded.cells:
        if cell.table_no == table_no:
            rows.setdefault(cell.row_no, {})[cell.col_no] = cell.cell_text
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


# --- spans ---------------------------------------------------------------------------------------------------------


def test_spans_fill_every_position_labels_repeat_and_values_pad() -> None:
    rows = [
        [SourceCell("申请人情况", rowspan=2), SourceCell("法人或其他组织", colspan=2), SourceCell("总计", rowspan=2)],
        [SourceCell("商业企业"), SourceCell("科研机构")],
        [SourceCell("行政许可"), SourceCell("12", colspan=3)],
    ]
    assert expand_spans(rows) == [
        ["申请人情况", "法人或其他组织", "法人或其他组织", "总计"],
        ["申请人情况", "商业企业", "科研机构", "总计"],
        ["行政许可", "12", "", ""],
    ]


# --- HTML ----------------------------------------------------------------------------------------------------------


def page(body: str, head: str = "") -> str:
    return (
        f"<html><head>{head}<title>{TITLE}_某县人民政府</title></head><body>"
        '<div class="nav"><a href="/">首页</a><a>政务公开</a><a>政务服务</a><a>互动交流</a></div>'
        '<div class="breadcrumb">当前位置：<a>首页</a> &gt; <a>信息公开年报</a></div>'
        f'<div class="content"><h1>{TITLE}</h1><div id="zoom">{body}</div></div>'
        '<div class="bdsharebuttonbox"><a>分享到微信</a><a>分享到微博</a></div>'
        '<div class="footer">版权所有：某县人民政府办公室 <a>网站地图</a> <a>联系我们</a></div></body></html>'
    )


TABLE_HTML = (
    "<p>一、总体情况</p><p>全年主动公开政府信息<b>1136</b>条。</p>"
    '<table border="1"><tr><td rowspan="2">信息内容</td><td colspan="2">本年</td></tr>'
    "<tr><td>制发件数</td><td>废止件数</td></tr>"
    "<tr><td>规章</td><td>0</td><td>1</td></tr></table><p>二、存在的问题</p>"
)


def test_a_gbk_page_declared_in_a_meta_tag_gives_its_content_without_navigation(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    path.write_bytes(page(TABLE_HTML, meta).encode("gbk"))
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert (loaded.reader, loaded.encoding) == ("html", "gb18030")
    assert loaded.raw_text.splitlines() == [
        TITLE,
        "一、总体情况",
        "全年主动公开政府信息1136条。",
        "信息内容\t本年",
        "制发件数\t废止件数",
        "规章\t0\t1",
        "二、存在的问题",
    ]
    assert grid_of(loaded, 1) == [
        ["信息内容", "本年", "本年"],
        ["信息内容", "制发件数", "废止件数"],
        ["规章", "0", "1"],
    ]


def test_a_gbk_page_with_a_damaged_character_loads_in_its_declared_charset_with_a_note(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    meta = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
    data = bytearray(page(TABLE_HTML, meta).encode("gbk"))
    offset = data.index("二、存在的问题".encode("gbk")) + 5  # the second byte of 存
    data[offset] = 0xFF
    path.write_bytes(bytes(data))

    loaded = read(path)

    assert isinstance(loaded, LoadedFile)
    assert (loaded.reader, loaded.encoding) == ("html", "gb18030")
    assert loaded.decode_note == f"2 undecodable bytes replaced by U+FFFD at byte offset {offset - 1}"
    assert loaded.raw_text.splitlines()[-1] == "二、\ufffd\ufffd在的问题"


def test_the_publication_date_in_the_page_header_is_kept_after_the_title(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    header = '<div class="info">发布时间：2024-01-15 来源：某县人民政府办公室</div>'
    body = "<p>一、总体情况</p><p>" + "本年度，我县认真贯彻落实政府信息公开条例，扎实推进政务公开工作。" * 12 + "</p>"
    path.write_text(page(body).replace('<div class="content">', header + '<div class="content">'))
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert loaded.raw_text.splitlines()[:3] == [TITLE, "发布时间：2024-01-15", "一、总体情况"]


@pytest.mark.parametrize(
    ("encode", "encoding"),
    [
        (lambda text: text.encode("gb18030"), "gb18030"),  # no declaration: detected
        (lambda text: "\ufeff".encode() + text.encode("utf-8"), "utf-8"),  # a BOM settles it
    ],
)
def test_an_undeclared_charset_is_detected(tmp_path: Path, encode, encoding: str) -> None:
    path = tmp_path / "r.htm"
    path.write_bytes(encode(page(TABLE_HTML * 3)))
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert loaded.encoding == encoding
    assert "全年主动公开政府信息1136条。" in loaded.raw_text
    assert "首页" not in loaded.raw_text and "分享到微信" not in loaded.raw_text


def test_a_layout_table_around_the_content_is_no_data_table(tmp_path: Path) -> None:
    path = tmp_path / "r.html"
    body = f"<table><tr><td><a>首页</a></td></tr><tr><td>{TABLE_HTML}</td></tr></table>"
    path.write_text(page(body), encoding="utf-8")
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert {cell.table_no for cell in loaded.cells} == {1}
    assert grid_of(loaded, 1)[2] == ["规章", "0", "1"]


# --- PDF -----------------------------------------------------------------------------------------------------------


def make_pdf(path: Path, *, table: bool = True, image_only: bool = False, password: str | None = None) -> None:
    """A two-page Chinese PDF (reportlab's CID font STSong-Light): prose, a ruled table with spans, page numbers."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path), pagesize=A4)
    width, height = A4
    if image_only:
        from reportlab.lib.utils import ImageReader

        png = io.BytesIO()
        from PIL import Image

        Image.new("RGB", (200, 100), "white").save(png, format="PNG")
        c.drawImage(ImageReader(io.BytesIO(png.getvalue())), 50, 500, 400, 200)
        c.showPage()
        c.save()
        return
    for page_no in (1, 2):
        c.setFont("STSong-Light", 10)
        c.drawString(50, height - 30, "某县人民政府办公室")  # running header
        c.setFont("STSong-Light", 12)
        c.drawCentredString(width / 2, 30, f"- {page_no} -")
        if page_no == 1:
            c.drawString(50, height - 80, TITLE)
            c.drawString(50, height - 110, "一、总体情况")
            c.drawString(50, height - 130, "全年主动公开政府信息1136条。")
            if table:
                x = [50, 150, 250, 350]
                y = [height - 200, height - 220, height - 240, height - 260]
                # 信息内容 spans two rows, 本年 two columns
                c.line(x[0], y[0], x[3], y[0])
                c.line(x[1], y[1], x[3], y[1])
                c.line(x[0], y[2], x[3], y[2])
                c.line(x[0], y[3], x[3], y[3])
                for xi in (x[0], x[1], x[3]):
                    c.line(xi, y[0], xi, y[3])
                c.line(x[2], y[1], x[2], y[3])
                c.drawString(x[0] + 5, y[1] - 5, "信息内容")
                c.drawString(x[1] + 55, y[0] - 15, "本年")
                c.drawString(x[1] + 5, y[1] - 15, "制发件数")
                c.drawString(x[2] + 5, y[1] - 15, "废止件数")
                c.drawString(x[0] + 5, y[2] - 15, "规章")
                c.drawString(x[1] + 5, y[2] - 15, "0")
                c.drawString(x[2] + 5, y[2] - 15, "1")
        else:
            c.drawString(50, height - 80, "二、存在的主要问题及改进情况")
        c.showPage()
    c.save()
    if password:
        from pypdf import PdfReader, PdfWriter

        writer = PdfWriter(clone_from=PdfReader(str(path)))
        writer.encrypt(user_password=password, owner_password=password, algorithm="RC4-128")
        with path.open("wb") as handle:
            writer.write(handle)


def test_a_pdf_gives_its_text_without_page_numbers_or_running_headers_and_its_table_as_cells(tmp_path: Path) -> None:
    path = tmp_path / "r.pdf"
    make_pdf(path)
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert (loaded.reader, loaded.encoding) == ("pdf", "pdf-text")
    lines = loaded.raw_text.splitlines()
    assert lines[0] == TITLE
    assert "全年主动公开政府信息1136条。" in lines
    assert "二、存在的主要问题及改进情况" in lines
    assert not any("- 1 -" in line or "- 2 -" in line or line == "某县人民政府办公室" for line in lines)
    assert grid_of(loaded, 1) == [
        ["信息内容", "本年", "本年"],
        ["信息内容", "制发件数", "废止件数"],
        ["规章", "0", "1"],
    ]


@pytest.mark.parametrize(
    ("kind", "reason"),
    [
        ("scan", RejectionReason.NO_TEXT_LAYER),
        ("encrypted", RejectionReason.ENCRYPTED),
        ("truncated", RejectionReason.CORRUPT),
    ],
)
def test_a_pdf_that_cannot_be_read_is_rejected_with_its_reason(tmp_path: Path, kind: str, reason: str) -> None:
    path = tmp_path / f"{kind}.pdf"
    make_pdf(path, image_only=kind == "scan", password="secret" if kind == "encrypted" else None)
    if kind == "truncated":
        path.write_bytes(path.read_bytes()[:300])
    outcome = read(path)
    assert isinstance(outcome, Rejection)
    assert outcome.reason == reason


def compressed_text_pdf(pages: int, lines: int, chars: int) -> bytes:
    """A PDF of `pages` pages, each one compressed content stream of `lines` lines of `chars` characters (the page
    number, then letters): 20 kB for 50 pages of 40 lines of 1,000 give 1.9 million characters of text."""
    import zlib

    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages)), pages),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    resources = b"/MediaBox [0 0 1000 1000] /Resources << /Font << /F1 3 0 R >> >>"
    for page in range(pages):
        line = b"(%05d" % page + b"A" * (chars - 5) + b") Tj T* "
        stream = zlib.compress(b"BT /F1 1 Tf 2 TL 10 990 Td " + line * lines + b"ET", 9)
        objects.append(b"<< /Type /Page /Parent 2 0 R %s /Contents %d 0 R >>" % (resources, 5 + 2 * page))
        objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def test_a_pdf_whose_compressed_pages_give_more_text_than_the_limit_is_too_large_by_that_page(tmp_path: Path) -> None:
    """Each page gives 40 lines of 1,000 characters and 39 line breaks (\r\n: 40,078 characters): page 25 passes
    the limit of 1,000,000, and the reader stops there instead of extracting the 50 pages (1.9 million characters)."""
    path = tmp_path / "bomb.pdf"
    path.write_bytes(compressed_text_pdf(pages=50, lines=40, chars=1000))
    assert path.stat().st_size < 25_000

    outcome = read_file(ReadTask(str(path), None, 1_000_000))

    assert isinstance(outcome, Rejection), outcome
    assert outcome.reason == RejectionReason.TOO_LARGE
    assert outcome.detail == (
        "1,001,950 characters of text produced by page 25 of 50, over the limit of 1,000,000 (the file size limit); "
        "if it is a real report, raise the limit with --max-file-mb or ZFXXGK_MAX_FILE_MB"
    )
    loaded = read_file(ReadTask(str(path), None, 3_000_000))
    assert isinstance(loaded, LoadedFile)
    # each page's first and last lines differ only in the page number: a running header and footer, dropped
    assert len(loaded.raw_text) == 50 * 38 * 1001 == 1_901_900


# --- DOCX ----------------------------------------------------------------------------------------------------------


def table_origins(table) -> list[tuple[int, int, int, int, str]]:
    """(row, col, rowspan, colspan, text) of an HTML table's cells, placed as browsers place them."""
    taken: set[tuple[int, int]] = set()
    origins = []
    for r, tr in enumerate(table.css("tr")):
        c = 0
        for cell in tr.css("td, th"):
            while (r, c) in taken:
                c += 1
            rs, cs = int(cell.attributes.get("rowspan") or 1), int(cell.attributes.get("colspan") or 1)
            taken.update((r + i, c + j) for i in range(rs) for j in range(cs))
            origins.append((r, c, rs, cs, cell.text(deep=True).strip()))
            c += cs
    return origins


def make_docx(path: Path, source_html: Path) -> None:
    """A Word document with the HTML fixture's title, paragraphs and tables, merged cells where the page spans them."""
    import docx
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(source_html.read_bytes().decode("gb18030"))
    document = docx.Document()
    document.add_paragraph(tree.css_first("h1").text(deep=True))
    for node in tree.css_first("#zoom").iter():
        if node.tag == "p":
            document.add_paragraph(node.text(deep=True))
        elif node.tag == "table":
            origins = table_origins(node)
            table = document.add_table(
                rows=max(r + rs for r, _, rs, _, _ in origins), cols=max(c + cs for _, c, _, cs, _ in origins)
            )
            for r, c, rs, cs, text in origins:
                cell = table.cell(r, c)
                if rs > 1 or cs > 1:
                    cell = cell.merge(table.cell(r + rs - 1, c + cs - 1))
                cell.text = text
    document.add_paragraph("附件：本报告的Word版本")  # not the same text as the page: not a duplicate of it
    document.save(str(path))


def utf8_page_without_full_width(source_html: Path) -> bytes:
    """A GB2312 page re-encoded as UTF-8 (its charset declaration too), full-width ASCII folded to half-width: its
    text normalizes to what the original's does, and normalization leaves it as it is."""
    from ingest.normalize import FULL_WIDTH, HALF_WIDTH

    text = source_html.read_bytes().decode("gb18030").replace("charset=gb2312", "charset=utf-8")
    return text.translate(str.maketrans(dict(zip(FULL_WIDTH, HALF_WIDTH, strict=True)))).encode("utf-8")


# --- the warehouse -------------------------------------------------------------------------------------------------


SAVED_PAGE = HTML_FIXTURES / "saved_page_with_canonical_link.html"


def write_documents_corpus(corpus: Path) -> list[str]:
    """The real PDFs, HTML pages, Word and Excel files (test_office_readers.write_office_files) and bad files of
    every kind: the corpus of the session's documents warehouse (conftest.documents_warehouse), which this file's,
    test_office_readers.py's and test_page_provenance.py's tests read."""
    corpus.mkdir(parents=True)
    for name in PDF_NAMES:
        shutil.copy(CORPUS_PDF / f"{name}.pdf", corpus / f"{name}.pdf")
    # the page in UTF-8 with half-width punctuation, so that normalization changes nothing of its text, and the same
    # page as a mirror site serves it: other bytes (a script), the same text, so the same report
    page = utf8_page_without_full_width(HTML_FIXTURES / "format_2021_markdown.html")
    (corpus / "format_2021_markdown.html").write_bytes(page)
    (corpus / "format_2021_markdown_mirror.html").write_bytes(
        page.replace(b"</head>", b"<script>var mirror = 1;</script></head>", 1)
    )
    shutil.copy(SAVED_PAGE, corpus / SAVED_PAGE.name)
    make_docx(corpus / "format_2021_markdown.docx", HTML_FIXTURES / "format_2021_markdown.html")
    make_pdf(corpus / "scan.pdf", image_only=True)
    make_pdf(corpus / "encrypted.pdf", password="secret")
    (corpus / "truncated.pdf").write_bytes((CORPUS_PDF / "hongze_district_2024.pdf").read_bytes()[:400])
    (corpus / "broken.docx").write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    write_office_files(corpus)
    return sorted(path.name for path in corpus.iterdir())


@pytest.fixture(scope="module")
def reader_warehouse(documents_warehouse: Path) -> Path:
    return documents_warehouse


@pytest.mark.parametrize("name", PDF_NAMES)
def test_the_real_pdfs_give_the_values_of_their_text_layers(reader_warehouse: Path, name: str) -> None:
    expected = expected_of(TABLE_FIXTURES / f"pdf_text_{name}.expected.csv")
    assert values_of(reader_warehouse, f"{name}.pdf") == expected


@pytest.mark.parametrize("file", ["format_2021_markdown.html", "format_2021_markdown.docx"])
def test_an_html_page_and_a_docx_give_the_values_of_the_same_tables_as_text(reader_warehouse: Path, file: str) -> None:
    expected = expected_of(TABLE_FIXTURES / "format_2021_markdown.expected.csv")
    assert values_of(reader_warehouse, file) == expected


def test_a_mirrored_page_that_differs_only_in_a_script_counts_once_in_the_marts(reader_warehouse: Path) -> None:
    reports = query(
        reader_warehouse,
        """
        select regexp_extract(source_path, '[^/]+$'), source_path_count, issuer_key, report_year
        from marts.dim_reports
        where source_path like '%format_2021_markdown%' and source_path not like '%.xlsx'
        order by 1
        """,
    )
    assert [row[:2] for row in reports] == [("format_2021_markdown.docx", 1), ("format_2021_markdown.html", 2)]
    (_, _, issuer_key, report_year), _ = reports
    panel = query(
        reader_warehouse,
        f"select report_count from marts.mart_issuer_year_panel "
        f"where issuer_key = '{issuer_key}' and report_year = {report_year}",
    )
    assert panel == [(3,)]  # the page, its Word version and its tables as a workbook (other texts), not the mirror


def test_the_real_pdfs_load_with_their_metadata_reader_and_cells(reader_warehouse: Path) -> None:
    rows = query(
        reader_warehouse,
        """
        select regexp_extract(r.source_path, '[^/]+$'), r.reader, r.reader_version, d.report_year, d.issuer,
            d.province, d.city, d.county, d.region_code, d.template_version,
            (select count(distinct table_no) from raw.report_table_cells as c where c.report_id = r.report_id) > 0
        from staging.stg_reports as r join marts.dim_reports as d using (report_id)
        where r.reader = 'pdf'
        order by 1
        """,
    )
    assert rows == [
        ("hongze_district_2023.pdf", "pdf", "1.1.0", 2023, "洪泽区人民政府", "江苏省", "淮安市", "洪泽区", "320813",
         "format_2021", True),
        ("hongze_district_2024.pdf", "pdf", "1.1.0", 2024, "淮安市洪泽区人民政府", "江苏省", "淮安市", "洪泽区",
         "320813", "format_2021", True),
        ("huaian_city_2024.pdf", "pdf", "1.1.0", 2024, "淮安市人民政府", "江苏省", "淮安市", None, "320800",
         "format_2021", True),
    ]  # fmt: skip


def test_hongze_2023s_inconsistent_table_is_a_quality_issue_and_nothing_else_is(reader_warehouse: Path) -> None:
    issues = query(
        reader_warehouse,
        """
        select regexp_extract(r.source_path, '[^/]+$'), i.issue_kind, i.table_kind, i.row_key
        from intermediate.int_table_extraction_issues as i join staging.stg_reports as r using (report_id)
        order by all
        """,
    )
    assert issues == []
    quality = query(
        reader_warehouse,
        """
        select regexp_extract(r.source_path, '[^/]+$'), q.rule, q.severity, q.indicator_codes, q.applicant_type,
            q.expected_value, q.actual_value, q.issue_sentence
        from marts.fct_quality_issues as q join staging.stg_reports as r using (report_id)
        where q.severity = 'error'
        order by all
        """,
    )
    assert quality == [
        (
            "hongze_district_2023.pdf",
            "parts_differ_from_total",
            "error",
            "litigation_after_review_total,litigation_after_review_corrected,litigation_after_review_other,"
            "litigation_after_review_pending,litigation_after_review_upheld",
            "total",
            Decimal(5),
            Decimal(0),
            "The parts of litigation_after_review_total (复议后起诉 总计) [total] sum to 5, but the total is 0 "
            "(table, line 115): litigation_after_review_corrected 0 + litigation_after_review_other 0 + "
            "litigation_after_review_pending 0 + litigation_after_review_upheld 5.",
        ),
        (
            "hongze_district_2023.pdf",
            "parts_differ_from_total",
            "error",
            "reconsideration_total,reconsideration_corrected,reconsideration_other,reconsideration_pending,"
            "reconsideration_upheld",
            "total",
            Decimal(11),
            Decimal(0),
            "The parts of reconsideration_total (行政复议数量 / 行政复议 总计) [total] sum to 11, but the total is 0 "
            "(table, line 115): reconsideration_corrected 1 + reconsideration_other 0 + reconsideration_pending 0 + "
            "reconsideration_upheld 10.",
        ),
    ]


def test_reader_values_obey_the_spec_rules_except_where_the_pdf_breaks_them(
    reader_warehouse: Path, tmp_path: Path
) -> None:
    assert spec_rule_breaks(reader_warehouse, VALUES_BY_FILE, tmp_path) == [
        "hongze_district_2023.pdf [total]: sum of reconsideration_total parts = 11 != 0",
        "hongze_district_2023.pdf [total]: sum of litigation_after_review_total parts = 5 != 0",
    ]


def test_bad_files_are_rejected_with_their_reason_and_the_batch_goes_on(reader_warehouse: Path) -> None:
    rows = query(
        reader_warehouse,
        "select regexp_extract(source_path, '[^/]+$'), reason from raw.ingest_rejections "
        "where not regexp_matches(source_path, '[.](doc|xls|xlsx)$') order by 1",
    )
    assert rows == [
        ("broken.docx", "corrupt"),
        ("encrypted.pdf", "encrypted"),
        ("scan.pdf", "no_text_layer"),
        ("truncated.pdf", "corrupt"),
    ]


def test_reader_cells_land_beside_the_text(reader_warehouse: Path) -> None:
    rows = query(
        reader_warehouse,
        """
        select r.reader, count(distinct r.report_id), count(*) > 0
        from raw.reports as r join raw.report_table_cells as c using (report_id)
        where r.reader in ('docx', 'html', 'pdf')
        group by r.reader order by 1
        """,
    )
    assert rows == [("docx", 1, True), ("html", 1, True), ("pdf", 3, True)]


def test_a_docx_reader_is_registered() -> None:
    assert reader_for(Path("a.DOCX")).name == "docx"
    assert reader_for(Path("a.pdf")).name == "pdf"
    assert reader_for(Path("a.htm")).name == "html"


def test_a_report_read_by_an_older_reader_version_is_read_again_with_its_cells(tmp_path: Path) -> None:
    import duckdb

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "r.html").write_text(page(TABLE_HTML))
    db_path = tmp_path / "zfxxgk.duckdb"
    assert zfxxgk("ingest", str(corpus), "--db", str(db_path)).returncode == 0
    landed = work_database_path(db_path)
    cells_sql = "select count(*) from raw.report_table_cells"
    [(cells,)] = query(landed, cells_sql)
    assert cells == 9
    con = duckdb.connect(str(landed))
    con.execute("update raw.reports set reader_version = '0.9.0'")
    con.execute("delete from raw.report_table_cells where row_no = 3")
    con.close()
    again = zfxxgk("ingest", str(corpus), "--db", str(db_path))
    assert again.returncode == 0
    assert query(landed, "select reader, reader_version from raw.reports") == [
        ("html", reader_for(Path("a.html")).version)
    ]
    assert query(landed, cells_sql) == [(9,)]
    # read by the current version: the next run does not read it again
    con = duckdb.connect(str(landed))
    con.execute("delete from raw.report_table_cells where row_no = 3")
    con.close()
    assert zfxxgk("ingest", str(corpus), "--db", str(db_path)).returncode == 0
    assert query(landed, cells_sql) == [(6,)]
