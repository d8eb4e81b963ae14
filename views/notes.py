"""The sentences every view may carry: the demo-data notice and what public views say about
the protection of members' reported figures (the marker of a withheld cell, the legend, the
link to the method).

The figures themselves are made public in data_access.perturbation; docs/disclosure.md
describes the method, which the dashboard shows at METHOD_PATH. The constants are English
(marked for extraction); the functions of the same names give them in the reader's language.
"""

from __future__ import annotations

from data_access.access import DisclosureRules
from data_access.perturbation import DOMINANCE_SHARE
from i18n import N_, _, ngettext
from i18n.numbers import number, percent

METHOD_PATH = "/method"
"""The page that explains how public figures are protected (docs/disclosure.md)."""

DEMO_NOTICE = N_(
    "These figures are synthetic, generated to resemble the public Pact for Skills figures. "
    "They are not real reports of any organisation."
)
"""Said wherever demo data is shown (after "Demo data." in bold on a page)."""

PERTURBED_NOTE = N_(
    "Public figures of what members reported are slightly perturbed to protect members' "
    "confidentiality"
)
PERTURBED_SENTENCE = N_(
    "Public figures of what members reported are slightly perturbed to protect members' "
    "confidentiality: [how figures are protected](/method)."
)
"""Under the title of a page showing public figures of what members reported (Markdown)."""
assert PERTURBED_SENTENCE.endswith(f"]({METHOD_PATH}).")

LOCK = "🔒"
"""The mark of a table row with withheld values."""
HIDDEN_COLUMN_HELP = N_("Suppressed values in this row: too few organisations, or one dominates.")


def demo_notice() -> str:
    """DEMO_NOTICE in the reader's language."""
    return _(DEMO_NOTICE)


def perturbed_note() -> str:
    """PERTURBED_NOTE (no full stop) in the reader's language."""
    return _(PERTURBED_NOTE)


def perturbed_sentence() -> str:
    """PERTURBED_SENTENCE (Markdown, with the link to the method) in the reader's language."""
    return _(PERTURBED_SENTENCE)


def hidden_column_help() -> str:
    """HIDDEN_COLUMN_HELP in the reader's language."""
    return _(HIDDEN_COLUMN_HELP)


def legend(rules: DisclosureRules) -> str:
    """The sentence under a public table or chart of reported figures: they are perturbed,
    and why some are not shown (plain text; pages add the link to the method)."""
    return ngettext(
        "Public figures of what members reported are slightly perturbed to protect members' "
        "confidentiality. Values marked as suppressed rest on fewer than {count} "
        "organisation, or one organisation holds more than {share} of them.",
        "Public figures of what members reported are slightly perturbed to protect members' "
        "confidentiality. Values marked as suppressed rest on fewer than {count} "
        "organisations, or one organisation holds more than {share} of them.",
        rules.min_organisations,
    ).format(count=number(rules.min_organisations), share=percent(DOMINANCE_SHARE, 0))


def chart_legend(rules: DisclosureRules) -> str:
    """The caption under a chart of public reported figures, with the link to the method
    (Markdown)."""
    # Translators: {legend} is the sentence saying why some values are suppressed.
    return _("{legend} [How figures are protected]({method}).").format(
        legend=legend(rules), method=METHOD_PATH
    )


def hidden_rows_note(rules: DisclosureRules) -> str:
    """Under a table with withheld values: what the mark means, the legend and the link
    (Markdown)."""
    # Translators: {lock} is the padlock mark; {legend} the sentence saying why some values
    # are suppressed.
    return _(
        "Rows marked {lock} have suppressed values, shown as empty (None). {legend} "
        "[How figures are protected]({method})."
    ).format(lock=LOCK, legend=legend(rules), method=METHOD_PATH)
