"""Browser tier, a whole reporting round in Chromium, each role signed in through a real OpenID
Connect provider (tests/browser/js/oidc_provider.mjs, as in test_sign_in.py):

1. an officer opens the round; 2. a coordinator loads a file and submits; 3. the officer
returns it with a reason, and the coordinator reads the reason; 4. the coordinator loads a
corrected file and submits again; 5. the officer approves; 6. a load into the locked period
is refused; 7. the public Overview shows the approved year, without the provisional mark,
with the published figure computed here from the file's rows.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlmodel import Session, select

from data_access import Filters, make_engine
from data_access.models import Partnership, RoleGrant
from fixtures.demo import DemoReport, build_demo_pact
from tests.browser.conftest import SCREENSHOTS, _free_port, _require_chromium
from tests.browser.test_sign_in import (
    JS,
    PROVIDER_SCRIPT,
    WAIT_MS,
    _back_at,
    _dashboard,
    _keep_local,
    _require_node,
    _running,
    _settle,
)
from tests.browser.test_upload import report_rows
from tests.expected import Expected, public_cells, record_keys
from tests.test_roles import isolated_store
from tests.upload_files import european_csv

pytestmark = pytest.mark.browser

OFFICER, COORDINATOR = "officer@example.org", "coordinator@example.org"
YEAR = 2025  # after every demo report: the year's figures are the files' alone
REASON = "Two members report more women than trainees; please check them."


@dataclass(frozen=True)
class RoundSetup:
    """The running dashboard and provider, the store, and the partnership of the round."""

    app_url: str
    provider_url: str
    database_url: str
    slug: str
    short_name: str


@pytest.fixture(scope="module")
def round_setup(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RoundSetup]:
    """Provider and dashboard on loopback, on a demo store where officer@ is an officer and
    coordinator@ coordinates the partnership the file is about."""
    _require_chromium()
    node = _require_node()
    work = tmp_path_factory.mktemp("round")
    slug = report_rows()[0]
    app_port, provider_port = _free_port(), _free_port()
    app_url, provider_url = f"http://127.0.0.1:{app_port}", f"http://127.0.0.1:{provider_port}"
    client_id, client_secret = "pact-dashboard", secrets.token_urlsafe(24)
    secrets_file = work / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{app_url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_hex(32)}"\n'
        f'client_id = "{client_id}"\n'
        f'client_secret = "{client_secret}"\n'
        f'server_metadata_url = "{provider_url}/.well-known/openid-configuration"\n'
        'client_kwargs = { prompt = "login" }\n'
    )
    with isolated_store(work) as database_url:
        engine = make_engine(database_url)
        with Session(engine) as session:
            partnership = session.exec(select(Partnership).where(Partnership.slug == slug)).one()
            session.add(
                RoleGrant(email=COORDINATOR, role="coordinator", partnership_id=partnership.id)
            )
            session.add(RoleGrant(email=OFFICER, role="officer"))
            short_name = partnership.short_name
            session.commit()
        engine.dispose()
        provider_env = {
            **os.environ,
            "OIDC_PORT": str(provider_port),
            "OIDC_CLIENT_ID": client_id,
            "OIDC_CLIENT_SECRET": client_secret,
            "OIDC_REDIRECT_URI": f"{app_url}/oauth2callback",
        }
        with (
            _running(
                [node, str(PROVIDER_SCRIPT)],
                cwd=JS,
                env=provider_env,
                log=work / "provider.log",
                ready_url=f"{provider_url}/.well-known/openid-configuration",
            ),
            _dashboard(
                app_port,
                secrets_file=secrets_file,
                env={"DATABASE_URL": database_url, "PACT_LOCAL_MODE": "off"},
                log=work / "streamlit.log",
            ),
        ):
            yield RoundSetup(app_url, provider_url, database_url, slug, short_name)


def signed_in(browser: Any, setup: RoundSetup, email: str) -> tuple[Any, Any]:
    """A browser context and page signed in as `email` through the provider's login form."""
    context = browser.new_context(viewport={"width": 1440, "height": 1100})
    context.route("**/*", _keep_local)
    page = context.new_page()
    page.goto(setup.app_url, wait_until="domcontentloaded")
    _settle(page)
    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{setup.provider_url}/interaction/**", timeout=30_000)
    page.fill('input[name="login"]', email)
    page.fill('input[name="password"]', "any password")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(_back_at(setup.app_url), timeout=30_000)
    _settle(page)
    page.get_by_test_id("stSidebar").get_by_text(f"Signed in as {email}").wait_for(timeout=WAIT_MS)
    return context, page


def visit(page: Any, setup: RoundSetup, path: str) -> None:
    page.goto(f"{setup.app_url}/{path}", wait_until="domcontentloaded")
    _settle(page)


def outcome_file(tmp_path: Path, name: str, women_extra: int) -> tuple[Path, list[dict[str, Any]]]:
    """The partnership's outcome file for the year (three members), women raised by extra."""
    _, rows, _ = report_rows()
    rows = [{**row, "year": YEAR, "women": row["women"] + women_extra} for row in rows]
    path = tmp_path / name
    path.write_bytes(european_csv(rows, encoding="utf-8-sig"))
    return path, rows


def load(page: Any, setup: RoundSetup, path: Path, *, refused: bool = False) -> None:
    """Load an outcome file on the Data page (or see it refused)."""
    visit(page, setup, "data")
    page.locator('[data-testid="stRadio"]').get_by_text(
        "Outcome reports (what members delivered)"
    ).click()
    _settle(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(path))
    if refused:
        page.get_by_text(re.compile("are locked")).first.wait_for(timeout=WAIT_MS)
        return
    page.get_by_text("passed the checks").wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name=re.compile(r"Load 3 row")).click()
    page.get_by_text(re.compile(r"Loaded as batch \d+")).wait_for(timeout=WAIT_MS)


def submit(page: Any, setup: RoundSetup) -> None:
    visit(page, setup, "data")
    page.get_by_role("button", name="Submit for review").click()
    page.get_by_text(re.compile(rf"Submitted for review\W+{setup.slug}")).wait_for(timeout=WAIT_MS)


def decide(page: Any, setup: RoundSetup, button: str, reason: str = "") -> None:
    """On the Rounds page: pick the partnership, give a reason, press the decision's button."""
    visit(page, setup, "rounds")
    main = page.get_by_test_id("stMain")
    picker = main.get_by_test_id("stSelectbox").filter(has_text=re.compile(r"^Partnership"))
    option = page.get_by_role("option", name=re.compile(rf"^{re.escape(setup.short_name)}: "))
    for attempt in range(4):  # the list may be redrawn under the pointer by a rerun: again
        if not option.count():
            picker.click()
            page.keyboard.type(setup.short_name)
        try:
            option.click(timeout=8_000)
            break
        except PlaywrightTimeout:
            if attempt == 3:
                raise
            page.keyboard.press("Escape")
            page.wait_for_timeout(1_000)
    _settle(page)
    if reason:
        box = page.get_by_label("Reason (required to return or reopen)")
        box.fill(reason)
        box.blur()
        _settle(page)
    page.get_by_role("button", name=button, exact=True).click()
    done = re.compile(rf"{button.split()[0]}\w*( for correction)?\W+{setup.slug}")
    page.get_by_text(done).first.wait_for(timeout=WAIT_MS)


def published_people(setup: RoundSetup, rows: list[dict[str, Any]]) -> int:
    """The public figure of the year's people up/re-skilled: the rows perturbed as published."""
    pact = build_demo_pact()
    by_name = {(o.name, o.country_code): o.key for o in pact.organisations}
    reports = [
        DemoReport(
            partnership=setup.slug,
            organisation=by_name[(r["organisation"], r["country"])],
            year=YEAR,
            skill_area=r["skill_area"],
            women=r["women"],
            men=r["men"],
            other_gender=r["other_gender"],
            not_recorded=r["not_recorded"],
            programmes=r["programmes"],
            investment_eur=r["investment_eur"],
            people_reached=r["people_reached"],
        )
        for r in rows
    ]
    engine = make_engine(setup.database_url)
    keys = record_keys(engine)
    engine.dispose()
    filters = Filters(year_from=YEAR, year_to=YEAR, partnerships=(setup.slug,))
    cells = public_cells(Expected(replace(pact, reports=reports)), keys, filters, None)
    value = cells[""].values["people_trained"]
    assert value is not None
    return int(value)


def test_a_whole_round(round_setup: RoundSetup, browser: Any, tmp_path: Path) -> None:
    setup = round_setup
    officer_context, officer = signed_in(browser, setup, OFFICER)
    coordinator_context, coordinator = signed_in(browser, setup, COORDINATOR)
    public_context = browser.new_context(viewport={"width": 1440, "height": 1100})
    public_context.route("**/*", _keep_local)
    public = public_context.new_page()
    try:
        # 1. The officer opens the round.
        visit(officer, setup, "rounds")
        officer.get_by_text("Open a round").click()
        officer.get_by_label("Name", exact=True).fill(f"Annual survey {YEAR}")
        year = officer.get_by_label("Year", exact=True).and_(
            officer.get_by_test_id("stNumberInputField")
        )
        year.fill(str(YEAR))
        year.press("Enter")
        _settle(officer)
        officer.get_by_role("button", name="Open round").click()
        officer.get_by_text(re.compile(r"Round opened\W+Annual survey")).wait_for(timeout=WAIT_MS)

        # 2. The coordinator loads a file and submits.
        first, _ = outcome_file(tmp_path, "first.csv", 0)
        load(coordinator, setup, first)
        submit(coordinator, setup)

        # 3. The officer returns it with a reason; the coordinator reads it.
        decide(officer, setup, "Return for correction", REASON)
        visit(coordinator, setup, "data")
        coordinator.get_by_text("Returned for correction").first.wait_for(timeout=WAIT_MS)
        assert REASON.split(";")[0] in coordinator.locator('[data-testid="stMain"]').inner_text()

        # 4. The coordinator fixes it and submits again.
        fixed, rows = outcome_file(tmp_path, "fixed.csv", 7)
        load(coordinator, setup, fixed)
        submit(coordinator, setup)

        # Before approval the public sees nothing of the year; the officer sees it provisional.
        visit(officer, setup, f"overview?lsp={setup.slug}&from={YEAR}&to={YEAR}")
        assert "(provisional)" in officer.locator('[data-testid="stMain"]').inner_text()

        # 5. The officer approves.
        decide(officer, setup, "Approve")

        # 6. A load into the locked period is refused.
        again, _ = outcome_file(tmp_path, "again.csv", 11)
        load(coordinator, setup, again, refused=True)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        coordinator.screenshot(path=str(SCREENSHOTS / "round-locked.png"), full_page=True)

        # 7. The public Overview shows the approved year without the provisional mark.
        visit(public, setup, f"overview?lsp={setup.slug}&from={YEAR}&to={YEAR}")
        main = public.locator('[data-testid="stMain"]')
        tile = main.locator('[data-testid="stMetric"]', has_text="People up/re-skilled").first
        value = tile.locator('[data-testid="stMetricValue"]').inner_text().strip()
        assert value == f"{published_people(setup, rows):,}"
        assert "provisional" not in main.inner_text().lower()
        public.screenshot(path=str(SCREENSHOTS / "round-public-overview.png"), full_page=True)
    except BaseException:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name, shown in (("officer", officer), ("coordinator", coordinator), ("public", public)):
            shown.screenshot(path=str(SCREENSHOTS / f"round-failed-{name}.png"), full_page=True)
        raise
    finally:
        for context in (officer_context, coordinator_context, public_context):
            context.close()
