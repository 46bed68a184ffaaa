""".doc, .xls and .xlsx readers (issue 17, class 8): text in order, tables as cells, bad files rejected.

antiword must be installed (`make antiword`; `make test` does it). The workbooks are written here (openpyxl for
.xlsx, xlwt for .xls); the Word 97 files are committed fixtures made once with LibreOffice
(scripts/make_doc_fixtures.py). The warehouse test loads the statistics table of
tests/fixtures/tables/legacy_2011_local_table.txt as a .doc report and as .xlsx / .xls attachments, and checks that
each gives that fixture's hand-checked values.
"""

from __future__ import annotations

import io
import re
import shutil
import struct
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import ROOT, query
from office_fixtures import LEGACY_TITLE, SheetSpec, html_tables_workbook, legacy_sheet, write_xls, write_xlsx
from test_tables import expected_of, values_of

from ingest.read import LoadedFile, ReadTask, read_file
from ingest.readers import doc as doc_reader
from ingest.readers import reader_for
from ingest.rejections import Rejection, RejectionReason
from ingest.sheets import value_text

DOC_FIXTURES = ROOT / "tests" / "fixtures" / "doc"
REAL_CORPUS = ROOT.parent / "shared" / "corpus" / "real"
TABLE_FIXTURES = ROOT / "tests" / "fixtures" / "tables"
LEGACY_EXPECTED = ROOT / "tests" / "fixtures" / "tables" / "legacy_2011_local_table.expected.csv"
TITLE = "某县人民政府2013年政府信息公开工作情况统计表"
LIMIT = 20 * 1024 * 1024


def read(path: Path, limit: int = LIMIT) -> LoadedFile | Rejection:
    return read_file(ReadTask(str(path), None, limit))  # type: ignore[return-value]


def grid_of(loaded: LoadedFile, table_no: int) -> list[list[str]]:
    rows: dict[int, dict[int, str]] = {}
    for cell in loaded.cells:
        if cell.table_no == table_no:
            rows.setdefault(cell.row_no, {})[cell.col_no] = cell.cell_text
    return [[row[c] for c in sorted(row)] for _, row in sorted(rows.items())]


# --- values --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        ("", ""),
        (3649.0, "3649"),
        (3649, "3649"),
        (0.0, "0"),
        (13579.246802, "13579.246802"),
        (0.02, "0.02"),
        (1e-05, "0.00001"),
        (" 主动公开\n政府信息数 ", "主动公开政府信息数"),
        (float("nan"), ""),
    ],
)
def test_a_cell_value_prints_as_written_and_blank_stays_blank(value: object, text: str) -> None:
    assert value_text(value) == text


# --- workbooks -----------------------------------------------------------------------------------------------------


def workbook_sheets() -> list[SheetSpec]:
    """A title merged across the table, a blank row, two value columns, an empty cell, an amount with six decimals,
    a value merged across two columns, a label merged down two rows, a signature row; a hidden sheet; a second
    table with an empty first column; an empty sheet."""
    first = SheetSpec(
        "表一",
        [
            [TITLE, None, None, None],
            [None, None, None, None],
            ["指标", "单位", "本年", "累计"],
            ["主动公开政府信息数", "条", 3649.0, 12000.0],
            ["其中：网站公开", "条", None, 500],
            ["收费金额", "万元", 13579.246802, None],
            ["行政复议数", "件", 2.0, None],
            ["申请情况", "当面", 3.0, None],
            [None, "网上", 4.0, None],
            ["填表人：李明", None, None, None],
        ],
        ["A1:D1", "C7:D7", "A8:A9", "A10:D10"],
    )
    hidden = SheetSpec("说明", [["隐藏的说明", "不读"]], hidden=True)
    second = SheetSpec("附表二", [[None, "规章", 0.0], [None, "规范性文件", 5.0]])
    empty = SheetSpec("Sheet3", [])
    return [first, hidden, second, empty]


WORKBOOK_LINES = [
    TITLE,
    "指标\t单位\t本年\t累计",
    "主动公开政府信息数\t条\t3649\t12000",
    "其中：网站公开\t条\t\t500",
    "收费金额\t万元\t13579.246802",
    "行政复议数\t件\t2",
    "申请情况\t当面\t3",
    "网上\t4",
    "填表人：李明",
    "规章\t0",
    "规范性文件\t5",
]
WORKBOOK_TABLE_1 = [
    ["指标", "单位", "本年", "累计"],
    ["主动公开政府信息数", "条", "3649", "12000"],
    ["其中：网站公开", "条", "", "500"],
    ["收费金额", "万元", "13579.246802", ""],
    ["行政复议数", "件", "2", ""],
    ["申请情况", "当面", "3", ""],
    ["申请情况", "网上", "4", ""],
]
WORKBOOK_TABLE_2 = [["规章", "0"], ["规范性文件", "5"]]


@pytest.mark.parametrize(("suffix", "write"), [(".xlsx", write_xlsx), (".xls", write_xls)])
def test_a_workbook_gives_its_title_first_and_each_sheets_table_as_cells(tmp_path: Path, suffix: str, write) -> None:
    path = tmp_path / f"统计表{suffix}"
    write(path, workbook_sheets())
    loaded = read(path)
    assert isinstance(loaded, LoadedFile)
    assert (loaded.reader, loaded.reader_version, loaded.encoding) == (suffix[1:], "1.0.0", "utf-8")
    assert loaded.raw_text.splitlines() == WORKBOOK_LINES
    assert {cell.table_no for cell in loaded.cells} == {1, 2}
    assert grid_of(loaded, 1) == WORKBOOK_TABLE_1
    assert grid_of(loaded, 2) == WORKBOOK_TABLE_2


# --- Word 97 -------------------------------------------------------------------------------------------------------


def test_a_doc_gives_its_paragraphs_and_its_table_with_the_column_span_as_cells() -> None:
    loaded = read(DOC_FIXTURES / "spans.doc")
    assert isinstance(loaded, LoadedFile)
    assert (loaded.reader, loaded.encoding) == ("doc", "utf-8")
    assert loaded.raw_text.splitlines() == [
        "某县人民政府2012年政府信息公开工作年度报告",
        "一、概述",
        "全年主动公开政府信息1136条。",
        "信息内容\t本年",
        "\t制发件数\t废止件数",
        "规章\t0",
        "二、存在的问题",
    ]
    # Word 97 writes the lower part of a cell merged down rows as an empty cell: it stays empty
    assert grid_of(loaded, 1) == [
        ["信息内容", "本年", "本年"],
        ["", "制发件数", "废止件数"],
        ["规章", "0", ""],
    ]


def test_a_doc_of_a_legacy_report_gives_the_same_text_as_the_text_fixture() -> None:
    loaded = read(DOC_FIXTURES / "legacy_2011_local_table.doc")
    assert isinstance(loaded, LoadedFile)
    text = (ROOT / "tests" / "fixtures" / "tables" / "legacy_2011_local_table.txt").read_text(encoding="utf-8")
    assert loaded.raw_text.splitlines() == [line for line in text.splitlines() if line.strip()]
    assert grid_of(loaded, 1)[:3] == [
        ["指标名称", "计量单位", "数量"],
        ["一、主动公开情况", "一、主动公开情况", "一、主动公开情况"],
        ["（一）主动公开政府信息数", "条", "3126"],
    ]
    assert len(grid_of(loaded, 1)) == 45


def test_a_doc_of_a_real_2008_report_gives_its_paragraphs_as_written() -> None:
    loaded = read(DOC_FIXTURES / "hengyang_shi_2008.doc")
    assert isinstance(loaded, LoadedFile)
    text = (REAL_CORPUS / "115_hengyang_shi_2008.txt").read_text(encoding="utf-8")
    assert loaded.raw_text.splitlines() == [line.strip() for line in text.splitlines() if line.strip()]
    assert loaded.raw_text.splitlines()[1] == "索引号:430S00/2009-69063 公开方式:政府网站 发文日期:2009-03-31 00:00:00"
    assert loaded.cells == ()


def test_a_doc_without_antiword_is_rejected_saying_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(doc_reader, "ANTIWORD", "antiword-not-installed")
    path = tmp_path / "r.doc"
    shutil.copy(DOC_FIXTURES / "spans.doc", path)
    outcome = read(path)
    assert isinstance(outcome, Rejection)
    assert outcome.reason == RejectionReason.MISSING_TOOL
    assert outcome.detail.startswith("antiword is not installed: run `apt-get install antiword` (Debian/Ubuntu)")


# --- bad files -----------------------------------------------------------------------------------------------------


def xlsx_bytes() -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, workbook_sheets())  # type: ignore[arg-type]
    return buffer.getvalue()


def xls_bytes(sheets: list[SheetSpec] | None = None) -> bytes:
    buffer = io.BytesIO()
    write_xls(buffer, sheets or workbook_sheets())  # type: ignore[arg-type]
    return buffer.getvalue()


def encrypted_xlsx() -> bytes:
    """The workbook saved with a password (ECMA-376 agile encryption: an OLE container with an EncryptedPackage)."""
    from msoffcrypto.format.ooxml import OOXMLFile

    out = io.BytesIO()
    OOXMLFile(io.BytesIO(xlsx_bytes())).encrypt("secret", out)
    return out.getvalue()


def encrypted_xls() -> bytes:
    """The workbook with a FILEPASS record (RC4 encryption) after its first BOF, as Excel writes a protected file."""
    import xlwt
    from xlwt.CompoundDoc import XlsDoc

    workbook = xlwt.Workbook(encoding="utf-8")
    workbook.add_sheet("表一").write(0, 0, TITLE)
    stream = workbook.get_biff_data()
    record_type, size = struct.unpack("<HH", stream[:4])
    assert record_type == 0x0809  # BOF
    filepass = struct.pack("<HH", 0x002F, 54) + struct.pack("<HHH", 1, 1, 1) + b"\x00" * 48
    out = io.BytesIO()
    XlsDoc().save(out, stream[: 4 + size] + filepass + stream[4 + size :])
    return out.getvalue()


def encrypted_doc() -> bytes:
    """spans.doc with the FIB's fEncrypted flag set, as Word marks a document saved with a password."""
    data = bytearray((DOC_FIXTURES / "spans.doc").read_bytes())
    fib = next(offset for offset in range(0, len(data), 512) if data[offset : offset + 2] == b"\xec\xa5")
    data[fib + 11] |= 0x01
    return bytes(data)


BAD_FILES = {
    "empty.xlsx": (lambda: b"", RejectionReason.EMPTY),
    "broken.xlsx": (lambda: b"PK\x03\x04" + b"\x00" * 200, RejectionReason.CORRUPT),
    "truncated.xlsx": (lambda: xlsx_bytes()[:1500], RejectionReason.CORRUPT),
    "encrypted.xlsx": (encrypted_xlsx, RejectionReason.ENCRYPTED),
    "no_cells.xlsx": (lambda: _no_cells_xlsx(), RejectionReason.BLANK),
    "empty.xls": (lambda: b"", RejectionReason.EMPTY),
    "truncated.xls": (lambda: xls_bytes()[:1024], RejectionReason.CORRUPT),
    "encrypted.xls": (encrypted_xls, RejectionReason.ENCRYPTED),
    "a_word_document.xls": (lambda: (DOC_FIXTURES / "spans.doc").read_bytes(), RejectionReason.CORRUPT),
    "empty.doc": (lambda: b"", RejectionReason.EMPTY),
    "truncated.doc": (lambda: (DOC_FIXTURES / "spans.doc").read_bytes()[:3000], RejectionReason.CORRUPT),
    "encrypted.doc": (encrypted_doc, RejectionReason.ENCRYPTED),
    "a_workbook.doc": (lambda: xls_bytes(), RejectionReason.CORRUPT),
}


def _no_cells_xlsx() -> bytes:
    buffer = io.BytesIO()
    write_xlsx(buffer, [SheetSpec("Sheet1", [])])  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_a_bad_office_file_is_rejected_with_its_reason(tmp_path: Path, name: str) -> None:
    make, reason = BAD_FILES[name]
    path = tmp_path / name
    path.write_bytes(make())
    outcome = read(path)
    assert isinstance(outcome, Rejection), outcome
    assert outcome.reason == reason, outcome.detail


def test_an_xlsx_that_unpacks_past_the_limit_is_too_large_before_it_is_read(tmp_path: Path) -> None:
    import zipfile

    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", "<row/>" * 200_000)  # 1.2 MB that packs to a few kB
    size = path.stat().st_size
    assert size < 50_000
    outcome = read(path, limit=1_000_000)
    assert isinstance(outcome, Rejection)
    assert outcome.reason == RejectionReason.TOO_LARGE
    assert outcome.detail.startswith("1,200,008 bytes unpacked, over the limit of 1,000,000 bytes")
    assert outcome.byte_size == size


def docx_with_body(paragraphs: int, chars: int) -> bytes:
    """A Word document of `paragraphs` paragraphs of `chars` characters each: word/document.xml unpacks to about
    paragraphs * (chars + 40) bytes and packs to a thousandth of that."""
    import docx

    document = docx.Document()
    for _ in range(paragraphs):
        document.add_paragraph("政" * chars)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def understated(data: bytes, member: str, stated_size: int) -> bytes:
    """The zip `data` with the uncompressed size of `member` in its local header and its central directory set to
    `stated_size`: a zip directory that lies about how much a member unpacks to."""
    import struct

    out = bytearray(data)
    name = member.encode()
    for signature, name_length_at, size_at, header_size in ((b"PK\x03\x04", 26, 22, 30), (b"PK\x01\x02", 28, 24, 46)):
        at = out.find(signature)
        while at != -1:
            (name_length,) = struct.unpack_from("<H", out, at + name_length_at)
            if out[at + header_size : at + header_size + name_length] == name:
                struct.pack_into("<I", out, at + size_at, stated_size)
            at = out.find(signature, at + 4)
    return bytes(out)


def peak_python_memory(read_it) -> tuple[object, int]:
    """What `read_it()` returns and the peak of the memory Python allocated meanwhile (zip members unpacked into
    bytes count; lxml's own buffers do not)."""
    import tracemalloc

    import docx  # noqa: F401  (the readers import their libraries on first use: not part of the peak)
    import python_calamine  # noqa: F401

    from ingest.readers import load_readers

    load_readers()
    tracemalloc.start()
    try:
        outcome = read_it()
        return outcome, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_docx_that_unpacks_past_the_limit_is_too_large_before_it_is_read(tmp_path: Path) -> None:
    """3,000 paragraphs of 1,000 characters: a 30 kB file whose document.xml unpacks to 9 MB. Its zip directory
    says so, and the file is rejected before anything is unpacked."""
    path = tmp_path / "bomb.docx"
    path.write_bytes(docx_with_body(paragraphs=3000, chars=1000))
    size = path.stat().st_size
    assert size < 100_000

    outcome, peak = peak_python_memory(lambda: read(path, limit=1_000_000))

    assert isinstance(outcome, Rejection), outcome
    assert outcome.reason == RejectionReason.TOO_LARGE
    assert re.fullmatch(
        r"9,\d{3},\d{3} bytes unpacked, over the limit of 1,000,000 bytes; if it is a real report, raise the "
        r"limit with --max-file-mb or ZFXXGK_MAX_FILE_MB",
        outcome.detail,
    ), outcome.detail
    assert outcome.byte_size == size
    assert peak < 1_000_000


@pytest.mark.parametrize(
    ("name", "make", "member", "stated_total"),
    [
        ("liar.docx", lambda: docx_with_body(paragraphs=3000, chars=1000), "word/document.xml", "825,612"),
        ("liar.xlsx", lambda: shared_string_xlsx(rows=200, string_chars=1_000_000), "xl/sharedStrings.xml", "12,184"),
    ],
)
def test_a_zip_whose_directory_understates_a_member_is_too_large_once_unpacking_passes_the_limit(
    tmp_path: Path, name: str, make, member: str, stated_total: str
) -> None:
    """The directory says the 9.9 MB (3 MB) member unpacks to 1,000 bytes, so the whole zip states less than the
    limit. Its members are inflated piece by piece, nothing kept, until 1,000,000 bytes are passed: a few hundred
    kB of Python memory, where Python's zipfile (python-docx) would have inflated the whole member at once (on
    main: 23 MB for this docx before the CRC check rejects it as corrupt)."""
    data = make()
    path = tmp_path / name
    path.write_bytes(understated(data, member, 1000))

    outcome, peak = peak_python_memory(lambda: read(path, limit=1_000_000))

    assert isinstance(outcome, Rejection), outcome
    assert outcome.reason == RejectionReason.TOO_LARGE
    pattern = (
        rf"1,0\d\d,\d{{3}} bytes unpacked when unpacking stopped \(its zip directory states {stated_total}\), "
        r"over the limit of 1,000,000 bytes; if it is a real report, raise the limit with --max-file-mb or "
        r"ZFXXGK_MAX_FILE_MB"
    )
    assert re.fullmatch(pattern, outcome.detail), outcome.detail
    assert peak < 1_000_000


def shared_string_xlsx(rows: int, string_chars: int) -> bytes:
    """A workbook whose one sheet has `rows` cells in column A, all pointing at one shared string of
    `string_chars` characters: it unpacks to little more than that string and gives `rows` times as much text."""
    import zipfile

    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    package = "http://schemas.openxmlformats.org/package/2006/relationships"
    cells = "".join(f'<row r="{r}"><c r="A{r}" t="s"><v>0</v></c></row>' for r in range(1, rows + 1))
    parts = {
        "[Content_Types].xml": (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/sharedStrings.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{package}"><Relationship Id="rId1" Target="xl/workbook.xml" '
            f'Type="{relationships}/officeDocument"/></Relationships>'
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{main}" xmlns:r="{relationships}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{package}">'
            f'<Relationship Id="rId1" Target="worksheets/sheet1.xml" Type="{relationships}/worksheet"/>'
            f'<Relationship Id="rId2" Target="sharedStrings.xml" Type="{relationships}/sharedStrings"/>'
            "</Relationships>"
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{main}" count="1" uniqueCount="1"><si><t>{"政" * string_chars}</t></si></sst>'
        ),
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>{cells}</sheetData></worksheet>',
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return buffer.getvalue()


def test_an_xlsx_whose_shared_string_repeats_past_the_limit_is_too_large_by_that_row(tmp_path: Path) -> None:
    """200 rows of one shared string of 10,000 characters: the workbook is 3 kB and unpacks to 41 kB, within the
    limit, but its text reaches 1,010,000 characters at row 101 and the reader stops there (2 million for 200 rows)."""
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(shared_string_xlsx(rows=200, string_chars=10_000))
    assert path.stat().st_size < 5_000

    outcome = read(path, limit=1_000_000)

    assert isinstance(outcome, Rejection), outcome
    assert outcome.reason == RejectionReason.TOO_LARGE
    assert outcome.detail == (
        "1,010,000 characters of text produced by row 101 of sheet 'Sheet1', over the limit of 1,000,000 (the file "
        "size limit); "
        "if it is a real report, raise the limit with --max-file-mb or ZFXXGK_MAX_FILE_MB"
    )
    loaded = read(path, limit=3_000_000)
    assert isinstance(loaded, LoadedFile)
    assert loaded.raw_text == ("政" * 10_000 + "\n") * 200


def test_readers_are_registered_for_the_three_extensions() -> None:
    assert reader_for(Path("a.DOC")).name == "doc"
    assert reader_for(Path("a.xls")).name == "xls"
    assert reader_for(Path("附件1.XLSX")).name == "xlsx"


# --- the warehouse -------------------------------------------------------------------------------------------------

FORMAT_2021 = "format_2021_markdown.xlsx"
LEGACY_FILES = [
    "legacy_2011_local_table.doc",
    "legacy_2011_local_table.xlsx",
    "韶关市浈江区人民政府2011年政府信息公开情况统计表.xls",
]


OFFICE_FILES = [
    "legacy_2011_local_table.doc",
    "spans.doc",
    "hengyang_shi_2008.doc",
    "legacy_2011_local_table.xlsx",
    FORMAT_2021,
    LEGACY_FILES[2],
    "encrypted.xlsx",
    "truncated.xls",
    "encrypted.doc",
]
"""The files write_office_files writes (the documents warehouse holds other readers' files too)."""
IN_OFFICE_FILES = "regexp_extract(source_path, '[^/]+$') in (" + ", ".join(f"'{name}'" for name in OFFICE_FILES) + ")"


def write_office_files(corpus: Path) -> None:
    """Word and Excel reports and attachments, and bad office files: part of the session's documents warehouse
    (test_readers.write_documents_corpus)."""
    shutil.copy(DOC_FIXTURES / "legacy_2011_local_table.doc", corpus)
    shutil.copy(DOC_FIXTURES / "spans.doc", corpus)
    shutil.copy(DOC_FIXTURES / "hengyang_shi_2008.doc", corpus)
    write_xlsx(corpus / "legacy_2011_local_table.xlsx", [legacy_sheet()])
    html_tables_workbook(ROOT / "tests" / "fixtures" / "html" / "format_2021_markdown.html", corpus / FORMAT_2021)
    # an attachment whose title row names no issuer: its file name does; another signature keeps it apart
    sheet = legacy_sheet()
    sheet.rows[0][0] = "政府信息公开情况统计表（2011年度）"
    sheet.rows[-1][0] = "填表人：王芳"
    write_xls(corpus / LEGACY_FILES[2], [sheet])
    (corpus / "encrypted.xlsx").write_bytes(encrypted_xlsx())
    (corpus / "truncated.xls").write_bytes(xls_bytes()[:1024])
    (corpus / "encrypted.doc").write_bytes(encrypted_doc())


@pytest.fixture(scope="module")
def office_warehouse(documents_warehouse: Path) -> Path:
    return documents_warehouse


@pytest.mark.parametrize("file", LEGACY_FILES)
def test_a_legacy_table_as_doc_xlsx_or_xls_gives_the_values_of_the_text_fixture(
    office_warehouse: Path, file: str
) -> None:
    assert values_of(office_warehouse, file) == expected_of(LEGACY_EXPECTED)


def test_the_2021_tables_as_a_workbook_give_the_values_of_the_same_tables_as_text(office_warehouse: Path) -> None:
    expected = expected_of(TABLE_FIXTURES / "format_2021_markdown.expected.csv")
    assert len(expected) == 207
    assert values_of(office_warehouse, FORMAT_2021) == expected


def test_attachments_are_reports_with_the_metadata_of_their_title_row_or_file_name(office_warehouse: Path) -> None:
    rows = query(
        office_warehouse,
        f"""
        select regexp_extract(source_path, '[^/]+$'), title, issuer, report_year, province, city, county,
            template_version, document_kind, is_attachment
        from marts.dim_reports
        where {IN_OFFICE_FILES}
        order by 1
        """,
    )
    assert rows == [
        (FORMAT_2021, "成都市武侯区市场监督管理局2023年政府信息公开工作统计表", "成都市武侯区市场监督管理局", 2023,
         "四川省", "成都市", "武侯区", "format_2021", "statistics_table", True),
        # as labelled in ../shared/corpus/real/SOURCES.tsv (衡阳市人民政府, 湖南, 全市, 2008, legacy)
        ("hengyang_shi_2008.doc", "2008年度衡阳市政府信息公开工作年度报告", "衡阳市人民政府", 2008, "湖南省", "衡阳市",
         None, "legacy", "report", False),
        ("legacy_2011_local_table.doc", "韶关市浈江区人民政府2011年政府信息公开工作年度报告", "韶关市浈江区人民政府",
         2011, "广东省", "韶关市", "浈江区", "legacy", "report", False),
        ("legacy_2011_local_table.xlsx", LEGACY_TITLE, "韶关市浈江区人民政府", 2011, "广东省", "韶关市", "浈江区",
         "legacy", "statistics_table", True),
        ("spans.doc", "某县人民政府2012年政府信息公开工作年度报告", "某县人民政府", 2012, None, None, None, "legacy",
         "report", False),
        (LEGACY_FILES[2], LEGACY_TITLE, "韶关市浈江区人民政府", 2011, "广东省", "韶关市", "浈江区", "legacy",
         "statistics_table", True),
    ]  # fmt: skip


def test_an_attachments_values_reach_the_fact_table_with_their_cell_and_line(office_warehouse: Path) -> None:
    rows = query(
        office_warehouse,
        """
        select v.value, v.unit, v.source_kind, v.extraction_method, v.row_label, v.raw_cell_text, v.line_no,
            v.evidence
        from marts.fct_indicator_values as v join marts.dim_reports as d using (report_id)
        where d.source_path like '%legacy_2011_local_table.xlsx' and v.indicator_code = 'proactive_total'
        """,
    )
    assert rows == [
        (Decimal("3126"), "条", "table", "cell", "(一)主动公开政府信息数", "3126", 5,
         "(一)主动公开政府信息数 | 条 | 3126"),
    ]  # fmt: skip
    counts = query(
        office_warehouse,
        """
        select regexp_extract(d.source_path, '[^/]+$'), count(*)
        from marts.fct_indicator_values as v join marts.dim_reports as d using (report_id)
        where d.is_attachment
        group by 1 order by 1
        """,
    )
    assert counts == [(FORMAT_2021, 207), ("legacy_2011_local_table.xlsx", 25), (LEGACY_FILES[2], 25)]


def test_bad_office_files_are_rejected_and_the_batch_goes_on(office_warehouse: Path) -> None:
    rows = query(
        office_warehouse,
        f"select regexp_extract(source_path, '[^/]+$'), reason from raw.ingest_rejections where {IN_OFFICE_FILES} "
        "order by 1",
    )
    assert rows == [
        ("encrypted.doc", "encrypted"),
        ("encrypted.xlsx", "encrypted"),
        ("truncated.xls", "corrupt"),
    ]


def test_office_cells_land_beside_the_text(office_warehouse: Path) -> None:
    rows = query(
        office_warehouse,
        """
        select r.reader, count(distinct r.report_id), count(*)
        from raw.reports as r join raw.report_table_cells as c using (report_id)
        where r.reader in ('doc', 'xls', 'xlsx')
        group by r.reader order by 1
        """,
    )
    assert rows == [
        ("doc", 2, 135 + 9),
        ("xls", 1, 135),
        ("xlsx", 2, 135 + 392),
    ]  # hengyang_shi_2008.doc has no table
