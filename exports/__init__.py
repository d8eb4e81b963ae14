"""Briefing reports: a partnership's Profile or the Pact-wide Overview of the filtered view,
as an XLSX workbook and as a self-contained HTML page, for one caller.

exports.content holds a report as plain data, exports.gather fetches it through data_access
(scoped and protected for the caller, as the pages are), exports.workbook and
exports.html_report write it. No Streamlit here: ui/exports.py puts the buttons on the pages.
"""

from exports.content import Chart, Headline, Report, Table
from exports.gather import gather_pact_report, gather_partnership_report
from exports.html_report import HTML_MIME, html_bytes
from exports.workbook import XLSX_MIME, workbook_bytes

__all__ = [
    "HTML_MIME",
    "XLSX_MIME",
    "Chart",
    "Headline",
    "Report",
    "Table",
    "gather_pact_report",
    "gather_partnership_report",
    "html_bytes",
    "workbook_bytes",
]
