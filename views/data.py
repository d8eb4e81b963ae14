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
from ingest import COLUMNS
from views.models import Notice

TITLE = "Data: load reports"
INTRO = (
    "Download a template, fill it in (or export your own spreadsheet with the same columns), "
    "then upload it here. Every line is checked before anything is written; you see what "
    "would change before you load it, and a loaded file can be undone as a whole."
)
TEMPLATES_HEADER = "Templates and columns"
LOAD_HEADER = "Load a file"
BATCHES_HEADER = "Loaded files"
LOAD_REFUSED = Notice(
    "Loading reports is open to partnership coordinators (for their own partnership) and "
    "to Commission officers. Sign in with an account that holds one of those roles.",
    icon=":material/lock:",
)
KIND_LABELS = {
    UploadKind.OUTCOMES: "Outcome reports (what members delivered)",
    UploadKind.MEMBERS: "Members (who belongs to the partnership)",
}


def dataset_line(state: DatasetState) -> str:
    """Where the data comes from, its version and when it last changed, in a line."""
    changed = f" · last changed {state.last_changed}" if state.last_changed else ""
    return f"{state.source_label} · data version {state.version}{changed}"


def may_load(caller: Caller) -> bool:
    """Whether the caller is offered the uploader: officers and admins, and coordinators
    (for their own partnerships; the store enforces which)."""
    return caller.role in (Role.OFFICER, Role.ADMIN) or bool(caller.partnerships)


def column_dictionary(kind: UploadKind) -> pd.DataFrame:
    """The column dictionary as a table: name, required, values, meaning, example."""
    return pd.DataFrame(
        [
            {
                "column": spec.name,
                "required": "yes" if spec.required else "no",
                "values": spec.kind_of_value,
                "meaning": spec.description,
                "example": spec.example,
                "also accepted as": ", ".join(spec.aliases),
            }
            for spec in COLUMNS[kind]
        ]
    )


def problems_table(problems: Sequence[Problem]) -> pd.DataFrame:
    """Every problem of a file: line, column, value and reason."""
    return pd.DataFrame(
        [(p.line, p.column, p.value, p.reason) for p in problems],
        columns=["line", "column", "value", "reason"],
    )


def preview_table(preview: UploadPreview) -> pd.DataFrame:
    """The preview's lines as a table (line, status, what changes)."""
    return pd.DataFrame(
        [(p.line, p.status.value, p.changes) for p in preview.lines],
        columns=["line", "status", "change"],
    )


def batch_counts(batch: UploadBatchInfo) -> str:
    """A batch's row counts in words."""
    return (
        f"{batch.rows_new:,} new, {batch.rows_replaced:,} replaced, "
        f"{batch.rows_unchanged:,} unchanged"
    )


def batches_table(batches: Sequence[UploadBatchInfo]) -> pd.DataFrame:
    """The loaded files: when, by whom, what, their status and what they changed."""
    return pd.DataFrame(
        [
            {
                "batch": b.id,
                "loaded (UTC)": f"{b.uploaded_at:%Y-%m-%d %H:%M}",
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
