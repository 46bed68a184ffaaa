"""`zfxxgk overview`: one self-contained HTML page of charts built from the warehouse's reports models.

Every chart reads one model of schema reports (models/reports: documented, tested aggregates of the marts) by
column name, and draws it as one plotly figure; the page computes nothing of its own. The published database is
opened read-only. plotly.js is inlined once, so the page needs no network to be viewed. A chart whose model has no
rows to draw becomes a note saying so.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import plotly.graph_objects as go
from plotly.offline import get_plotlyjs
from plotly.subplots import make_subplots

from ingest.display import display_path

TOP_ISSUERS = 15
UNKNOWN = "unknown"
SEVERITY_COLORS = {"error": "#c0392b", "warn": "#e67e22", "info": "#7f8c8d"}
# The admin levels' colours by their level_order (seed admin_levels), top down; unknown is grey.
LEVEL_PALETTE = ["#1f4e79", "#2e86c1", "#48c9b0", "#f4d03f", "#af7ac5"]
SOURCE_COLORS = {"table": "#1f4e79", "prose": "#e67e22"}
GREY = "#bdc3c7"
PLOT_CONFIG = {"displaylogo": False, "responsive": True}
# Chinese renders wherever one of these CJK fonts is installed (Debian: fonts-noto-cjk, which `make browser` adds).
FONT_FAMILY = (
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", "Microsoft YaHei", "PingFang SC", sans-serif'
)
ERROR_EXCLUSION = "worst_severity error"

Row = dict[str, Any]
Rows = list[Row]


class ReportsModelsMissing(Exception):
    """The warehouse has no reports models (it was built before they existed): rebuild it."""


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


REPORTS_SQL = """
select template_version, template_order, admin_level, level_order, report_year, report_count
from reports.rpt_reports_by_year
order by template_order nulls last, level_order nulls last, report_year nulls last
"""

COVERAGE_SQL = """
select family, template_version, template_order, coverage, code_count, report_count, given_count
from reports.rpt_indicator_coverage
order by family, template_order
"""

QUALITY_SQL = """
select rule, severity, severity_rank, issue_count, report_count, rule_issue_count
from reports.rpt_quality_issues_by_rule
order by rule_issue_count desc, rule, severity_rank desc
"""

# every year of the panel that gives something to draw; excluded_total counts the issuer-years left out in all years
YEARS_SQL = """
select
    report_year,
    issuer_count,
    excluded_issuer_count,
    received_issuer_count,
    applications_received,
    share_issuer_count,
    pooled_disclosure_share,
    (select sum(excluded_issuer_count) from reports.rpt_applications_by_year) as excluded_total
from reports.rpt_applications_by_year
where received_issuer_count > 0 or share_issuer_count > 0
order by report_year
"""

TOP_ISSUERS_SQL = f"""
select issuer_rank, issuer_key, issuer, applications_received, year_count, first_year, last_year
from reports.rpt_issuer_applications
where issuer_rank <= {TOP_ISSUERS}
order by issuer_rank
"""

SOURCES_SQL = """
select report_year, source_kind, value_count, report_count, value_share
from reports.rpt_value_sources_by_year
order by report_year nulls last, source_kind
"""

FACTS_SQL = """
select
    report_count,
    annual_report_count,
    first_report_year,
    last_report_year,
    report_year_count,
    issuer_count,
    last_loaded_at,
    built_at
from reports.rpt_warehouse_facts
"""


def fetch_rows(con: duckdb.DuckDBPyConnection, sql: str) -> Rows:
    """The rows of a query as dicts keyed by column name."""
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values, strict=True)) for values in cursor.fetchall()]


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


def year_axis(years: list[int]) -> dict:
    """A continuous year axis: every year from the first to the last is on it (also those without data), with
    integer ticks (one per year up to 25 years, else every fifth)."""
    first, last = min(years), max(years)
    return {
        "type": "linear",
        "range": [first - 0.5, last + 0.5],
        "tick0": first,
        "dtick": 1 if last - first < 25 else 5,
        "tickformat": "d",
    }


def _label(value: str | None) -> str:
    return UNKNOWN if value is None else value


def _ordered(rows: Rows, name: str, order: str) -> list[str | None]:
    """The distinct values of column `name`, by the order column the model gives them (nulls last)."""
    ranks = {row[name]: row[order] for row in rows}
    return sorted(ranks, key=lambda value: (value is None, ranks[value] is None, ranks[value] or 0, value or ""))


def _note_annotation(figure: go.Figure, text: str, y: float = 1.1) -> None:
    """A line of text above the plot, right-aligned: what the chart leaves out."""
    figure.add_annotation(
        text=text, xref="paper", yref="paper", x=1, y=y, xanchor="right", showarrow=False, font={"color": "#c0392b"}
    )


def reports_chart(rows: Rows) -> go.Figure:
    """Stacked bars of reports per year and admin level, one panel per template, on continuous year axes."""
    dated = [row for row in rows if row["report_year"] is not None]
    templates = _ordered(dated, "template_version", "template_order")  # a panel per template with dated reports
    levels = _ordered(rows, "admin_level", "level_order")
    colors = {row["admin_level"]: _level_color(row["level_order"]) for row in rows}
    figure = make_subplots(
        rows=1, cols=max(1, len(templates)), shared_yaxes=True, subplot_titles=[_label(t) for t in templates]
    )
    shown_levels: set[str | None] = set()
    for column, template in enumerate(templates, start=1):
        template_rows = [row for row in dated if row["template_version"] == template]
        for level in levels:
            level_rows = [row for row in template_rows if row["admin_level"] == level]
            if not level_rows:
                continue
            figure.add_trace(
                go.Bar(
                    x=[row["report_year"] for row in level_rows],
                    y=[row["report_count"] for row in level_rows],
                    name=_label(level),
                    legendgroup=_label(level),
                    showlegend=level not in shown_levels,
                    marker_color=colors[level],
                    hovertemplate=f"{_label(template)} %{{x}}<br>{_label(level)}: %{{y}} reports<extra></extra>",
                ),
                row=1,
                col=column,
            )
            shown_levels.add(level)
        if template_rows:
            figure.update_xaxes(**year_axis([row["report_year"] for row in template_rows]), row=1, col=column)
    figure.update_layout(barmode="stack")
    stack_heights: dict[tuple[str | None, int], int] = {}
    for row in dated:
        key = (row["template_version"], row["report_year"])
        stack_heights[key] = stack_heights.get(key, 0) + row["report_count"]
    figure.update_yaxes(**_count_axis(max(stack_heights.values(), default=0)))
    figure.update_yaxes(title_text="reports", row=1, col=1)
    undated = sum(row["report_count"] for row in rows if row["report_year"] is None)
    legend = {"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "title": {"text": "admin_level"}}
    if not undated:
        return _layout(figure, 420, legend=legend)
    _note_annotation(figure, f"not shown: {undated} reports whose report_year the text does not settle", y=1.14)
    return _notes_room(_layout(figure, 440, legend=legend))


def _level_color(level_order: int | None) -> str:
    if level_order is None or not 1 <= level_order <= len(LEVEL_PALETTE):
        return GREY
    return LEVEL_PALETTE[level_order - 1]


def coverage_chart(rows: Rows) -> go.Figure:
    """Heatmap of the share of expected indicator values that reports give, per family and template."""
    templates = _ordered(rows, "template_version", "template_order")
    families = sorted({row["family"] for row in rows})
    cells = {(row["family"], row["template_version"]): row for row in rows}
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
    figure.update_xaxes(type="category")
    figure.update_yaxes(autorange="reversed")
    return _layout(figure, max(320, 80 + 52 * len(families)))


def _share(cell: Row | None) -> float | None:
    return None if cell is None else float(cell["coverage"])


def _cell_text(cell: Row | None) -> str:
    if cell is None:
        return ""
    codes = "code" if cell["code_count"] == 1 else "codes"
    reports = "report" if cell["report_count"] == 1 else "reports"
    return f"{cell['coverage']:.0%}<br>{cell['code_count']} {codes} × {cell['report_count']} {reports}"


def quality_chart(rows: Rows) -> go.Figure:
    """Horizontal stacked bars of quality issues per rule (most first), coloured by severity (worst first)."""
    rules = list(dict.fromkeys(row["rule"] for row in rows))  # the query orders them by rule_issue_count
    figure = go.Figure()
    ranks = {row["severity"]: row["severity_rank"] or 0 for row in rows}
    for severity in sorted(ranks, key=lambda severity: (-ranks[severity], _label(severity))):
        by_rule = {row["rule"]: row for row in rows if row["severity"] == severity}
        figure.add_trace(
            go.Bar(
                y=rules,
                x=[by_rule[rule]["issue_count"] if rule in by_rule else 0 for rule in rules],
                customdata=[by_rule[rule]["report_count"] if rule in by_rule else 0 for rule in rules],
                orientation="h",
                name=_label(severity),
                marker_color=SEVERITY_COLORS.get(_label(severity), GREY),
                hovertemplate="%{y}: %{x} issues in %{customdata} reports<extra>" + _label(severity) + "</extra>",
            )
        )
    figure.update_layout(barmode="stack")
    figure.update_yaxes(autorange="reversed")
    figure.update_xaxes(title_text="issues", **_count_axis(max(row["rule_issue_count"] for row in rows)))
    return _layout(figure, max(300, 90 + 28 * len(rules)))


def years_chart(rows: Rows) -> go.Figure:
    """Bars of applications received per year with the pooled disclosure share as a line, on a continuous year
    axis, over the issuer-years whose report has no consistency error (the chart says how many are left out)."""
    years = [row["report_year"] for row in rows]
    figure = make_subplots(specs=[[{"secondary_y": True}]])
    figure.add_trace(
        go.Bar(
            x=years,
            y=[row["applications_received"] for row in rows],
            customdata=[[row["received_issuer_count"], row["excluded_issuer_count"]] for row in rows],
            name="applications_received",
            marker_color="#2e86c1",
            hovertemplate="%{x}: %{y:,} applications from %{customdata[0]} issuers "
            "(%{customdata[1]} left out: consistency error)<extra></extra>",
        ),
        secondary_y=False,
    )
    figure.update_xaxes(**year_axis(years))
    figure.update_yaxes(title_text="applications received", rangemode="tozero", secondary_y=False)
    figure.update_yaxes(title_text="disclosure share", tickformat=".0%", range=[0, 1.05], dtick=0.2, secondary_y=True)
    excluded = rows[0]["excluded_total"]
    _note_annotation(
        figure,
        f"left out: {excluded} issuer-year{'' if excluded == 1 else 's'} whose report has a consistency error "
        f"({ERROR_EXCLUSION})",
        y=1.16,
    )
    if all(row["pooled_disclosure_share"] is None for row in rows):
        _note_annotation(figure, "disclosure share: no issuer-year gives both of its parts", y=1.08)
        return _notes_room(_layout(figure, 420))
    figure.add_trace(
        go.Scatter(
            x=years,
            y=[row["pooled_disclosure_share"] for row in rows],
            customdata=[row["share_issuer_count"] for row in rows],
            name="pooled disclosure_share",
            mode="lines+markers",
            marker={"size": 9},
            line={"color": "#c0392b", "width": 3},
            hovertemplate="%{x}: %{y:.1%} disclosed (pooled over %{customdata} issuers)<extra></extra>",
        ),
        secondary_y=True,
    )
    return _notes_room(_layout(figure, 420))


def _notes_room(figure: go.Figure) -> go.Figure:
    """A top margin that holds the notes above the plot (the legend sits just above it)."""
    figure.update_layout(margin={"t": 80})
    return figure


def top_issuers_chart(rows: Rows) -> go.Figure:
    """Horizontal bars of the issuers with the most applications received, largest first.

    The categories are the issuer_keys (unique); the ticks show the issuers' names.
    """
    keys = [row["issuer_key"] for row in rows]
    names = [row["issuer"] or row["issuer_key"] for row in rows]
    years = [
        f"{row['first_year']}–{row['last_year']}" if row["first_year"] != row["last_year"] else str(row["first_year"])
        for row in rows
    ]
    figure = go.Figure(
        go.Bar(
            y=keys,
            x=[row["applications_received"] for row in rows],
            customdata=[[span, row["year_count"]] for span, row in zip(years, rows, strict=True)],
            orientation="h",
            name="applications_received",
            marker_color="#1f4e79",
            text=[f"{row['applications_received']:,.0f}" for row in rows],
            textposition="auto",
            hovertemplate="%{y}<br>%{x:,} applications in %{customdata[1]} reports (%{customdata[0]})<extra></extra>",
        )
    )
    figure.update_yaxes(
        type="category", autorange="reversed", automargin=True, tickmode="array", tickvals=keys, ticktext=names
    )
    figure.update_xaxes(title_text="applications received (all years)")
    return _layout(figure, max(300, 90 + 30 * len(rows)))


def sources_chart(rows: Rows) -> go.Figure:
    """Stacked bars of the indicator values per year and source (table or prose), on a continuous year axis."""
    dated = [row for row in rows if row["report_year"] is not None]
    totals: dict[str, int] = {}
    for row in rows:
        totals[row["source_kind"]] = totals.get(row["source_kind"], 0) + row["value_count"]
    figure = go.Figure()
    for source_kind in sorted(totals, key=lambda kind: (-totals[kind], kind)):
        kind_rows = [row for row in dated if row["source_kind"] == source_kind]
        figure.add_trace(
            go.Bar(
                x=[row["report_year"] for row in kind_rows],
                y=[row["value_count"] for row in kind_rows],
                customdata=[[row["value_share"], row["report_count"]] for row in kind_rows],
                name=source_kind,
                marker_color=SOURCE_COLORS.get(source_kind, GREY),
                hovertemplate="%{x}: %{y:,} values from "
                + source_kind
                + " (%{customdata[0]:.1%} of the year's) in %{customdata[1]} reports<extra></extra>",
            )
        )
    figure.update_layout(barmode="stack")
    if dated:
        figure.update_xaxes(**year_axis([row["report_year"] for row in dated]))
    year_totals: dict[int, int] = {}
    for row in dated:
        year_totals[row["report_year"]] = year_totals.get(row["report_year"], 0) + row["value_count"]
    figure.update_yaxes(title_text="indicator values", **_count_axis(max(year_totals.values(), default=0)))
    undated = sum(row["value_count"] for row in rows if row["report_year"] is None)
    if undated:
        _note_annotation(figure, f"not shown: {undated} values of reports whose report_year is unknown")
    return _layout(figure, 380)


@dataclass(frozen=True)
class ChartSpec:
    """A chart of the page: the query on its reports model, the figure built from the rows, the note when none."""

    key: str
    title: str
    caption: str
    model: str
    sql: str
    build: Callable[[Rows], go.Figure]
    empty_note: str


CHART_SPECS = [
    ChartSpec(
        "reports",
        "Reports by year, admin level and template",
        "How many reports of each report_year the warehouse holds (reports.rpt_reports_by_year, from "
        "marts.dim_reports), stacked by admin_level, one panel per template_version. Values the text does not settle "
        "are shown as unknown.",
        "rpt_reports_by_year",
        REPORTS_SQL,
        reports_chart,
        "marts.dim_reports has no rows: no report was ingested.",
    ),
    ChartSpec(
        "coverage",
        "Indicator coverage by family and template",
        "Of the indicator values a report's template could give (its codes in marts.dim_indicators × its reports), "
        "the share given at applicant_type total with a value (reports.rpt_indicator_coverage). A low share means "
        "blank cells, tables not read, or a family reported elsewhere.",
        "rpt_indicator_coverage",
        COVERAGE_SQL,
        coverage_chart,
        "No report has a template whose indicators are known: nothing to measure coverage against.",
    ),
    ChartSpec(
        "quality",
        "Quality issues by rule and severity",
        "Rows of marts.fct_quality_issues per rule, coloured by severity (reports.rpt_quality_issues_by_rule; error: "
        "the report contradicts itself; warn: a value was dropped, overruled or is implausible; info: a soft rule). "
        "Hover for the reports concerned.",
        "rpt_quality_issues_by_rule",
        QUALITY_SQL,
        quality_chart,
        "marts.fct_quality_issues has no rows: no consistency rule is broken.",
    ),
    ChartSpec(
        "years",
        "Applications and disclosure share over the years",
        "Bars: applications_received summed over the issuers of each year (reports.rpt_applications_by_year, from "
        "marts.mart_issuer_year_panel, one report per issuer and year). Line: the pooled disclosure share, "
        "sum(applications_disclosed) / sum(applications_decided) over the issuers whose disclosure_share is known. "
        f"Issuer-years whose report has a consistency error ({ERROR_EXCLUSION}) are left out.",
        "rpt_applications_by_year",
        YEARS_SQL,
        years_chart,
        "No issuer-year of marts.mart_issuer_year_panel without a consistency error gives applications_received or "
        "disclosure_share.",
    ),
    ChartSpec(
        "top_issuers",
        f"Top {TOP_ISSUERS} issuers by applications received",
        "The issuers (issuer_key: region code + issuer) with the most applications_received summed over their "
        "years in marts.mart_issuer_year_panel (reports.rpt_issuer_applications), largest first; the name is the "
        f"one of their latest report. Issuer-years whose report has a consistency error ({ERROR_EXCLUSION}) are "
        "left out.",
        "rpt_issuer_applications",
        TOP_ISSUERS_SQL,
        top_issuers_chart,
        "No issuer-year without a consistency error gives applications_received.",
    ),
    ChartSpec(
        "sources",
        "Where the values come from: tables or prose",
        "The indicator values the reports give at applicant_type total, per report_year and source_kind of "
        "marts.fct_indicator_values (reports.rpt_value_sources_by_year): read from a statistics table's cell, or "
        "from a figure in a sentence (prose). Hover for the share of the year's values.",
        "rpt_value_sources_by_year",
        SOURCES_SQL,
        sources_chart,
        "marts.fct_indicator_values has no value: no figure was read.",
    ),
]


def collect_charts(con: duckdb.DuckDBPyConnection) -> list[Chart]:
    """Read every chart's model and build its figure (or its note when the model has no rows to draw)."""
    charts = []
    for spec in CHART_SPECS:
        rows = fetch_rows(con, spec.sql)
        figure = spec.build(rows) if rows else None
        charts.append(Chart(spec.key, spec.title, spec.caption, figure, None if rows else spec.empty_note))
    return charts


def _header_facts(con: duckdb.DuckDBPyConnection) -> tuple[int, list[tuple[str, str]]]:
    (facts_row,) = fetch_rows(con, FACTS_SQL)
    first_year, last_year = facts_row["first_report_year"], facts_row["last_report_year"]
    years = f"{first_year}–{last_year} ({facts_row['report_year_count']} years)" if first_year is not None else "none"
    facts = [
        ("reports", f"{facts_row['report_count']:,}"),
        ("of them annual reports", f"{facts_row['annual_report_count']:,}"),
        ("years covered", years),
        ("issuers", f"{facts_row['issuer_count']:,}"),
    ]
    if facts_row["last_loaded_at"] is not None:
        facts.append(("last ingest", f"{facts_row['last_loaded_at'].astimezone(UTC):%Y-%m-%d %H:%M} UTC"))
    facts.append(("warehouse built", f"{facts_row['built_at'].astimezone(UTC):%Y-%m-%d %H:%M} UTC"))
    return facts_row["report_count"], facts


def _check_reports_models(con: duckdb.DuckDBPyConnection) -> None:
    found = {
        name
        for (name,) in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'reports' and table_name like 'rpt_%'"
        ).fetchall()
    }
    needed = {"rpt_warehouse_facts"} | {spec.model for spec in CHART_SPECS}
    missing = sorted(needed - found)
    if missing:
        raise ReportsModelsMissing(", ".join(f"reports.{name}" for name in missing))


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
    """Read the reports models of the warehouse at `db_path` (read-only) and write the overview page to `out_path`.

    Raises ReportsModelsMissing when the warehouse was built before them."""
    con = duckdb.connect(str(db_path), read_only=True)
    try:
        _check_reports_models(con)
        report_count, facts = _header_facts(con)
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
