"""The upload templates' example lines and the column dictionary's examples are made up: no
organisation and no figures of the demo store, so a template shows nobody's real data."""

from __future__ import annotations

from collections.abc import Mapping

from data_access.upload_rows import UploadKind, lookup_key
from fixtures.demo import DemoPact
from ingest.columns import COLUMNS
from ingest.templates import Value, template_rows

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
_COUNTS = ("women", "men", "other_gender", "not_recorded", "programmes", "people_reached")


def _counts(row: Mapping[str, Value]) -> tuple[int, ...]:
    return tuple(int(str(row[name] or 0)) for name in _COUNTS)


def test_no_template_line_is_a_demo_store_row(demo_pact: DemoPact) -> None:
    names = {lookup_key(o.name) for o in demo_pact.organisations}
    for kind in UploadKind:
        for row in template_rows(kind):
            assert lookup_key(str(row["organisation"])) not in names, row["organisation"]
    stored = {tuple(getattr(r, name) for name in _COUNTS) for r in demo_pact.reports}
    amounts = {round(r.investment_eur, 2) for r in demo_pact.reports}
    for row in template_rows(OUTCOMES):
        assert _counts(row) not in stored, row
        assert round(float(str(row["investment_eur"])), 2) not in amounts, row


def test_no_column_dictionary_example_comes_from_the_demo_store(demo_pact: DemoPact) -> None:
    names = {lookup_key(o.name) for o in demo_pact.organisations}
    stored = {tuple(getattr(r, name) for name in _COUNTS) for r in demo_pact.reports}
    for kind in UploadKind:
        examples = {spec.name: spec.example for spec in COLUMNS[kind]}
        assert lookup_key(examples["organisation"]) not in names
        if kind is OUTCOMES:
            assert _counts(examples) not in stored
