"""Uploads in the coordinator's language: a template downloaded in German, filled in German
(German headers, skill areas, organisation types, countries, decimal commas) loads exactly;
its problems come back in German; a French file is read too; a header two languages give to
two columns is refused clearly, not guessed; and under the pseudo-locale every message is
pseudo, so a message left unmarked fails.

Every German and French word comes from a catalog, read here through `using(code): _(...)`.
Each test runs twice: with stand-in catalogs (the few words these tests need, installed as a
gettext catalog, so that the reading in other languages is tested whatever the state of the
translations) and with the real catalogs of i18n/locale.
"""

from __future__ import annotations

import csv
import gettext
import io
from collections.abc import Callable, Iterator, Mapping
from datetime import date
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from openpyxl import load_workbook
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

import i18n.core
from data_access import make_engine
from data_access.models import Organisation, OutcomeReport, Partnership
from data_access.reference import ORGANISATION_TYPES, SKILL_AREAS
from data_access.upload_rows import Catalogue, CheckedUpload, UploadKind
from data_access.uploads import catalogue, commit_upload
from fixtures.load_demo import load_demo
from i18n import PSEUDO, _, ngettext, using
from i18n.catalogs import compiled, po_path, pseudo_text, read_catalog
from i18n.numbers import babel_locale
from i18n.tools import extract
from ingest import UploadFileError, check_upload, match_columns, template_csv, template_xlsx
from ingest.cells import NO, YES
from ingest.columns import COLUMNS
from ingest.templates import template_columns
from ingest.translated import vocabulary
from tests.callers import OFFICER
from tests.upload_files import catalogue_for

MEMBERS, OUTCOMES = UploadKind.MEMBERS, UploadKind.OUTCOMES
YEARS = {"first": "2020", "last": "2100"}
SKILL = dict(SKILL_AREAS)  # code -> English name
ORG_TYPE = dict(ORGANISATION_TYPES)

# Stand-in catalogs: only what these tests need. The real words come from the translators.
STAND_IN: Mapping[str, Mapping[str, str]] = {
    "de": {
        "partnership": "Partnerschaft",
        "organisation": "Organisation",
        "country": "Land",
        "organisation_type": "Art der Organisation",
        "size_class": "Größenklasse",
        "nuts_code": "NUTS-Code",
        "joined_on": "Beigetreten am",
        "left_on": "Ausgetreten am",
        "role": "Rolle",
        "listed": "Öffentlich gelistet",
        "year": "Jahr",
        "quarter": "Quartal",
        "skill_area": "Kompetenzbereich",
        "women": "Frauen",
        "men": "Männer",
        "other_gender": "Anderes Geschlecht",
        "not_recorded": "Nicht erfasst",
        "total_people": "Personen insgesamt",
        "programmes": "Programme",
        "investment_eur": "Investition (EUR)",
        "people_reached": "Erreichte Personen",
        "Green": "Grün",
        "Technical / sector-specific": "Technisch / branchenspezifisch",
        "Basic digital": "Digitale Grundkenntnisse",
        "SME": "KMU",
        "Large company": "Großunternehmen",
        "small": "klein",
        "medium": "mittel",
        "member": "Mitglied",
        "co-leader": "Ko-Leitung",
        "yes": "ja",
        "no": "nein",
        "must be a year from {first} to {last}": "muss ein Jahr von {first} bis {last} sein",
        "is not a number (leave the cell empty for 0)": "ist keine Zahl (für 0 leer lassen)",
        "must not be negative": "darf nicht negativ sein",
    },
    "fr": {
        "partnership": "Partenariat",
        "organisation": "Organisation",
        "country": "Pays",
        "year": "Année",
        "quarter": "Trimestre",
        "skill_area": "Domaine de compétences",
        "women": "Femmes",
        "men": "Hommes",
        "programmes": "Programmes",
        "investment_eur": "Investissement (EUR)",
        "people_reached": "Personnes touchées",
        "Green": "Vertes",
    },
}
NO_COLUMN = (
    "The file has no {columns} column (required); the columns found are: {found}.",
    "The file has no {columns} columns (required); the columns found are: {found}.",
)
NO_COLUMN_DE = (
    "Der Datei fehlt die Pflichtspalte {columns}; gefunden wurden: {found}.",
    "Der Datei fehlen die Pflichtspalten {columns}; gefunden wurden: {found}.",
)
# What the tests read in the real catalogs: the German catalog must translate all of it.
NEEDED = (
    *(spec.name for kind in UploadKind for spec in COLUMNS[kind]),
    *(name for name in STAND_IN["de"] if not name.islower() or " " in name),
)


def test_the_german_catalog_translates_every_upload_word() -> None:
    assert _translated_in("de", NEEDED)


def _translated_in(code: str, messages: tuple[str, ...]) -> bool:
    """Whether the language's .po file translates every one of the messages."""
    path = po_path(code)
    if not path.exists():
        return False
    found = read_catalog(path, code)
    return all((message := found.get(text)) is not None and message.string for text in messages)


def _catalog(code: str, words: Mapping[str, str]) -> gettext.GNUTranslations:
    catalog = Catalog(locale=code)
    for english, translation in words.items():
        catalog.add(english, translation)
    if code == "de":
        catalog.add(NO_COLUMN, NO_COLUMN_DE)
    return compiled(catalog)


def _installed(monkeypatch: pytest.MonkeyPatch, replaced: Mapping[str, Any]) -> None:
    """Make the catalogs of some languages the given ones, the others as they are."""
    real: Callable[[str], Any] = i18n.core.translations
    monkeypatch.setattr(i18n.core, "translations", lambda code: replaced.get(code) or real(code))


@pytest.fixture(
    params=[
        "stand-in",
        "catalog",
    ]
)
def catalogs(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The catalogs the test reads: stand-ins for de and fr, or the real ones."""
    if request.param == "stand-in":
        _installed(monkeypatch, {code: _catalog(code, w) for code, w in STAND_IN.items()})
    vocabulary.cache_clear()
    yield request.param
    vocabulary.cache_clear()


@pytest.fixture(scope="module")
def pseudo_catalog() -> gettext.GNUTranslations:
    """The pseudo-locale of every message marked in the source now (not of a template
    extracted earlier)."""
    catalog = Catalog(locale="en")
    for message in extract():
        if isinstance(message.id, tuple | list):
            forms = (pseudo_text(message.id[0]), pseudo_text(message.id[1]))
            catalog.add(message.id, forms, context=message.context)
        elif message.id:
            catalog.add(message.id, pseudo_text(message.id), context=message.context)
    return compiled(catalog)


@pytest.fixture()
def pseudo(monkeypatch: pytest.MonkeyPatch, pseudo_catalog: gettext.GNUTranslations) -> None:
    """Speak the pseudo-locale of the current source."""
    _installed(monkeypatch, {PSEUDO: pseudo_catalog})
    vocabulary.cache_clear()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A demo store of this module's own, for loading the German files."""
    engine = make_engine(f"sqlite:///{tmp_path_factory.mktemp('languages') / 'pact.sqlite3'}")
    load_demo(engine)
    yield engine
    engine.dispose()


def _csv(code: str, rows: list[dict[str, str]]) -> bytes:
    """A ;-separated CSV with the rows' columns as headers in the language."""
    with using(code):
        names = list(rows[0])
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
        writer.writerow([_(name) for name in names])
        writer.writerows([[row[name] for name in names] for row in rows])
    return buffer.getvalue().encode("utf-8-sig")


def _check(code: str, data: bytes, kind: UploadKind, known: Catalogue) -> CheckedUpload:
    with using(code):
        return check_upload(data, f"{kind.value}.csv", kind, known)


def _in(code: str, english: str) -> str:
    with using(code):
        return _(english)


def _country(code: str, iso: str) -> str:
    return str(babel_locale(code).territories[iso])


# The German files: two new organisations, then what they reported.
ORGS = (
    ("Beispiel Fahrzeugbau Akademie {tag} GmbH", "DE", "sme", "small", "member", True),
    ("Exemple Formation Mobilité {tag} SAS", "FR", "large_company", "medium", "co-leader", False),
)
# (organisation index, year, quarter, skill area, women, men, investment as written, as read)
REPORTS = (
    (0, 2024, 0, "green", 120, 380, "25.000,50", 25000.5),
    (0, 2024, 0, "technical", 7, 0, "1.500", 1500.0),  # German: 1.500 is fifteen hundred
    (1, 2025, 2, "basic_digital", 45, 95, "7250,75", 7250.75),
)


def _german_files(code: str, tag: str) -> tuple[bytes, bytes]:
    members = [
        {
            "partnership": "Automotive",
            "organisation": name.format(tag=tag),
            "country": _country(code, country),
            "organisation_type": _in(code, ORG_TYPE[org_type]),
            "size_class": _in(code, size),
            "joined_on": "01.02.2023",
            "role": _in(code, role),
            "listed": _in(code, "yes" if listed else "no"),
        }
        for name, country, org_type, size, role, listed in ORGS
    ]
    outcomes = [
        {
            "partnership": "Automotive",
            "organisation": ORGS[org][0].format(tag=tag),
            "country": _country(code, ORGS[org][1]),
            "year": str(year),
            "quarter": f"Q{quarter}" if quarter else "",
            "skill_area": _in(code, SKILL[skill]),
            "women": str(women),
            "men": str(men),
            "programmes": "1",
            "investment_eur": written,
            "people_reached": "0",
        }
        for org, year, quarter, skill, women, men, written, _read in REPORTS
    ]
    return _csv(code, members), _csv(code, outcomes)


def test_a_german_file_loads_exactly(catalogs: str, store: Engine) -> None:
    tag = catalogs.replace("-", " ").title().replace(" ", "")
    members_file, outcomes_file = _german_files("de", tag)
    with Session(store) as session:
        known = catalogue(session=session, caller=OFFICER)
    members = _check("de", members_file, MEMBERS, known)
    assert members.ok, members.problems
    assert commit_upload(engine=store, caller=OFFICER, upload=members) is not None
    with Session(store) as session:
        known = catalogue(session=session, caller=OFFICER)
    outcomes = _check("de", outcomes_file, OUTCOMES, known)
    assert outcomes.ok, outcomes.problems
    assert commit_upload(engine=store, caller=OFFICER, upload=outcomes) is not None

    names = [name.format(tag=tag) for name, *_rest in ORGS]
    with Session(store) as session:
        stored_orgs = session.exec(select(Organisation).where(Organisation.name.in_(names))).all()
        orgs = {o.name: o for o in stored_orgs}
        reports = session.exec(
            select(OutcomeReport, Partnership.slug)
            .join(Partnership, Partnership.id == OutcomeReport.partnership_id)
            .where(OutcomeReport.organisation_id.in_([o.id for o in stored_orgs]))
        ).all()
    assert {
        (o.name, o.country_code, o.org_type, o.size_class, o.listed) for o in orgs.values()
    } == {
        (name.format(tag=tag), country, org_type, size, listed)
        for name, country, org_type, size, _role, listed in ORGS
    }
    by_id = {o.id: o.name for o in orgs.values()}
    assert sorted(
        (
            slug,
            by_id[r.organisation_id],
            r.year,
            r.quarter,
            r.skill_area,
            r.women,
            r.men,
            r.investment_eur,
        )
        for r, slug in reports
    ) == sorted(
        ("automotive", names[org], year, quarter, skill, women, men, read)
        for org, year, quarter, skill, women, men, _written, read in REPORTS
    )


def _broken_files(code: str) -> tuple[bytes, bytes]:
    """A German outcomes file whose women column has an unknown header, and one with an
    impossible number, a negative one and a year out of range."""
    line = {
        "partnership": "Automotive",
        "organisation": "Fachverband Fahrzeugtechnik Berlin",
        "country": _country(code, "DE"),
        "year": "2024",
        "skill_area": _in(code, "Green"),
        "women": "12",
        "men": "30",
        "programmes": "1",
        "investment_eur": "100,5",
        "people_reached": "0",
    }
    unknown_column = _csv(code, [line]).replace(_in(code, "women").encode(), b"Teilnehmerinnen")
    bad_cells = _csv(code, [{**line, "women": "viele", "men": "-3", "year": "1999"}])
    return unknown_column, bad_cells


def test_a_broken_german_file_is_explained_in_german(catalogs: str) -> None:
    unknown_column, bad_cells = _broken_files("de")
    result = _check("de", unknown_column, OUTCOMES, catalogue_for())
    assert not result.ok and len(result.problems) == 1
    with using("de"):
        found = ", ".join("Teilnehmerinnen" if n == "women" else _(n) for n in _FILE_HEADERS)
        expected = ngettext(*NO_COLUMN, 1).format(columns=_("women"), found=found)
    assert result.problems[0].reason == expected

    result = _check("de", bad_cells, OUTCOMES, catalogue_for())
    with using("de"):
        assert [(p.line, p.column, p.value, p.reason) for p in result.problems] == [
            (2, "year", "1999", _("must be a year from {first} to {last}").format(**YEARS)),
            (2, "women", "viele", _("is not a number (leave the cell empty for 0)")),
            (2, "men", "-3", _("must not be negative")),
        ]


_FILE_HEADERS = (
    "partnership",
    "organisation",
    "country",
    "year",
    "skill_area",
    "women",
    "men",
    "programmes",
    "investment_eur",
    "people_reached",
)


def test_every_upload_message_is_marked_for_translation(pseudo: None) -> None:
    unknown_column, bad_cells = _broken_files(PSEUDO)
    reasons = [
        p.reason
        for data in (unknown_column, bad_cells, b"\x00\x01 binary", b"%PDF-1.4 x")
        for p in _check(PSEUDO, data, OUTCOMES, catalogue_for()).problems
    ]
    nonsense = {
        "partnership": "Nowhere",
        "organisation": "<b>X</b>",
        "country": "Atlantis",
        "organisation_type": "guild",
        "joined_on": "someday",
        "role": "boss",
        "listed": "maybe",
        "size_class": "huge",
    }
    members = _csv(PSEUDO, [nonsense])
    reasons += [p.reason for p in _check(PSEUDO, members, MEMBERS, catalogue_for()).problems]
    # 3 + 1 + 1 + 1 file-level and line problems of outcomes, one per nonsense cell of members
    assert len(reasons) == 6 + len(nonsense), reasons
    for reason in reasons:
        assert reason.startswith("⟦") and reason.endswith("⟧"), reason
    with using(PSEUDO):
        headers = template_csv(MEMBERS).decode("utf-8-sig").splitlines()[0].split(",")
        assert all(h.startswith("⟦") for h in headers), headers
        dictionary = load_workbook(io.BytesIO(template_xlsx(OUTCOMES))).worksheets[1]
        for row in dictionary.iter_rows(max_col=4, values_only=True):
            assert all(str(cell).startswith("⟦") for cell in row), row


def test_a_french_file_is_read(catalogs: str) -> None:
    line = {
        "partnership": "Automotive",
        "organisation": "Réseau Mobilité Provence-Alpes-Côte d'Azur",
        "country": _country("fr", "FR"),
        "year": "2024",
        "skill_area": _in("fr", "Green"),
        "women": "1 204",
        "men": "3",
        "programmes": "2",
        "investment_eur": "1 234,5",
        "people_reached": "10",
    }
    result = _check("fr", _csv("fr", [line]), OUTCOMES, catalogue_for())
    assert result.ok, result.problems
    (row,) = result.rows
    assert (row.country_code, row.year, row.skill_area, row.women, row.investment_eur) == (
        "FR",
        2024,
        "green",
        1204,
        1234.5,
    )


@pytest.mark.parametrize("kind", list(UploadKind))
@pytest.mark.parametrize("file_type", ["csv", "xlsx"])
def test_a_german_template_passes_its_own_checks(
    catalogs: str, kind: UploadKind, file_type: str
) -> None:
    make = template_csv if file_type == "csv" else template_xlsx
    data = make(kind, "de")
    with using("de"):
        result = check_upload(data, f"vorlage.{file_type}", kind, _after_template())
        headers = [_(spec.name) for spec in COLUMNS[kind]]
    assert result.ok, result.problems
    if file_type == "csv":
        header_line = data.decode("utf-8-sig").splitlines()[0]
        assert header_line.split(";") == [_in("de", spec.name) for spec in template_columns(kind)]
    else:
        dictionary = load_workbook(io.BytesIO(data)).worksheets[1]
        rows = list(dictionary.iter_rows(min_row=2, max_col=2, values_only=True))
        assert rows == [
            (name, _in("de", YES if spec.required else NO))
            for name, spec in zip(headers, COLUMNS[kind], strict=True)
        ]
    if kind is OUTCOMES:
        assert [row.investment_eur for row in result.rows] == [25000.5, 7250.0]
    else:
        assert [row.org_type for row in result.rows] == ["sme", "vet_provider"]


def _after_template() -> Catalogue:
    return catalogue_for(
        organisations=[
            ("Example Automotive Academy GmbH", "DE", "sme"),
            ("Exemple Formation Mobilité SAS", "FR", "vet_provider"),
        ],
        memberships=[
            ("automotive", "Example Automotive Academy GmbH", "DE"),
            ("automotive", "Exemple Formation Mobilité SAS", "FR"),
        ],
        today=date(2026, 1, 1),
    )


def test_a_header_two_languages_give_two_columns_is_refused_unless_the_file_says_which(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Made-up catalogs: Dutch calls women what Swedish calls men.
    _installed(
        monkeypatch,
        {
            "nl": _catalog("nl", {"women": "Vrouwen", "year": "Jaar", "men": "Mannen"}),
            "sv": _catalog("sv", {"men": "Vrouwen", "year": "År"}),
        },
    )
    vocabulary.cache_clear()
    try:
        english = ["partnership", "organisation", "country", "year", "skill_area", "men"]
        english += ["programmes", "investment_eur", "people_reached"]
        with pytest.raises(UploadFileError) as refused:
            match_columns([*english, "Vrouwen"], OUTCOMES)
        assert str(refused.value) == (
            "The column 'Vrouwen' may be women or men: it is the header of each in one of the "
            "languages; rename it to the header of the column it holds."
        )
        dutch = [{"year": "Jaar", "men": "Mannen"}.get(h, h) for h in english]
        layout = match_columns([*dutch, "Vrouwen"], OUTCOMES)
        assert layout.languages == frozenset({"nl"})
        assert layout.index["women"] == len(dutch)
        assert layout.index["men"] == dutch.index("Mannen")
    finally:
        vocabulary.cache_clear()


def test_the_language_of_the_headers_settles_how_1_500_is_read(catalogs: str) -> None:
    line = {
        "partnership": "Automotive",
        "organisation": "Fachverband Fahrzeugtechnik Berlin",
        "country": "DE",
        "year": "2024",
        "skill_area": "green",
        "women": "1",
        "men": "1",
        "programmes": "1",
        "investment_eur": "1.500",
        "people_reached": "0",
    }
    for code, expected in (("de", 1500.0), ("en", 1.5)):
        data = _csv(code, [line]).replace(b";", b",")
        result = _check(code, data, OUTCOMES, catalogue_for())
        assert result.ok, result.problems
        assert [row.investment_eur for row in result.rows] == [expected]
