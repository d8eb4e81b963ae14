"""Partnerships: a sortable table comparing every partnership in the filters, with links to profiles."""

from urllib.parse import urlencode

import streamlit as st

from figures.partnership import build_partnership_scatter_figure, build_pledge_progress_figure
from figures.summaries import pledge_progress_summary, scatter_summary
from ui import data
from ui.charts import show_chart
from ui.context import current
from ui.figure_cache import cached_figure
from ui.frame import (
    HIDDEN_COLUMN,
    disclosure_marks,
    disclosure_note,
    page_header,
)
from views.frames import with_flags
from views.url_state import to_query_params

ctx = current()
page_header("Partnerships compared", ctx.state, perturbed=ctx.perturbed)
year = ctx.filters.year_to
table = data.partnership_comparison(ctx.filters)
st.markdown(
    f"{len(table)} partnerships launched by the end of {year}. Members are counted on "
    f"31 December {year}; growth is on the year before; people up/re-skilled are summed over "
    f"{ctx.filters.year_from}–{year}. Click a column header to sort; open a profile below."
)

link_params = to_query_params(ctx.filters, ctx.options)
shown = table.assign(
    profile=[
        "profile?" + urlencode({**link_params, "p": slug}, safe=",") for slug in table["slug"]
    ],
    women_pct=table["women_share_recorded"] * 100,
    target_pct=table["target_women_share"] * 100,
    growth_pct=table["member_growth_pct"] * 100,
    pledge_pct=table["pledge_progress"] * 100,
    hidden=disclosure_marks(table),
)
st.dataframe(
    shown,
    key="partnerships_table",
    hide_index=True,
    height=min(36 * (len(shown) + 1) + 3, 800),
    column_order=[
        "short_name",
        *(["hidden"] if table["suppressed"].any() else []),
        "profile",
        "ecosystem",
        "kind",
        "launch_date",
        "members",
        "member_growth",
        "growth_pct",
        "people_trained",
        "people_trained_last_year",
        "women_pct",
        "target_pct",
        "annual_pledge",
        "pledge_pct",
    ],
    column_config={
        "short_name": st.column_config.TextColumn("Partnership", pinned=True),
        "ecosystem": "Ecosystem",
        "kind": "Kind",
        "launch_date": st.column_config.DateColumn("Launched", format="YYYY-MM-DD"),
        "members": st.column_config.NumberColumn(f"Members {year}", format="localized"),
        "member_growth": st.column_config.NumberColumn("Growth (members)", format="%+d"),
        "growth_pct": st.column_config.NumberColumn("Growth (%)", format="%+.1f%%"),
        "people_trained": st.column_config.NumberColumn("People up/re-skilled", format="localized"),
        "people_trained_last_year": st.column_config.NumberColumn(
            f"… in {year}", format="localized"
        ),
        "women_pct": st.column_config.NumberColumn("Women (%)", format="%.1f%%"),
        "target_pct": st.column_config.NumberColumn("Women target (%)", format="%.0f%%"),
        "annual_pledge": st.column_config.NumberColumn(
            "Annual pledge (people)", format="localized"
        ),
        "pledge_pct": st.column_config.NumberColumn("Pledge progress (%)", format="%.0f%%"),
        "profile": st.column_config.LinkColumn("Profile", display_text="Open profile"),
        "hidden": HIDDEN_COLUMN,
    },
)
st.download_button(
    "Download the table (CSV)",
    data=table.to_csv(index=False).encode("utf-8"),
    file_name="partnerships.csv",
    mime="text/csv",
    key="partnerships_table_csv",
    on_click="ignore",
)

disclosure_note(table, ctx.caller)
plotted = with_flags(
    table, "short_name", "ecosystem", "kind", "members", "people_trained_last_year"
)
show_chart(
    cached_figure(build_partnership_scatter_figure, plotted, year=year or 0),
    key="partnerships_scatter",
    summary=scatter_summary(
        plotted,
        label="short_name",
        x="members",
        y="people_trained_last_year",
        x_noun="members",
        y_noun=f"people up/re-skilled in {year}",
        items="partnerships",
    ),
    data=plotted,
    state=ctx.state,
    alt=f"Scatter of {len(plotted)} partnerships by members and people up/re-skilled.",
)
pledged = with_flags(
    table[table["pledge_progress"].notna() | (table["annual_pledge"].notna() & table["suppressed"])],
    "short_name", "pledge_progress",
)  # fmt: skip
show_chart(
    cached_figure(build_pledge_progress_figure, pledged, year=year or 0),
    key="partnerships_pledge",
    summary=pledge_progress_summary(pledged, year=year),
    data=pledged,
    state=ctx.state,
    alt=f"{len(pledged)} partnerships with a numeric pledge; progress in {year}.",
    note="only partnerships with a numeric pledge; shares of the workforce use approximate "
    "ecosystem employment",
)
