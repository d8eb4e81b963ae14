"""Members: the public member directory, newest members first, with search and a CSV download.

The data layer decides whose names a caller gets (organisations that opted out reach only
officers, admins and their own partnerships' coordinators); the page shows what it is given.
"""

import streamlit as st

from data_access.directory import (
    MAX_SEARCH_CHARS,
    NOT_LISTED,
    directory_counts,
    listing_marks,
    search_directory,
)
from ui import data
from ui.context import current
from ui.frame import page_header
from ui.page_choice import url_choice, url_text

COLUMNS = ["country", "org_type", "partnership", "ecosystem", "role", "joined_on", "left_on"]

ctx = current()
year = ctx.filters.year_to
page_header(
    "Members",
    ctx.state,
    intro="Member lists are public, as the Pact for Skills publishes them: each organisation, "
    "its country and type, its partnerships and when it joined; a member may ask not to be "
    "listed, and is then left out of the public list.",
)
search, show = st.columns([3, 2], vertical_alignment="bottom")
with search:
    text = url_text(
        "Search organisations, partnerships or countries",
        key="members_search",
        param="q",
        max_chars=MAX_SEARCH_CHARS,
        placeholder="e.g. Sevilla, Creative Pact, Luxembourg",
    )
with show:
    shown = url_choice(
        "Show",
        {"current": "Current members", "former": "Also those who left"},
        key="members_show",
        param="show",
        default="current",
    )
former = shown == "former"
# One cached query per filters and choice; each search then only filters its rows.
directory = search_directory(data.member_directory(ctx.filters, former=former), text)
memberships, organisations = directory_counts(directory)
matching = " matching the search" if text else ""  # never echoed: it would render as markdown
who = f"members on 31 December {year}" + (" and those who left by then" if former else "")
st.markdown(
    f"**{memberships:,} memberships of {organisations:,} organisations**{matching}: {who}, "
    "newest first. Skill areas do not apply to members."
)
if directory.empty:
    what = "the search" if text else "the current filters"
    st.info(f"No member matches {what}.", icon=":material/search_off:")
    st.stop()
private = "listed" in directory.columns  # only callers who may see unlisted members get it
table = directory.assign(listing=listing_marks(directory)) if private else directory
st.dataframe(
    table,
    key="members_table",
    hide_index=True,
    column_order=["organisation", *(["listing"] if private else []), *COLUMNS],
    column_config={
        "organisation": st.column_config.TextColumn("Organisation", pinned=True),
        "listing": st.column_config.TextColumn(
            "Public directory",
            help=f"“{NOT_LISTED}”: shown to you only; the public list omits it.",
            width="medium",
        ),
        "country": "Country",
        "org_type": "Type",
        "partnership": "Partnership",
        "ecosystem": "Ecosystem",
        "role": "Role",
        "joined_on": st.column_config.DateColumn("Joined", format="YYYY-MM-DD"),
        "left_on": st.column_config.DateColumn("Left", format="YYYY-MM-DD"),
    },
)
if private and not directory["listed"].all():
    st.caption(
        f"Rows marked “{NOT_LISTED}” are organisations that asked not to appear in the public "
        "directory; you see them because you may see their partnership's members."
    )
st.download_button(
    "Download these rows (CSV)",
    data=lambda: directory.to_csv(index=False).encode("utf-8"),  # made when pressed
    file_name=f"members-{year}.csv",
    mime="text/csv",
    key="members_csv",
    on_click="ignore",
)
