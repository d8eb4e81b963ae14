"""Values from a link, a file or the store shown as text wherever Streamlit renders Markdown.

Notices, captions, headers, widget labels, help texts and st.table cells all go through
Streamlit's Markdown, which turns `[text](address)` into a link, `![t](address)` into an image
the browser fetches, bare addresses into links and `:material/...:` into icons. `plain` makes
any value read as the same text; `notice` is how every page shows a notice.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import pandas as pd
import streamlit as st

# Every ASCII punctuation character can be escaped with a backslash in CommonMark.
_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"\s+")
# Invisible, zero-width and not a word character. Streamlit turns `https://…`, `www.…` and
# `name@host.tld` into links, and `:name:` into emoji or icons, even from escaped
# characters (it looks at the text after escapes are read), so such sequences are broken
# with it: after every colon and "@", and between "www" and its dot.
WORD_JOINER = "\u2060"
_BREAKS = (
    (re.compile(r"\\([:@])"), rf"\\\1{WORD_JOINER}"),
    (re.compile(r"(www)(\\\.)", re.IGNORECASE), rf"\1{WORD_JOINER}\2"),
)

NoticeKind = Literal["info", "success", "warning", "error"]
_SHOW = {"info": st.info, "success": st.success, "warning": st.warning, "error": st.error}


def plain(value: object) -> str:
    """Markdown that shows `value` as the same text (on one line): no link, image, HTML,
    emphasis, heading, table, code, icon or formula can come out of it."""
    return _plain_text(str(value))


@lru_cache(maxsize=16_384)
def _plain_text(value: str) -> str:
    """plain() of a string (labels and formatted numbers repeat across tables and reruns)."""
    text = _WHITESPACE.sub(" ", value).strip()
    text = _PUNCTUATION.sub(r"\\\1", text)
    for pattern, replacement in _BREAKS:
        text = pattern.sub(replacement, text)
    return text


def notice(
    kind: NoticeKind, text: str, *, lead: str | None = None, icon: str | None = None
) -> None:
    """Show a notice whose text (and bold `lead`, when given) is shown as text, never as
    Markdown: every notice that can quote a link, a file or the store goes through here."""
    body = plain(text)
    if lead is not None:
        body = f"**{plain(lead)}**" + ("" if text.startswith((":", ",", ".")) else " ") + body
    _SHOW[kind](body, icon=icon)


def plain_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame for st.table, whose cells and headers are Markdown: every one as text."""
    columns: dict[str, object] = {}
    for name in frame.columns:
        column = frame[name]
        if column.dtype.kind in "biufcmM":  # numbers and dates: nothing Markdown could read
            columns[plain(name)] = column
        else:
            escaped = [_plain_text(v) if isinstance(v, str) else v for v in column.tolist()]
            columns[plain(name)] = pd.Series(escaped, index=frame.index, dtype=object)
    return pd.DataFrame(columns, index=frame.index, copy=False)
