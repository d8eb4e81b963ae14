"""Data: templates, loading members' reports (checked, previewed, all-or-nothing), and undo.

Coordinators load files for their own partnerships, officers and admins for any; the data
layer enforces it. Everyone can read the templates and the column dictionary.
"""

import streamlit as st

from data_access.access import Role
from data_access.upload_rows import UploadKind
from ui import upload_panel
from ui.context import current
from ui.frame import page_header
from ui.plain import plain

ctx = current()
page_header(
    "Data: load reports",
    ctx.state,
    "Download a template, fill it in (or export your own spreadsheet with the same columns), "
    "then upload it here. Every line is checked before anything is written; you see what "
    "would change before you load it, and a loaded file can be undone as a whole.",
)
st.caption(
    plain(
        f"{ctx.state.source_label} · data version {ctx.state.version}"
        + (f" · last changed {ctx.state.last_changed}" if ctx.state.last_changed else "")
    )
)
upload_panel.show_notice()

st.header("Templates and columns")
upload_panel.templates_section()

st.header("Load a file")
may_load = ctx.caller.role in (Role.OFFICER, Role.ADMIN) or bool(ctx.caller.partnerships)
if not may_load:
    st.info(
        "Loading reports is open to partnership coordinators (for their own partnership) and "
        "to Commission officers. Sign in with an account that holds one of those roles.",
        icon=":material/lock:",
    )
    st.stop()

kind = st.radio(
    "What does the file hold?",
    options=list(upload_panel.KIND_LABELS),
    format_func=upload_panel.KIND_LABELS.__getitem__,
    key="data_kind",
    horizontal=True,
)
round_ = st.session_state.get(upload_panel.UPLOADER_ROUND, 0)
uploaded = st.file_uploader(
    "CSV or Excel file (.csv, .xlsx)",
    type=["csv", "xlsx"],
    key=f"data_file_{round_}",
    help="Semicolon or comma separated, decimal comma or point, UTF-8 or Windows-1252.",
)
if uploaded is not None:
    with st.spinner("Checking every line…"):
        checked = upload_panel.check_file(
            UploadKind(kind), uploaded.name, uploaded.getvalue(), ctx.caller
        )
    if checked.upload.ok:
        upload_panel.show_preview(checked)
    else:
        upload_panel.show_problems(checked.upload)

st.header("Loaded files")
upload_panel.batches_section(ctx.caller)
