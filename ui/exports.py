"""The "Report for a briefing" panel of the Overview and the Partnership profile: the view as
an XLSX workbook and as an HTML report that opens offline.

A report is built only when its button is pressed (Streamlit runs the button's callable then,
on a thread of its own): exports.gather fetches its frames through data_access for the page's
caller and filters, in a session of its own, so a rerun of the page costs no more than
drawing two buttons, and the report states the data version it was read from.
"""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st
from sqlmodel import Session

from exports import (
    HTML_MIME,
    XLSX_MIME,
    Report,
    gather_pact_report,
    gather_partnership_report,
    html_bytes,
    workbook_bytes,
)
from i18n import N_, _
from ui import data
from ui.context import PageContext
from ui.language import in_language
from ui.plain import plain
from views.report import audience, pact_file_stem, partnership_file_stem

PANEL_TITLE = N_("Report for a briefing")
PACT_TEXT = N_(
    "This page for the current filters, with its headline figures, the data of each chart "
    "and the indicators by year: as a workbook, or as a web page with the interactive charts "
    "that opens offline."
)
PARTNERSHIP_TEXT = N_(
    "This partnership's profile for the current filters: headline figures, the data of each "
    "chart, outcomes, members and who has not reported, as a workbook, or as a web page with "
    "the interactive charts that opens offline."
)


def _on_click(
    make: Callable[[Session], Report], render: Callable[[Report], bytes]
) -> Callable[[], bytes]:
    """The file, made when the button is pressed, from a session of its own, in the
    language of this run."""
    engine = data.store()

    def build() -> bytes:
        with Session(engine) as session:
            return render(make(session))

    return in_language(build)


# The report's formats: label, file suffix, MIME type, writer and icon.
FORMATS = (
    (N_("Workbook (XLSX)"), "xlsx", XLSX_MIME, workbook_bytes, ":material/table_view:"),
    (N_("Report with charts (HTML)"), "html", HTML_MIME, html_bytes, ":material/article:"),
)


def _buttons(key: str, stem: str, make: Callable[[Session], Report]) -> None:
    row = st.container(horizontal=True)
    for label, suffix, mime, write, icon in FORMATS:
        row.download_button(
            _(label),
            data=_on_click(make, write),
            file_name=f"{stem}.{suffix}",
            mime=mime,
            key=f"{key}_{suffix}",
            on_click="ignore",
            icon=icon,
        )


def pact_report_panel(context: PageContext) -> None:
    """The Overview's panel: the Pact-wide report of the filtered view, for the page's caller
    (the public gets the public view, small numbers suppressed)."""
    caller, filters = context.caller, context.filters
    made_for = audience(caller, filters, dict(context.options.partnerships))
    with st.expander(_(PANEL_TITLE), icon=":material/summarize:", key="overview_report"):
        st.markdown(_(PACT_TEXT))
        st.caption(plain(_("Made for: {audience}.").format(audience=made_for)))
        _buttons(
            "overview_report",
            pact_file_stem(filters),
            lambda session: gather_pact_report(session=session, caller=caller, filters=filters),
        )


def partnership_report_panel(context: PageContext, partnership: str) -> None:
    """The Profile's panel: the partnership report, offered to those who may see the
    partnership's members (its coordinators, officers, admins); nothing for anyone else."""
    caller, filters = context.caller, context.filters
    if not caller.sees_members_of(partnership):
        return
    scoped = filters.only_partnership(partnership)
    made_for = audience(caller, scoped, dict(context.options.partnerships))
    with st.expander(_(PANEL_TITLE), icon=":material/summarize:", key="profile_report"):
        st.markdown(_(PARTNERSHIP_TEXT))
        st.caption(plain(_("Made for: {audience}.").format(audience=made_for)))
        _buttons(
            "profile_report",
            partnership_file_stem(partnership, filters),
            lambda session: gather_partnership_report(
                session=session, caller=caller, filters=filters, partnership=partnership
            ),
        )
