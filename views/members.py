"""Members: the public member directory as the page shows it, newest members first: the line
that counts what is shown, the table (with the public-listing mark for callers who may see
unlisted members; its newest SHOWN_ROWS rows) and its CSV of every row, from
member_directory."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from data_access.directory import NOT_LISTED, directory_counts, listing_marks
from i18n import N_, _
from i18n.numbers import number, plain_integer
from views.frames import with_names
from views.models import Column, Download, Notice, Table

TITLE = N_("Members")
INTRO = N_(
    "Member lists are public, as the Pact for Skills publishes them: each organisation, "
    "its country and type, its partnerships and when it joined; a member may ask not to be "
    "listed, and is then left out of the public list."
)
# The newest rows the table sends to the browser: at a million outcome rows the directory
# held 111,238 memberships, 26 MB per load. Search narrows it; the CSV holds every row.
SHOWN_ROWS = 5_000
SHOWN_NOTE = N_(
    "The table shows the {shown} newest of these {memberships} memberships: search to find "
    "the others, or download them all (CSV)."
)
SEARCH_LABEL = N_("Search organisations, partnerships or countries")
SEARCH_PLACEHOLDER = N_("e.g. Sevilla, Creative Pact, Luxembourg")
SHOW_LABEL = N_("Show")
SHOW_CHOICES = {"current": N_("Current members"), "former": N_("Also those who left")}
# The count line above the table, by whether it is searched and shows former members too.
COUNT_LINES = {
    (False, False): N_(
        "**{memberships} memberships of {organisations} organisations**: members on 31 "
        "December {year}, newest first. Skill areas do not apply to members."
    ),
    (True, False): N_(
        "**{memberships} memberships of {organisations} organisations** matching the search: "
        "members on 31 December {year}, newest first. Skill areas do not apply to members."
    ),
    (False, True): N_(
        "**{memberships} memberships of {organisations} organisations**: members on 31 "
        "December {year} and those who left by then, newest first. Skill areas do not apply "
        "to members."
    ),
    (True, True): N_(
        "**{memberships} memberships of {organisations} organisations** matching the search: "
        "members on 31 December {year} and those who left by then, newest first. Skill areas "
        "do not apply to members."
    ),
}


def columns(*, private: bool) -> tuple[Column, ...]:
    """The directory's shown columns; the public-listing mark for callers who may see
    unlisted members."""
    listing = Column(
        "listing",
        help=_("“{mark}”: shown to you only; the public list omits it.").format(mark=_(NOT_LISTED)),
        width="medium",
    )
    return (
        Column("organisation", pinned=True),
        *([listing] if private else []),
        Column("country"),
        Column("org_type", label=_("Type")),  # the directory's own, shorter header
        Column("partnership"),
        Column("ecosystem"),
        Column("role"),
        Column("joined_on", kind="date"),
        Column("left_on", kind="date"),
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
    private = "listed" in directory.columns  # only callers who may see unlisted members get it
    newest = directory.head(SHOWN_ROWS)  # the directory comes newest first
    marks = listing_marks(newest).map(lambda mark: _(mark) if mark else mark)
    shown = with_names(newest.assign(listing=marks) if private else newest, role="role")
    unlisted = private and not newest["listed"].all()
    # the search text is never in the line: it is not Markdown
    count = _(COUNT_LINES[searched, former]).format(
        memberships=number(memberships),
        organisations=number(organisations),
        year=year if year is None else plain_integer(year),
    )
    notes = [
        _(
            "Rows marked “{mark}” are organisations that asked not to appear in the public "
            "directory; you see them because you may see their partnership's members."
        ).format(mark=_(NOT_LISTED))
        if unlisted
        else "",
        _(SHOWN_NOTE).format(shown=number(SHOWN_ROWS), memberships=number(memberships))
        if memberships > SHOWN_ROWS
        else "",
    ]
    return Members(
        count=count,
        table=Table(
            key="members_table",
            title=_(TITLE),
            data=shown,
            columns=columns(private=private),
            note=" ".join(note for note in notes if note) or None,
            csv=Download(
                key="members_csv",
                label=_("Download these rows (CSV)"),
                file_name=f"members-{year}.csv",
                data=directory,
            ),
        ),
        nothing=(
            Notice(
                _("No member matches the search.")
                if searched
                else _("No member matches the current filters."),
                icon=":material/search_off:",
            )
            if directory.empty
            else None
        ),
    )
