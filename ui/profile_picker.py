"""The profile page's Streamlit parts: the partnership picker (kept in the URL as ?p=<slug>),
the partnership's heading, the comparison rows its view needs and its member lists."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st
from streamlit.elements.lib.column_types import ColumnConfig

from data_access import FilterOptions, Filters
from data_access.outcomes import own_comparison
from i18n import N_, _
from i18n.names import ecosystem_name
from i18n.numbers import date
from ui import data
from ui.context import PageContext
from ui.plain import notice, plain
from views import format as fmt
from views.labels import column_label
from views.profile import MemberLists

KEY = "profile_partnership"
_APPLIED = "profile_url_applied"


def pick_partnership(
    options: FilterOptions, filters: Filters, partnerships: pd.DataFrame
) -> pd.Series | None:
    """Draw the picker (defaulting to the URL's ?p=) and return the chosen partnership's row
    of `partnerships` (partnerships_table indexed by slug; the row's name is the slug).

    It offers the partnerships the global filters select (by partnership and ecosystem).
    """
    ecosystem_of = {str(s): str(e) for s, e in partnerships["ecosystem_slug"].items()}
    labels = dict(options.partnerships)
    choices = [
        s
        for s in labels
        if (not filters.partnerships or s in filters.partnerships)
        and (not filters.ecosystems or ecosystem_of.get(s) in filters.ecosystems)
    ]
    if not choices:
        st.info(_("No partnership matches the current filters."))
        return None
    wanted = st.query_params.get("p")
    if wanted is not None and wanted != st.session_state.get(_APPLIED):
        st.session_state[_APPLIED] = wanted
        if wanted in choices:
            st.session_state[KEY] = wanted
        else:
            text = _("Unknown partnership {value} in the link; showing {name}.").format(
                value=repr(wanted[:60]), name=labels[choices[0]]
            )
            notice("warning", text, icon=":material/warning:")
    if st.session_state.get(KEY) not in choices:
        st.session_state[KEY] = choices[0]
    slug: str = st.selectbox(_("Partnership"), choices, format_func=labels.__getitem__, key=KEY)
    if st.query_params.get("p") != slug:
        st.query_params["p"] = slug
        st.session_state[_APPLIED] = slug
    row = partnerships.loc[slug]
    return row if isinstance(row, pd.Series) else row.iloc[0]


def member_columns() -> dict[str, ColumnConfig | str | None]:
    """The member lists' columns, their headers in the reader's language."""
    return {
        "organisation": column_label("organisation"),
        "org_type": _("Type"),
        "country_code": None,
        "country": column_label("country"),
        "nuts_code": column_label("nuts_code"),
        "size_class": column_label("size_class"),
        "role": column_label("role"),
        "joined_on": st.column_config.DateColumn(column_label("joined_on"), format="YYYY-MM-DD"),
        "left_on": st.column_config.DateColumn(column_label("left_on"), format="YYYY-MM-DD"),
        "active": st.column_config.CheckboxColumn(column_label("active")),
        "reported_in_year": st.column_config.CheckboxColumn(column_label("reported_in_year")),
        "last_reported_year": st.column_config.NumberColumn(
            column_label("last_reported_year"), format="%d"
        ),
        "listed": None,  # shown as the listing mark
        "listing": st.column_config.TextColumn(
            _("Public directory"),
            help=_("Members that asked not to appear in the public member directory."),
        ),
    }


# The first sentence of a partnership's summary, one whole sentence per kind of partnership.
KIND_SENTENCES = {
    "large-scale": N_("**Large-scale** partnership in **{ecosystem}**, launched {date}."),
    "regional": N_("**Regional** partnership in **{ecosystem}**, launched {date}."),
}


# A website the summary links to: an http(s) address with nothing that would end the link.
_WEBSITE = re.compile(r"https?://[^\s()<>\[\]\\`\"']+", re.IGNORECASE)


def partnership_summary(info: pd.Series) -> str:
    """One paragraph (Markdown): kind, ecosystem, launch, pledge, women target and website.

    Every stored value is shown as text; the website is a link only when it is a plain
    http(s) address.
    """
    pledge = info["pledge_text"] if isinstance(info["pledge_text"], str) else ""
    kind = str(info["kind"])
    fields = {
        "ecosystem": plain(ecosystem_name(str(info["ecosystem"]))),
        "date": date(info["launch_date"], "long"),
    }
    if kind in KIND_SENTENCES:
        first = _(KIND_SENTENCES[kind]).format(**fields)
    else:
        first = _("**{kind}** partnership in **{ecosystem}**, launched {date}.").format(
            kind=plain(kind.capitalize()), **fields
        )
    sentences = [
        first,
        _("Pledge: {pledge}.").format(pledge=plain(pledge.strip() or _("none published"))),
    ]
    if pd.notna(info["target_women_share"]):
        target = fmt.share(info["target_women_share"], 0)
        sentences.append(_("Target share of women among trainees: {share}.").format(share=target))
    website = info["website"] if isinstance(info["website"], str) else ""
    if _WEBSITE.fullmatch(website.strip()):
        sentences.append(f"[{_('Website')}](<{website.strip()}>)")
    return " ".join(sentences)


def show_heading(info: pd.Series) -> None:
    """The partnership's full name and its one-paragraph summary."""
    st.header(plain(info["name"]))
    st.markdown(partnership_summary(info))


def comparisons(
    context: PageContext, partnership: str, *, ecosystem: str
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Every partnership's comparison row (for the peers) and the partnership's own (exact for
    its coordinators): the same row of the first where that gives the same numbers."""
    filters = context.filters
    everyone = data.partnership_comparison(filters.without_partnerships())
    own = own_comparison(
        everyone,
        caller=context.caller,
        filters=filters,
        partnership=partnership,
        ecosystem=ecosystem,
    )
    if own is None:
        own = data.partnership_comparison(filters.only_partnership(partnership))
    return everyone, own


def show_member_lists(lists: MemberLists) -> None:
    """The members that have not reported, then every member behind an expander."""
    missing = lists.missing
    st.header(missing.title)
    st.caption(missing.note or "")
    columns = member_columns()
    st.dataframe(missing.data, key=missing.key, hide_index=True, column_config=columns)
    everyone = lists.everyone
    with st.expander(everyone.title):
        st.dataframe(everyone.data, key=everyone.key, hide_index=True, column_config=columns)
