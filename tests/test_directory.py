"""Tier 1: the public member directory at every role, against the fixture rows.

Expected rows are built in plain Python over the demo Pact (tests/expected.py); the
directory must withhold organisations that opted out from the public and from coordinators
of other partnerships, and give them, marked, to everyone allowed to see them.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from sqlmodel import Session

import data_access as store
from data_access import PUBLIC, Caller, Filters
from data_access.directory import DIRECTORY_COLUMNS, directory_counts, listing_marks
from fixtures.demo import DemoMembership
from tests.callers import ADMIN, OFFICER, coordinator
from tests.expected import COUNTRY_NAME, TYPE_LABEL, Expected

OWN = "creative-pact"  # the coordinator's partnership in these tests
ROLES = {
    "public": PUBLIC,
    "coordinator-own": coordinator(OWN),
    "coordinator-other": coordinator("tourism"),
    "officer": OFFICER,
    "admin": ADMIN,
}
FILTERS = [
    pytest.param(Filters(year_from=2021, year_to=2024), id="all"),
    pytest.param(Filters(year_from=2021, year_to=2023, partnerships=(OWN,)), id="own-2023"),
    pytest.param(
        Filters(year_from=2022, year_to=2024, ecosystems=("health", "cultural-creative")),
        id="ecosystems",
    ),
    pytest.param(
        Filters(year_from=2021, year_to=2022, countries=("ES", "DE"), org_types=("sme",)),
        id="country-type",
    ),
    pytest.param(
        Filters(year_from=2021, year_to=2024, skill_areas=("green",), partnerships=("tclf",)),
        id="skill-ignored",
    ),
]


def _sees(caller: Caller, partnership: str) -> bool:
    """Who may see an unlisted organisation's membership: officers, admins and the
    coordinators of that partnership."""
    return caller.role.value in ("officer", "admin") or (
        caller.role.value == "coordinator" and partnership in caller.partnerships
    )


def _want(
    expected: Expected, caller: Caller, f: Filters, *, former: bool = False
) -> list[DemoMembership]:
    assert f.year_to is not None
    day = date(f.year_to, 12, 31)
    rows = [
        m
        for m in expected.memberships(f)
        if m.joined_on <= day
        and (former or m.left_on is None or m.left_on > day)
        and (expected.orgs[m.organisation].listed or _sees(caller, m.partnership))
    ]
    return rows


def _key(m: DemoMembership, expected: Expected) -> tuple[str, str, str, date]:
    org = expected.orgs[m.organisation]
    return (org.name, org.country_code, expected.partnership[m.partnership].short_name, m.joined_on)


def _keys(df: pd.DataFrame) -> list[tuple[str, str, str, date]]:
    return list(
        zip(df["organisation"], df["country_code"], df["partnership"], df["joined_on"], strict=True)
    )


def test_the_demo_has_organisations_that_opted_out(expected: Expected) -> None:
    unlisted = [o for o in expected.pact.organisations if not o.listed]
    share = len(unlisted) / len(expected.pact.organisations)
    assert 0.01 < share < 0.03
    members = {m.organisation for m in expected.pact.memberships if m.partnership == OWN}
    assert members & {o.key for o in unlisted}, "the tests need an unlisted member of OWN"


@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize("filters", FILTERS)
def test_directory_rows_at_every_role(
    session: Session, expected: Expected, role: str, filters: Filters
) -> None:
    caller = ROLES[role]
    df = store.member_directory(session=session, caller=caller, filters=filters)
    want = _want(expected, caller, filters)
    assert sorted(_keys(df)) == sorted(_key(m, expected) for m in want)
    assert list(df.columns) == [*DIRECTORY_COLUMNS, *([] if role == "public" else ["listed"])]
    # Values of each row come from the fixture's organisation and partnership.
    by_key = {_key(m, expected): m for m in want}
    for row in df.head(50).itertuples(index=False):
        m = by_key[(row.organisation, row.country_code, row.partnership, row.joined_on)]
        org = expected.orgs[m.organisation]
        assert row.country == COUNTRY_NAME[org.country_code]
        assert row.org_type == TYPE_LABEL[org.org_type]
        assert row.partnership_slug == m.partnership
        assert row.role == m.role
        assert (None if pd.isna(row.left_on) else row.left_on) == m.left_on
        if role != "public":
            assert row.listed == org.listed


@pytest.mark.parametrize("role", list(ROLES))
def test_unlisted_organisations_only_reach_who_may_see_them(
    session: Session, expected: Expected, role: str
) -> None:
    caller = ROLES[role]
    filters = Filters(year_from=2021, year_to=2024)
    df = store.member_directory(session=session, caller=caller, filters=filters)
    unlisted = {(o.name, o.country_code) for o in expected.pact.organisations if not o.listed}
    shown = df[
        [(n, c) in unlisted for n, c in zip(df["organisation"], df["country_code"], strict=True)]
    ]
    if role == "public":
        assert shown.empty
    elif role == "coordinator-own":
        assert set(shown["partnership_slug"]) == {OWN}
        assert not shown["listed"].any()
    elif role == "coordinator-other":
        assert set(shown["partnership_slug"]) <= {"tourism"}
    else:
        assert (
            len({(n, c) for n, c in zip(shown["organisation"], shown["country_code"], strict=True)})
            > 10
        )
        assert not shown["listed"].any()
        assert (listing_marks(shown) == "not listed publicly").all()


def test_newest_members_first(session: Session) -> None:
    df = store.member_directory(session=session, caller=PUBLIC, filters=Filters())
    assert df["joined_on"].iloc[0] == max(df["joined_on"])
    order = list(zip([-d.toordinal() for d in df["joined_on"]], df["organisation"], strict=True))
    assert order == sorted(order)


def test_former_members_with_their_leaving_date(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2024)
    df = store.member_directory(session=session, caller=OFFICER, filters=filters, former=True)
    want = _want(expected, OFFICER, filters, former=True)
    assert sorted(_keys(df)) == sorted(_key(m, expected) for m in want)
    assert df["left_on"].notna().sum() == sum(m.left_on is not None for m in want) > 0


def test_counts_of_memberships_and_organisations(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2024)
    df = store.member_directory(session=session, caller=OFFICER, filters=filters)
    memberships, organisations = directory_counts(df)
    assert memberships == len(_want(expected, OFFICER, filters))
    assert organisations == expected.members_at(filters, date(2024, 12, 31))


@pytest.mark.parametrize(
    ("search", "name"),
    [
        ("kovac stavby", "Kováč Stavby a.s."),
        ("KOVÁČ", "Kováč Stavby a.s."),
        ("  sevilla  ", "Universidad de Sevilla 2"),
    ],
)
def test_search_ignores_case_and_accents(
    session: Session, expected: Expected, search: str, name: str
) -> None:
    df = store.member_directory(session=session, caller=PUBLIC, filters=Filters(), search=search)
    assert name in set(df["organisation"])
    needle = search.strip().casefold().replace("á", "a").replace("č", "c")
    for row in df.itertuples(index=False):
        text = " ".join((row.organisation, row.partnership, row.country)).casefold()
        text = text.replace("á", "a").replace("č", "c")
        full = expected.partnership[row.partnership_slug].name.casefold()
        assert needle in text or needle in full


def test_search_covers_partnership_and_country_names(session: Session, expected: Expected) -> None:
    everyone = store.member_directory(session=session, caller=PUBLIC, filters=Filters())
    by_country = store.member_directory(
        session=session, caller=PUBLIC, filters=Filters(), search="luxembourg"
    )
    in_lu = everyone[everyone["country_code"] == "LU"]
    assert len(in_lu) > 0
    assert set(_keys(in_lu)) <= set(_keys(by_country))
    by_partnership = store.member_directory(
        session=session, caller=PUBLIC, filters=Filters(), search="Creative Pact"
    )
    assert set(_keys(everyone[everyone["partnership_slug"] == OWN])) <= set(_keys(by_partnership))


@pytest.mark.parametrize("search", ["' OR 1=1 --", "%", "_", "\\", '"); DROP TABLE membership;'])
def test_search_text_is_never_sql(session: Session, search: str) -> None:
    df = store.member_directory(session=session, caller=PUBLIC, filters=Filters(), search=search)
    assert df.empty
    assert not store.member_directory(session=session, caller=PUBLIC, filters=Filters()).empty


def test_no_unlisted_name_in_public_search(session: Session, expected: Expected) -> None:
    org = next(o for o in expected.pact.organisations if not o.listed)
    public = store.member_directory(
        session=session, caller=PUBLIC, filters=Filters(), search=org.name, former=True
    )
    assert org.name not in set(public["organisation"])
    officer = store.member_directory(
        session=session, caller=OFFICER, filters=Filters(), search=org.name, former=True
    )
    assert org.name in set(officer["organisation"])


def test_member_counts_still_count_unlisted_members(session: Session, expected: Expected) -> None:
    filters = Filters(year_from=2021, year_to=2024)
    counts = store.members_over_time(session=session, caller=PUBLIC, filters=filters)
    at_end = int(counts.loc[counts["period"] == "2024", "members"].iloc[0])
    day = date(2024, 12, 31)
    assert at_end == expected.members_at(filters, day)
    directory = store.member_directory(session=session, caller=PUBLIC, filters=filters)
    listed_only = directory_counts(directory)[1]
    assert at_end > listed_only  # the directory withholds names, the count keeps them
