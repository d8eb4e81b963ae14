"""Checking an upload: the file is read, its columns matched with the column dictionary,
then every line checked in two passes, its cells (`ingest.cells`) and the line as a whole
(`ingest.lines`); every problem is collected with its line, column, value and reason.

All or nothing: a checked upload carries rows only when no line has a problem.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable

from data_access.upload_rows import (
    Catalogue,
    CheckedUpload,
    MemberRow,
    OutcomeRow,
    Problem,
    UploadKind,
)
from i18n import N_, _
from ingest.columns import UploadFileError, match_columns
from ingest.lines import MemberLines, OutcomeLines
from ingest.reader import read_table
from ingest.values import FORMULA_STARTS


def check_upload(
    data: bytes, file_name: str, kind: UploadKind, catalogue: Catalogue
) -> CheckedUpload:
    """Read and check an upload; never raises for a bad file: its problems say what is wrong."""
    digest = hashlib.sha256(data).hexdigest()
    kind = UploadKind(kind)
    try:
        table = read_table(data, file_name, kind=kind)
        layout = match_columns(table.headers, kind)
    except UploadFileError as error:
        return _failed(kind, file_name, digest, str(error))
    if not table.rows:
        reason = _("The file has a header but no rows of data below it.")
        return _failed(kind, file_name, digest, reason)
    rows: tuple[MemberRow, ...] | tuple[OutcomeRow, ...]
    if kind is UploadKind.MEMBERS:
        members, problems = MemberLines(table, layout, catalogue).run()
        rows = tuple(members)
    else:
        outcomes, problems = OutcomeLines(table, layout, catalogue).run()
        rows = tuple(outcomes)
    return CheckedUpload(
        kind=kind,
        file_name=file_name,
        sha256=digest,
        lines=len(table.rows),
        rows=() if problems else rows,
        problems=problems,
    )


def _failed(kind: UploadKind, file_name: str, digest: str, reason: str) -> CheckedUpload:
    problem = Problem(line=0, column="", value="", reason=reason)
    return CheckedUpload(kind, file_name, digest, 0, (), (problem,))


# The problems download's columns: stable key -> its label (the header reads "label [key]",
# "line" alone in English).
PROBLEM_COLUMNS = {
    # Translators: a header of the problems download: the file's line number.
    "line": N_("line"),
    # Translators: a header of the problems download: the column of the problem.
    "column": N_("column"),
    # Translators: a header of the problems download: the cell's value.
    "value": N_("value"),
    # Translators: a header of the problems download: why the cell or line is refused.
    "reason": N_("reason"),
}


def problem_header(key: str) -> str:
    """A header of the problems download: "{label} [{key}]" in the current language, the key
    alone where the label is the key (English)."""
    label = _(PROBLEM_COLUMNS[key])
    return key if label == key else f"{label} [{key}]"


def problems_csv(problems: Iterable[Problem]) -> bytes:
    """The problems as a CSV for Excel (UTF-8 with BOM), formula-like cells neutralised; the
    reasons in the current language."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([problem_header(key) for key in PROBLEM_COLUMNS])
    for problem in problems:
        writer.writerow(
            (problem.line, _inert(problem.column), _inert(problem.value), _inert(problem.reason))
        )
    return buffer.getvalue().encode("utf-8-sig")


def _inert(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text
