"""What every page shares above its content: the demo-data banner and URL notices."""

from __future__ import annotations

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from data_access import Caller, DatasetState
from i18n import _
from ui.sidebar import show_url_notices
from views.frames import flagged
from views.notes import (
    DEMO_NOTICE,
    HIDDEN_COLUMN_HELP,
    LOCK,
    PERTURBED_SENTENCE,
    hidden_rows_note,
)


def small_note(markdown: str) -> None:
    """A note in small type at full text contrast (a caption's faded colour would take a
    link in it below 4.5:1). `markdown` is the dashboard's own wording, never a value from a
    link, a file or the store."""
    st.markdown(f":small[{markdown}]")


def page_header(
    title: str, state: DatasetState, intro: str | None = None, *, perturbed: bool = False
) -> None:
    """Title, demo-data banner, any notice about ignored URL parameters and, when the page
    shows public (perturbed) figures of what members reported, the sentence that says so."""
    st.title(title)
    if state.is_demo:
        demo = _("**Demo data.** {notice}").format(notice=_(DEMO_NOTICE))
        st.info(demo, icon=":material/science:")
    show_url_notices()
    if perturbed:
        small_note(_(PERTURBED_SENTENCE))
    if intro:
        st.markdown(intro)


def disclosure_note(frame: pd.DataFrame, caller: Caller) -> None:
    """Under a table: the legend of disclosure control when some of its values are hidden."""
    if bool(flagged(frame).any()):
        small_note(hidden_rows_note(caller.rules))


def disclosure_marks(frame: pd.DataFrame) -> pd.Series:
    """A column for tables: 🔒 on rows with suppressed values, empty otherwise."""
    return flagged(frame).map({True: LOCK, False: ""})


def hidden_column() -> ColumnConfig:
    """The table column that marks rows with hidden values, its help in the reader's language."""
    return st.column_config.TextColumn(LOCK, help=_(HIDDEN_COLUMN_HELP))
