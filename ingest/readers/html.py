"""HTML pages (.html, .htm, .shtml): the report's main content among the page's navigation, paragraphs to lines,
every data <table> to cells with its row and column spans expanded (ingest/tables.py).

- Charset: a byte order mark, else the page's <meta charset> / http-equiv declaration (GB2312 and GBK are read
  as their superset GB18030), else the detection of ingest/decode.py. A page its declaration does not fit is
  decoded by detection and `decode_note` says so.
- Main content: scripts, styles, forms and elements whose tag, id or class name navigation, headers, footers,
  breadcrumbs, share widgets or sidebars are dropped; the content is then the deepest element that still holds
  most of the page's text outside links, with the page's <h1> (or <title>) on top when it lies outside.
- Page metadata: the publication date of the page (发布日期/发布时间/发文日期/成文日期) usually sits in a header
  outside the main content; the first one on the page is kept as the line after the title, so that the report's
  publish date is not lost with the page furniture.
- Source URL: the address of the page, when the file holds it: its <link rel="canonical">, else its og:url meta,
  else the `<!-- saved from url=(0071)https://... -->` comment browsers write when saving a page (an http(s) URL).
- Tables: a <table> without nested tables and with a row of two filled cells is data; its cells are handed over
  as cells and its rows stay in the text as tab-separated lines. Tables around other tables are layout.
"""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from selectolax.lexbor import LexborHTMLParser, LexborNode

from ingest.decode import BOMS, decode_bytes
from ingest.readers import ReadResult, register
from ingest.tables import SourceCell, TableCell, clean_cell_text, expand_spans, grid_cells, is_data_table, row_lines

META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([a-zA-Z0-9_:.-]+)""", re.IGNORECASE)
CHARSET_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
}

DROPPED_TAGS = (
    "script, style, noscript, template, iframe, form, select, button, input, textarea, svg, nav, aside, footer"
)
FURNITURE_NAMES = re.compile(
    r"(^|[-_ ])(nav|navbar|menu|header|head|top|topbar|footer|foot|bottom|breadcrumbs?|crumbs?|position|location|"
    r"share|bdsharebuttonbox|social|sidebar|side|aside|copyright|toolbar|print|qrcode|ewm|search|login|links?|"
    r"friendlinks?|related|pager)($|[-_ \d])",
    re.IGNORECASE,
)
BLOCK_TAGS = {
    "address", "article", "blockquote", "body", "br", "caption", "center", "dd", "div", "dl", "dt", "figcaption",
    "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "li", "main", "ol", "p", "pre", "section", "table", "tbody",
    "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
CONTENT_SHARE = 0.85
"""The main content is the deepest element holding at least this share of the page's text outside links."""
TITLE_SEPARATORS = re.compile(r"\s*[_|｜—-]{1,2}\s*")
PAGE_DATE = re.compile(
    r"(?:发布日期|发布时间|发文日期|成文日期)\s*[:：]\s*\d{4}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?"
)
"""A publication date in the page's header: kept when the main content leaves it out."""
SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)(\S+?)\s*-->", re.IGNORECASE)
"""The comment a browser writes at the top of a page it saves: <!-- saved from url=(0071)https://... -->."""
WEB_URL = re.compile(r"https?://[^\s\"'<>]+", re.IGNORECASE)


class HtmlReader:
    name = "html"
    version = "1.3.0"
    """1.3.0: the page's URL (source_url) from its canonical link, og:url or saved-from comment."""
    extensions = (".html", ".htm", ".shtml", ".xhtml")

    def read(self, data: bytes, path: Path) -> ReadResult:
        text, encoding, has_bom, note = decode_html(data)
        tree = LexborHTMLParser(text)
        root = tree.body or tree.root
        if root is None:
            return ReadResult("", encoding, has_bom, note, source_url=_source_url(tree, text))
        title = _page_title(tree)
        source_url = _source_url(tree, text)
        page_date = PAGE_DATE.search(root.text(deep=True, separator="\n"))
        for node in root.css(DROPPED_TAGS):
            node.decompose()
        for node in list(root.css("[class], [id]")):
            names = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
            if FURNITURE_NAMES.search(names) and not node.css("table") and node.parent is not None:
                node.decompose()
        main = _main_content(root)
        lines: list[str] = []
        cells: list[TableCell] = []
        _render(main, lines, cells, [""])
        if page_date and not any(PAGE_DATE.search(line) for line in lines):
            lines.insert(0, page_date.group(0))
        if title and not any(title in line for line in lines[:5]):
            lines.insert(0, title)
        body = "\n".join(line for line in (_tidy(line) for line in lines) if line)
        return ReadResult(body + "\n", encoding, has_bom, note, tuple(cells), source_url=source_url)


def decode_html(data: bytes) -> tuple[str, str, bool, str | None]:
    """(text, encoding, has_bom, note): BOM, then the declared charset, then detection."""
    if any(data.startswith(bom) for bom, _ in BOMS):
        decoded = decode_bytes(data)
        return decoded.text, decoded.encoding, decoded.has_bom, decoded.note
    match = META_CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii").lower()
        encoding = CHARSET_ALIASES.get(declared, declared)
        name = None
        try:
            name = codecs.lookup(encoding).name
            name = "gb18030" if name == "gb18030" else name.replace("_", "-")
            return data.decode(encoding), name, False, None
        except (LookupError, UnicodeDecodeError):
            decoded = decode_bytes(data)
            if decoded.encoding == name:
                # The declared charset fits: a few bytes are damaged, and decoded.note says where.
                return decoded.text, decoded.encoding, decoded.has_bom, decoded.note
            note = f"declared charset {declared} does not fit: decoded as {decoded.encoding}"
            return decoded.text, decoded.encoding, decoded.has_bom, "; ".join(filter(None, [note, decoded.note]))
    decoded = decode_bytes(data)
    return decoded.text, decoded.encoding, decoded.has_bom, decoded.note


def _source_url(tree: LexborHTMLParser, text: str) -> str | None:
    """The page's own address: <link rel="canonical">, else og:url, else the browser's saved-from comment."""
    candidates = []
    for link in tree.css("link[rel]"):
        if "canonical" in (link.attributes.get("rel") or "").lower().split():
            candidates.append(link.attributes.get("href"))
    for meta in tree.css("meta[property], meta[name]"):
        if (meta.attributes.get("property") or meta.attributes.get("name") or "").lower() == "og:url":
            candidates.append(meta.attributes.get("content"))
    saved_from = SAVED_FROM.search(text[:4096])
    if saved_from:
        candidates.append(saved_from.group(1))
    for candidate in candidates:
        url = WEB_URL.fullmatch((candidate or "").strip())
        if url:
            return url.group(0)
    return None


def _page_title(tree: LexborHTMLParser) -> str:
    for selector in ("h1", "title"):
        node = tree.css_first(selector)
        if node is not None:
            text = clean_cell_text(node.text(deep=True))
            if selector == "title":
                # 某某区2023年政府信息公开工作年度报告_某某区人民政府: the site's name after the separator goes
                parts = [part for part in TITLE_SEPARATORS.split(text) if part]
                text = max(parts, key=len) if parts else ""
            if text:
                return text
    return ""


def _own_text_length(node: LexborNode) -> tuple[int, int]:
    """(characters of text, characters of text inside links) under node."""
    total = len(re.sub(r"\s+", "", node.text(deep=True)))
    linked = sum(len(re.sub(r"\s+", "", a.text(deep=True))) for a in node.css("a"))
    return total, linked


def _main_content(root: LexborNode) -> LexborNode:
    total, linked = _own_text_length(root)
    wanted = CONTENT_SHARE * (total - linked)
    node = root
    while True:
        best = None
        for child in node.iter():
            if child.tag in ("div", "article", "section", "main", "td", "table", "tbody", "tr", "center", "font"):
                chars, in_links = _own_text_length(child)
                if chars - in_links >= wanted:
                    best = child
                    break
        if best is None or (best.tag in ("table", "tbody", "tr") and _is_data_table_node(best)):
            return node
        node = best


def _is_data_table_node(node: LexborNode) -> bool:
    table = node if node.tag == "table" else None
    while table is None and node.parent is not None:
        node = node.parent
        table = node if node.tag == "table" else None
    return table is not None and not _has_nested_table(table)


def _has_nested_table(table: LexborNode) -> bool:
    """css() matches the node itself too."""
    return len(table.css("table")) > 1


def _render(node: LexborNode, lines: list[str], cells: list[TableCell], current: list[str]) -> None:
    """Append the text under node to lines (current[0] is the line being written)."""
    for child in node.iter(include_text=True):
        tag = child.tag
        if child.is_text_node:
            current[0] += child.text_content or ""
        elif tag == "table" and not _has_nested_table(child):
            _flush(lines, current)
            _render_table(child, lines, cells)
        elif tag in BLOCK_TAGS:
            _flush(lines, current)
            if tag != "br":
                _render(child, lines, cells, current)
                _flush(lines, current)
        elif child.is_element_node:
            _render(child, lines, cells, current)


def _flush(lines: list[str], current: list[str]) -> None:
    if current[0].strip():
        lines.append(current[0])
    current[0] = ""


def _render_table(table: LexborNode, lines: list[str], cells: list[TableCell]) -> None:
    rows: list[list[SourceCell]] = []
    for tr in table.css("tr"):
        row = []
        for cell in tr.iter():
            if cell.tag in ("td", "th"):
                row.append(SourceCell(_cell_text(cell), _span(cell, "rowspan"), _span(cell, "colspan")))
        rows.append(row)
    grid = expand_spans(rows)
    if not is_data_table(grid):
        lines.extend(cell.text for row in rows for cell in row if cell.text)
        return
    table_no = 1 + max((cell.table_no for cell in cells[-1:]), default=0)
    cells.extend(grid_cells(table_no, grid))
    caption = table.css_first("caption")
    if caption is not None and caption.text(deep=True).strip():
        lines.append(clean_cell_text(caption.text(deep=True)))
    lines.extend(row_lines([cell.text for cell in row] for row in rows))


def _cell_text(cell: LexborNode) -> str:
    parts: list[str] = []
    for node in cell.traverse(include_text=True):
        if node.is_text_node:
            parts.append(node.text_content or "")
        elif node.tag in BLOCK_TAGS:
            parts.append("\n")
    return clean_cell_text("".join(parts))


def _span(cell: LexborNode, attribute: str) -> int:
    value = re.match(r"\s*(\d+)", cell.attributes.get(attribute) or "")
    return int(value.group(1)) if value and int(value.group(1)) > 0 else 1


def _tidy(line: str) -> str:
    """Spaces inside a line collapsed (non-breaking ones too), tabs between table cells kept."""
    return "\t".join(re.sub(r"[ \u00a0\r\n\f\v]+", " ", part).strip() for part in line.split("\t")).strip()


register(HtmlReader())
