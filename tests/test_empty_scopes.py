"""Filters that leave nothing in scope: every page says so instead of failing, for every role,
and the queries return empty frames (the public view's disclosure control included)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC, Caller, Filters, members_over_time
from tests.callers import OFFICER, coordinator
from tests.test_pages_common import PAGES

# Automotive has no member in Iceland in the demo data (checked below, from the rows).
EMPTY = {"lsp": "automotive", "country": "IS"}


def test_the_scope_is_empty_in_the_demo_rows(demo_pact) -> None:  # type: ignore[no-untyped-def]
    by_key = {o.key: o for o in demo_pact.organisations}
    assert not [
        m
        for m in demo_pact.memberships
        if m.partnership == "automotive" and by_key[m.organisation].country_code == "IS"
    ]


@pytest.mark.parametrize(
    "caller", [PUBLIC, OFFICER, coordinator("tourism")], ids=["public", "officer", "coordinator"]
)
def test_members_over_time_is_empty_not_an_error(session: Session, caller: Caller) -> None:
    filters = Filters(partnerships=("automotive",), countries=("IS",))
    frame = members_over_time(session=session, caller=caller, filters=filters)
    assert frame.empty


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("caller", [PUBLIC, OFFICER], ids=["public", "officer"])
def test_pages_survive_an_empty_scope(
    run_page: Callable[..., AppTest], page: str, caller: Caller
) -> None:
    at = run_page(page, caller=caller, **EMPTY)
    assert not at.exception, [e.value for e in at.exception]
