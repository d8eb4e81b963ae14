"""How public figures are protected: the method, its parameters and its limits
(docs/disclosure.md, shown as it is in the repository)."""

from pathlib import Path

import streamlit as st

from i18n import _
from ui.context import current
from ui.frame import page_header

ctx = current()
page_header(_("How public figures are protected"), ctx.state)
text = (Path(__file__).resolve().parent.parent / "docs" / "disclosure.md").read_text("utf-8")
st.markdown(text.split("\n", 1)[1])  # the document without its own title
