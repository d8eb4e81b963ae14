"""The profile page's partnership picker (kept in the URL as ?p=<slug>) and its text helpers."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from data_access import FilterOptions, Filters
from ui.plain import notice, plain

KEY = "profile_partnership"
_APPLIED = "profile_url_applied"


def pick_partnership(
    options: FilterOptions, filters: Filters, ecosystem_of: dict[str, str]
) -> str | None:
    """Draw the picker (defaulting to the URL's ?p=) and return the chosen slug.

    It offers the partnerships the global filters select (by partnership and ecosystem);
    ecosystem_of maps a partnership slug to its ecosystem slug.
    """
    labels = dict(options.partnerships)
    choices = [
        s
        for s in labels
        if (not filters.partnerships or s in filters.partnerships)
        and (not filters.ecosystems or ecosystem_of.get(s) in filters.ecosystems)
    ]
    if not choices:
        st.info("No partnership matches the current filters.")
        return None
    wanted = st.query_params.get("p")
    if wanted is not None and wanted != st.session_state.get(_APPLIED):
        st.session_state[_APPLIED] = wanted
        if wanted in choices:
            st.session_state[KEY] = wanted
        else:
            notice(
                "warning",
                f"Unknown partnership {wanted[:60]!r} in the link; showing {labels[choices[0]]}.",
                icon=":material/warning:",
            )
    if st.session_state.get(KEY) not in choices:
        st.session_state[KEY] = choices[0]
    slug: str = st.selectbox("Partnership", choices, format_func=labels.__getitem__, key=KEY)
    if st.query_params.get("p") != slug:
        st.query_params["p"] = slug
        st.session_state[_APPLIED] = slug
    return slug


MEMBER_COLUMNS = {
    "organisation": "Organisation",
    "org_type": "Type",
    "country_code": None,
    "country": "Country",
    "nuts_code": "NUTS region",
    "size_class": "Size",
    "role": "Role",
    "joined_on": st.column_config.DateColumn("Joined", format="YYYY-MM-DD"),
    "left_on": st.column_config.DateColumn("Left", format="YYYY-MM-DD"),
    "active": st.column_config.CheckboxColumn("Active at period end"),
    "reported_in_year": st.column_config.CheckboxColumn("Reported for the last year"),
    "last_reported_year": st.column_config.NumberColumn("Last report", format="%d"),
    "listed": None,  # shown as the listing mark
    "listing": st.column_config.TextColumn(
        "Public directory", help="Members that asked not to appear in the public member directory."
    ),
}


# A website the summary links to: an http(s) address with nothing that would end the link.
_WEBSITE = re.compile(r"https?://[^\s()<>\[\]\\`\"']+", re.IGNORECASE)


def partnership_summary(info: pd.Series) -> str:
    """One paragraph (Markdown): kind, ecosystem, launch, pledge, women target and website.

    Every stored value is shown as text; the website is a link only when it is a plain
    http(s) address.
    """
    pledge = info["pledge_text"] if isinstance(info["pledge_text"], str) else ""
    text = (
        f"**{plain(str(info['kind']).capitalize())}** partnership in "
        f"**{plain(info['ecosystem'])}**, launched {info['launch_date']:%d %B %Y}. "
        f"Pledge: {plain(pledge.strip() or 'none published')}."
    )
    if pd.notna(info["target_women_share"]):
        text += f" Target share of women among trainees: {info['target_women_share']:.0%}."
    website = info["website"] if isinstance(info["website"], str) else ""
    if _WEBSITE.fullmatch(website.strip()):
        text += f" [Website](<{website.strip()}>)"
    return text
