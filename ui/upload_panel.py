"""The Data page's parts: templates and column dictionary, checking a file, preview, batches.

Each part reads and writes only through `ingest` (files) and `data_access.uploads` (the
store), which enforce who may load and undo what; this module only lays the results out
(the tables' contents come from views.data).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from functools import partial

import streamlit as st

from data_access.access import AccessDenied, Caller
from data_access.engine import session_scope
from data_access.upload_rows import CheckedUpload, Problem, UploadKind
from data_access.uploads import (
    UploadPreview,
    catalogue,
    commit_upload,
    list_batches,
    preview_upload,
    undo_batch,
)
from i18n import _, ngettext
from i18n.numbers import number
from ingest import check_upload, problems_csv, template_csv, template_xlsx
from ui import data, render
from ui.language import in_language, in_session_language
from ui.plain import notice, plain_table
from views.data import (
    KIND_LABELS,
    batch_counts,
    batches_table,
    column_dictionary,
    preview_table,
    problems_table,
)

XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTICE_KEY = "data_notice"
CHECKED_KEY = "data_checked"
UPLOADER_ROUND = "data_uploader_round"
SHOWN_ROWS = 500


def templates_section() -> None:
    """Template downloads and the column dictionary of each kind of file."""
    for kind, label in KIND_LABELS.items():
        st.markdown(f"**{_(label)}**")
        left, right, _rest = st.columns([1, 1, 3])
        left.download_button(
            _("Template (CSV)"),
            data=in_language(partial(template_csv, kind)),  # made when pressed, not every run
            file_name=f"pact-{kind.value}-template.csv",
            mime="text/csv",
            key=f"data_template_csv_{kind.value}",
            on_click="ignore",
            icon=":material/download:",
        )
        right.download_button(
            _("Template (Excel)"),
            data=in_language(partial(template_xlsx, kind)),
            file_name=f"pact-{kind.value}-template.xlsx",
            mime=XLSX_MIME,
            key=f"data_template_xlsx_{kind.value}",
            on_click="ignore",
            icon=":material/download:",
        )
        with st.expander(_("Columns of the {kind} file").format(kind=kind.value)):
            st.table(plain_table(column_dictionary(kind)))


def load_section(caller: Caller) -> None:
    """What the file holds, the uploader, and the checked file's problems or preview."""
    kind = st.radio(
        _("What does the file hold?"),
        options=list(KIND_LABELS),
        format_func=lambda kind: _(KIND_LABELS[kind]),
        key="data_kind",
        horizontal=True,
    )
    round_ = st.session_state.get(UPLOADER_ROUND, 0)
    uploaded = st.file_uploader(
        _("CSV or Excel file (.csv, .xlsx)"),
        type=["csv", "xlsx"],
        key=f"data_file_{round_}",
        help=_("Semicolon or comma separated, decimal comma or point, UTF-8 or Windows-1252."),
    )
    if uploaded is None:
        return
    with st.spinner(_("Checking every line…")):
        checked = check_file(UploadKind(kind), uploaded.name, uploaded.getvalue(), caller)
    if checked.upload.ok:
        show_preview(checked)
    else:
        show_problems(checked.upload)


@dataclass(frozen=True)
class Checked:
    """A checked file and, when it passed, what loading it would change."""

    upload: CheckedUpload
    preview: UploadPreview | None
    version: int


def check_file(kind: UploadKind, name: str, content: bytes, caller: Caller) -> Checked:
    """Check a file against the store, once per file, kind and data version in a session."""
    version = data.dataset().version
    held: Checked | None = st.session_state.get(CHECKED_KEY)
    if (
        held is not None
        and held.version == version
        and held.upload.kind is kind
        and held.upload.file_name == name
        and held.upload.sha256 == _digest(content)
    ):
        return held
    with session_scope(data.store()) as session:
        known = catalogue(session=session, caller=caller)
        upload = check_upload(content, name, kind, known)
        preview = None
        if upload.ok:
            try:
                preview = preview_upload(session=session, caller=caller, upload=upload)
            except (AccessDenied, ValueError) as exc:  # the store's own checks, line named
                refused = Problem(line=0, column="", value="", reason=str(exc))
                upload = replace(upload, rows=(), problems=(refused,))
    checked = Checked(upload=upload, preview=preview, version=version)
    st.session_state[CHECKED_KEY] = checked
    return checked


def _digest(content: bytes) -> str:
    """SHA-256 of the file, as the check records it."""
    return hashlib.sha256(content).hexdigest()


def show_problems(upload: CheckedUpload) -> None:
    """Every problem found, with line, column, value and reason, and as a download."""
    problems = upload.problems
    file_level = [p for p in problems if p.line == 0]
    if file_level:
        for problem in file_level:
            reason = _("cannot be read: {reason}").format(reason=problem.reason)
            notice("error", reason, lead=upload.file_name)
        return
    found = _(
        ": {problems} problem(s) in {lines} line(s). "
        "Nothing was loaded. Correct the file and upload it again."
    ).format(problems=number(len(problems)), lines=number(upload.lines))
    notice("error", found, lead=upload.file_name, icon=":material/error:")
    table = problems_table(problems)
    st.dataframe(table.head(SHOWN_ROWS), hide_index=True, width="stretch", key="data_problems")
    if len(table) > SHOWN_ROWS:
        st.caption(
            _("The first {shown} of {count}; the download has them all.").format(
                shown=number(SHOWN_ROWS), count=number(len(table))
            )
        )
    st.download_button(
        _("Download the list of problems (CSV)"),
        data=problems_csv(problems),
        file_name=f"problems-{upload.file_name.rsplit('.', 1)[0]}.csv",
        mime="text/csv",
        key="data_problems_csv",
        icon=":material/download:",
    )


def show_preview(checked: Checked) -> None:
    """What loading the file would do, and the button that loads it."""
    upload, preview = checked.upload, checked.preview
    assert preview is not None
    passed = ngettext(
        ": the {count} line passed the checks.",
        ": all {count} lines passed the checks.",
        upload.lines,
    ).format(count=number(upload.lines))
    notice("success", passed, lead=upload.file_name)
    tiles = st.columns(3)
    tiles[0].metric(_("New rows"), number(preview.new), border=True)
    tiles[1].metric(_("Replacing stored rows"), number(preview.replacing), border=True)
    tiles[2].metric(_("Unchanged (already stored)"), number(preview.unchanged), border=True)
    for note in preview.notes:
        notice("warning", note)
    changes = preview_table(preview)
    if not changes.empty:
        st.dataframe(changes, hide_index=True, width="stretch", key="data_preview")
        if preview.more_lines:
            more = ngettext(
                "…and {count} more line.", "…and {count} more lines.", preview.more_lines
            )
            st.caption(more.format(count=number(preview.more_lines)))
    if preview.new + preview.replacing == 0:
        st.info(_("Everything in this file is already stored: loading it would change nothing."))
        return
    loading = preview.new + preview.replacing
    st.button(
        ngettext("Load {count} row", "Load {count} rows", loading).format(count=number(loading)),
        type="primary",
        key="data_commit",
        on_click=_commit,
        icon=":material/upload:",
    )


@in_session_language
def _commit() -> None:
    """Button callback: load the checked file in one transaction."""
    from ui.auth import current_caller

    checked: Checked | None = st.session_state.get(CHECKED_KEY)
    if checked is None:
        return
    try:
        batch = commit_upload(engine=data.store(), caller=current_caller(), upload=checked.upload)
    except (AccessDenied, ValueError) as exc:
        st.session_state[NOTICE_KEY] = (
            "error",
            _("Nothing was loaded: {reason}").format(reason=exc),
        )
        return
    except Exception as exc:  # the transaction rolled back; say so instead of a traceback
        st.session_state[NOTICE_KEY] = (
            "error",
            _("Nothing was loaded: the store refused the write ({error}).").format(
                error=type(exc).__name__
            ),
        )
        return
    data.data_changed()
    st.session_state.pop(CHECKED_KEY, None)
    st.session_state[UPLOADER_ROUND] = st.session_state.get(UPLOADER_ROUND, 0) + 1
    if batch is None:
        st.session_state[NOTICE_KEY] = ("info", _("Nothing changed: every row was already stored."))
    else:
        st.session_state[NOTICE_KEY] = (
            "success",
            _("Loaded as batch {batch}: {counts}.").format(
                batch=batch.id, counts=batch_counts(batch)
            ),
        )


def batches_section(caller: Caller) -> None:
    """The batches the caller may see, and undoing one."""
    with session_scope(data.store()) as session:
        batches = list_batches(session=session, caller=caller)
    if not batches:
        st.caption(_("No file has been loaded yet."))
        return
    st.dataframe(batches_table(batches), hide_index=True, width="stretch", key="data_batches")
    undoable = [b for b in batches if b.undoable and caller.can_undo(b.uploaded_by)]
    if not undoable:
        return
    st.selectbox(
        _("Batch to undo"),
        options=[b.id for b in undoable],
        format_func=lambda i: next(f"{b.id}: {b.file_name}" for b in undoable if b.id == i),
        key="data_undo_choice",
    )
    st.button(_("Undo this batch"), key="data_undo", on_click=_undo, icon=":material/undo:")


@in_session_language
def _undo() -> None:
    """Button callback: undo the chosen batch as a whole."""
    from ui.auth import current_caller

    batch_id = st.session_state.get("data_undo_choice")
    if batch_id is None:
        return
    try:
        batch = undo_batch(engine=data.store(), caller=current_caller(), batch_id=int(batch_id))
    except (AccessDenied, ValueError) as exc:
        st.session_state[NOTICE_KEY] = ("error", _("Not undone: {reason}").format(reason=exc))
        return
    data.data_changed()
    st.session_state.pop(CHECKED_KEY, None)
    st.session_state[NOTICE_KEY] = (
        "success",
        _("Batch {batch} ({file}) undone.").format(batch=batch.id, file=batch.file_name),
    )


def show_notice() -> None:
    """The outcome of the last load or undo, once."""
    render.pending_notice(NOTICE_KEY)
