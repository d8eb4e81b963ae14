"""Tier 3, Members: the public directory page at every role, its search in the URL, its count
line and a CSV of exactly the rows shown; organisations that opted out never reach the public.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pandas as pd
import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC, Caller, Filters
from tests.callers import ADMIN, OFFICER, coordinator
from tests.expected import Expected

PAGE = "pages/members.py"
OWN = "creative-pact"
ROLES: dict[str, Caller] = {
    "public": PUBLIC,
    "coordinator-own": coordinator(OWN),
    "coordinator-other": coordinator("tourism"),
    "officer": OFFICER,
    "admin": ADMIN,
}


@pytest.fixture()
def downloads(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, bytes]]:
    """The files a page offers for download, by file name, as pressing the button would
    make them (a download made when pressed is made here at once)."""
    files: dict[str, bytes] = {}
    original = MediaFileManager.add_deferred

    def keep(self: Any, data_callable: Any, mimetype: Any, coordinates: str,
             file_name: str | None = None, **more: Any) -> str:  # fmt: skip
        if file_name:
            files[file_name] = data_callable()
        return original(self, data_callable, mimetype, coordinates, file_name, **more)

    monkeypatch.setattr(MediaFileManager, "add_deferred", keep)
    yield files


def read_download(content: bytes, **options: Any) -> pd.DataFrame:
    """A CSV download with its columns named by their stable keys ("Year [year]" -> "year")."""
    frame = pd.read_csv(io.BytesIO(content), **options)
    keys = [re.fullmatch(r".* \[(\w+)\]", str(header)) for header in frame.columns]
    assert all(keys), f"every header names its column's key: {list(frame.columns)}"
    return frame.set_axis([key.group(1) for key in keys if key], axis="columns")


def _sees(caller: Caller, partnership: str) -> bool:
    return caller.role.value in ("officer", "admin") or partnership in caller.partnerships


def _want(expected: Expected, caller: Caller, f: Filters) -> set[tuple[str, str, str]]:
    """(organisation, country code, partnership slug) of the memberships the page lists."""
    assert f.year_to is not None
    day = date(f.year_to, 12, 31)
    return {
        (expected.orgs[m.organisation].name, expected.orgs[m.organisation].country_code,
         m.partnership)
        for m in expected.memberships(f)
        if expected._active(m, day)
        and (expected.orgs[m.organisation].listed or _sees(caller, m.partnership))
    }  # fmt: skip


def _rows(frame: pd.DataFrame) -> set[tuple[str, str, str]]:
    return set(
        zip(frame["organisation"], frame["country_code"], frame["partnership_slug"], strict=True)
    )


@pytest.mark.parametrize("role", list(ROLES))
def test_directory_page_at_every_role(
    run_page: Callable[..., AppTest],
    expected: Expected,
    downloads: dict[str, bytes],
    role: str,
) -> None:
    caller = ROLES[role]
    at = run_page(PAGE, caller=caller, eco="cultural-creative,tourism", to="2023")
    assert not at.exception, at.exception
    assert any("Demo data" in i.value for i in at.info)
    assert any("Member lists are public" in m.value for m in at.markdown)
    filters = expected.filters(ecosystems=("cultural-creative", "tourism"), year_to=2023)
    want = _want(expected, caller, filters)
    table = at.dataframe[0].value
    assert _rows(table) == want
    joined = list(table["joined_on"])
    assert joined == sorted(joined, reverse=True), "newest members first"
    organisations = len({(name, country) for name, country, _ in want})
    count = f"**{len(want):,} memberships of {organisations:,} organisations**"
    assert any(m.value.startswith(count) for m in at.markdown)

    csv = read_download(downloads["members-2023.csv"], keep_default_na=False)
    assert _rows(csv) == want
    assert len(csv) == len(table)
    assert "record_key" not in csv.columns
    unlisted = {(o.name, o.country_code) for o in expected.pact.organisations if not o.listed}
    marked = {(n, c) for n, c, _ in want if (n, c) in unlisted}
    if role == "public":
        assert "listed" not in csv.columns and "listing" not in table.columns
        assert not marked
    else:
        assert set(csv.columns) >= {"listed"}
        hidden = csv[csv["listed"].astype(str) == "False"]
        assert set(zip(hidden["organisation"], hidden["country_code"], strict=True)) == marked
        shown = table[table["listing"] == "not listed publicly"]
        assert set(zip(shown["organisation"], shown["country_code"], strict=True)) == marked
    if role in ("officer", "admin", "coordinator-own"):
        assert marked, "the case needs an unlisted member the caller may see"


def test_search_comes_from_the_url_and_goes_back_to_it(
    run_page: Callable[..., AppTest], downloads: dict[str, bytes]
) -> None:
    at = run_page(PAGE, caller=PUBLIC, q="KOVÁČ")
    assert not at.exception, at.exception
    assert at.text_input(key="members_search").value == "KOVÁČ"
    table = at.dataframe[0].value
    assert "Kováč Stavby a.s." in set(table["organisation"])
    assert all("kovac" in name.casefold().replace("á", "a").replace("č", "c")
               or "kovac" in country.casefold()
               for name, country in zip(table["organisation"], table["country"], strict=True))  # fmt: skip
    csv = read_download(downloads["members-2024.csv"])
    assert list(csv["organisation"]) == list(table["organisation"])

    at.text_input(key="members_search").set_value("sevilla").run()
    assert at.query_params["q"] == ["sevilla"] or at.query_params["q"] == "sevilla"
    assert set(at.dataframe[0].value["organisation"]) >= {"Universidad de Sevilla 2"}
    at.text_input(key="members_search").set_value("").run()
    assert "q" not in at.query_params


def test_former_members_on_request(run_page: Callable[..., AppTest], expected: Expected) -> None:
    at = run_page(PAGE, caller=PUBLIC, show="former", lsp=OWN)
    assert not at.exception, at.exception
    table = at.dataframe[0].value
    left = [
        m
        for m in expected.pact.memberships
        if m.partnership == OWN and m.left_on is not None and m.left_on <= date(2024, 12, 31)
        and expected.orgs[m.organisation].listed
    ]  # fmt: skip
    assert left
    assert table["left_on"].notna().sum() == len(left)


def test_no_unlisted_name_anywhere_on_the_public_page(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    unlisted = {o.name for o in expected.pact.organisations if not o.listed}
    listed = {o.name for o in expected.pact.organisations if o.listed}
    at = run_page(PAGE, caller=PUBLIC)
    assert not at.exception, at.exception
    cells = {str(v) for frame in at.dataframe for v in frame.value.to_numpy().ravel()}
    cells |= {str(e.value) for kind in ("markdown", "caption") for e in at.get(kind)}
    leaked = (unlisted - listed) & cells
    assert not leaked, sorted(leaked)[:5]
    assert len(unlisted - listed) > 10


def test_profile_marks_members_not_listed_publicly(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    at = run_page("pages/profile.py", caller=coordinator(OWN), p=OWN)
    assert not at.exception, at.exception
    members = next(f for f in at.dataframe if "reported_in_year" in f.value.columns).value
    unlisted = {
        expected.orgs[m.organisation].name
        for m in expected.pact.memberships
        if m.partnership == OWN and not expected.orgs[m.organisation].listed
    }
    assert unlisted
    marked = set(members.loc[members["listing"] == "not listed publicly", "organisation"])
    assert marked == unlisted


def test_the_search_text_is_never_rendered_as_markdown(run_page: Callable[..., AppTest]) -> None:
    hostile = "![x](http://192.0.2.1/x.png) [y](javascript:alert(1)) <b>z</b>"
    at = run_page(PAGE, caller=PUBLIC, q=hostile)
    assert not at.exception, at.exception
    shown = " ".join(str(e.value) for kind in ("markdown", "caption", "info") for e in at.get(kind))
    assert "192.0.2.1" not in shown and "javascript" not in shown and "<b>" not in shown
    assert any("No member matches the search" in i.value for i in at.info)
    assert not at.dataframe


def test_a_long_directory_shows_its_newest_rows_and_downloads_them_all(
    run_page: Callable[..., AppTest],
    expected: Expected,
    downloads: dict[str, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The table sends the browser only the newest rows (a million-row store held 111,238
    memberships); the count line, the note and the CSV still cover every row."""
    import views.members

    monkeypatch.setattr(views.members, "SHOWN_ROWS", 25)
    at = run_page(PAGE, caller=OFFICER, to="2023")
    assert not at.exception, at.exception
    filters = expected.filters(year_to=2023)
    want = _want(expected, OFFICER, filters)
    assert len(want) > 25, "the case needs more members than the table shows"
    table = at.dataframe[0].value
    assert len(table) == 25 and _rows(table) <= want
    csv = read_download(downloads["members-2023.csv"], keep_default_na=False)
    assert _rows(csv) == want
    newest = sorted(csv["joined_on"], reverse=True)[:25]
    assert sorted((str(day) for day in table["joined_on"]), reverse=True) == newest
    note = f"The table shows the 25 newest of these {len(want):,} memberships"
    assert any(note in caption.value for caption in at.caption), [c.value for c in at.caption]
