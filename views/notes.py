"""The sentences every view may carry: the demo-data notice and what public views say about
the protection of members' reported figures (the marker of a withheld cell, the legend, the
link to the method).

The figures themselves are made public in data_access.perturbation; docs/disclosure.md
describes the method, which the dashboard shows at METHOD_PATH.
"""

from __future__ import annotations

from data_access.access import DisclosureRules
from data_access.perturbation import DOMINANCE_SHARE

METHOD_PATH = "/method"
"""The page that explains how public figures are protected (docs/disclosure.md)."""

DEMO_NOTICE = (
    "These figures are synthetic, generated to resemble the public Pact for Skills figures. "
    "They are not real reports of any organisation."
)
"""Said wherever demo data is shown (after "Demo data." in bold on a page)."""

PERTURBED_NOTE = (
    "Public figures of what members reported are slightly perturbed to protect members' "
    "confidentiality"
)
PERTURBED_SENTENCE = f"{PERTURBED_NOTE}: [how figures are protected]({METHOD_PATH})."
"""Under the title of a page showing public figures of what members reported (Markdown)."""

LOCK = "🔒"
"""The mark of a table row with withheld values."""
HIDDEN_COLUMN_HELP = "Suppressed values in this row: too few organisations, or one dominates."


def legend(rules: DisclosureRules) -> str:
    """The sentence under a public table or chart of reported figures: they are perturbed,
    and why some are not shown (plain text; pages add the link to the method)."""
    organisations = "organisation" if rules.min_organisations == 1 else "organisations"
    return (
        f"{PERTURBED_NOTE}. Values marked as suppressed rest on fewer than "
        f"{rules.min_organisations} {organisations}, or one organisation holds more than "
        f"{DOMINANCE_SHARE:.0%} of them."
    )


def chart_legend(rules: DisclosureRules) -> str:
    """The caption under a chart of public reported figures, with the link to the method
    (Markdown)."""
    return f"{legend(rules)} [How figures are protected]({METHOD_PATH})."


def hidden_rows_note(rules: DisclosureRules) -> str:
    """Under a table with withheld values: what the mark means, the legend and the link
    (Markdown)."""
    return (
        f"Rows marked {LOCK} have suppressed values, shown as empty (None). {legend(rules)} "
        f"[How figures are protected]({METHOD_PATH})."
    )
