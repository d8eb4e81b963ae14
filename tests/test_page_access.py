"""Tier 3, every page as every role: what each caller sees through the pages.

The identity is injected through the test-only auth seam (see tests/conftest.py run_page);
URL parameters are crafted to name partnerships the caller does not coordinate.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC, Caller
from tests.callers import ADMIN, OFFICER, coordinator
from tests.expected import Expected
from tests.test_pages_common import PAGES

OWN, OTHER = "creative-pact", "automotive"
ROLES: dict[str, Caller] = {
    "public": PUBLIC,
    "coordinator": coordinator(OWN),
    "officer": OFFICER,
    "admin": ADMIN,
}


def _page_text(at: AppTest) -> str:
    """Everything a page shows as text: markdown, captions, notices, metrics and tables."""
    parts: list[str] = []
    for kind in ("markdown", "caption", "info", "warning", "subheader", "title", "expander"):
        for element in at.get(kind):
            parts.append(str(getattr(element, "value", None) or getattr(element, "label", "")))
    for metric in at.metric:
        parts.append(f"{metric.label} {metric.value}")
    for frame in at.dataframe:
        parts.append(frame.value.to_csv(index=False))
    return "\n".join(parts)


def _member_names(expected: Expected, slug: str) -> set[str]:
    ids = {m.organisation for m in expected.pact.memberships if m.partnership == slug}
    own_ids = {m.organisation for m in expected.pact.memberships if m.partnership == OWN}
    # organisations that are members of both would legitimately show on the own profile
    return {expected.orgs[i].name for i in ids - own_ids}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_for_every_role_with_crafted_urls(
    run_page: Callable[..., AppTest], page: str, role: str
) -> None:
    at = run_page(page, caller=ROLES[role], lsp=f"{OWN},{OTHER}", p=OTHER)
    assert not at.exception, at.exception


@pytest.mark.parametrize("role", ["public", "coordinator"])
@pytest.mark.parametrize("page", PAGES)
def test_no_page_shows_another_partnerships_members(
    run_page: Callable[..., AppTest], expected: Expected, page: str, role: str
) -> None:
    at = run_page(page, caller=ROLES[role], lsp=OTHER, p=OTHER)
    assert not at.exception, at.exception
    text = _page_text(at)
    leaked = [name for name in _member_names(expected, OTHER) if name in text]
    assert not leaked, leaked[:5]


def test_profile_member_lists_follow_the_role(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    own_names = {
        expected.orgs[m.organisation].name
        for m in expected.pact.memberships
        if m.partnership == OWN
    }
    for caller, slug, allowed in (
        (coordinator(OWN), OWN, True),
        (coordinator(OWN), OTHER, False),
        (PUBLIC, OWN, False),
        (OFFICER, OTHER, True),
        (ADMIN, OWN, True),
    ):
        at = run_page("pages/profile.py", caller=caller, p=slug)
        assert not at.exception, at.exception
        text = _page_text(at)
        restricted = "Member-level detail is available to the partnership's coordinators"
        if allowed:
            assert restricted not in text
            assert any(e.label.startswith("All members") for e in at.expander)
        else:
            assert restricted in text
            assert not any(e.label.startswith("All members") for e in at.expander)
            assert not [n for n in own_names if n in text]


def _metric(at: AppTest, label_start: str) -> str:
    for metric in at.metric:
        if metric.label.startswith(label_start):
            return str(metric.value)
    raise AssertionError(f"no metric {label_start!r}")


def test_overview_of_too_few_organisations_shows_members_but_withholds_outcomes(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    # one partnership in one small country: a handful of members
    params = {"lsp": OWN, "country": "LU", "from": "2021", "to": "2024"}
    filters = expected.filters(partnerships=(OWN,), countries=("LU",), year_from=2021)
    members = expected.members_at(filters, date(2024, 12, 31))
    assert 0 < members < 3, "the case needs a view of one or two organisations"

    public = run_page("pages/overview.py", caller=PUBLIC, **params)
    assert _metric(public, "Member organisations") == f"{members:,}"  # membership is public
    assert _metric(public, "People up/re-skilled") == "suppressed"
    assert any("perturbed" in c.value for c in public.markdown)

    officer = run_page("pages/overview.py", caller=OFFICER, **params)
    assert _metric(officer, "Member organisations") == f"{members:,}"
    assert _metric(officer, "People up/re-skilled") != "suppressed"
    assert not any("perturbed" in c.value for c in officer.markdown)
    mine = run_page("pages/overview.py", caller=coordinator(OWN), **params)
    assert _metric(mine, "People up/re-skilled") == _metric(officer, "People up/re-skilled")


def test_partnerships_table_for_the_public_shows_members_and_withholds_small_outcomes(
    run_page: Callable[..., AppTest], expected: Expected
) -> None:
    params: dict[str, Any] = {"country": "MT,LU", "to": "2024"}
    filters = expected.filters(countries=("MT", "LU"))
    at = run_page("pages/partnerships.py", caller=PUBLIC, **params)
    assert not at.exception, at.exception
    table = at.dataframe[0].value.set_index("short_name")
    counts = expected.members_by(filters, date(2024, 12, 31), "partnership")
    assert any(0 < n < 3 for n in counts.values())
    for name, n in counts.items():
        assert table.loc[name, "members"] == n
    reporters = {
        p.short_name: {r.organisation for r in expected.reports(filters) if r.partnership == slug}
        for slug, p in expected.partnership.items()
    }
    small = [name for name in counts if 0 < len(reporters.get(name, ())) < 3]
    assert small, "the case needs partnerships with one or two reporting organisations"
    for name in small:
        assert math.isnan(table.loc[name, "people_trained"])
    assert any("suppressed" in c.value for c in at.markdown)
