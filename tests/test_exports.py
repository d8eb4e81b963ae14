"""Briefing exports: the XLSX workbook and HTML report hold the numbers the pages show, computed
here independently from the demo rows; the public gets small numbers suppressed, a coordinator
of another partnership is refused, text never becomes a formula, and the HTML fetches nothing.

Each report is made once per module (the demo store is shared by the session).
"""

from __future__ import annotations

import html
import io
import math
import re
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

import pandas as pd
import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from sqlalchemy.engine import Engine
from sqlmodel import Session
from streamlit.testing.v1 import AppTest

from data_access import PUBLIC, AccessDenied, Filters, dataset_state, make_engine
from exports import (
    Report,
    Table,
    gather_pact_report,
    gather_partnership_report,
    html_bytes,
    workbook_bytes,
)
from exports.workbook import HEADER_ROW
from tests.callers import ADMIN, OFFICER, coordinator
from tests.expected import Expected, public_cells, record_keys
from tests.plotly_spec import chart_titled, numbers

NOW = datetime(2026, 1, 15, 9, 30, tzinfo=UTC)
OFFICER_VIEW = Filters(year_from=2022, year_to=2024, ecosystems=("health", "digital"))
PUBLIC_VIEW = Filters(year_from=2020, year_to=2024, countries=("MT", "CY"))
OWN = "automotive"
PARTNERSHIP_VIEW = Filters(year_from=2020, year_to=2024, countries=("DE", "IT", "ES"))
MIN_ORGANISATIONS = 3


# ------------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def store(demo_engine: Engine) -> Iterator[Session]:
    with Session(demo_engine) as session:
        yield session


@pytest.fixture(scope="module")
def reports(store: Session) -> dict[str, Report]:
    return {
        "officer": gather_pact_report(session=store, caller=OFFICER, filters=OFFICER_VIEW, now=NOW),
        "public": gather_pact_report(session=store, caller=PUBLIC, filters=PUBLIC_VIEW, now=NOW),
        "partnership": gather_partnership_report(
            session=store, caller=coordinator(OWN), filters=PARTNERSHIP_VIEW, partnership=OWN,
            now=NOW,
        ),
    }  # fmt: skip


@pytest.fixture(scope="module")
def workbooks(reports: dict[str, Report]) -> dict[str, Workbook]:
    return {name: load_workbook(io.BytesIO(workbook_bytes(r))) for name, r in reports.items()}


@pytest.fixture(scope="module")
def pages(reports: dict[str, Report]) -> dict[str, str]:
    return {name: html_bytes(r).decode("utf-8") for name, r in reports.items()}


def rows(ws: Worksheet) -> list[dict[str, Any]]:
    """A data sheet's records, keyed by the header row."""
    headers = [cell.value for cell in ws[HEADER_ROW]]
    return [
        dict(zip(headers, values, strict=True))
        for values in ws.iter_rows(min_row=HEADER_ROW + 1, values_only=True)
    ]


def summary(wb: Workbook) -> dict[str, tuple[Any, ...]]:
    """The Summary sheet's rows by the label in their first column."""
    out: dict[str, tuple[Any, ...]] = {}
    for values in wb["Summary"].iter_rows(values_only=True):
        if isinstance(values[0], str):
            out.setdefault(values[0], values)
    return out


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


# ------------------------------------------------------------------- the Pact-wide report


def test_pact_workbook_numbers_equal_the_rows(
    workbooks: dict[str, Workbook], expected: Expected
) -> None:
    wb, f = workbooks["officer"], OFFICER_VIEW
    assert wb.sheetnames == ["Summary", "Members by year", "People by year", "Indicators by year"]
    members = rows(wb["Members by year"])
    assert [r["Year"] for r in members] == [2022, 2023, 2024]
    for record in members:
        assert is_number(record["Member organisations"])
        want = expected.members_at(f, date(record["Year"], 12, 31))
        assert record["Member organisations"] == want
    people = rows(wb["People by year"])
    per_year = [expected.people(expected.reports(f.with_years(y, y))) for y in (2022, 2023, 2024)]
    assert [r["People up/re-skilled"] for r in people] == per_year
    assert [r["People up/re-skilled, cumulated"] for r in people] == [
        sum(per_year[: i + 1]) for i in range(3)
    ]
    for record in rows(wb["Indicators by year"]):
        year_rows = expected.reports(f.with_years(record["Year"], record["Year"]))
        assert record["Training programmes"] == sum(r.programmes for r in year_rows)
        assert record["Investment (EUR)"] == pytest.approx(
            sum(r.investment_eur for r in year_rows), abs=0.01
        )
        assert record["Organisations reporting"] == len({r.organisation for r in year_rows})
        assert record["Women (% of recorded)"] == pytest.approx(expected.women_share(year_rows))
        assert all(is_number(v) for k, v in record.items() if k != "Year")

    tiles = summary(wb)
    end, prev = date(2024, 12, 31), date(2023, 12, 31)
    figure = tiles["Member organisations, end 2024"]
    assert figure[1] == expected.members_at(f, end)
    assert figure[2] == expected.members_at(f, end) - expected.members_at(f, prev)
    assert tiles["Partnerships, end 2024"][1] == expected.partnerships_at(f, end)
    assert tiles["Ecosystems covered, end 2024"][1] == expected.ecosystems_at(f, end)
    assert tiles["Countries, end 2024"][1] == expected.countries_at(f, end)
    people_tile = tiles["People up/re-skilled, 2022–2024"]
    assert people_tile[1] == expected.people(expected.reports(f))
    assert people_tile[2] == per_year[-1]
    last = expected.reports(f.with_years(2024, 2024))
    assert tiles["Women among trainees, 2024"][1] == pytest.approx(expected.women_share(last))


def test_pact_workbook_says_what_it_is(
    workbooks: dict[str, Workbook], reports: dict[str, Report], store: Session
) -> None:
    about = summary(workbooks["officer"])
    state = dataset_state(session=store)
    assert about["Made for"][1] == "Commission officer: exact figures"
    assert about["Reporting period"][1] == "2022–2024"
    assert about["Ecosystems"][1] == "Health, Digital"
    assert about["Countries"][1] == "All"
    assert about["Same view in the dashboard"][1] == "/?from=2022&eco=health,digital"
    assert "Demo data" in about["Source"][1]
    assert about["Data as of"][1] == state.as_of
    assert about["Data last changed"][1] == state.last_changed
    assert about["Data version"][1] == state.version
    assert about["Generated"][1] == "2026-01-15 09:30 UTC"
    sheet = workbooks["officer"]["Summary"]
    assert sheet["A2"].value.startswith("Demo data:")
    for name in ("Members by year", "People by year"):
        assert workbooks["officer"][name]["A2"].value.startswith("DEMO DATA")
    assert (
        reports["public"].audience
        == "Public view: reported figures perturbed, cells of few organisations withheld"
    )


def test_public_workbook_shows_members_and_the_public_outcome_figures(
    workbooks: dict[str, Workbook], expected: Expected, demo_engine: Engine
) -> None:
    wb, f = workbooks["public"], PUBLIC_VIEW
    for record in rows(wb["Members by year"]):  # membership is public: exact counts
        assert record["Member organisations"] == expected.members_at(
            f, date(record["Year"], 12, 31)
        )
    cells = public_cells(expected, record_keys(demo_engine), f, "year")
    hidden = 0
    for record in rows(wb["People by year"]):
        cell = cells.get(str(record["Year"]))
        shown = record["People up/re-skilled"]
        if cell is None:
            assert shown == 0
        elif cell.withheld:
            hidden += 1
            assert shown is None and record["Suppressed values in row"] == "suppressed"
        else:
            assert shown == cell.values["people_trained"]
    assert hidden >= 1, "the public view of Malta and Cyprus must withhold some values"
    legend = wb["People by year"]["A4"].value
    assert "perturbed" in legend and str(MIN_ORGANISATIONS) in legend
    tiles = summary(wb)
    assert tiles["Made for"][1].startswith("Public view")


def test_coordinator_pact_report_is_exact_only_for_own_partnerships(
    store: Session, reports: dict[str, Report], expected: Expected
) -> None:
    other = gather_pact_report(session=store, caller=coordinator("tclf"), filters=PUBLIC_VIEW)
    for mine, public in zip(other.charts, reports["public"].charts, strict=True):
        pd.testing.assert_frame_equal(mine.data, public.data)
    assert (
        other.audience
        == "Coordinator of TCLF: reported figures perturbed, cells of few organisations withheld"
    )

    own_view = PUBLIC_VIEW.only_partnership(OWN)
    own = gather_pact_report(session=store, caller=coordinator(OWN), filters=own_view)
    members = own.charts[0].data
    assert "suppressed" not in members.columns
    want = [expected.members_at(own_view, date(int(y), 12, 31)) for y in members["year"]]
    assert members["members"].tolist() == want and 0 < min(v for v in want if v) < 3


def test_public_report_equals_the_overview_page(
    run_page: Callable[..., AppTest], app_database_url: str
) -> None:
    at = run_page("pages/overview.py", caller=PUBLIC, country="MT,CY")
    assert not at.exception
    engine = make_engine(app_database_url)  # the page's own store (and record keys)
    try:
        with Session(engine) as session:
            report = gather_pact_report(
                session=session, caller=PUBLIC, filters=PUBLIC_VIEW, now=NOW
            )
    finally:
        engine.dispose()
    workbooks = {"public": load_workbook(io.BytesIO(workbook_bytes(report)))}
    bars = chart_titled(at, "Member organisations at the end of each year")["data"][0]
    sheet = rows(workbooks["public"]["Members by year"])
    assert [int(y) for y in bars["x"]] == [r["Year"] for r in sheet]
    for plotted, record in zip(numbers(bars["y"]), sheet, strict=True):
        shown = record["Member organisations"]
        assert (math.isnan(plotted) and shown is None) or plotted == shown
    people = chart_titled(at, "People up/re-skilled each year")["data"]
    sheet = rows(workbooks["public"]["People by year"])
    for plotted, record in zip(numbers(people[0]["y"]), sheet, strict=True):
        shown = record["People up/re-skilled"]
        assert (math.isnan(plotted) and shown is None) or plotted == shown
    assert any(e.label == "Report for a briefing" for e in at.expander)
    labels = {b.proto.label for b in at.get("download_button")}
    assert {"Workbook (XLSX)", "Report with charts (HTML)"} <= labels
    assert any("Public view" in c.value for c in at.caption)


# ------------------------------------------------------------------ the partnership report


def test_partnership_workbook_numbers_equal_the_rows(
    workbooks: dict[str, Workbook], expected: Expected
) -> None:
    wb = workbooks["partnership"]
    one = PARTNERSHIP_VIEW.only_partnership(OWN)
    end = date(2024, 12, 31)
    assert wb.sheetnames == [
        "Summary", "Members over time", "People and pledge", "Peers", "Outcomes by year",
        "Outcomes by skill area", "Members", "Not reported 2024",
    ]  # fmt: skip
    for record in rows(wb["Members over time"]):
        want = expected.members_at(one, date(record["Period"], 12, 31))
        assert record["Member organisations"] == want
    for record in rows(wb["Outcomes by year"]):
        year_rows = expected.reports(one.with_years(record["Year"], record["Year"]))
        assert record["People up/re-skilled"] == expected.people(year_rows)
        assert record["Women"] == sum(r.women for r in year_rows)
        assert is_number(record["Investment (EUR)"])
    pledge = rows(wb["People and pledge"])
    assert {r["Annual pledge (people)"] for r in pledge} == {700_000}

    joined = [m for m in expected.memberships(one) if m.joined_on <= end]
    members = rows(wb["Members"])
    assert sorted(r["Organisation"] for r in members) == sorted(
        expected.orgs[m.organisation].name for m in joined
    )
    active = {m.organisation for m in joined if expected._active(m, end)}
    reported = {r.organisation for r in expected.reports(one.with_years(2024, 2024))}
    missing = rows(wb["Not reported 2024"])
    assert {r["Organisation"] for r in missing} == {
        expected.orgs[o].name for o in active - reported
    }
    assert all(isinstance(r["Joined"], datetime) for r in members)

    tiles = summary(wb)
    assert tiles["Members, end 2024"][1] == expected.members_at(one, end)
    assert tiles["People up/re-skilled in 2024"][1] == expected.people(
        expected.reports(one.with_years(2024, 2024))
    )
    assert tiles["Women among trainees"][1] == pytest.approx(
        expected.women_share(expected.reports(one))
    )
    assert tiles["Made for"][1] == "Coordinator of Automotive: exact figures"
    assert tiles["Partnerships"][1] == "Automotive"
    assert tiles["Countries"][1] == "Germany, Italy, Spain"
    assert tiles["Same view in the dashboard"][1] == "/profile?p=automotive&country=DE,IT,ES"


@pytest.mark.parametrize(
    "caller",
    [PUBLIC, coordinator("tclf"), coordinator("tclf", "tourism")],
    ids=["public", "coordinator-of-another", "coordinator-of-two-others"],
)
def test_partnership_report_refused_to_others(store: Session, caller: Any) -> None:
    with pytest.raises(AccessDenied):
        gather_partnership_report(session=store, caller=caller, filters=PARTNERSHIP_VIEW,
                                  partnership=OWN)  # fmt: skip


def test_partnership_report_for_officers_and_admins(store: Session, expected: Expected) -> None:
    one = Filters(year_from=2020, year_to=2023).only_partnership("creative-pact")
    for caller in (OFFICER, ADMIN):
        report = gather_partnership_report(
            session=store, caller=caller, filters=Filters(year_from=2020, year_to=2023),
            partnership="creative-pact",
        )  # fmt: skip
        members = next(t for t in report.tables if t.key == "members_table").data
        assert int(members["active"].sum()) == expected.members_at(one, date(2023, 12, 31)) == 102
        # Members that opted out of the public directory are in, marked.
        unlisted = {
            expected.orgs[m.organisation].name
            for m in expected.memberships(one)
            if m.joined_on <= date(2023, 12, 31) and not expected.orgs[m.organisation].listed
        }
        assert unlisted
        sheet = rows(load_workbook(io.BytesIO(workbook_bytes(report)))["Members"])
        assert {r["Organisation"] for r in sheet if r["Listed publicly"] is False} == unlisted
        assert all(r["Listed publicly"] in (True, False) for r in sheet)
        page = html_bytes(report).decode("utf-8")
        assert "Listed publicly" in page


def test_profile_offers_the_report_only_to_who_may_see_members(
    run_page: Callable[..., AppTest], workbooks: dict[str, Workbook]
) -> None:
    other = run_page("pages/profile.py", caller=coordinator("tclf"), p=OWN)
    assert not other.exception
    assert not [b for b in other.get("download_button") if "report" in b.proto.id]
    assert not any(e.label == "Report for a briefing" for e in other.expander)

    own = run_page("pages/profile.py", caller=coordinator(OWN), p=OWN, country="DE,IT,ES")
    assert not own.exception
    labels = {b.proto.label for b in own.get("download_button") if "report" in b.proto.id}
    assert labels == {"Workbook (XLSX)", "Report with charts (HTML)"}
    growth = chart_titled(own, "Members at the end of each period")["data"][1]
    sheet = rows(workbooks["partnership"]["Members over time"])
    assert numbers(growth["y"]) == [r["Member organisations"] for r in sheet]


# ------------------------------------------------------------------- safe text, offline HTML

HOSTILE = [
    '=HYPERLINK("http://192.0.2.1/","click")',
    "+SUM(1,2)",
    "-2+3",
    "@SUM(A1)",
    "\t=1+1",
    "#N/A",
    "<script>alert(1)</script>",
]


@pytest.fixture(scope="module")
def hostile(reports: dict[str, Report]) -> Report:
    names = pd.DataFrame({"organisation": HOSTILE, "members": range(len(HOSTILE))})
    table = Table(key="names", sheet="=Names", title="=cmd|' /C calc'!A0", data=names)
    return replace(reports["partnership"], tables=(table,))


def test_text_cells_are_never_formulas(hostile: Report) -> None:
    data = workbook_bytes(hostile)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        assert sheets and not any(b"<f>" in archive.read(n) or b"<f " in archive.read(n)
                                  for n in sheets)  # fmt: skip
    wb = load_workbook(io.BytesIO(data))
    ws = wb[next(n for n in wb.sheetnames if "Names" in n)]
    assert ws["A1"].value == "=cmd|' /C calc'!A0" and ws["A1"].data_type == "s"
    cells = [row[0] for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert [c.value for c in cells] == HOSTILE
    for cell in cells:
        assert cell.data_type == "s"
        if cell.value[0] in "=+-@\t":
            assert cell.quotePrefix
    counts = [row[1].value for row in ws.iter_rows(min_row=HEADER_ROW + 1)]
    assert counts == list(range(len(HOSTILE))) and all(is_number(v) for v in counts)


def test_html_escapes_text_from_the_data(hostile: Report) -> None:
    page = html_bytes(hostile).decode("utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


EXTERNAL = re.compile(r"""(?:src|href|action)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
LIBRARY = re.compile(r"<script>/\*\*\s*\* plotly\.js v[\d.]+.*?</script>", re.DOTALL)


@pytest.mark.parametrize("name", ["officer", "public", "partnership"])
def test_html_report_is_self_contained(
    pages: dict[str, str], reports: dict[str, Report], name: str
) -> None:
    page = pages[name]
    report = reports[name]
    # the report's own markup, without the inlined library (whose strings name map servers
    # it never contacts for these charts: tests/browser/test_export_html.py checks requests)
    own, found = LIBRARY.subn("<script></script>", page)
    assert found == 1, "Plotly's library is inlined once"
    assert not EXTERNAL.search(own), "no element may point at another host"
    assert not re.search(r"<link\b|<img\b|<iframe\b|<object\b|<embed\b|@import|url\(", own)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', own)
    assert policy and html.unescape(policy.group(1)).startswith("default-src 'none';")
    assert "mathjax" not in own.lower().replace("mathjaxconfig", "")
    assert own.count("Plotly.newPlot(") == sum(not c.data.empty for c in report.charts)
    assert "Demo data: these figures are synthetic" in page
    assert f"<dt>Data version</dt><dd>{report.state.version}</dd>" in page
    assert f"<dt>Made for</dt><dd>{report.audience}</dd>" in page
    assert "<dt>Generated</dt><dd>2026-01-15 09:30 UTC</dd>" in page


def test_public_html_marks_hidden_values(pages: dict[str, str]) -> None:
    page = pages["public"]
    assert '<td class="hidden">suppressed</td>' in page
    assert "rest on fewer than 3 organisations" in page
