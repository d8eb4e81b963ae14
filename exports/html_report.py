"""A Report as one self-contained HTML page: interactive Plotly charts, their data tables, the
headline figures, the filters used and the data's provenance.

It opens offline from disk: Plotly's JavaScript is inlined once, fonts are the system's, there
is no image, MathJax or stylesheet to fetch, and a Content-Security-Policy forbids the page
to load anything from anywhere. Every text from the data is HTML-escaped, and the charts'
JSON cannot close its script element.
"""

from __future__ import annotations

import html
import json
from datetime import date
from typing import Any

import pandas as pd
import plotly.io as pio
import plotly.offline

from exports.cells import cell_text, plain
from exports.workbook import SUMMARY_HEADERS
from figures.layout import FigureBuilder
from i18n import _, language, ngettext
from i18n.numbers import number
from views.format import SUPPRESSED
from views.frames import flagged, is_protected
from views.labels import FLAG_COLUMN, column_label
from views.models import Chart, Table
from views.report import EMPTY_TEXT, REPORT_DEMO_NOTICE, Report

HTML_MIME = "text/html"
# Nothing may be fetched: scripts and styles only from the page itself, images only as data.
CONTENT_SECURITY_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "img-src data: blob:; font-src data:; connect-src 'none'; form-action 'none'; "
    "base-uri 'none'"
)
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showLink": False,
    "showSendToCloud": False,
    "showEditInChartStudio": False,
    "responsive": True,
    "modeBarButtonsToRemove": ["lasso2d", "select2d"],
}
FONTS = '"Source Sans Pro", "Source Sans 3", "Segoe UI", Roboto, Arial, sans-serif'
STYLE = f"""
body {{ font-family: {FONTS}; color: #1f1f1f; margin: 0 auto; max-width: 1100px;
  padding: 1.5rem; line-height: 1.45; }}
h1 {{ font-size: 1.8rem; margin-bottom: .3rem; }}
h2 {{ font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 1px solid #d0d7e2; }}
.demo {{ background: #fff4e5; border-left: 5px solid #9c2a00; padding: .6rem .9rem;
  font-weight: 600; }}
.meta {{ display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1.2rem; }}
.meta dt {{ font-weight: 600; }} .meta dd {{ margin: 0; }}
table {{ border-collapse: collapse; margin: .6rem 0; font-size: .92rem; }}
th, td {{ border: 1px solid #d0d7e2; padding: .25rem .55rem; text-align: left;
  vertical-align: top; }}
th {{ background: #e5e9f0; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
td.hidden {{ color: #595959; font-style: italic; }}
.caption, .note {{ color: #4a4a4a; font-size: .9rem; }}
figure {{ margin: 1rem 0 0 0; }}
.chart {{ width: 100%; min-height: 240px; }}
details {{ margin: .5rem 0 1rem 0; }} summary {{ cursor: pointer; font-weight: 600; }}
"""


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _script_json(value: str) -> str:
    """JSON safe inside a script element: it can neither close it nor open a comment."""
    return value.replace("</", "<\\/").replace("<!--", "<\\!--")


def figure_json(chart: Chart) -> str:
    """The chart's Plotly JSON, built from its builder and the frame it draws."""
    if isinstance(chart.builder, FigureBuilder):  # straight from its spec, not validated again
        return str(chart.builder.spec(chart.drawn, **chart.options).to_json())
    return str(pio.to_json(chart.builder(chart.drawn, **chart.options), validate=False))


def table_html(frame: pd.DataFrame, *, caption: str) -> str:
    """A frame as an HTML table with a caption, headers in the pages' words."""
    columns = [c for c in frame.columns if c != FLAG_COLUMN]
    hidden = flagged(frame).tolist()
    units = frame["unit"].tolist() if "unit" in frame.columns else [None] * len(frame)
    head = "".join(f'<th scope="col">{_e(column_label(c))}</th>' for c in columns)
    rows = []
    records = frame[columns].itertuples(index=False, name=None)
    for values, row_hidden, unit in zip(records, hidden, units, strict=True):
        cells = []
        for column, value in zip(columns, values, strict=True):
            text = cell_text(column, value, hidden=row_hidden, unit=unit)
            numeric = not isinstance(plain(value), str | bool | date)
            withheld = row_hidden and plain(value) is None  # written as "suppressed"
            css = "hidden" if withheld else ("num" if numeric else "")
            cells.append(f'<td class="{css}">{_e(text)}</td>' if css else f"<td>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<table><caption>{_e(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def _chart(report: Report, chart: Chart, index: int) -> tuple[str, str]:
    """A chart's section and the script drawing it."""
    div_id = f"chart-{index}-{chart.key}"
    parts = [f"<section><h2>{_e(chart.title)}</h2>"]
    script = ""
    if chart.data.empty:
        parts.append(f"<p>{_e(_(EMPTY_TEXT))}</p>")
    else:
        parts.append(
            f'<figure><div id="{div_id}" class="chart"></div>'
            f"<figcaption>{_e(chart.summary or '')}</figcaption></figure>"
        )
        image = {"format": "png", "scale": 2, "filename": chart.key}
        config = {**PLOTLY_CONFIG, "toImageButtonOptions": image}
        script = (
            f"(function () {{ var f = {_script_json(figure_json(chart))}; "
            f"Plotly.newPlot({json.dumps(div_id)}, f.data, f.layout, "
            f"{_script_json(json.dumps(config))}); }})();"
        )
    caption = report.source_caption() + (f" · {chart.note}" if chart.note else "")
    parts.append(f'<p class="caption">{_e(caption)}</p>')
    if is_protected(chart.data):
        parts.append(f'<p class="note">{_e(report.legend())}</p>')
    if not chart.data.empty:
        summary = _("Data table: {title}").format(title=chart.title)
        caption = _("Data plotted in: {title}").format(title=chart.title)
        parts.append(
            f"<details><summary>{_e(summary)}</summary>"
            f"{table_html(chart.data, caption=caption)}</details>"
        )
    parts.append("</section>")
    return "".join(parts), script


def _table(report: Report, table: Table) -> str:
    parts = [f"<section><h2>{_e(table.title)}</h2>"]
    if table.note:
        parts.append(f'<p class="note">{_e(table.note)}</p>')
    if is_protected(table.data):
        parts.append(f'<p class="note">{_e(report.legend())}</p>')
    if table.data.empty:
        parts.append(f"<p>{_e(_(EMPTY_TEXT))}</p>")
    else:
        body = table_html(table.data, caption=table.title)
        show = ngettext(
            "Show the table ({count} row)", "Show the table ({count} rows)", len(table.data)
        ).format(count=number(len(table.data)))
        parts.append(f"<details><summary>{_e(show)}</summary>{body}</details>")
    parts.append("</section>")
    return "".join(parts)


def _headlines(report: Report) -> str:
    heading = _e(_("Headline figures"))
    if not report.headlines:
        return f"<section><h2>{heading}</h2><p>{_e(_(EMPTY_TEXT))}</p></section>"
    rows = []
    for tile in report.headlines:
        value = tile.exact_value
        withheld = value in (SUPPRESSED, _(SUPPRESSED))
        css = ' class="hidden"' if withheld else ' class="num"'
        rows.append(
            f'<tr><th scope="row">{_e(tile.label)}</th><td{css}>{_e(value)}</td>'
            f"<td>{_e(tile.exact_delta or '')}</td><td>{_e(tile.help or '')}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{_e(_(word))}</th>' for word in (SUMMARY_HEADERS[i] for i in (0, 1, 2, 5))
    )
    return (
        f"<section><h2>{heading}</h2><table><thead><tr>{head}"
        f"</tr></thead><tbody>{''.join(rows)}</tbody></table></section>"
    )


def render_html(report: Report) -> str:
    """The report as one HTML document that needs nothing but itself."""
    meta = "".join(
        f"<dt>{_e(label)}</dt><dd>{_e(text)}</dd>"
        for label, text in [*report.metadata(), *report.about]
    )
    sections, scripts = [], []
    for index, chart in enumerate(report.charts):
        section, script = _chart(report, chart, index)
        sections.append(section)
        if script:
            scripts.append(script)
    sections.extend(_table(report, table) for table in report.tables)
    notes = list(report.notes)
    if report.has_suppressed:
        notes.insert(0, report.legend())
    demo = (
        f'<p class="demo" role="note">{_e(_(REPORT_DEMO_NOTICE))}</p>'
        if report.state.is_demo
        else ""
    )
    title = report.title
    if report.state.is_demo:
        title = _("[Demo data] {title}").format(title=title)
    none = _e(_("None."))
    notes_html = "".join(f"<p>{_e(n)}</p>" for n in notes) or f"<p>{none}</p>"
    notes_heading = _e(_("Notes"))
    return f"""<!DOCTYPE html>
<html lang="{_e(language())}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{_e(CONTENT_SECURITY_POLICY)}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Pact for Skills dashboard">
<title>{_e(title)}</title>
<style>{STYLE}</style>
<script>window.PlotlyConfig = {{MathJaxConfig: "local"}};</script>
<script>{plotly.offline.get_plotlyjs()}</script>
</head>
<body>
<header>
<h1>{_e(report.title)}</h1>
{demo}
<dl class="meta">{meta}</dl>
</header>
<main>
{_headlines(report)}
{"".join(sections)}
<section><h2>{notes_heading}</h2>{notes_html}</section>
</main>
<script>{"".join(scripts)}</script>
</body>
</html>
"""


def html_bytes(report: Report) -> bytes:
    """The report as an HTML file (UTF-8), in the current language (the caller sets it)."""
    return render_html(report).encode("utf-8")
