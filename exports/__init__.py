"""Briefing reports: a partnership's Profile or the Pact-wide Overview of the filtered view,
as an XLSX workbook and as a self-contained HTML page, for one caller.

views.report says what a report holds (the pages' own tiles and charts, and its tables),
exports.gather fetches its frames through data_access (scoped and protected for the caller,
as the pages are), exports.workbook and exports.html_report write it. No Streamlit here:
ui/exports.py puts the buttons on the pages.
"""

from exports.gather import gather_pact_report, gather_partnership_report
from exports.html_report import HTML_MIME, html_bytes
from exports.workbook import XLSX_MIME, workbook_bytes
from views.models import Chart, Table, Tile
from views.report import Report

__all__ = [
    "HTML_MIME",
    "XLSX_MIME",
    "Chart",
    "Report",
    "Table",
    "Tile",
    "gather_pact_report",
    "gather_partnership_report",
    "html_bytes",
    "workbook_bytes",
]
