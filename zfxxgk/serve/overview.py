"""`zfxxgk overview`: one self-contained HTML page of charts built from the warehouse's marts.

Every chart is one set-based query on the published database (opened read-only) and one plotly figure.
plotly.js is inlined once, so the page needs no network to be viewed. A chart whose query returns no rows
becomes a note saying so.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from ingest.display import display_path
from zfxxgk.build_state import build_stamp_table

TOP_ISSUERS = 15
UNKNOWN = "unknown"
TEMPLATE_ORDER = ["legacy", "format_2019", "format_2021", UNKNOWN]
LEVEL_ORDER = ["province", "city", "county", "township", "department", UNKNOWN]
SEVERITY_COLORS = {"error": "#c0392b", "warn": "#e67e22", "info": "#7f8c8d"}
LEVEL_COLORS = {
    "province": "#1f4e79",
    "city": "#2e86c1",
    "county": "#48c9b0",
    "township": "#f4d03f",
    "department": "#af7ac5",
    UNKNOWN: "#bdc3c7",
}
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
FONT_FAMILY = '"Noto Sans CJK SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'

Rows = list[tuple]


@dataclass(frozen=True)
class Chart:
    """One section of the page: a figure, or a note when its source has no rows."""

    key: str
    title: str
    caption: str
    figure: go.Figure | None
    note: str | None = None


@dataclass(frozen=True)
class OverviewResult:
    """What `write_overview` wrote."""

    out_path: Path
    chart_count: int
    note_count: int
    report_count: int
    byte_count: int

    def describe(self) -> str:
        notes = f", {self.note_count} empty (a note instead)" if self.note_count else ""
        return (
            f"overview: {display_path(self.out_path)} ({self.byte_count / 1e6:.1f} MB, "
            f"{self.chart_count} charts{notes}, {self.report_count:,} reports)"
        )


REPORTS_SQL = f"""
with reports as (
    select
        coalesce(cast(report_year as varchar), '{UNKNOWN}') as report_year,
        coalesce(admin_level, '{UNKNOWN}') as admin_level,
        coalesce(template_version, '{UNKNOWN}') as template_version
    from marts.dim_reports
)
select template_version, admin_level, report_year, count(*) as report_count
from reports
group by all
order by all
"""

COVERAGE_SQL = f"""
with reports as (
    select report_id, coalesce(template_version, '{UNKNOWN}') as template_version
    from marts.dim_reports
),

template_codes as (
    select indicator_code, family, 'legacy' as template_version from marts.dim_indicators where is_in_legacy
    union all
    select indicator_code, family, 'format_2019' from marts.dim_indicators where is_in_format_2019
    union all
    select indicator_code, family, 'format_2021' from marts.dim_indicators where is_in_format_2021
),

expected_cells as (
    select reports.report_id, reports.template_version, template_codes.indicator_code, template_codes.family
    from reports
    inner join template_codes on reports.template_version = template_codes.template_version
),

given_cells as (
    select distinct report_id, indicator_code
    from marts.fct_indicator_values
    where applicant_type = 'total' and value is not null
)

select
    expected_cells.family,
    expected_cells.template_version,
    count(given_cells.indicator_code) / count(*) as coverage,
    count(distinct expected_cells.indicator_code) as code_count,
    count(distinct expected_cells.report_id) as report_count,
    count(given_cells.indicator_code) as given_count
from expected_cells
left join given_cells
    on expected_cells.report_id = given_cells.report_id and expected_cells.indicator_code = given_cells.indicator_code
group by all
order by all
"""

QUALITY_SQL = """
select rule, severity, count(*) as issue_count, count(distinct report_id) as report_count
from marts.fct_quality_issues
group by all
order by rule, severity
"""

YEARS_SQL = """
select
    report_year,
    count(*) as issuer_count,
    count(applications_received) as received_issuers,
    cast(sum(applications_received) as double) as applications_received,
    count(disclosure_share) as share_issuers,
    cast(
        sum(applications_disclosed) filter (where disclosure_share is not null)
        / sum(applications_decided) filter (where disclosure_share is not null) as double
    ) as pooled_disclosure_share
from marts.mart_issuer_year_panel
group by report_year
having count(applications_received) > 0 or count(disclosure_share) > 0
order by report_year
"""

TOP_ISSUERS_SQL = f"""
with issuer_totals as (
    select
        issuer_key,
        max_by(issuer, report_year) as issuer,
        cast(sum(applications_received) as double) as applications_received,
        count(applications_received) as year_count,
        min(report_year) as first_year,
        max(report_year) as last_year
    from marts.mart_issuer_year_panel
    where applications_received is not null
    group by issuer_key
)
select issuer_key, issuer, applications_received, year_count, first_year, last_year
from issuer_totals
order by applications_received desc, issuer_key
limit {TOP_ISSUERS}
"""

HEADER_SQL = """
select
    count(*) as report_count,
    count(*) filter (where is_annual_report) as annual_report_count,
    min(report_year) as first_year,
    max(report_year) as last_year,
    count(distinct report_year) as year_count,
    count(distinct issuer_key) as issuer_count
from marts.dim_reports
"""

LAST_INGEST_SQL = "select max(loaded_at) from raw.report_sources"


def _layout(figure: go.Figure, height: int, legend: dict | None = None) -> go.Figure:
    """The page's common look: height, margins, CJK-capable fonts, a legend above the plot unless given."""
    figure.update_layout(
        height=height,
        margin={"l": 60, "r": 30, "t": 40, "b": 50},
        font={"family": FONT_FAMILY, "size": 13},
        template="plotly_white",
        legend=legend or {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0},
    )
    return figure


def _count_axis(max_count: float) -> dict:
    """Axis settings for counts: whole-number ticks (every unit when the counts are small)."""
    return {"rangemode": "tozero", **({"dtick": 1} if max_count <= 8 else {"tickformat": ",d"})}


def _ordered(values: set[str], order: list[str]) -> list[str]:
    return sorted(values, key=lambda value: (order.index(value) if value in order else len(order), value))


def reports_chart(rows: Rows) -> go.Figure:
    """Stacked bars of reports per year and admin level, one panel per template."""
    templates = _ordered({row[0] for row in rows}, TEMPLATE_ORDER)
    levels = _ordered({row[1] for row in rows}, LEVEL_ORDER)
    counts = {(template, level, year): count for template, level, year, count in rows}
    figure = make_subplots(rows=1, cols=len(templates), shared_yaxes=True, subplot_titles=templates)
    for column, template in enumerate(templates, start=1):
        years = sorted({year for row_template, _, year, _ in rows if row_template == template})
        for level in levels:
            values = [counts.get((template, level, year), 0) for year in years]
            if not any(values):
                continue
            figure.add_trace(
                go.Bar(
                    x=years,
                    y=values,
                    name=level,
                    legendgroup=level,
                    showlegend=level not in {trace.name for trace in figure.data},
                    marker_color=LEVEL_COLORS.get(level),
                    hovertemplate=f"{template} %{{x}}<br>{level}: %{{y}} reports<extra></extra>",
                ),
                row=1,
                col=column,
            )
        figure.update_xaxes(type="category", row=1, col=column)
    figure.update_layout(barmode="stack")
    stack_heights: dict[tuple[str, str], int] = {}
    for template, _, year, count in rows:
        stack_heights[(template, year)] = stack_heights.get((template, year), 0) + count
    figure.update_yaxes(**_count_axis(max(stack_heights.values())))
    figure.update_yaxes(title_text="reports", row=1, col=1)
    return _layout(
        figure, 420, legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "title": {"text": "admin_level"}}
    )


def coverage_chart(rows: Rows) -> go.Figure:
    """Heatmap of the share of expected indicator values that reports give, per family and template."""
    templates = _ordered({row[1] for row in rows}, TEMPLATE_ORDER)
    families = sorted({row[0] for row in rows})
    cells = {(family, template): row for family, template, *row in rows}
    shares = [[_share(cells.get((family, template))) for template in templates] for family in families]
    text = [[_cell_text(cells.get((family, template))) for template in templates] for family in families]
    figure = go.Figure(
        go.Heatmap(
            x=templates,
            y=families,
            z=shares,
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=1,
            colorscale="Blues",
            colorbar={"title": {"text": "share"}, "tickformat": ".0%"},
            hovertemplate="%{y} in %{x}: %{z:.1%} of the expected values given<extra></extra>",
            xgap=2,
            ygap=2,
        )
    )
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, max(320, 80 + 52 * len(families)))


def _share(cell: list | None) -> float | None:
    return None if cell is None else float(cell[0])


def _cell_text(cell: list | None) -> str:
    if cell is None:
        return ""
    coverage, code_count, report_count, _ = cell
    codes = "code" if code_count == 1 else "codes"
    reports = "report" if report_count == 1 else "reports"
    return f"{coverage:.0%}<br>{code_count} {codes} × {report_count} {reports}"


def quality_chart(rows: Rows) -> go.Figure:
    """Horizontal stacked bars of quality issues per rule, coloured by severity."""
    totals: dict[str, int] = {}
    for rule, _, issue_count, _ in rows:
        totals[rule] = totals.get(rule, 0) + issue_count
    rules = sorted(totals, key=lambda rule: (-totals[rule], rule))
    figure = go.Figure()
    for severity in _ordered({row[1] or UNKNOWN for row in rows}, [*SEVERITY_COLORS, UNKNOWN]):
        by_rule = {row[0]: row for row in rows if (row[1] or UNKNOWN) == severity}
        figure.add_trace(
            go.Bar(
                y=rules,
                x=[by_rule[rule][2] if rule in by_rule else 0 for rule in rules],
                customdata=[by_rule[rule][3] if rule in by_rule else 0 for rule in rules],
                orientation="h",
                name=severity,
                marker_color=SEVERITY_COLORS.get(severity, "#bdc3c7"),
                hovertemplate="%{y}: %{x} issues in %{customdata} reports<extra>" + severity + "</extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="issues", **_count_axis(max(totals.values())))
    return _layout(figure, max(300, 90 + 28 * len(rules)))


def years_chart(rows: Rows) -> go.Figure:
    """Bars of applications received per year with the pooled disclosure share as a line."""
    years = [str(row[0]) for row in rows]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(
        go.Bar(
            x=years,
            y=[row[3] for row in rows],
            customdata=[row[2] for row in rows],
            name="applications_received",
            marker_color="#2e86c1",
            hovertemplate="%{x}: %{y:,} applications from %{customdata} issuers<extra></extra>",
        ),
        secondary_y=False,
    )
    figure.update_xaxes(type="category")
    figure.update_yaxes(title_text="applications received", rangemode="tozero", secondary_y=False)
    figure.update_yaxes(title_text="disclosure share", tickformat=".0%", range=[0, 1.05], dtick=0.2, secondary_y=True)
    if all(row[5] is None for row in rows):
        figure.add_annotation(
            text="disclosure share: no issuer-year gives both of its parts",
            xref="paper",
            yref="paper",
            x=1,
            y=1.08,
            showarrow=False,
            font={"color": "#c0392b"},
        )
        return _layout(figure, 400)
    figure.add_trace(
        go.Scatter(
            x=years,
            y=[row[5] for row in rows],
            customdata=[row[4] for row in rows],
            name="pooled disclosure_share",
            mode="lines+markers",
            marker={"size": 9},
            line={"color": "#c0392b", "width": 3},
            hovertemplate="%{x}: %{y:.1%} disclosed (pooled over %{customdata} issuers)<extra></extra>",
        ),
        secondary_y=True,
    )
    return _layout(figure, 400)


def top_issuers_chart(rows: Rows) -> go.Figure:
    """Horizontal bars of the issuers with the most applications received, largest first.

    The categories are the issuer_keys (unique); the ticks show the issuers' names.
    """
    keys = [row[0] for row in rows]
    names = [issuer or issuer_key for issuer_key, issuer, *_ in rows]
    years = [f"{first}–{last}" if first != last else str(first) for *_, first, last in rows]
    figure = go.Figure(
        go.Bar(
            y=keys,
            x=[row[2] for row in rows],
            customdata=list(zip(years, [row[3] for row in rows], strict=True)),
            orientation="h",
            name="applications_received",
            marker_color="#1f4e79",
            text=[f"{row[2]:,.0f}" for row in rows],
            textposition="auto",
            hovertemplate="%{y}<br>%{x:,} applications in %{customdata[1]} reports (%{customdata[0]})<extra></extra>",
        )
    )
    figure.update_yaxes(
        type="category", autorange="reversed", automargin=True, tickmode="array", tickvals=keys, ticktext=names
    )
    figure.update_xaxes(title_text="applications received (all years)")
    return _layout(figure, max(300, 90 + 30 * len(rows)))


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the page: its query on the marts, the figure built from the rows, the note when there are none."""

    key: str
    title: str
    caption: str
    sql: str
    build: Callable[[Rows], go.Figure]
    empty_note: str


CHART_SPECS = [
    ChartSpec(
        "reports",
        "Reports by year, admin level and template",
        "How many reports of each report_year the warehouse holds (marts.dim_reports), stacked by admin_level, "
        "one panel per template_version. Values the text does not settle are shown as unknown.",
        REPORTS_SQL,
        reports_chart,
        "marts.dim_reports has no rows: no report was ingested.",
    ),
    ChartSpec(
        "coverage",
        "Indicator coverage by family and template",
        "Of the indicator values a report's template could give (its codes in marts.dim_indicators × its reports), "
        "the share given at applicant_type total with a value (marts.fct_indicator_values). A low share means "
        "blank cells, tables not read, or a family reported elsewhere.",
        COVERAGE_SQL,
        coverage_chart,
        "No report has a template whose indicators are known: nothing to measure coverage against.",
    ),
    ChartSpec(
        "quality",
        "Quality issues by rule and severity",
        "Rows of marts.fct_quality_issues per rule, coloured by severity (error: the report contradicts itself; "
        "warn: a value was dropped, overruled or is implausible; info: a soft rule). Hover for the reports concerned.",
        QUALITY_SQL,
        quality_chart,
        "marts.fct_quality_issues has no rows: no consistency rule is broken.",
    ),
    ChartSpec(
        "years",
        "Applications and disclosure share over the years",
        "Bars: applications_received summed over the issuers of each year (marts.mart_issuer_year_panel, one report "
        "per issuer and year). Line: the pooled disclosure share, sum(applications_disclosed) / "
        "sum(applications_decided) over the issuers whose disclosure_share is known.",
        YEARS_SQL,
        years_chart,
        "marts.mart_issuer_year_panel has no rows: no report has both an issuer and a year.",
    ),
    ChartSpec(
        "top_issuers",
        f"Top {TOP_ISSUERS} issuers by applications received",
        "The issuers (issuer_key: region code + issuer) with the most applications_received summed over their "
        "years in marts.mart_issuer_year_panel, largest first; the name is the one of their latest report.",
        TOP_ISSUERS_SQL,
        top_issuers_chart,
        "No issuer-year gives applications_received.",
    ),
]


def collect_charts(con: duckdb.DuckDBPyConnection) -> list[Chart]:
    """Run every chart's query and build its figure (or its note when the query returns no rows)."""
    charts = []
    for spec in CHART_SPECS:
        rows = con.execute(spec.sql).fetchall()
        figure = spec.build(rows) if rows else None
        charts.append(Chart(spec.key, spec.title, spec.caption, figure, None if rows else spec.empty_note))
    return charts


def _header_facts(con: duckdb.DuckDBPyConnection, db_path: Path) -> tuple[int, list[tuple[str, str]]]:
    report_count, annual_count, first_year, last_year, year_count, issuer_count = con.execute(HEADER_SQL).fetchone()
    years = f"{first_year}–{last_year} ({year_count} years)" if first_year is not None else "none"
    facts = [
        ("reports", f"{report_count:,}"),
        ("of them annual reports", f"{annual_count:,}"),
        ("years covered", years),
        ("issuers", f"{issuer_count:,}"),
    ]
    try:
        (last_ingest,) = con.execute(LAST_INGEST_SQL).fetchone()
    except duckdb.CatalogException:
        last_ingest = None
    if last_ingest is not None:
        facts.append(("last ingest", f"{last_ingest.astimezone(UTC):%Y-%m-%d %H:%M} UTC"))
    try:
        (built,) = con.execute(f"select built_at from {build_stamp_table(con)}").fetchone()
    except duckdb.CatalogException:  # a warehouse built before the build stamp: the file's time
        built = datetime.fromtimestamp(db_path.stat().st_mtime, tz=UTC)
    facts.append(("warehouse built", f"{built.astimezone(UTC):%Y-%m-%d %H:%M} UTC"))
    return report_count, facts


STYLE = """
body { font-family: %(font)s; margin: 0; background: #f4f6f8; color: #222; }
header { background: #1f4e79; color: #fff; padding: 20px 32px; }
header h1 { margin: 0 0 12px; font-size: 24px; }
.facts { display: flex; flex-wrap: wrap; gap: 12px; margin: 0; }
.fact { background: rgba(255,255,255,0.12); border-radius: 6px; padding: 8px 14px; }
.fact dt { font-size: 12px; opacity: 0.8; }
.fact dd { margin: 0; font-size: 20px; font-weight: 600; }
main { max-width: 1200px; margin: 0 auto; padding: 16px 24px 40px; }
section { background: #fff; border-radius: 8px; box-shadow: 0 1px 3px rgba(0,0,0,0.1); margin: 20px 0;
          padding: 16px 20px; }
section h2 { margin: 0 0 6px; font-size: 18px; }
p.caption { margin: 4px 0 0; color: #555; font-size: 14px; line-height: 1.5; }
p.note { background: #fdf6e3; border-left: 4px solid #e67e22; padding: 12px 16px; margin: 8px 0; }
footer { color: #777; font-size: 12px; text-align: center; padding-bottom: 24px; }
"""


def render_page(charts: list[Chart], facts: list[tuple[str, str]], db_path: Path) -> str:
    """The whole page: header facts, one section per chart, plotly.js inlined once."""
    sections = []
    for chart in charts:
        if chart.figure is not None:
            body = chart.figure.to_html(
                full_html=False, include_plotlyjs=False, config=PLOT_CONFIG, div_id=f"chart-{chart.key}"
            )
            body = f'<div class="chart" data-chart="{chart.key}">{body}</div>'
        else:
            body = f'<p class="note" data-note="{chart.key}">{html.escape(chart.note or "")}</p>'
        sections.append(
            f'<section id="{chart.key}"><h2>{html.escape(chart.title)}</h2>{body}'
            f'<p class="caption">{html.escape(chart.caption)}</p></section>'
        )
    fact_items = "".join(
        f'<div class="fact" data-fact="{html.escape(label)}"><dt>{html.escape(label)}</dt>'
        f"<dd>{html.escape(value)}</dd></div>"
        for label, value in facts
    )
    generated = f"{datetime.now(tz=UTC):%Y-%m-%d %H:%M} UTC"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>zfxxgk overview</title>
<style>{STYLE % {"font": FONT_FAMILY}}</style>
<script type="text/javascript">{get_plotlyjs()}</script>
</head>
<body>
<header><h1>政府信息公开工作年度报告 · zfxxgk warehouse overview</h1><dl class="facts">{fact_items}</dl></header>
<main>
{"".join(sections)}
</main>
<footer>Generated {generated} by <code>zfxxgk overview</code> from {html.escape(db_path.name)}.</footer>
</body>
</html>
"""


def write_overview(db_path: Path, out_path: Path) -> OverviewResult:
    """Query the marts of the warehouse at `db_path` (read-only) and write the overview page to `out_path`."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        report_count, facts = _header_facts(con, db_path)
        charts = collect_charts(con)
    finally:
        con.close()
    page = render_page(charts, facts, db_path)
    out_path.parent.mkdir(parents=True, exist_ok=True)
    out_path.write_text(page, encoding="utf-8")
    return OverviewResult(
        out_path=out_path,
        chart_count=sum(chart.figure is not None for chart in charts),
        note_count=sum(chart.figure is None for chart in charts),
        report_count=report_count,
        byte_count=out_path.stat().st_size,
    )


def headless_chromium_arguments(profile_dir: Path, width: int, height: int) -> list[str]:
    """Flags for Debian's Chromium rendering the page headless (the test and scripts/screenshot_overview.py):
    background networking off, as this machine's network is closed, and a profile of its own."""
    return [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={profile_dir}",
        f"--window-size={width},{height}",
    ]
