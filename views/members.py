"""Members: the public member directory as the page shows it, newest members first: the line
that counts what is shown, the table (with the public-listing mark for callers who may see
unlisted members) and its CSV, from member_directory."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.directory import NOT_LISTED, directory_counts, listing_marks
from views.models import Column, Download, Notice, Table

TITLE = "Members"
INTRO = (
    "Member lists are public, as the Pact for Skills publishes them: each organisation, "
    "its country and type, its partnerships and when it joined; a member may ask not to be "
    "listed, and is then left out of the public list."
)
SEARCH_LABEL = "Search organisations, partnerships or countries"
SEARCH_PLACEHOLDER = "e.g. Sevilla, Creative Pact, Luxembourg"
SHOW_LABEL = "Show"
SHOW_CHOICES = {"current": "Current members", "former": "Also those who left"}
COLUMNS = (
    Column("country"),
    Column("org_type", label="Type"),  # the directory's own, shorter header
    Column("partnership"),
    Column("ecosystem"),
    Column("role"),
    Column("joined_on", kind="date"),
    Column("left_on", kind="date"),
)
LISTING = Column(
    "listing",
    help=f"“{NOT_LISTED}”: shown to you only; the public list omits it.",
    width="medium",
)


@dataclass(frozen=True)
class Members:
    """What the page says: the count line, and the table or, when nothing matches, why."""

    count: str
    table: Table
    nothing: Notice | None  # when no member matches


def members(directory: pd.DataFrame, *, year: int | None, searched: bool, former: bool) -> Members:
    """The directory rows the page was given (data_access.member_directory, searched)."""
    memberships, organisations = directory_counts(directory)
    matching = " matching the search" if searched else ""  # never the text: it is not Markdown
    who = f"members on 31 December {year}" + (" and those who left by then" if former else "")
    private = "listed" in directory.columns  # only callers who may see unlisted members get it
    shown = directory.assign(listing=listing_marks(directory)) if private else directory
    unlisted = private and not directory["listed"].all()
    return Members(
        count=f"**{memberships:,} memberships of {organisations:,} organisations**{matching}: "
        f"{who}, newest first. Skill areas do not apply to members.",
        table=Table(
            key="members_table",
            title=TITLE,
            data=shown,
            columns=(
                Column("organisation", pinned=True),
                *([LISTING] if private else []),
                *COLUMNS,
            ),
            note=(
                f"Rows marked “{NOT_LISTED}” are organisations that asked not to appear in the "
                "public directory; you see them because you may see their partnership's members."
                if unlisted
                else None
            ),
            csv=Download(
                key="members_csv",
                label="Download these rows (CSV)",
                file_name=f"members-{year}.csv",
                data=directory,
            ),
        ),
        nothing=(
            Notice(
                f"No member matches {'the search' if searched else 'the current filters'}.",
                icon=":material/search_off:",
            )
            if directory.empty
            else None
        ),
    )
