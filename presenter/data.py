"""The queries behind the slides, always as the public caller.

This is the one module of the presenter that asks the store for figures: whoever is signed
in on the presenting laptop, slides and the audience view show what the public may see
(small numbers suppressed), so nothing member-level reaches a projector by accident.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy.engine import Engine
from sqlmodel import Session

import data_access as store_api
from data_access import DatasetState, FilterOptions, Filters
from data_access.access import PUBLIC
from presenter.deck import Deck

CALLER = PUBLIC


@dataclass(frozen=True)
class DeckData:
    """The public aggregates a deck's slides are drawn from (None: not needed by the deck)."""

    state: DatasetState
    filters: Filters
    indicators: pd.DataFrame
    by_ecosystem: pd.DataFrame | None = None
    by_skill_area: pd.DataFrame | None = None
    countries: pd.DataFrame | None = None
    comparison: pd.DataFrame | None = None
    spotlight: str | None = None
    spotlight_indicators: pd.DataFrame | None = None


def dataset_state(engine: Engine) -> DatasetState:
    """Source, as-of date and version of the data."""
    with Session(engine) as session:
        return store_api.dataset_state(session=session)


def filter_options(engine: Engine) -> FilterOptions:
    """The choices of the global filters (public facts)."""
    with Session(engine) as session:
        return store_api.filter_options(session=session, caller=CALLER)


def deck_data(engine: Engine, deck: Deck) -> DeckData:
    """Run the public queries the deck's slides need."""
    f = deck.filters
    slides = set(deck.slides)
    with Session(engine) as session:
        state = store_api.dataset_state(session=session)
        indicators = store_api.pact_indicators_by_year(session=session, caller=CALLER, filters=f)
        by_ecosystem = by_skill_area = countries = comparison = spot_indicators = None
        spotlight = None
        if "gender" in slides:
            by_ecosystem = store_api.outcome_totals(
                session=session, caller=CALLER, filters=f, by=["ecosystem"]
            )
        if "skills" in slides:
            by_skill_area = store_api.outcome_totals(
                session=session, caller=CALLER, filters=f, by=["skill_area"]
            )
        if "map" in slides:
            countries = store_api.country_summary(session=session, caller=CALLER, filters=f)
        if "spotlight" in slides:
            comparison = store_api.partnership_comparison(session=session, caller=CALLER, filters=f)
            spotlight = choose_spotlight(comparison, deck.spotlight)
            if spotlight is not None:
                spot_indicators = store_api.pact_indicators_by_year(
                    session=session, caller=CALLER, filters=f.only_partnership(spotlight)
                )
    return DeckData(
        state=state,
        filters=f,
        indicators=indicators,
        by_ecosystem=by_ecosystem,
        by_skill_area=by_skill_area,
        countries=countries,
        comparison=comparison,
        spotlight=spotlight,
        spotlight_indicators=spot_indicators,
    )


def choose_spotlight(comparison: pd.DataFrame, wanted: str | None) -> str | None:
    """The wanted partnership when it is in scope, else the one with most members."""
    if comparison.empty:
        return None
    if wanted is not None and wanted in set(comparison["slug"]):
        return wanted
    ranked = comparison.assign(_members=comparison["members"].fillna(-1)).sort_values(
        ["_members", "short_name"], ascending=[False, True]
    )
    return str(ranked.iloc[0]["slug"])
