"""ui.plain: values from links, files and the store reach Markdown as text only."""

from __future__ import annotations

import re

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from tests.markdown_text import as_read
from ui.plain import WORD_JOINER, plain, plain_table

J = WORD_JOINER
# What is left once every backslash escape is taken out must hold no ASCII punctuation:
# nothing Markdown could read as syntax.
_ESCAPES = re.compile(r"\\[!-/:-@\[-`{-~]")
_PUNCTUATION = re.compile(r"[!-/:-@\[-`{-~]")


def unescaped_punctuation(markdown: str) -> list[str]:
    """ASCII punctuation in `markdown` that is not escaped."""
    return _PUNCTUATION.findall(_ESCAPES.sub("", markdown))


def unescaped(markdown: str) -> str:
    """`markdown` with its backslash escapes read (word joiners kept)."""
    return _ESCAPES.sub(lambda match: match.group(0)[1], markdown)


def test_markdown_link_is_text() -> None:
    shown = plain("[Click here to log in](https://evil.example/login)")
    assert unescaped_punctuation(shown) == []
    assert unescaped(shown) == f"[Click here to log in](https:{J}//evil.example/login)"
    assert shown.startswith(r"\[Click here to log in\]\(https\:")


def test_image_is_text() -> None:
    shown = plain("![t](http://evil.example/p.png)")
    assert unescaped_punctuation(shown) == []
    assert shown.startswith(r"\!\[t\]\(http\:")
    assert unescaped(shown) == f"![t](http:{J}//evil.example/p.png)"


def test_autolink_and_bare_addresses_are_broken() -> None:
    shown = plain("<http://evil.example> www.evil.example WWW.x.example me@evil.example")
    assert unescaped_punctuation(shown) == []
    assert unescaped(shown) == (
        f"<http:{J}//evil.example> www{J}.evil.example WWW{J}.x.example me@{J}evil.example"
    )


def test_raw_html_is_text() -> None:
    shown = plain(
        '<img src="http://evil.example/x.png"><a href="//evil.example">a</a><script>x</script>'
    )
    assert "<" not in shown.replace("\\<", "")
    assert ">" not in shown.replace("\\>", "")
    assert (
        as_read(shown)
        == '<img src="http://evil.example/x.png"><a href="//evil.example">a</a><script>x</script>'
    )


def test_javascript_link_is_text() -> None:
    shown = plain("[x](javascript:alert(1))")
    assert shown == rf"\[x\]\(javascript\:{J}alert\(1\)\)"


def test_backslashes_and_backticks() -> None:
    assert plain(r"a\b \\ `code` ``x``") == r"a\\b \\\\ \`code\` \`\`x\`\`"


def test_heading_table_list_and_quote_stay_on_one_line() -> None:
    shown = plain("# Heading\n| a | b |\n|---|---|\n> quote\n\n    code\n- item")
    assert "\n" not in shown
    assert shown.startswith(r"\# Heading \| a \| b \|")
    assert as_read(shown) == "# Heading | a | b | |---|---| > quote code - item"


def test_icons_emoji_colours_and_formulas_are_text() -> None:
    shown = plain(":material/lock: :smile: :red[x] $x$ &amp;")
    assert unescaped_punctuation(shown) == []
    assert unescaped(shown) == f":{J}material/lock:{J} :{J}smile:{J} :{J}red[x] $x$ &amp;"


def test_plain_text_is_unchanged() -> None:
    assert plain("Unknown parameter ignored") == "Unknown parameter ignored"
    assert plain(2024) == "2024"


@given(st.text())
def test_any_text_reads_back_and_has_no_markdown(text: str) -> None:
    shown = plain(text)
    assert unescaped_punctuation(shown) == []
    assert "\n" not in shown and "\r" not in shown
    assert as_read(shown) == " ".join(text.split())


def test_table_cells_and_headers_are_text() -> None:
    frame = pd.DataFrame(
        {"[h](http://e.example)": ["![i](http://e.example/i.png)", None], "n": [1, 2]}
    )
    shown = plain_table(frame)
    assert list(shown.columns) == [plain("[h](http://e.example)"), "n"]
    assert shown.iloc[0, 0] == plain("![i](http://e.example/i.png)")
    assert pd.isna(shown.iloc[1, 0])
    assert shown["n"].tolist() == [1, 2]
