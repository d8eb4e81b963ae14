"""The Data page: its wording, who may load files, and the tables of its parts (the column
dictionary, a file's problems, what loading it would change, the loaded files); ui.upload_panel
draws them."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from data_access import DatasetState
from data_access.access import Caller, Role
from data_access.upload_rows import Problem, UploadKind
from data_access.uploads import UploadBatchInfo, UploadPreview
from i18n import N_, _
from i18n.numbers import number
from ingest import COLUMNS
from views import format as fmt
from views.models import Notice

# The words are English, marked for extraction: pages and ui show them through `_`.
TITLE = N_("Data: load reports")
INTRO = N_(
    "Download a template, fill it in (or export your own spreadsheet with the same columns), "
    "then upload it here. Every line is checked before anything is written; you see what "
    "would change before you load it, and a loaded file can be undone as a whole."
)
TEMPLATES_HEADER = N_("Templates and columns")
LOAD_HEADER = N_("Load a file")
BATCHES_HEADER = N_("Loaded files")
LOAD_REFUSED = Notice(
    N_(
        "Loading reports is open to partnership coordinators (for their own partnership) and "
        "to Commission officers. Sign in with an account that holds one of those roles."
    ),
    icon=":material/lock:",
)
KIND_LABELS = {
    UploadKind.OUTCOMES: N_("Outcome reports (what members delivered)"),
    UploadKind.MEMBERS: N_("Members (who belongs to the partnership)"),
}
# The headers of the page's tables, by the column's key (they read as they are in English).
HEADERS = {
    "column": N_("column"),
    "required": N_("required"),
    "values": N_("values"),
    "meaning": N_("meaning"),
    "example": N_("example"),
    "also accepted as": N_("also accepted as"),
    "line": N_("line"),
    "value": N_("value"),
    "reason": N_("reason"),
    "status": N_("status"),
    "change": N_("change"),
    "batch": N_("batch"),
    "loaded (UTC)": N_("loaded (UTC)"),
    "by": N_("by"),
    "file": N_("file"),
    "kind": N_("kind"),
    "rows": N_("rows"),
    "partnerships": N_("partnerships"),
}


def headed(frame: pd.DataFrame) -> pd.DataFrame:
    """A table of the page with its headers in the reader's language."""
    return frame.rename(columns={key: _(HEADERS[key]) for key in frame.columns if key in HEADERS})


def dataset_line(state: DatasetState) -> str:
    """Where the data comes from, its version and when it last changed, in a line."""
    if state.last_changed:
        return _("{source} · data version {version} · last changed {changed}").format(
            source=state.source_label, version=state.version, changed=state.last_changed
        )
    return _("{source} · data version {version}").format(
        source=state.source_label, version=state.version
    )


def may_load(caller: Caller) -> bool:
    """Whether the caller is offered the uploader: officers and admins, and coordinators
    (for their own partnerships; the store enforces which)."""
    return caller.role in (Role.OFFICER, Role.ADMIN) or bool(caller.partnerships)


def column_dictionary(kind: UploadKind) -> pd.DataFrame:
    """The column dictionary as a table: name, required, values, meaning, example."""
    return headed(
        pd.DataFrame(
            [
                {
                    "column": spec.name,
                    "required": fmt.yes_no(spec.required),
                    "values": spec.kind_of_value,
                    "meaning": spec.description,
                    "example": spec.example,
                    "also accepted as": ", ".join(spec.aliases),
                }
                for spec in COLUMNS[kind]
            ]
        )
    )


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Every problem of a file: line, column, value and reason."""
    return headed(
        pd.DataFrame(
            [(p.line, p.column, p.value, p.reason) for p in problems],
            columns=["line", "column", "value", "reason"],
        )
    )


def preview_table(preview: UploadPreview) -> pd.DataFrame:
    """The preview's lines as a table (line, status, what changes)."""
    return headed(
        pd.DataFrame(
            [(p.line, p.status.value, p.changes) for p in preview.lines],
            columns=["line", "status", "change"],
        )
    )


def batch_counts(batch: UploadBatchInfo) -> str:
    """A batch's row counts in words."""
    return _("{new} new, {replaced} replaced, {unchanged} unchanged").format(
        new=number(batch.rows_new),
        replaced=number(batch.rows_replaced),
        unchanged=number(batch.rows_unchanged),
    )


def batches_table(batches: Sequence[UploadBatchInfo]) -> pd.DataFrame:
    """The loaded files: when, by whom, what, their status and what they changed."""
    return headed(
        pd.DataFrame(
            [
                {
                    "batch": b.id,
                    "loaded (UTC)": fmt.date_time(b.uploaded_at),
                    "by": b.uploaded_by,
                    "file": b.file_name,
                    "kind": b.kind.value,
                    "status": b.status,
                    "rows": batch_counts(b),
                    "partnerships": ", ".join(b.partnerships),
                    "SHA-256": b.sha256[:12] + "…",
                }
                for b in batches
            ]
        )
    )
