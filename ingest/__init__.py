"""Reading and checking the spreadsheets coordinators upload (members and outcome reports).

No SQL here: rows are checked against a `Catalogue` of what the store knows, which
`data_access.uploads` builds and which also writes the checked rows.
"""

from ingest.checks import check_upload, problems_csv
from ingest.columns import COLUMNS, ColumnLayout, ColumnSpec, UploadFileError, match_columns
from ingest.lines import MAX_LISTED_PROBLEMS
from ingest.reader import MAX_ROWS, MAX_UPLOAD_BYTES, RawRow, RawTable, read_table
from ingest.templates import template_csv, template_xlsx

__all__ = [
    "COLUMNS",
    "MAX_LISTED_PROBLEMS",
    "MAX_ROWS",
    "MAX_UPLOAD_BYTES",
    "ColumnLayout",
    "ColumnSpec",
    "RawRow",
    "RawTable",
    "UploadFileError",
    "check_upload",
    "match_columns",
    "problems_csv",
    "read_table",
    "template_csv",
    "template_xlsx",
]
