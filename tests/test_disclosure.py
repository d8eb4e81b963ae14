"""Disclosure control: small cells are hidden, and no hidden cell can be worked out again.

The check that a hidden value cannot be recomputed is independent of the engine: it writes
down what an attacker knows (every shown cell, every marginal total of the table, the
within-row totals, non-negativity) as a linear programme and asks scipy for the smallest
and largest value each hidden cell could take.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from data_access.access import DisclosureRules
from data_access.disclosure import legend, protect, protect_scalar, share

RULES = DisclosureRules(min_organisations=3, min_people=5)
GENDER = ["women", "men", "other_gender", "not_recorded"]
TOL = 1e-6


# --- the attacker's view, written independently of the engine ---------------------------


@dataclass(frozen=True)
class Table:
    """A protect() call: its input and arguments."""

    frame: pd.DataFrame
    dims: list[str]
    measures: list[str]
    people: list[str]
    organisations: str | None
    parts: dict[str, list[str]] = field(default_factory=dict)
    rules: DisclosureRules = RULES

    def protect(self) -> pd.DataFrame:
        return protect(
            self.frame,
            dims=self.dims,
            measures=self.measures,
            people=self.people,
            organisations=self.organisations,
            parts=self.parts,
            rules=self.rules,
        )


def known_totals(table: Table) -> tuple[np.ndarray, np.ndarray]:
    """Equations A x = b over every cell x (row i, measure j at i * len(measures) + j): the
    sums over each grouping column for every combination of the others (so the grand total
    too) and the within-row totals. A grouping column that never varies within the others'
    combinations (a single year, say) has no totals of its own."""
    frame, measures = table.frame.reset_index(drop=True), table.measures
    width = len(measures)
    equations: list[np.ndarray] = []
    constants: list[float] = []
    for j, measure in enumerate(measures):
        for dim in table.dims:
            others = [d for d in table.dims if d != dim]
            groups = (
                frame.groupby(others, dropna=False).indices.values()
                if others
                else [np.arange(len(frame))]
            )
            if len(groups) == len(frame):
                continue  # every "total" is a single cell: the table itself, not a total
            for rows in groups:
                equation = np.zeros(len(frame) * width)
                equation[np.asarray(rows) * width + j] = 1.0
                equations.append(equation)
                constants.append(float(frame[measure].iloc[list(rows)].sum()))
    for total, members in table.parts.items():
        for i in range(len(frame)):
            equation = np.zeros(len(frame) * width)
            equation[i * width + measures.index(total)] = 1.0
            for member in members:
                equation[i * width + measures.index(member)] = -1.0
            equations.append(equation)
            constants.append(0.0)
    if not equations:
        return np.zeros((0, len(frame) * width)), np.zeros(0)
    return np.array(equations), np.array(constants)


def extreme(
    a: np.ndarray, b: np.ndarray, bounds: list[tuple[float, float | None]], cell: int, most: bool
) -> float:
    """The largest (or smallest) value of one cell consistent with the equations and bounds."""
    objective = np.zeros(len(bounds))
    objective[cell] = -1.0 if most else 1.0
    result = linprog(
        objective,
        A_eq=a if len(a) else None,
        b_eq=b if len(b) else None,
        bounds=bounds,
        method="highs",
    )
    if result.status == 3:  # unbounded
        return math.inf
    assert result.status == 0, result.message
    return float(objective[cell] * result.fun)


def determined(
    a: np.ndarray, b: np.ndarray, bounds: list[tuple[float, float | None]], cell: int, truth: float
) -> bool:
    """Whether the cell can take no other value than its true one."""
    high = extreme(a, b, bounds, cell, most=True)
    assert high >= truth - TOL
    if high > truth + TOL:
        return False
    low = extreme(a, b, bounds, cell, most=False)
    assert low <= truth + TOL
    return low >= truth - TOL


def recomputable(table: Table, out: pd.DataFrame) -> list[tuple[int, str, bool]]:
    """The hidden cells whose exact value follows from what is shown with them: (row,
    measure, whether the totals alone give it away even with every cell hidden)."""
    frame = table.frame.reset_index(drop=True)
    shown = out.reset_index(drop=True)
    a, b = known_totals(table)
    truth = frame[table.measures].to_numpy(dtype=float).reshape(-1)
    hidden = shown[table.measures].isna().to_numpy().reshape(-1)
    bounds: list[tuple[float, float | None]] = [
        (0.0, None) if h else (float(v), float(v)) for v, h in zip(truth, hidden, strict=True)
    ]
    everything_hidden: list[tuple[float, float | None]] = [(0.0, None)] * len(truth)
    width = len(table.measures)
    found = []
    for cell in map(int, np.flatnonzero(hidden)):
        if determined(a, b, bounds, cell, truth[cell]):
            alone = determined(a, b, everything_hidden, cell, truth[cell])
            found.append((cell // width, table.measures[cell % width], alone))
    return found


def small_cells(table: Table) -> np.ndarray:
    """Which cells the rules hide for their own sake, decided from the input alone."""
    values = table.frame[table.measures].to_numpy(dtype=float)
    rules = table.rules
    small = np.zeros(values.shape, dtype=bool)
    for j, measure in enumerate(table.measures):
        column = values[:, j]
        if measure in table.people:
            small[:, j] |= (column > 0) & (column < rules.min_people)
        if table.organisations is None:
            small[:, j] |= (column > 0) & (column < rules.min_organisations)
    if table.organisations is not None:
        orgs = table.frame[table.organisations].to_numpy()
        small |= ((orgs >= 1) & (orgs < rules.min_organisations))[:, None]
    return small


def assert_safe(table: Table, out: pd.DataFrame) -> None:
    """Every property a published table must have."""
    frame = table.frame
    assert list(out.index) == list(frame.index)
    assert list(out.columns) == [*frame.columns, "suppressed"]
    hidden = out[table.measures].isna().to_numpy()
    small = small_cells(table)
    assert not (small & ~hidden).any(), "a small cell is shown"
    values = frame[table.measures].to_numpy(dtype=float)
    shown = out[table.measures].to_numpy(dtype=float)
    assert np.array_equal(shown[~hidden], values[~hidden]), "a shown value was changed"
    assert (out["suppressed"].to_numpy() == hidden.any(axis=1)).all()
    others = [c for c in frame.columns if c not in table.measures]
    pd.testing.assert_frame_equal(out[others], frame[others])
    for row, measure, by_totals_alone in recomputable(table, out):
        # A cell the totals give away whatever is hidden is hidden anyway (it is small):
        # those totals must then not be published.
        assert by_totals_alone, f"hidden {measure} of row {row} can be recomputed"
        assert small[row, table.measures.index(measure)], "a complement is recomputable"


# --- examples ---------------------------------------------------------------------------


def one_way(values: list[int], orgs: list[int], name: str = "programmes") -> Table:
    frame = pd.DataFrame(
        {"year": range(2020, 2020 + len(values)), name: values, "organisations": orgs}
    )
    return Table(frame, ["year"], [name], [], "organisations")


def test_one_small_row_takes_the_smallest_other_row_with_it() -> None:
    table = one_way([7, 40, 12, 90], [1, 5, 4, 9])
    before = table.frame.copy()
    out = table.protect()
    pd.testing.assert_frame_equal(table.frame, before)  # the input is left alone
    assert out["programmes"].isna().tolist() == [True, False, True, False]
    assert out["suppressed"].tolist() == [True, False, True, False]
    assert out["programmes"].dtype == "float64"
    assert_safe(table, out)


def test_hiding_only_the_small_cell_would_give_it_away() -> None:
    """The oracle itself can fail: without a complement the grand total reveals the cell."""
    table = one_way([7, 40, 12, 90], [1, 5, 4, 9])
    naive = table.frame.assign(programmes=[np.nan, 40, 12, 90], suppressed=[True] + [False] * 3)
    assert recomputable(table, naive) == [(0, "programmes", False)]
    with pytest.raises(AssertionError, match="can be recomputed"):
        assert_safe(table, naive)


def test_two_way_table_hides_a_rectangle() -> None:
    frame = pd.DataFrame(
        [
            (p, y, v, o)
            for (p, y), v, o in zip(
                itertools.product(["a", "b", "c"], [2022, 2023, 2024]),
                [2, 30, 31, 40, 9, 50, 60, 70, 80],
                [1, 4, 4, 4, 4, 4, 4, 4, 4],
                strict=True,
            )
        ],
        columns=["partnership", "year", "programmes", "organisations"],
    )
    table = Table(frame, ["partnership", "year"], ["programmes"], [], "organisations")
    out = table.protect()
    hidden = out.loc[out["programmes"].isna(), ["partnership", "year"]]
    assert len(hidden) == 4
    assert hidden["partnership"].nunique() == 2 and hidden["year"].nunique() == 2
    # the cheapest rectangle through (a, 2022): (a, 2023) 30, (b, 2022) 40, (b, 2023) 9
    assert set(map(tuple, hidden.to_numpy())) == {
        ("a", 2022),
        ("a", 2023),
        ("b", 2022),
        ("b", 2023),
    }
    assert_safe(table, out)


def test_three_way_table_hides_a_cube() -> None:
    cells = list(itertools.product(["a", "b"], [2023, 2024], ["digital", "green"]))
    frame = pd.DataFrame(cells, columns=["partnership", "year", "skill_area"])
    frame["programmes"] = [4, 10, 11, 12, 13, 14, 15, 16]
    frame["organisations"] = [2, 5, 5, 5, 5, 5, 5, 5]
    dims = ["partnership", "year", "skill_area"]
    table = Table(frame, dims, ["programmes"], [], "organisations")
    out = table.protect()
    # every two-way total is known, so only the whole 2 x 2 x 2 cube hides the small cell
    assert out["programmes"].isna().all()
    assert_safe(table, out)


def test_a_missing_grouping_value_is_a_group_of_its_own() -> None:
    frame = pd.DataFrame(
        {
            "country": ["AT", None, "BE", "CY"],
            "programmes": [4, 30, 20, 50],
            "organisations": [1, 5, 5, 5],
        }
    )
    table = Table(frame, ["country"], ["programmes"], [], "organisations")
    out = table.protect()
    assert out["programmes"].isna().tolist() == [True, False, True, False]
    assert_safe(table, out)


def test_an_empty_table_comes_back_empty() -> None:
    table = one_way([], [])
    out = table.protect()
    assert out.empty and list(out.columns) == [*table.frame.columns, "suppressed"]


def gender_table(rows: list[tuple[int, int, int, int]], orgs: list[int]) -> Table:
    frame = pd.DataFrame(rows, columns=GENDER)
    frame.insert(0, "people_trained", frame[GENDER].sum(axis=1))
    frame.insert(0, "year", range(2020, 2020 + len(rows)))
    frame["organisations"] = orgs
    measures = ["people_trained", *GENDER]
    return Table(frame, ["year"], measures, measures, "organisations", {"people_trained": GENDER})


def test_one_small_gender_cell_is_hidden_with_enough_around_it() -> None:
    table = gender_table([(50, 60, 3, 20), (40, 45, 8, 10), (70, 80, 9, 30)], [9, 8, 7])
    out = table.protect()
    assert math.isnan(out.loc[0, "other_gender"])
    # people_trained stays shown: the row's other parts and other rows absorb the change
    assert out["people_trained"].notna().all()
    assert out[GENDER].isna().sum().sum() == 4
    assert_safe(table, out)


def test_all_small_table_is_hidden_whole() -> None:
    table = one_way([7, 4, 12], [1, 2, 1])
    out = table.protect()
    assert out["programmes"].isna().all()
    assert out["suppressed"].all()
    assert_safe(table, out)


def test_zero_about_one_organisation_is_hidden_and_complemented_by_a_positive_cell() -> None:
    table = one_way([0, 0, 15, 6, 0], [1, 4, 5, 3, 6])
    out = table.protect()
    assert out["programmes"].isna().tolist() == [True, False, False, True, False]
    assert_safe(table, out)


def test_a_zero_is_a_complement_only_when_no_positive_cell_will_do() -> None:
    frame = pd.DataFrame(
        {
            "partnership": ["a", "a", "b", "b"],
            "year": [2022, 2023, 2022, 2023],
            "programmes": [0, 5, 7, 0],
            "organisations": [1, 4, 4, 4],
        }
    )
    table = Table(frame, ["partnership", "year"], ["programmes"], [], "organisations")
    out = table.protect()
    # (b, 2023) is zero, but without it (a, 2022) would follow from b's and 2023's totals
    assert out["programmes"].isna().all()
    assert_safe(table, out)


def test_zeros_from_no_organisation_are_not_small() -> None:
    table = one_way([0, 25, 30], [0, 4, 5])
    out = table.protect()
    assert out["programmes"].notna().all()
    assert not out["suppressed"].any()


def test_member_counts_hide_counts_below_the_threshold() -> None:
    frame = pd.DataFrame({"country": ["AT", "BE", "CY", "DE"], "members": [1, 7, 9, 0]})
    table = Table(frame, ["country"], ["members"], [], None)
    out = table.protect()
    assert out["members"].isna().tolist() == [True, True, False, False]
    assert_safe(table, out)


def test_a_single_row_group_is_hidden_although_its_total_gives_it_away() -> None:
    """Only one year of partnership b: its cell equals b's total, which pages must protect."""
    frame = pd.DataFrame(
        {
            "partnership": ["a", "a", "a", "b"],
            "year": [2022, 2023, 2024, 2022],
            "programmes": [10, 20, 30, 5],
            "organisations": [5, 5, 5, 1],
        }
    )
    table = Table(frame, ["partnership", "year"], ["programmes"], [], "organisations")
    out = table.protect()
    assert out["programmes"].isna().tolist() == [False, False, False, True]
    assert_safe(table, out)


def test_no_grouping_hides_only_the_small_figure_and_what_gives_it_away() -> None:
    frame = pd.DataFrame({"people_trained": [12], "women": [3], "men": [9]})
    table = Table(
        frame,
        [],
        ["people_trained", "women", "men"],
        ["people_trained", "women", "men"],
        None,
        {"people_trained": ["women", "men"]},
        DisclosureRules(min_organisations=1, min_people=5),
    )
    out = table.protect()
    assert out[["people_trained", "women", "men"]].isna().iloc[0].tolist() == [False, True, True]
    assert_safe(table, out)


def test_an_earlier_suppressed_flag_is_kept() -> None:
    table = one_way([7, 40, 12, 90], [3, 5, 4, 9])
    flagged = table.frame.assign(suppressed=[False, True, False, False])
    out = protect(
        flagged, dims=["year"], measures=["programmes"], people=[], organisations="organisations",
        rules=RULES,
    )  # fmt: skip
    assert out["suppressed"].tolist() == [False, True, False, False]


def test_nothing_small_changes_nothing() -> None:
    table = one_way([7, 40, 12, 90], [3, 5, 4, 9])
    out = table.protect()
    assert out["programmes"].tolist() == [7, 40, 12, 90]
    assert not out["suppressed"].any()


def test_bad_input_is_refused() -> None:
    table = one_way([7, -1], [3, 3])
    with pytest.raises(ValueError, match="non-negative"):
        table.protect()
    frame = pd.DataFrame({"year": [2020, 2020], "programmes": [1, 2], "organisations": [3, 3]})
    with pytest.raises(ValueError, match="unique"):
        Table(frame, ["year"], ["programmes"], [], "organisations").protect()
    bad_parts = gender_table([(5, 6, 7, 8)], [3]).frame.assign(people_trained=1)
    with pytest.raises(ValueError, match="sum"):
        Table(
            bad_parts,
            ["year"],
            ["people_trained", *GENDER],
            [],
            "organisations",
            {"people_trained": GENDER},
        ).protect()


def test_helpers() -> None:
    assert math.isnan(protect_scalar(12.0, 2, is_people=False, rules=RULES))
    assert protect_scalar(12.0, 3, is_people=False, rules=RULES) == 12.0
    assert math.isnan(protect_scalar(4.0, 30, is_people=True, rules=RULES))
    assert protect_scalar(0.0, 30, is_people=True, rules=RULES) == 0.0
    assert math.isnan(protect_scalar(2.0, None, is_people=False, rules=RULES))
    assert protect_scalar(0.0, 0, is_people=False, rules=RULES) == 0.0
    assert share(1.0, 4.0) == 0.25
    assert math.isnan(share(float("nan"), 4.0)) and math.isnan(share(1.0, 0.0))
    shares = share(pd.Series([1.0, np.nan, 3.0, 1.0]), pd.Series([2.0, 4.0, np.nan, 0.0]))
    assert shares.iloc[0] == 0.5 and shares.iloc[1:].isna().all()
    assert share(pd.Series([1.0, 2.0]), 4.0).tolist() == [0.25, 0.5]
    text = legend(DisclosureRules(min_organisations=4, min_people=10))
    assert "fewer than 4 organisations or 10 people" in text


# --- properties -------------------------------------------------------------------------

values_small = st.one_of(st.integers(1, 6), st.integers(0, 40), st.integers(1, 40), st.just(0))


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Random tables of 1 to 3 grouping columns with missing combinations, many zeros and
    small values, and one of three shapes: plain, gender parts, member counts."""
    k = draw(st.integers(1, 3))
    sizes = [draw(st.integers(1 if k == 1 else 2, {1: 6, 2: 4, 3: 3}[k])) for _ in range(k)]
    grid = list(itertools.product(*(range(s) for s in sizes)))
    mostly = st.sampled_from([True, True, True, False])
    present = draw(st.lists(mostly, min_size=len(grid), max_size=len(grid)))
    combos = [c for c, keep in zip(grid, present, strict=True) if keep] or [grid[0]]
    combos = draw(st.permutations(combos))
    dims = [f"d{d}" for d in range(k)]
    frame = pd.DataFrame([[f"l{c}" for c in combo] for combo in combos], columns=dims)
    frame.index = pd.Index([f"r{i}" for i in range(len(frame))])
    shape = draw(st.sampled_from(["plain", "parts", "members"]))
    rules = DisclosureRules(
        min_organisations=draw(st.integers(1, 4)), min_people=draw(st.integers(1, 6))
    )
    n = len(frame)
    cells = st.lists(values_small, min_size=n, max_size=n)
    if shape == "members":
        frame["members"] = draw(cells)
        frame["new_members"] = draw(cells)
        return Table(frame, dims, ["members", "new_members"], [], None, rules=rules)
    orgs = draw(st.lists(st.integers(0, 6), min_size=n, max_size=n))
    empty = np.array(orgs) == 0
    frame["organisations"] = orgs
    if shape == "plain":
        frame["people_reached"] = np.where(empty, 0, draw(cells))
        frame["programmes"] = np.where(empty, 0, draw(cells))
        return Table(
            frame, dims, ["people_reached", "programmes"], ["people_reached"], "organisations",
            rules=rules,
        )  # fmt: skip
    parts = ["women", "men", "other"]
    for part in parts:
        frame[part] = np.where(empty, 0, draw(cells))
    frame.insert(k, "people", frame[parts].sum(axis=1))
    measures = ["people", *parts]
    return Table(frame, dims, measures, measures, "organisations", {"people": parts}, rules)


PROPERTIES = settings(
    max_examples=250,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTIES
@given(tables())
def test_no_hidden_value_can_be_recomputed(table: Table) -> None:
    assert_safe(table, table.protect())


@settings(PROPERTIES, max_examples=100)
@given(tables())
def test_same_input_same_output_and_nothing_hidden_without_small_cells(table: Table) -> None:
    out = table.protect()
    pd.testing.assert_frame_equal(out, table.protect())
    if not small_cells(table).any():
        assert not out["suppressed"].any()
        values = table.frame[table.measures].astype("float64")
        pd.testing.assert_frame_equal(out[table.measures], values)
    lenient = Table(
        table.frame,
        table.dims,
        table.measures,
        table.people,
        table.organisations,
        table.parts,
        DisclosureRules(min_organisations=1, min_people=1),
    )
    assert not lenient.protect()["suppressed"].any()
