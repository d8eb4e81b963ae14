"""Crafted links, files and stored values reach the page as text, never as Markdown.

Every notice a page shows about a link goes through ui.plain: what it quotes is escaped, so
no link, image or HTML can come out of it. Each case fails if the value reaches the page raw.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.callers import ADMIN
from tests.markdown_text import as_read
from tests.plotly_spec import open_data_tables
from ui.plain import plain
from ui.profile_picker import partnership_summary

LINK = "[Click here to log in](https://evil.example/login)"
IMAGE = "![t](http://evil.example/p.png)"
_ESCAPES = re.compile(r"\\[!-/:-@\[-`{-~]")
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation in `markdown` that Markdown could read as syntax (a notice's own
    bold lead aside)."""
    return _PUNCTUATION.findall(_ESCAPES.sub("", markdown).replace("**", ""))


def assert_quoted_as_text(notices: list[str], crafted: str) -> None:
    """Some notice quotes (the start of) `crafted`, and no notice holds Markdown syntax."""
    assert notices, "the crafted link gives a notice"
    for notice in notices:
        assert unescaped_punctuation(notice) == [], notice
    assert any(crafted[:30] in as_read(n) for n in notices), notices


CASES = [
    ("pages/profile.py", {"p": LINK}),
    ("pages/profile.py", {"p": IMAGE}),
    ("pages/overview.py", {LINK: "1"}),
    ("pages/overview.py", {"eco": LINK}),
    ("pages/overview.py", {"lsp": IMAGE}),
    ("pages/overview.py", {"type": '<img src="http://evil.example/p.png">'}),
    ("pages/overview.py", {"from": "[x](javascript:alert(1))"}),
    ("pages/growth.py", {"by": LINK}),
    ("pages/growth.py", {"period": IMAGE}),
    ("pages/gender.py", {"lines": "<a href='https://evil.example'>x</a>", "chart": "trend"}),
    ("pages/gender.py", {"chart": "[x](https://evil.example)"}),
    ("pages/map.py", {"view": "[x](javascript:alert(1))"}),
    ("pages/skills.py", {"country": "<https://evil.example>"}),
]


@pytest.mark.parametrize(("page", "params"), CASES)
def test_crafted_link_values_and_names_are_quoted_as_text(
    run_page: Callable[..., AppTest], page: str, params: dict[str, str]
) -> None:
    at = run_page(page, **params)
    assert not at.exception, at.exception
    (name, value), *_ = params.items()
    crafted = name if value == "1" else value
    if name == "from":  # a bad year is named, not quoted
        crafted = "'from' must be a year"
    assert_quoted_as_text([w.value for w in at.warning], crafted)


def test_profile_summary_shows_stored_values_as_text() -> None:
    info = pd.Series(
        {
            "kind": "regional",
            "ecosystem": '<img src="http://evil.example/e.png">',
            "launch_date": date(2021, 3, 1),
            "pledge_text": f"{LINK} {IMAGE}\n\n# big",
            "target_women_share": float("nan"),
            "website": "javascript:alert(1)",
        }
    )
    text = partnership_summary(info)
    assert plain(f"{LINK} {IMAGE}\n\n# big") in text
    assert plain('<img src="http://evil.example/e.png">') in text
    assert "](" not in _ESCAPES.sub("", text)
    assert "Website" not in text


@pytest.mark.parametrize(
    ("website", "linked"),
    [
        ("https://partnership.example/", True),
        ("http://partnership.example/a?b=1", True),
        ("javascript:alert(1)", False),
        ("https://partnership.example/)![i](http://evil.example/i.png", False),
        ("//evil.example/", False),
    ],
)
def test_profile_links_only_plain_web_addresses(website: str, linked: bool) -> None:
    info = pd.Series(
        {
            "kind": "sectoral",
            "ecosystem": "Health",
            "launch_date": date(2021, 3, 1),
            "pledge_text": None,
            "target_women_share": 0.5,
            "website": website,
        }
    )
    text = partnership_summary(info)
    if linked:
        assert f"[Website](<{website}>)" in text
    else:
        assert "Website" not in text
    assert "Pledge: none published." in as_read(text)


def test_admin_notice_quotes_a_typed_address_as_text(run_page: Callable[..., AppTest]) -> None:
    at = run_page("pages/admin.py", caller=ADMIN)
    at.text_input(key="admin_email").input(LINK)
    at.selectbox(key="admin_role").select("officer")
    at.button(key="admin_grant").click().run()
    assert not at.exception, at.exception
    assert_quoted_as_text([e.value for e in at.error], LINK)


def _upload_notices() -> None:
    """A file whose name and cells are crafted: its problems and its preview notes."""
    from dataclasses import dataclass

    from data_access.upload_rows import CheckedUpload, Problem, UploadKind
    from ui import upload_panel

    name = "[Click here to log in](https://evil.example/login).csv"
    unreadable = CheckedUpload(
        kind=UploadKind.MEMBERS, file_name=name, sha256="0" * 64, lines=0, rows=(),
        problems=(Problem(line=0, column="", value="", reason="cell ![t](http://evil.example/p.png)"),),
    )  # fmt: skip
    upload_panel.show_problems(unreadable)
    bad_lines = CheckedUpload(
        kind=UploadKind.MEMBERS, file_name=name, sha256="0" * 64, lines=2, rows=(),
        problems=(Problem(line=2, column="country", value="<b>x</b>", reason="unknown"),),
    )  # fmt: skip
    upload_panel.show_problems(bad_lines)

    @dataclass(frozen=True)
    class Preview:
        new: int = 1
        replacing: int = 0
        unchanged: int = 0
        notes: tuple[str, ...] = ("organisation <img src=http://evil.example/o.png> is new",)
        lines: tuple[object, ...] = ()
        more_lines: int = 0

    ok = CheckedUpload(
        kind=UploadKind.MEMBERS, file_name=name, sha256="0" * 64, lines=1, rows=(), problems=()
    )
    upload_panel.show_preview(upload_panel.Checked(upload=ok, preview=Preview(), version=1))  # type: ignore[arg-type]


def test_upload_notices_quote_file_names_and_cells_as_text() -> None:
    at = AppTest.from_function(_upload_notices, default_timeout=30).run()
    assert not at.exception, at.exception
    errors = [e.value for e in at.error]
    assert len(errors) == 2
    assert_quoted_as_text(errors, LINK)
    assert any("![t](http://evil.example/p.png)" in as_read(e) for e in errors)
    assert_quoted_as_text([s.value for s in at.success], LINK)
    assert_quoted_as_text([w.value for w in at.warning], "organisation <img")


def _chart_with_crafted_names() -> None:
    """A chart whose title, summary, groups and source come from stored values."""
    import pandas as pd
    import plotly.graph_objects as go

    from data_access import DatasetState
    from ui.charts import show_chart

    evil = "[Click here to log in](https://evil.example/login)"
    frame = pd.DataFrame({"group": [evil, "![t](http://evil.example/p.png)"], "members": [3, 4]})
    figure = go.Figure(
        go.Bar(x=frame["group"], y=frame["members"]),
        layout={"title": {"text": f"Members of {evil}"}},
    )
    state = DatasetState(source=f"Store {evil}", as_of="2024-12-31", last_changed="", version=1)
    show_chart(
        figure, key="crafted", data=frame, state=state, alt="Bars", summary=f"{evil} has most."
    )


def test_chart_texts_and_table_cells_show_stored_names_as_text() -> None:
    at = AppTest.from_function(_chart_with_crafted_names, default_timeout=30).run()
    at = open_data_tables(at)
    assert not at.exception, at.exception
    shown = [m.value for m in at.markdown] + [c.value for c in at.caption]
    shown += [e.label for e in at.expander]
    shown += [str(cell) for cell in at.table[0].value.to_numpy().ravel()]
    for text in shown:
        assert unescaped_punctuation(text) == [], text
    assert any(LINK in as_read(t) for t in shown)
    assert any(IMAGE in as_read(t) for t in shown)


def test_stage_markup_stays_one_html_block() -> None:
    """A blank line in a stored value would end the HTML block and let Markdown read the rest."""
    from ui.present_stage import html_block

    markup = '<div class="pact-deck">\n<p>a\n\n[x](https://evil.example)</p>\n \n<p>b</p></div>'
    block = html_block(markup)
    assert not re.search(r"\n\s*\n", block)
    assert re.sub(r"\s", "", block) == re.sub(r"\s", "", markup)
