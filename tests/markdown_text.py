"""Reading back what a reader sees from the Markdown a page sends (for assertions on notices)."""

from __future__ import annotations

import re

from ui.plain import WORD_JOINER

_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def as_read(markdown: str) -> str:
    """The text Markdown made by ui.plain.plain shows: escapes and word joiners removed."""
    return _ESCAPED.sub(r"\1", markdown).replace(WORD_JOINER, "")
