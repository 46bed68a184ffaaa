"""`zfxxgk overview`: the page it writes, opened in headless Chromium (Debian's chromium and chromedriver)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest
from conftest import ROOT, query
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.support.ui import WebDriverWait

from zfxxgk.serve.overview import CHART_SPECS, headless_chromium_arguments

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
CHART_KEYS = [spec.key for spec in CHART_SPECS]

# Installed before any page script runs: every uncaught error and unhandled rejection lands in window.__errors.
ERROR_TRAP = """
window.__errors = [];
window.addEventListener('error', function (event) { window.__errors.push(String(event.message)); });
window.addEventListener('unhandledrejection', function (event) { window.__errors.push(String(event.reason)); });
"""

# Per plotly div: its data, what it drew (a g.trace per bar or line trace, a g.hm per heatmap), its first point.
RENDERED = """
return Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (gd) {
  return {
    id: gd.id,
    main_svgs: gd.querySelectorAll('.main-svg').length,
    traces: gd.data.length,
    drawn_traces: gd.querySelectorAll('.cartesianlayer .trace, .cartesianlayer g.hm').length,
    bars: gd.querySelectorAll('.cartesianlayer .trace.bars .point path').length,
    heatmap_images: gd.querySelectorAll('.cartesianlayer .hm image').length,
    first_y: gd.data[0].y ? String(gd.data[0].y[0]) : null,
    first_x: gd.data[0].x ? Number(gd.data[0].x[0]) : null,
    y_ticks: Array.from(gd.querySelectorAll('.yaxislayer-above .ytick text')).map(t => t.textContent),
  };
});
"""


def run_overview(db_path: Path, out_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "zfxxgk.cli", "overview", "--db", str(db_path), "--out", str(out_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "ZFXXGK_PROJECT_DIR": str(ROOT)},
        timeout=300,
    )


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    """Headless Debian Chromium with its background networking off, logging the console and the network."""
    if not (CHROMIUM.is_file() and CHROMEDRIVER.is_file()):
        pytest.fail("chromium or chromedriver is missing: run `make browser` (apt-get install chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    profile = tmp_path_factory.mktemp("chromium-profile")
    for argument in headless_chromium_arguments(profile, 1280, 1600):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=str(CHROMEDRIVER)), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ERROR_TRAP})
    try:
        yield driver
    finally:
        driver.quit()


def open_page(driver: webdriver.Chrome, page: Path, chart_count: int) -> dict:
    """Load the page, wait until its charts are drawn, and return what the browser saw."""
    driver.get_log("browser")
    driver.get_log("performance")
    driver.get(page.as_uri())
    WebDriverWait(driver, 60).until(
        lambda d: d.execute_script(
            "return document.readyState === 'complete' && "
            "document.querySelectorAll('.js-plotly-plot .main-svg').length >= arguments[0]",
            chart_count * 2,
        )
    )
    requests = [
        message["params"]["request"]["url"]
        for entry in driver.get_log("performance")
        if (message := json.loads(entry["message"])["message"])["method"] == "Network.requestWillBeSent"
    ]
    return {
        "errors": driver.execute_script("return window.__errors"),
        "severe": [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"],
        "requests": requests,
        "charts": driver.execute_script(RENDERED),
        "notes": driver.execute_script(
            "return Array.from(document.querySelectorAll('p.note')).map(n => n.dataset.note)"
        ),
        "facts": driver.execute_script(
            "return Object.fromEntries(Array.from(document.querySelectorAll('.fact'))"
            ".map(f => [f.dataset.fact, f.querySelector('dd').textContent]))"
        ),
        "sections": driver.execute_script(
            "return Array.from(document.querySelectorAll('main section')).map(s => s.id)"
        ),
    }


def assert_clean(seen: dict, page: Path) -> None:
    assert seen["errors"] == []
    assert seen["severe"] == []
    assert network_requests(seen) == [page.as_uri()]


def network_requests(seen: dict) -> list[str]:
    """The requests that leave the page: not its inline data: images nor the browser's own chrome:// and
    chrome-untrusted:// UI (its new-tab page loads now and then before the page does)."""
    return [
        url for url in seen["requests"] if not url.startswith(("chrome://", "chrome-untrusted://", "data:", "blob:"))
    ]


def assert_drawn(chart: dict) -> None:
    assert chart["main_svgs"] >= 1, chart
    assert chart["drawn_traces"] == chart["traces"] >= 1, chart
    assert chart["bars"] + chart["heatmap_images"] >= 1, chart


@pytest.fixture(scope="module")
def overview_page(quality_warehouse: tuple[Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    db_path, _ = quality_warehouse
    page = tmp_path_factory.mktemp("overview") / "overview.html"
    result = run_overview(db_path, page)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"overview: {page} (")
    assert ", 6 charts, " in result.stdout
    return page


def test_overview_renders_every_chart_without_errors_or_network(overview_page: Path, browser: webdriver.Chrome) -> None:
    seen = open_page(browser, overview_page, len(CHART_KEYS))
    assert_clean(seen, overview_page)
    assert seen["sections"] == CHART_KEYS
    assert seen["notes"] == []
    assert [chart["id"] for chart in seen["charts"]] == [f"chart-{key}" for key in CHART_KEYS]
    for chart in seen["charts"]:
        assert_drawn(chart)


def test_overview_is_self_contained_with_plotly_inlined_once(overview_page: Path) -> None:
    text = overview_page.read_text(encoding="utf-8")
    assert re.search(r"<script[^>]*\bsrc\s*=", text) is None
    assert re.search(r"<link\b", text) is None
    assert text.count("Plotly.newPlot(") == len(CHART_KEYS)
    assert len(re.findall(r"plotly\.js v\d+\.\d+\.\d+", text)) == 1  # the bundle's banner, once


def test_overview_header_and_top_issuer_match_the_marts(
    quality_warehouse: tuple[Path, str], overview_page: Path, browser: webdriver.Chrome
) -> None:
    db_path, _ = quality_warehouse
    ((report_count, first_year, last_year, year_count),) = query(
        db_path,
        "select count(*), min(report_year), max(report_year), count(distinct report_year) from marts.dim_reports",
    )
    ((issuer_key, issuer, applications),) = query(
        db_path,
        """
        with totals as (
            select issuer_key, max_by(issuer, report_year) as issuer, sum(applications_received) as received
            from marts.mart_issuer_year_panel
            where applications_received is not null and worst_severity is distinct from 'error'
            group by issuer_key
        )
        select issuer_key, issuer, received from totals order by received desc, issuer_key limit 1
        """,
    )
    # The fixture warehouse: five sample reports and nine quality fixtures, 成华区 2022-2024 leading.
    assert (report_count, first_year, last_year, year_count) == (16, 2012, 2024, 10)
    assert (issuer_key, issuer, applications) == ("510108:成华区市场监督管理局", "成都市成华区市场监督管理局", 236)

    seen = open_page(browser, overview_page, len(CHART_KEYS))
    assert seen["facts"]["reports"] == "16"
    assert seen["facts"]["years covered"] == "2012–2024 (10 years)"
    top = next(chart for chart in seen["charts"] if chart["id"] == "chart-top_issuers")
    assert top["first_y"] == "510108:成华区市场监督管理局"
    assert top["y_ticks"][0] == "成都市成华区市场监督管理局"
    assert top["first_x"] == 236


def test_an_empty_chart_source_becomes_a_note(
    quality_warehouse: tuple[Path, str], tmp_path: Path, browser: webdriver.Chrome
) -> None:
    db_path, _ = quality_warehouse
    emptied = tmp_path / "emptied.duckdb"
    shutil.copy(db_path, emptied)
    con = duckdb.connect(str(emptied))
    try:
        con.execute("delete from reports.rpt_quality_issues_by_rule")
        con.execute(
            "update reports.rpt_applications_by_year set received_issuer_count = 0, applications_received = null, "
            "share_issuer_count = 0, pooled_disclosure_share = null"
        )
        con.execute("delete from reports.rpt_issuer_applications")
    finally:
        con.close()
    page = tmp_path / "overview.html"
    result = run_overview(emptied, page)
    assert result.returncode == 0, result.stderr
    assert ", 3 charts, 3 empty (a note instead), " in result.stdout
    seen = open_page(browser, page, 3)
    assert_clean(seen, page)
    assert seen["sections"] == CHART_KEYS
    assert seen["notes"] == ["quality", "years", "top_issuers"]
    assert [chart["id"] for chart in seen["charts"]] == ["chart-reports", "chart-coverage", "chart-sources"]
    for chart in seen["charts"]:
        assert_drawn(chart)


def test_overview_without_a_warehouse_says_to_run_first(tmp_path: Path) -> None:
    missing = tmp_path / "none.duckdb"
    result = run_overview(missing, tmp_path / "overview.html")
    assert result.returncode == 2
    assert result.stderr == f"error: no warehouse at {missing}: run `zfxxgk run PATH... --db {missing}` first\n"
    assert not (tmp_path / "overview.html").exists()


def test_the_browser_checks_see_a_request_and_an_error(tmp_path: Path, browser: webdriver.Chrome) -> None:
    """The harness itself: a page that fetches a script and throws is caught by both checks."""
    page = tmp_path / "leaky.html"
    page.write_text(
        '<!DOCTYPE html><html><head><script src="http://127.0.0.1:9/plotly.js"></script></head>'
        "<body><script>undefined_function();</script></body></html>",
        encoding="utf-8",
    )
    seen = open_page(browser, page, 0)
    assert network_requests(seen) == [page.as_uri(), "http://127.0.0.1:9/plotly.js"]
    assert seen["errors"] == ["Uncaught ReferenceError: undefined_function is not defined"]


def test_overview_of_a_warehouse_without_the_reports_models_says_to_rebuild(
    quality_warehouse: tuple[Path, str], tmp_path: Path
) -> None:
    db_path, _ = quality_warehouse
    old = tmp_path / "old.duckdb"
    shutil.copy(db_path, old)
    con = duckdb.connect(str(old))
    try:
        con.execute("drop schema reports cascade")
    finally:
        con.close()
    result = run_overview(old, tmp_path / "overview.html")
    assert result.returncode == 2
    assert result.stderr == (
        f"error: {old} has no reports.rpt_applications_by_year, reports.rpt_indicator_coverage, "
        "reports.rpt_issuer_applications, reports.rpt_quality_issues_by_rule, reports.rpt_reports_by_year, "
        "reports.rpt_value_sources_by_year, reports.rpt_warehouse_facts (built before the reports models): "
        f"run `zfxxgk build --db {old}` first\n"
    )
    assert not (tmp_path / "overview.html").exists()


# Per plotly div: its traces (arrays as plain lists), the annotations, the x axes and the tick labels drawn.
FIGURES = """
const plain = v => (v && typeof v === 'object' && typeof v.length === 'number')
  ? Array.from(v, plain) : v;
return Object.fromEntries(Array.from(document.querySelectorAll('.js-plotly-plot')).map(function (gd) {
  return [gd.id.replace('chart-', ''), {
    traces: gd.data.map(t => ({name: t.name, x: plain(t.x), y: plain(t.y), customdata: plain(t.customdata)})),
    annotations: (gd.layout.annotations || []).map(a => a.text),
    font: gd._fullLayout.font.family,
    xaxes: Object.keys(gd._fullLayout).filter(k => /^xaxis\\d*$/.test(k)).sort().map(function (k) {
      const axis = gd._fullLayout[k];
      return {type: axis.type, dtick: axis.dtick, tickformat: axis.tickformat, range: axis.range};
    }),
    x_ticks: Array.from(gd.querySelectorAll('.xaxislayer-above text')).map(t => t.textContent),
  }];
}));
"""


@pytest.fixture(scope="module")
def figures(overview_page: Path, browser: webdriver.Chrome) -> dict[str, dict]:
    """What the browser holds of every chart of the quality warehouse's page."""
    seen = open_page(browser, overview_page, len(CHART_KEYS))
    assert_clean(seen, overview_page)
    return {
        **browser.execute_script(FIGURES),
        "body_font": browser.execute_script("return getComputedStyle(document.body).fontFamily"),
    }


CJK_FONTS = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)


def test_overview_declares_a_cjk_font_stack(overview_page: Path, figures: dict[str, dict]) -> None:
    """The page and every chart name CJK fonts first, so Chinese renders wherever one of them is installed."""
    assert f"body {{ font-family: {CJK_FONTS}; " in overview_page.read_text(encoding="utf-8")
    assert figures["body_font"] == CJK_FONTS
    assert {key: figures[key]["font"] for key in CHART_KEYS} == {key: CJK_FONTS for key in CHART_KEYS}


def test_the_years_chart_leaves_out_reports_with_consistency_errors(
    quality_warehouse: tuple[Path, str], figures: dict[str, dict]
) -> None:
    db_path, _ = quality_warehouse
    # Two 2015 fixtures (桥西区, 襄都区) and three 2023 ones (锦江区, 金牛区, 青羊区) contradict themselves.
    assert query(
        db_path,
        "select report_year, issuer, applications_received from marts.mart_issuer_year_panel "
        "where worst_severity = 'error' order by all",
    ) == [
        (2015, "邢台市桥西区人民政府", 97),
        (2015, "邢台市襄都区人民政府", 97),
        (2023, "成都市金牛区市场监督管理局", 79),
        (2023, "成都市锦江区市场监督管理局", 79),
        (2023, "成都市青羊区市场监督管理局", 79),
    ]
    years = figures["years"]
    bars, line = years["traces"]
    assert bars["name"] == "applications_received"
    assert bars["x"] == [2012, 2013, 2015, 2016, 2018, 2022, 2023, 2024]
    assert bars["y"] == [1, 97, 97, 2, 0, 79, 79, 78]  # 2015: 信都区 alone, not 3 × 97; 2023: 成华区 alone
    assert bars["customdata"] == [[1, 0], [1, 0], [1, 2], [1, 0], [1, 0], [1, 0], [1, 3], [1, 0]]
    assert line["name"] == "pooled disclosure_share"
    assert line["x"] == bars["x"]
    assert [None if share is None else round(share, 6) for share in line["y"]] == [
        None, None, 0.463158, None, None, 0.423077, 0.423077, 0.423077
    ]  # fmt: skip
    assert years["annotations"] == [
        "left out: 5 issuer-years whose report has a consistency error (worst_severity error)"
    ]
    assert "Issuer-years whose report has a consistency error (worst_severity error) are left out." in "".join(
        spec.caption for spec in CHART_SPECS if spec.key == "years"
    )


def test_the_year_axes_are_continuous_with_integer_ticks(figures: dict[str, dict]) -> None:
    """Years without data (2014, 2017, 2021) are on the axes; no tick falls between two years."""
    every_year = [str(year) for year in range(2012, 2025)]
    for key in ("years", "sources"):
        assert figures[key]["xaxes"] == [{"type": "linear", "dtick": 1, "tickformat": "d", "range": [2011.5, 2024.5]}]
        assert figures[key]["x_ticks"] == every_year
    assert figures["reports"]["xaxes"] == [
        {"type": "linear", "dtick": 1, "tickformat": "d", "range": [2011.5, 2018.5]},
        {"type": "linear", "dtick": 1, "tickformat": "d", "range": [2018.5, 2020.5]},
        {"type": "linear", "dtick": 1, "tickformat": "d", "range": [2021.5, 2024.5]},
    ]
    assert figures["reports"]["x_ticks"] == [*every_year[:7], "2019", "2020", "2022", "2023", "2024"]


def test_the_sources_chart_counts_table_and_prose_values_per_year(
    quality_warehouse: tuple[Path, str], figures: dict[str, dict]
) -> None:
    db_path, _ = quality_warehouse
    table, prose = figures["sources"]["traces"]
    assert (table["name"], prose["name"]) == ("table", "prose")
    assert table["x"] == [2015, 2016, 2019, 2020, 2022, 2023, 2024]
    assert table["y"] == [155, 38, 20, 20, 47, 188, 47]
    assert prose["x"] == [2012, 2013, 2015, 2018, 2022, 2023, 2024]
    assert prose["y"] == [7, 8, 11, 5, 1, 4, 1]
    assert [round(share, 4) for share, _ in prose["customdata"]] == [1.0, 1.0, 0.0663, 1.0, 0.0208, 0.0208, 0.0208]
    assert [reports for _, reports in table["customdata"]] == [3, 1, 1, 1, 1, 4, 1]
    # every value a report gives at applicant_type total (the cumulative codes aside) is counted once
    assert query(
        db_path,
        "select source_kind, count(*) from marts.fct_indicator_values as v "
        "join marts.dim_indicators as i on v.indicator_code = i.code "
        "where v.applicant_type = 'total' and v.value is not null and not i.is_cumulative group by all order by all",
    ) == [("prose", sum(prose["y"])), ("table", sum(table["y"]))]
    assert figures["sources"]["annotations"] == []


def test_the_charts_read_documented_reports_models_and_the_templates_seed(
    quality_warehouse: tuple[Path, str], figures: dict[str, dict]
) -> None:
    db_path, _ = quality_warehouse
    assert query(
        db_path,
        "select table_name, count(*), count(comment) from duckdb_columns() where schema_name = 'reports' "
        "group by all order by all",
    ) == [
        ("rpt_applications_by_year", 7, 7),
        ("rpt_indicator_coverage", 8, 8),
        ("rpt_issuer_applications", 7, 7),
        ("rpt_quality_issues_by_rule", 6, 6),
        ("rpt_reports_by_year", 6, 6),
        ("rpt_value_sources_by_year", 5, 5),
        ("rpt_warehouse_facts", 8, 8),
    ]
    # the templates, in their order, come from seed template_versions
    seeded = query(db_path, "select template_version from raw.template_versions order by template_order")
    (heatmap,) = figures["coverage"]["traces"]
    assert [(name,) for name in heatmap["x"]] == seeded == [("legacy",), ("format_2019",), ("format_2021",)]
    # each chart reads its own model, and only it
    assert [set(re.findall(r"\bfrom (\w+\.\w+)", spec.sql)) for spec in CHART_SPECS] == [
        {f"reports.{spec.model}"} for spec in CHART_SPECS
    ]
