"""The public member directory: who belongs to which partnership, newest members first.

Membership facts are public (the Pact publishes its member lists): an organisation, its
country and type, its partnerships, its role and when it joined. An organisation may ask not
to be listed (`organisation.listed`): its rows are withheld here, in the data layer, from
the public and from coordinators of other partnerships. Counts of members elsewhere still
count it; only its name is withheld.
"""

from __future__ import annotations

import unicodedata
from datetime import date
from functools import lru_cache

import pandas as pd
from sqlalchemy import ColumnElement, Date, literal, or_, select, true
from sqlmodel import Session

from data_access.access import Caller, Role
from data_access.filters import Filters
from data_access.membership import resolve_years
from data_access.scope import (
    C,
    E,
    M,
    O,
    P,
    T,
    active_on,
    dimension_conditions,
    membership_join,
    where_all,
)
from i18n import N_

DIRECTORY_COLUMNS = (
    "organisation",
    "country_code",
    "country",
    "org_type",
    "partnership",
    "partnership_name",
    "partnership_slug",
    "ecosystem",
    "joined_on",
    "left_on",
    "role",
)
"""The columns of every directory frame; non-public callers also get `listed`."""

MAX_SEARCH_CHARS = 200
NOT_LISTED = N_("not listed publicly")  # views show it in the reader's language


@lru_cache(maxsize=1 << 17)  # the names of a large store: later searches only look them up
def fold(text: str) -> str:
    """Text as the search compares it: accents removed, case folded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(bare.casefold().split())


def directory_day(*, session: Session, filters: Filters) -> date:
    """The day the directory lists members of: 31 December of the period's last year."""
    _, year_to = resolve_years(session=session, filters=filters)
    return date(year_to, 12, 31)


def _visible(caller: Caller) -> ColumnElement[bool]:
    """Which rows the caller may see: listed organisations, and unlisted ones only in the
    partnerships whose members the caller may see."""
    listed: ColumnElement[bool] = O.listed.is_(True)
    if caller.reads_everything:
        return true()
    if caller.role is Role.COORDINATOR and caller.partnerships:
        return or_(listed, P.slug.in_(sorted(caller.partnerships)))
    return listed


def member_directory(
    *,
    session: Session,
    caller: Caller,
    filters: Filters,
    search: str = "",
    former: bool = False,
) -> pd.DataFrame:
    """One row per membership of the directory, newest members first.

    Lists the memberships active on 31 December of the filter's last year (with `former`,
    also those that ended by then, with their leaving date); the period's first year and the
    skill areas do not apply. `search` keeps rows whose organisation, partnership or country
    name contains it, whatever the case and accents. Columns: DIRECTORY_COLUMNS, plus
    `listed` for signed-in callers (coordinators, officers, admins), who also get the
    unlisted organisations of the partnerships whose members they may see. Sorted by
    joined_on (latest first), organisation, partnership.
    """
    day = literal(directory_day(session=session, filters=filters), type_=Date)
    in_period = (M.joined_on <= day) if former else active_on(day)
    stmt = where_all(
        select(
            O.name.label("organisation"),
            O.country_code,
            C.name.label("country"),
            T.label.label("org_type"),
            P.short_name.label("partnership"),
            P.name.label("partnership_name"),
            P.slug.label("partnership_slug"),
            E.name.label("ecosystem"),
            M.joined_on,
            M.left_on,
            M.role,
            O.listed,
        ).select_from(membership_join()),
        [*dimension_conditions(filters), in_period, _visible(caller)],
    )
    df = pd.read_sql(stmt, session.connection())
    df["joined_on"] = pd.to_datetime(df["joined_on"]).dt.date
    df["left_on"] = pd.to_datetime(df["left_on"]).dt.date
    df["listed"] = df["listed"].astype(bool)
    df = df.sort_values(
        ["joined_on", "organisation", "partnership"],
        ascending=[False, True, True],
        kind="stable",
    ).reset_index(drop=True)
    columns = [*DIRECTORY_COLUMNS, *(["listed"] if caller.role is not Role.PUBLIC else [])]
    return search_directory(df[columns], search)


def search_directory(frame: pd.DataFrame, search: str) -> pd.DataFrame:
    """The rows of a directory frame whose organisation, partnership (short or full name) or
    country contains the search text, compared folded; order kept. Plain pandas: no SQL is
    ever built from the text, and a page can search a cached directory without a query."""
    wanted = fold(search[:MAX_SEARCH_CHARS])
    if not wanted or frame.empty:
        return frame
    hit = pd.Series(False, index=frame.index)
    for column in ("organisation", "partnership", "partnership_name", "country"):
        folded = pd.Series([fold(str(v)) for v in frame[column].tolist()], index=frame.index)
        hit |= folded.str.contains(wanted, regex=False)
    return frame[hit].reset_index(drop=True)


def directory_counts(frame: pd.DataFrame) -> tuple[int, int]:
    """(memberships, organisations) of a directory frame; an organisation is its name and
    country."""
    organisations = len(frame[["organisation", "country_code"]].drop_duplicates())
    return len(frame), organisations


def listing_marks(frame: pd.DataFrame) -> pd.Series:
    """A column for tables: "not listed publicly" on rows of organisations that opted out."""
    if "listed" not in frame.columns:
        return pd.Series("", index=frame.index, dtype="str")
    return frame["listed"].map({True: "", False: NOT_LISTED}).fillna("").astype("str")


__all__ = [
    "DIRECTORY_COLUMNS",
    "NOT_LISTED",
    "directory_counts",
    "directory_day",
    "fold",
    "listing_marks",
    "member_directory",
    "search_directory",
]
