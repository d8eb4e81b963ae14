"""Protection of what members reported, in every public view: fixed perturbation keyed by each
organisation's secret record key, plus the rules for cells that are never shown.

The method (docs/disclosure.md says why, and what it does and does not guarantee):

- Every organisation holds a fixed random record key (organisation.record_key, set when it is
  added, never shown). The perturbation table below turns the key into one direction (up or
  down, each with probability 1/2) and, per reported measure, a size between MIN_SHIFT and
  MAX_SHIFT: the organisation's factor for that measure is 1 + direction * size.
- A public cell is the sum of its contributors' reported values, each multiplied by its
  organisation's factor, then rounded to a whole number. People up/re-skilled is the sum of
  its published parts (women, men, another gender, not recorded), so a row adds up.
- The same organisation always gets the same factors, whatever view, filter, replica or
  download produced the cell, so combining views (differences across filters, complements,
  totals minus parts, running totals minus earlier years) can at best isolate an
  organisation's perturbed value: off by MIN_SHIFT to MAX_SHIFT of the true value, in a
  direction nobody outside can know. Averaging more views does not help: they all carry
  the same factor.
- A cell resting on fewer than `rules.min_organisations` organisations, or whose largest
  contributor holds more than DOMINANCE_SHARE of its people up/re-skilled or of its
  investment, is not shown at all (the minimum-contributor and dominance rules).

Shares (women among trainees with a recorded gender) are computed from the published parts.
Callers who see exact figures (officers, admins, coordinators on their own partnerships)
never come here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from data_access.access import DisclosureRules
from data_access.models import REPORTED_VALUES

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

# The reported measures, in the order of the perturbation table's size columns.
PERTURBED_MEASURES: tuple[str, ...] = REPORTED_VALUES
PEOPLE_PARTS: tuple[str, ...] = ("women", "men", "other_gender", "not_recorded")

# The perturbation table: the direction comes from the key's first bit (key >= 0.5: up);
# the size for measure k is MIN_SHIFT + (MAX_SHIFT - MIN_SHIFT) * u_k, where u_k in [0, 1)
# is the SplitMix64 mix of the key's 53 bits plus (k + 1) times the golden-ratio increment.
MIN_SHIFT = 0.10
MAX_SHIFT = 0.30
DOMINANCE_SHARE = 0.85
"""A cell whose largest contributor holds more than this share is not shown."""
# Pact-wide figures (no filter but the years; at most a breakdown by year), which the Pact
# publishes itself, are exact when they rest on at least HEADLINE_MIN_ORGANISATIONS
# organisations and pass the p% rule: what is left after the two largest contributors is at
# least HEADLINE_P of the largest, so no contributor can work out another's value from them.
HEADLINE_MIN_ORGANISATIONS = 10
HEADLINE_P = 0.10

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)


def _splitmix64(values: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint64]:
    """SplitMix64's finaliser: a well-spread 64-bit hash of each value (wrapping arithmetic)."""
    z = values.copy()
    z ^= z >> np.uint64(30)
    z *= _MIX_1
    z ^= z >> np.uint64(27)
    z *= _MIX_2
    z ^= z >> np.uint64(31)
    return z


def factors(record_keys: npt.ArrayLike) -> FloatArray:
    """Per organisation (rows) and reported measure (columns, PERTURBED_MEASURES' order) the
    factor its reported values are multiplied by in public views."""
    keys = np.asarray(record_keys, dtype=np.float64)
    if keys.size and ((keys < 0) | (keys >= 1) | np.isnan(keys)).any():
        raise ValueError("record keys must lie in [0, 1)")
    bits = np.floor(keys * float(1 << 53)).astype(np.uint64)
    direction = np.where(bits >> np.uint64(52), 1.0, -1.0)
    sizes = np.empty((len(keys), len(PERTURBED_MEASURES)), dtype=np.float64)
    with np.errstate(over="ignore"):
        for k in range(len(PERTURBED_MEASURES)):
            mixed = _splitmix64(bits + np.uint64(k + 1) * _GOLDEN)
            uniform = (mixed >> np.uint64(11)).astype(np.float64) / float(1 << 53)
            sizes[:, k] = MIN_SHIFT + (MAX_SHIFT - MIN_SHIFT) * uniform
    result: FloatArray = 1.0 + direction[:, None] * sizes
    return result


@dataclass(frozen=True)
class PublishedCells:
    """Public values of a table's cells: per cell, each measure (NaN where not shown), the
    organisations behind it (NaN where not shown) and whether it is withheld."""

    measures: dict[str, FloatArray]
    organisations: FloatArray
    withheld: npt.NDArray[np.bool_]


def publish(
    *,
    cell: IntArray,
    values: FloatArray,
    organisation_factors: FloatArray,
    n_cells: int,
    rules: DisclosureRules,
    pact_wide: bool = False,
) -> PublishedCells:
    """The public values of n_cells cells from their contributions.

    cell: the cell of each contribution (one row per organisation and cell: an organisation's
        values summed over everything of it that the cell covers).
    values: exact reported values per contribution, columns in PERTURBED_MEASURES' order.
    organisation_factors: the factors (see `factors()`) of each contribution's organisation.
    pact_wide: the cells are Pact-wide figures (see HEADLINE_MIN_ORGANISATIONS): those that
        pass the headline rules are published exact.
    """
    if not (len(cell) == len(values) == len(organisation_factors)):
        raise ValueError("cell, values and factors must have one row per contribution")
    if values.size and (values < 0).any():
        raise ValueError("reported values are never negative")
    perturbed = values * organisation_factors
    sums = {
        name: np.bincount(cell, weights=perturbed[:, k], minlength=n_cells)
        for k, name in enumerate(PERTURBED_MEASURES)
    }
    exact = np.zeros(n_cells, dtype=bool)
    if pact_wide:
        exact = _headline_safe(cell, values, n_cells)
        for k, name in enumerate(PERTURBED_MEASURES):
            plain = np.bincount(cell, weights=values[:, k], minlength=n_cells)
            sums[name] = np.where(exact, plain, sums[name])
    measures: dict[str, FloatArray] = {}
    for name, total in sums.items():
        if name == "investment_eur":
            measures[name] = np.round(total, 0)
        else:
            measures[name] = np.rint(total)
    measures["people_trained"] = sum(
        (measures[part] for part in PEOPLE_PARTS), start=np.zeros(n_cells)
    )
    organisations = np.bincount(cell, minlength=n_cells).astype(np.float64)
    withheld = (organisations > 0) & (organisations < rules.min_organisations)
    people = values[:, : len(PEOPLE_PARTS)].sum(axis=1)
    withheld |= _dominated(cell, people, n_cells)
    withheld |= _dominated(cell, values[:, PERTURBED_MEASURES.index("investment_eur")], n_cells)
    for name in measures:
        measures[name] = np.where(withheld, np.nan, measures[name])
    organisations = np.where(withheld, np.nan, organisations)
    return PublishedCells(measures=measures, organisations=organisations, withheld=withheld)


def _headline_safe(cell: IntArray, values: FloatArray, n_cells: int) -> npt.NDArray[np.bool_]:
    """Cells with enough organisations that pass the p% rule for people and investment."""
    safe = np.bincount(cell, minlength=n_cells) >= HEADLINE_MIN_ORGANISATIONS
    people = values[:, : len(PEOPLE_PARTS)].sum(axis=1)
    investment = values[:, PERTURBED_MEASURES.index("investment_eur")]
    for measure in (people, investment):
        order = np.lexsort((-measure, cell))  # by cell, largest first
        ranked_cell, ranked = cell[order], measure[order]
        starts = np.flatnonzero(np.r_[True, ranked_cell[1:] != ranked_cell[:-1]])
        first = np.zeros(n_cells)
        second = np.zeros(n_cells)
        first[ranked_cell[starts]] = ranked[starts]
        has_second = np.r_[starts[1:], len(ranked)] - starts > 1
        second[ranked_cell[starts[has_second]]] = ranked[starts[has_second] + 1]
        total = np.bincount(cell, weights=measure, minlength=n_cells)
        safe &= total - first - second >= HEADLINE_P * first
    return np.asarray(safe, dtype=bool)


def _dominated(cell: IntArray, values: FloatArray, n_cells: int) -> npt.NDArray[np.bool_]:
    """Cells whose largest contribution exceeds DOMINANCE_SHARE of their total."""
    total = np.bincount(cell, weights=values, minlength=n_cells)
    largest = np.zeros(n_cells, dtype=np.float64)
    np.maximum.at(largest, cell, values)
    return np.asarray(largest > DOMINANCE_SHARE * total, dtype=bool) & (total > 0)


def contributions(
    cells: IntArray, organisations: IntArray, values: FloatArray, *, n_organisations: int
) -> tuple[IntArray, IntArray, FloatArray]:
    """Reported rows summed per (cell, organisation): the contributions `publish` takes.

    Returns each contribution's cell, organisation and summed values (sorted by cell, then
    organisation)."""
    if not len(cells):
        return cells, organisations, values.reshape(0, values.shape[1] if values.ndim else 0)
    pair = cells.astype(np.int64) * n_organisations + organisations.astype(np.int64)
    unique, inverse = np.unique(pair, return_inverse=True)
    summed = np.zeros((len(unique), values.shape[1]), dtype=np.float64)
    for k in range(values.shape[1]):
        summed[:, k] = np.bincount(inverse.ravel(), weights=values[:, k], minlength=len(unique))
    return unique // n_organisations, unique % n_organisations, summed


def describe(measures: Sequence[str] = PERTURBED_MEASURES) -> str:
    """One line naming the parameters (for the benchmark's and the docs' record)."""
    return (
        f"factor 1 ± [{MIN_SHIFT:.2f}, {MAX_SHIFT:.2f}] per organisation and measure "
        f"({', '.join(measures)}); dominance {DOMINANCE_SHARE:.0%}"
    )
