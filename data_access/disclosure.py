"""Statistical disclosure control of published tables: hide the cells that rest on too few
organisations or people, and enough other cells that none of them can be worked out again.

Attacker model: besides every shown cell, the attacker knows all marginal totals (for each
grouping column, the sums over it for every combination of the others; a column that never
varies within those combinations, such as a single year, has no totals of its own), the
within-row totals named in `parts`, that values are non-negative and that absent
combinations are zero. A hidden cell is safe when it lies on a "move": a change of hidden
cells only that keeps all of that true, so the cell can take other values.

Small cells are hidden first (primary suppression). Each then gets the cheapest move through
it, whose cells are hidden too (complementary suppression): a hypercube of the table (a
rectangle in a two-way table) times a row pattern that keeps the `parts` totals, else any
cycle of rows found by linear algebra, else the whole table is hidden and, checked exactly,
whatever is not needed is shown again. A cell that the totals alone give away (the only row
of its group, or a group whose total is zero) cannot be protected by hiding cells: it is
hidden, and such totals must not be published either (see `protect_scalar`).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from itertools import combinations
from types import MappingProxyType
from typing import overload

import numpy as np
import numpy.typing as npt
import pandas as pd

from data_access.access import DisclosureRules

SUPPRESSED = "suppressed"

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

_NO_PARTS: Mapping[str, Sequence[str]] = MappingProxyType({})
# Costs of hiding one more cell: 1 plus its share of the column total, so fewer and then
# smaller cells win. A zero cannot move down, so it is a complement only when nothing else
# works; cells in rows that already show a hidden value are cheaper (fewer rows marked).
_ZERO_COST = 1_000.0
_ONE_SIDED_COST = 2.0
_HIDDEN_ROW_DISCOUNT = 0.6
# The last resort checks hidden cells exactly, which is cubic in their number: above this
# many cells it hides the whole table without checking which cells could be shown again.
_EXACT_LIMIT = 800
_PRUNE_LIMIT = 120


def legend(rules: DisclosureRules) -> str:
    """The sentence that explains suppressed values under a table or chart."""
    organisations = "organisation" if rules.min_organisations == 1 else "organisations"
    people = "person" if rules.min_people == 1 else "people"
    return (
        f"Values marked as suppressed rest on fewer than {rules.min_organisations} "
        f"{organisations} or {rules.min_people} {people}, or would let such a value be worked "
        "out from the totals; they are hidden to protect individual organisations."
    )


def protect_scalar(
    value: float, organisations: int | None, *, is_people: bool, rules: DisclosureRules
) -> float:
    """A headline figure, or NaN when it rests on too few organisations or people.

    organisations: distinct organisations behind the figure; None when the figure itself
    counts organisations (members, partnerships' members).
    """
    value = float(value)
    if value != value:
        return value
    if organisations is not None and 0 < organisations < rules.min_organisations:
        return float("nan")
    if organisations is None and 0 < value < rules.min_organisations:
        return float("nan")
    if is_people and 0 < value < rules.min_people:
        return float("nan")
    return value


@overload
def share(numerator: float, denominator: float) -> float: ...
@overload
def share(
    numerator: pd.Series[float], denominator: pd.Series[float] | float
) -> pd.Series[float]: ...
@overload
def share(numerator: float, denominator: pd.Series[float]) -> pd.Series[float]: ...
def share(
    numerator: pd.Series[float] | float, denominator: pd.Series[float] | float
) -> pd.Series[float] | float:
    """numerator / denominator, NaN where either is NaN (a share of a hidden value is hidden
    too) or where the denominator is not positive."""
    if not isinstance(numerator, pd.Series) and not isinstance(denominator, pd.Series):
        num, den = float(numerator), float(denominator)
        return num / den if num == num and den == den and den > 0 else float("nan")
    series = numerator if isinstance(numerator, pd.Series) else denominator
    assert isinstance(series, pd.Series)
    index = series.index
    num_s = pd.Series(numerator, index=index, dtype="float64")
    den_s = pd.Series(denominator, index=index, dtype="float64")
    valid = num_s.notna() & den_s.notna() & (den_s > 0)
    return (num_s / den_s.where(valid)).where(valid)


def protect(
    frame: pd.DataFrame,
    *,
    dims: Sequence[str],
    measures: Sequence[str],
    people: Collection[str],
    organisations: str | None,
    parts: Mapping[str, Sequence[str]] = _NO_PARTS,
    rules: DisclosureRules,
) -> pd.DataFrame:
    """A copy of an aggregate table with its disclosive cells suppressed.

    frame: one row per combination of `dims` (0 to 3 grouping columns).
    measures: additive, non-negative columns to protect; they come back as float64 with NaN
        in every suppressed cell. Other columns pass through unchanged, rows keep their order.
    people: the measures that count people (a value below `rules.min_people` is hidden).
    organisations: the column counting the distinct organisations behind each row (a row
        resting on fewer than `rules.min_organisations` is hidden whole, zeros included);
        None when the measures themselves count organisations.
    parts: within-row totals, e.g. {"people_trained": ["women", "men", ...]}.
    Adds a boolean column `suppressed`: True where any protected cell of the row is hidden
    (or-ed with a `suppressed` column the frame already has, from other measures).
    Raises ValueError on negative or missing values, duplicate rows or parts that do not add up.
    """
    measures = list(measures)
    _check(frame, dims, measures, people, organisations, parts)
    values = frame[measures].to_numpy(dtype=np.float64, copy=True)
    orgs = None if organisations is None else frame[organisations].to_numpy(dtype=np.float64)
    is_people = np.array([m in people for m in measures], dtype=bool)
    primary = _primary(values, orgs, is_people, rules)
    hidden = primary
    if primary.any():
        layout = _Layout(frame, list(dims))
        hidden = _Protector(values, primary, layout, _Measures(measures, parts)).run()
    out = frame.copy()
    for j, name in enumerate(measures):
        out[name] = np.where(hidden[:, j], np.nan, values[:, j])
    flag: BoolArray = np.asarray(hidden.any(axis=1), dtype=bool)
    if SUPPRESSED in frame.columns:  # protected before for other measures: keep those marks
        flag |= frame[SUPPRESSED].fillna(False).to_numpy(dtype=bool)
    out[SUPPRESSED] = flag
    return out


def _check(
    frame: pd.DataFrame,
    dims: Sequence[str],
    measures: Sequence[str],
    people: Collection[str],
    organisations: str | None,
    parts: Mapping[str, Sequence[str]],
) -> None:
    if len(dims) > 3:
        raise ValueError(f"at most 3 grouping columns are supported, got {list(dims)}")
    columns = [*dims, *measures, *([organisations] if organisations else [])]
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise ValueError(f"columns not in the frame: {missing}")
    if len(set(measures)) != len(measures) or set(dims) & set(measures):
        raise ValueError("measures must be distinct and not grouping columns")
    unknown = [c for c in [*people, *parts, *(p for ps in parts.values() for p in ps)]]
    unknown = [c for c in unknown if c not in measures]
    if unknown:
        raise ValueError(f"people and parts must name protected measures, not {unknown}")
    for total, members in parts.items():
        if total in members or len(set(members)) != len(members):
            raise ValueError(f"parts of {total!r} must be distinct and not include it")
    numbers = frame[[*measures, *([organisations] if organisations else [])]]
    array = numbers.to_numpy(dtype=np.float64)
    if np.isnan(array).any() or (array < 0).any():
        raise ValueError("measures and organisation counts must be non-negative numbers")
    if dims and frame.duplicated(list(dims)).any():
        raise ValueError(f"rows must be unique per {list(dims)}")
    if not dims and len(frame) > 1:
        raise ValueError("without grouping columns the frame must have at most one row")
    for total, members in parts.items():
        gap = frame[total].to_numpy(np.float64) - frame[list(members)].to_numpy(np.float64).sum(1)
        if (np.abs(gap) > 1e-6 * (1.0 + frame[total].abs().to_numpy(np.float64))).any():
            raise ValueError(f"{total!r} is not the sum of {list(members)} on every row")


def _primary(
    values: FloatArray, orgs: FloatArray | None, is_people: BoolArray, rules: DisclosureRules
) -> BoolArray:
    """Cells hidden for their own sake."""
    positive = values > 0
    hidden = positive & is_people[None, :] & (values < rules.min_people)
    if orgs is None:
        hidden |= positive & (values < rules.min_organisations)
    else:
        few = (orgs > 0) & (orgs < rules.min_organisations)
        hidden |= few[:, None]
    return hidden


class _Layout:
    """Where each row sits in the table, and which marginal totals it adds to."""

    def __init__(self, frame: pd.DataFrame, dims: list[str]) -> None:
        n = len(frame)
        self.n = n
        codes = np.zeros((n, len(dims)), dtype=np.intp)
        sizes: list[int] = []
        for d, name in enumerate(dims):
            code, levels = pd.factorize(frame[name], use_na_sentinel=False)
            codes[:, d] = code
            sizes.append(len(levels))
        # One family of totals per grouping column: the sums over it for every combination
        # of the others; families[i] = (column, total each row adds to, number of totals).
        # A family whose every total holds a single row is the table itself, not a total
        # (a column with one value, or one fixed by the others): it is left out.
        self.families: list[tuple[int, IntArray, int]] = []
        for d in range(len(dims)):
            others = [e for e in range(len(dims)) if e != d]
            if others:
                key = np.ravel_multi_index(
                    tuple(codes[:, e] for e in others), tuple(sizes[e] for e in others)
                )
                ids = pd.factorize(key)[0].astype(np.intp)
            else:
                ids = np.zeros(n, dtype=np.intp)
            count = int(ids.max()) + 1 if n else 0
            if count < n:
                self.families.append((d, ids, count))
        # Hypercubes span the columns that have totals; they need those columns to tell
        # rows apart (other columns then follow from them).
        self.cube_dims = [d for d, _, _ in self.families]
        cube_sizes = tuple(sizes[d] for d in self.cube_dims)
        self.cube_codes = codes[:, self.cube_dims]
        self.cube_sizes = cube_sizes
        self.grid: IntArray | None = None
        if self.cube_dims:
            flat = np.ravel_multi_index(tuple(self.cube_codes.T), cube_sizes)
            if len(np.unique(flat)) == n:
                self.grid = np.full(cube_sizes, -1, dtype=np.intp)
                self.grid[tuple(self.cube_codes.T)] = np.arange(n)
        self._corners: dict[int, tuple[IntArray, FloatArray]] = {}

    def corners(self, row: int) -> tuple[IntArray, FloatArray]:
        """Every hypercube with `row` at a corner and all corners present: their rows
        (hypercubes x 2**k, `row` first) and each corner's sign in a move."""
        cached = self._corners.get(row)
        if cached is not None:
            return cached
        k = len(self.cube_dims)
        bits = np.array([[(mask >> d) & 1 for d in range(k)] for mask in range(2**k)], dtype=bool)
        parity = np.where(bits.sum(axis=1) % 2 == 0, 1.0, -1.0).reshape(-1)
        if k == 0:
            result = (np.array([[row]], dtype=np.intp), parity)
        elif self.grid is None:
            result = (np.zeros((0, 2**k), dtype=np.intp), parity)
        else:
            own = self.cube_codes[row]
            alternatives = [np.delete(np.arange(s), own[d]) for d, s in enumerate(self.cube_sizes)]
            mesh = np.stack(np.meshgrid(*alternatives, indexing="ij"), -1).reshape(-1, k)
            rows = np.empty((len(mesh), 2**k), dtype=np.intp)
            for mask in range(2**k):
                levels = np.where(bits[mask][None, :], mesh, own[None, :])
                rows[:, mask] = self.grid[tuple(levels.T)]
            rows = rows[(rows >= 0).all(axis=1)]
            # Corners paired along a column must add to the same total of that column's
            # family (they may differ in a column left out above).
            keep = np.ones(len(rows), dtype=bool)
            for f, (_, ids, _) in enumerate(self.families):
                for mask in range(2**k):
                    if not (mask >> f) & 1:
                        keep &= ids[rows[:, mask]] == ids[rows[:, mask | (1 << f)]]
            result = (rows[keep], parity)
        self._corners[row] = result
        return result

    @cached_property
    def relation(self) -> FloatArray:
        """The marginal totals as equations over rows (totals x rows, 1 where a row adds)."""
        matrix = np.zeros((sum(count for _, _, count in self.families), self.n))
        offset = 0
        for _, ids, count in self.families:
            matrix[offset + ids, np.arange(self.n)] = 1.0
            offset += count
        return matrix


class _Measures:
    """The measures and their within-row totals: which measures are tied together (a
    "system": a total with its parts, or one measure on its own) and the row patterns a
    move may use, i.e. changes to one row's measures that keep every within-row total."""

    def __init__(self, measures: list[str], parts: Mapping[str, Sequence[str]]) -> None:
        position = {m: j for j, m in enumerate(measures)}
        count = len(measures)
        self.count = count
        self.totals = [(position[t], [position[m] for m in ms]) for t, ms in parts.items()]
        relation = np.zeros((len(self.totals), count))
        for t, (total, members) in enumerate(self.totals):
            relation[t, total] = 1.0
            relation[t, members] = -1.0
        root = list(range(count))

        def find(j: int) -> int:
            while root[j] != j:
                j = root[j]
            return j

        for total, members in self.totals:
            for member in members:
                root[find(member)] = find(total)
        self.system = np.array([find(j) for j in range(count)], dtype=np.intp)
        patterns: list[FloatArray] = []
        for head in np.unique(self.system):
            columns = np.flatnonzero(self.system == head)
            patterns += _circuits(relation[:, columns], columns, count)
        # The whole row at once (parts up by one, each total by its parts): hides a row
        # that is small throughout with a single hypercube when its cells allow it.
        whole = np.zeros(count)
        for j in range(count):
            whole[j] = self._weight(j, set())
        self.whole = len(patterns)
        if count > 1 and np.allclose(relation @ whole, 0.0) and (whole > 0).all():
            patterns.append(whole / whole.max())
        self.patterns = np.array(patterns).reshape(len(patterns), count)

    def _weight(self, j: int, seen: set[int]) -> float:
        parts = [members for total, members in self.totals if total == j]
        if not parts or j in seen:
            return 1.0
        return sum(self._weight(m, seen | {j}) for m in parts[0])


def _circuits(relation: FloatArray, columns: IntArray, count: int) -> list[FloatArray]:
    """Minimal row patterns of one system (a measure on its own, a part with its total, two
    parts of one total, ...; up to three measures each: other moves are left to the last
    resort)."""
    found: list[set[int]] = []
    patterns: list[FloatArray] = []
    for size in range(1, min(3, len(columns)) + 1):
        for support in combinations(range(len(columns)), size):
            if any(f <= set(support) for f in found):
                continue
            kernel = _null_space(relation[:, list(support)])
            if kernel.shape[1] == 1 and (np.abs(kernel[:, 0]) > 1e-6).all():
                pattern = np.zeros(count)
                pattern[columns[list(support)]] = kernel[:, 0] / np.abs(kernel[:, 0]).max()
                found.append(set(support))
                patterns.append(pattern)
    return patterns


@dataclass(frozen=True)
class _Relations:
    """The equations over the cells (cell = row * measures + measure) as coordinate lists:
    equation, cell, coefficient."""

    equation: IntArray
    cell: IntArray
    coef: FloatArray
    count: int

    @classmethod
    def build(cls, layout: _Layout, measures: _Measures) -> _Relations:
        n, p = layout.n, measures.count
        rows = np.arange(n, dtype=np.intp)
        equation: list[IntArray] = []
        cell: list[IntArray] = []
        coef: list[FloatArray] = []
        offset = 0
        for j in range(p):
            for _, ids, count in layout.families:
                equation.append(offset + ids)
                cell.append(rows * p + j)
                coef.append(np.ones(n))
                offset += count
        for total, members in measures.totals:
            for member, sign in [(total, 1.0), *((m, -1.0) for m in members)]:
                equation.append(offset + rows)
                cell.append(rows * p + member)
                coef.append(np.full(n, sign))
            offset += n
        if not equation:
            empty = np.zeros(0, dtype=np.intp)
            return cls(empty, empty, np.zeros(0), 0)
        return cls(np.concatenate(equation), np.concatenate(cell), np.concatenate(coef), offset)

    def fixed_by_totals(self, values: FloatArray) -> BoolArray:
        """Cells the totals give away even with every cell hidden: alone in an equation once
        the others are known, or in one whose remaining cells must all be zero. (Sound, not
        complete: the last resort finds any others exactly.)"""
        fixed = np.zeros(values.size, dtype=bool)
        if self.count == 0:
            return fixed
        nonzero = values[self.cell] != 0
        positive = self.coef > 0
        while True:
            live = ~fixed[self.cell]
            count = np.bincount(self.equation, weights=live, minlength=self.count)
            count_pos = np.bincount(self.equation, weights=live & positive, minlength=self.count)
            count_nz = np.bincount(self.equation, weights=live & nonzero, minlength=self.count)
            alone = count == 1
            all_zero = (count >= 1) & (count_nz == 0) & ((count_pos == count) | (count_pos == 0))
            newly = live & (alone | all_zero)[self.equation]
            if not newly.any():
                return fixed
            fixed[self.cell[newly]] = True

    def undetermined(self, hidden_cells: IntArray, values: FloatArray) -> BoolArray:
        """Exactly which of the hidden cells (sorted) cannot be worked out from the others."""
        position = np.full(values.size, -1, dtype=np.intp)
        position[hidden_cells] = np.arange(len(hidden_cells))
        used = position[self.cell] >= 0
        equations, row_of = np.unique(self.equation[used], return_inverse=True)
        matrix = np.zeros((len(equations), len(hidden_cells)))
        np.add.at(matrix, (row_of, position[self.cell[used]]), self.coef[used])
        return _undetermined(matrix, values[hidden_cells] > 0)


@dataclass(frozen=True)
class _Move:
    """Cells (rows[i], cols[i]) to hide together, and what hiding them costs."""

    rows: IntArray
    cols: IntArray
    cost: float


class _Protector:
    """Complementary suppression: puts every hidden cell on a move of hidden cells."""

    def __init__(
        self, values: FloatArray, primary: BoolArray, layout: _Layout, measures: _Measures
    ) -> None:
        self.values = values
        self.primary = primary
        self.layout = layout
        self.measures = measures
        self.relations = _Relations.build(layout, measures)
        n, p = values.shape
        self.fixed = self.relations.fixed_by_totals(values.reshape(-1)).reshape(n, p)
        self.hidden = primary.copy()
        self.safe = np.zeros_like(primary)  # on a move of hidden cells
        self.given_up = primary & self.fixed  # what the totals alone give away
        scale = values.sum(axis=0) + 1.0
        cost = np.where(values > 0, 1.0 + values / scale[None, :], _ZERO_COST)
        self.marked: BoolArray = np.asarray(primary.any(axis=1), dtype=bool)
        cost[self.marked] *= _HIDDEN_ROW_DISCOUNT
        cost[self.hidden | self.fixed] = 0.0  # fixed cells are never part of a move anyway
        self.costs = cost
        patterns = measures.patterns
        self.through = [np.flatnonzero(patterns[:, j]) for j in range(p)]
        self.ups = (patterns > 0).T.astype(np.float64)  # measures x patterns
        self.downs = (patterns < 0).T.astype(np.float64)
        self.support = [np.flatnonzero(u) for u in patterns]
        self._cubes: dict[int, tuple[IntArray, FloatArray]] = {}
        self._pattern_weights: dict[bytes, tuple[FloatArray, FloatArray]] = {}
        self._reached: dict[tuple[int, bool], tuple[BoolArray, BoolArray, FloatArray]] = {}

    def run(self) -> BoolArray:
        """The hidden cells: the small ones and their complements."""
        whole = self.measures.whole
        if whole < len(self.measures.patterns):
            # Rows small throughout: one hypercube for the whole row when one will do.
            for row in np.flatnonzero(self.primary.all(axis=1) & ~self.fixed.any(axis=1)):
                if not self.safe[row].all():
                    move = self._hypercube_move(int(row), np.array([whole]))
                    if move is not None and move.cost < _ZERO_COST:
                        self._hide(move)
        for cell in np.argwhere(self.primary & ~self.fixed):
            r, j = int(cell[0]), int(cell[1])
            if self.safe[r, j] or self.given_up[r, j]:
                continue
            move = self._hypercube_move(r, self.through[j])
            if move is None or move.cost >= _ZERO_COST:
                # Another shape of cycle may avoid showing zeros, or be the only one there is.
                other = self._cycle_move(r, j, positive_only=True)
                if other is None and move is None:
                    other = self._cycle_move(r, j, positive_only=False)
                if other is not None and (move is None or other.cost < move.cost):
                    move = other
            if move is not None:
                self._hide(move)
            else:
                self._last_resort(r, j)
        return self.hidden

    def _hide(self, move: _Move) -> None:
        rows, cols = move.rows, move.cols
        self.hidden[rows, cols] = True
        self.safe[rows, cols] = True
        fresh = np.zeros(len(self.marked), dtype=bool)
        fresh[rows] = True
        fresh &= ~self.marked
        self.marked |= fresh
        self.costs[fresh] *= _HIDDEN_ROW_DISCOUNT
        self.costs[rows, cols] = 0.0

    def _cube_data(self, r: int) -> tuple[IntArray, FloatArray]:
        """Hypercubes through row r, and per hypercube and measure: the cells that are not
        positive on even corners, on odd corners, and the cells fixed by the totals."""
        data = self._cubes.get(r)
        if data is None:
            corners, parity = self.layout.corners(r)
            not_positive = self.values[corners] <= 0
            even = parity > 0
            counts = np.concatenate(
                [
                    not_positive[:, even].sum(axis=1),
                    not_positive[:, ~even].sum(axis=1),
                    self.fixed[corners].sum(axis=1),
                ],
                axis=1,
            )
            data = (corners, counts.astype(np.float64))
            self._cubes[r] = data
        return data

    def _weights(self, patterns: IntArray) -> tuple[FloatArray, FloatArray]:
        """For these patterns: the matrix turning _cube_data counts into, per pattern, the
        cells stuck moving one way, the other way, and fixed cells; and the supports."""
        key = patterns.tobytes()
        cached = self._pattern_weights.get(key)
        if cached is None:
            ups, downs = self.ups[:, patterns], self.downs[:, patterns]
            support = ups + downs
            zero = np.zeros_like(ups)
            # Moving one way, cells with a negative sign go down and must be positive:
            # down on even corners, up on odd ones; the other way round in reverse.
            weights = np.block([[downs, ups, zero], [ups, downs, zero], [zero, zero, support]])
            cached = (weights, support)
            self._pattern_weights[key] = cached
        return cached

    def _hypercube_move(self, r: int, patterns: IntArray) -> _Move | None:
        """The cheapest hypercube through row r times one of the row patterns."""
        corners, counts = self._cube_data(r)
        if len(corners) == 0 or len(patterns) == 0:
            return None
        weights, support = self._weights(patterns)
        stuck = counts @ weights
        one_way, other_way, fixed = np.split(stuck, 3, axis=1)
        cost = self.costs[corners].sum(axis=1) @ support
        cost += _ONE_SIDED_COST * ((one_way > 0) | (other_way > 0))
        cost[((one_way > 0) & (other_way > 0)) | (fixed > 0)] = np.inf
        a, t = divmod(int(np.argmin(cost)), len(patterns))
        if not np.isfinite(cost[a, t]):
            return None
        measures = self.support[patterns[t]]
        rows = np.repeat(corners[a], len(measures))
        cols = np.tile(measures, corners.shape[1])
        return _Move(rows, cols, float(cost[a, t]))

    def _cycle_move(self, r: int, j: int, positive_only: bool) -> _Move | None:
        """The cheapest move found by linear algebra: weights on rows keeping every marginal
        total (any cycle, not only hypercubes) times a row pattern through measure j."""
        best: _Move | None = None
        for t in self.through[j]:
            if t >= self.measures.whole or self.fixed[r, self.support[t]].any():
                continue
            usable, free, span = self._reach(int(t), positive_only)
            column = self.layout.relation[:, r]
            if not (free[r] if usable[r] else _in_span(span, column)):
                continue  # no cycle through row r among these rows
            pattern = self.measures.patterns[t]
            support = self.support[t]
            row_cost = self.costs[:, support].sum(axis=1)
            others = np.flatnonzero(usable)
            others = others[others != r]
            others = others[np.argsort(row_cost[others], kind="stable")]
            weights = _minimal_cycle(self.layout.relation, r, others, row_cost)
            if weights is None:
                continue
            rows = np.flatnonzero(weights)
            sign = np.sign(weights[rows])[:, None] * pattern[support][None, :]
            positive = self.values[rows[:, None], support[None, :]] > 0
            one_way = bool((positive | (sign > 0)).all())
            other_way = bool((positive | (sign < 0)).all())
            if not (one_way or other_way):
                continue
            cost = float(row_cost[rows].sum()) + _ONE_SIDED_COST * (not (one_way and other_way))
            if best is None or cost < best.cost:
                best = _Move(np.repeat(rows, len(support)), np.tile(support, len(rows)), cost)
        return best

    def _reach(self, t: int, positive_only: bool) -> tuple[BoolArray, BoolArray, FloatArray]:
        """Rows a move with pattern t may use (their cells positive, if so asked, and none
        fixed by the totals); which of them lie on some cycle of those rows; and the vectors
        that vanish on those rows' columns of the marginal totals (a row outside them lies on
        a cycle with them when its column is in their span, so those vectors vanish on it)."""
        key = (t, positive_only)
        cached = self._reached.get(key)
        if cached is None:
            support = self.support[t]
            usable = np.asarray(~self.fixed[:, support].any(axis=1), dtype=bool)
            if positive_only:
                usable &= (self.values[:, support] > 0).all(axis=1)
            relation = self.layout.relation[:, usable]
            reduced, pivots, transform = _echelon(relation)
            rank = len(pivots)
            # A row is on a cycle unless it is a pivot that no other row's column needs.
            on_cycle = np.ones(relation.shape[1], dtype=bool)
            on_cycle[pivots] = False
            needed = np.abs(reduced[:rank][:, on_cycle]) > 1e-9
            on_cycle[pivots] = needed.any(axis=1)
            free = np.zeros(len(usable), dtype=bool)
            free[usable] = on_cycle
            span = _unit_rows(transform[rank:])  # y @ relation = 0: zero on the span
            cached = (usable, free, span)
            self._reached[key] = cached
        return cached

    def _last_resort(self, r: int, j: int) -> None:
        """Hide every cell of the system of measure j, then, checking exactly, show again
        the cells that are not needed to keep its small cells safe."""
        n, p = self.values.shape
        flat = self.values.reshape(-1)
        primary = self.primary.reshape(-1)
        system = (self.measures.system == self.measures.system[j])[None, :]
        trial = ((self.hidden | ~self.fixed) & system).reshape(-1)
        if trial.sum() > _EXACT_LIMIT:
            rows, cols = np.nonzero(trial.reshape(n, p))
            self._hide(_Move(rows, cols, 0.0))
            return
        cells = np.flatnonzero(trial)
        free = self.relations.undetermined(cells, flat)
        if not free[np.searchsorted(cells, r * p + j)]:
            self.given_up[r, j] = True
            return
        state = np.zeros(n * p, dtype=bool)
        state[cells[free]] = True
        must = np.flatnonzero(state & primary)  # small cells that can be kept safe
        state |= primary & trial
        added = np.flatnonzero(trial & ~self.hidden.reshape(-1))
        if len(added) <= _PRUNE_LIMIT:
            for cell in added[np.argsort(-self.costs.reshape(-1)[added], kind="stable")]:
                if not state[cell]:
                    continue
                state[cell] = False
                kept = np.flatnonzero(state)
                ok = self.relations.undetermined(kept, flat)
                if ok[np.searchsorted(kept, must)].all():
                    state[kept[~ok & ~primary[kept]]] = False  # given away anyway
                else:
                    state[cell] = True
        kept = np.flatnonzero(state)
        ok = self.relations.undetermined(kept, flat)
        self._hide(_Move(*np.divmod(kept, p), 0.0))
        self.safe.reshape(-1)[kept[~ok]] = False
        self.given_up.reshape(-1)[kept[~ok & primary[kept]]] = True


def _in_span(left_null: FloatArray, vector: FloatArray) -> bool:
    """Whether vector lies in a column span, given the vectors y with y @ columns = 0."""
    return bool((np.abs(left_null @ vector) <= 1e-8).all())


def _minimal_cycle(
    relation: FloatArray, r: int, others: IntArray, row_cost: FloatArray
) -> FloatArray | None:
    """Weights on rows that keep every equation of `relation` (equations x rows), non-zero
    at row r and zero outside r and `others` (cheapest first); None if there are none.

    Looks among the cheapest few rows first, then four times as many, and so on. Within them,
    costly rows are dropped greedily (most costly first) as long as row r can still move,
    which leaves a minimal cycle through it.
    """
    size = 16
    while True:
        rows = np.concatenate([[r], others[:size]])
        sub = relation[:, rows]
        basis = _null_space(sub[np.abs(sub).sum(axis=1) > 0])
        tol = 1e-8
        if np.linalg.norm(basis[0]) > tol:
            break
        if size >= len(others):
            return None
        size *= 4
    d = basis.shape[1]
    block = np.zeros((d, d))  # orthonormal rows: the constraints "weight = 0" so far
    b = 0
    residual = basis[0]
    for q in np.argsort(-row_cost[rows[1:]], kind="stable") + 1:
        vector = basis[q] - block[:b].T @ (block[:b] @ basis[q])
        norm = float(np.linalg.norm(vector))
        if norm <= tol:
            continue  # already zero in every remaining move
        vector /= norm
        trial = residual - (residual @ vector) * vector
        if np.linalg.norm(trial) > tol:
            residual = trial
            block[b] = vector
            b += 1
    local = basis @ residual
    local[np.abs(local) <= 1e-7 * np.abs(local).max()] = 0.0
    weights = np.zeros(relation.shape[1])
    weights[rows] = local
    if np.abs(relation @ weights).max(initial=0.0) > 1e-7 * np.abs(local).max():
        return None  # not a clean cycle after rounding: leave it to the last resort
    return weights


def _undetermined(matrix: FloatArray, positive: BoolArray) -> BoolArray:
    """For hidden cells (the columns of the equations they appear in), which can change
    while every equation holds and no cell goes negative.

    Positive cells may move either way, zeros only up. First find the zeros that can go up
    (possibly together): non-negative solutions of M u = 0, M being the zeros' part of the
    equations once the freely moving cells are projected out. Then a cell can move if some
    null vector of the freely moving cells' equations is non-zero on it.
    """
    free = positive.copy()
    zeros = ~positive
    while True:
        unknown = np.flatnonzero(zeros & ~free)
        if len(unknown) == 0:
            break
        rest = _left_null_space(matrix[:, free]) @ matrix[:, unknown]
        lifted = _nonnegative_kernel(rest)
        if lifted is None:
            break
        free[unknown[lifted]] = True
    kernel = _null_space(matrix[:, free])
    moving = np.zeros(len(positive), dtype=bool)
    moving[np.flatnonzero(free)] = np.linalg.norm(kernel, axis=1) > 1e-7
    return moving | (free & zeros)


def _nonnegative_kernel(matrix: FloatArray) -> BoolArray | None:
    """Support of some u >= 0 with sum 1 and matrix @ u = 0, or None if there is none."""
    m, n = matrix.shape
    system = np.vstack([matrix, np.ones((1, n))])
    target = np.zeros(m + 1)
    target[-1] = 1.0
    solution = _nnls(system, target)
    if np.linalg.norm(system @ solution - target) > 1e-7:
        return None
    support: BoolArray = solution > 1e-9
    return support


def _nnls(a: FloatArray, b: FloatArray) -> FloatArray:
    """Non-negative least squares (Lawson and Hanson's active set method)."""
    n = a.shape[1]
    x = np.zeros(n)
    active = np.zeros(n, dtype=bool)
    gradient = a.T @ (b - a @ x)
    for _ in range(3 * n + 10):
        candidates = ~active & (gradient > 1e-10)
        if not candidates.any():
            break
        active[int(np.argmax(np.where(candidates, gradient, -np.inf)))] = True
        while True:
            z = np.zeros(n)
            z[active] = np.linalg.lstsq(a[:, active], b, rcond=None)[0]
            if (z[active] > 1e-12).all():
                break
            blocking = active & (z <= 1e-12)
            gap = x[blocking] - z[blocking]
            ratios = np.where(gap > 0, x[blocking] / np.where(gap > 0, gap, 1.0), 0.0)
            x = x + float(ratios.min()) * (z - x)
            active &= x > 1e-12
            x[~active] = 0.0
        x = z
        gradient = a.T @ (b - a @ x)
    return x


def _echelon(matrix: FloatArray) -> tuple[FloatArray, IntArray, FloatArray]:
    """Gauss-Jordan elimination with partial pivoting: the reduced row echelon form R of
    matrix, its pivot columns, and the row operations T (R = T @ matrix).

    Plain array arithmetic on the rows an elimination step touches: these matrices are small
    and sparse (totals over a few hundred rows), where a threaded LAPACK call costs more.
    """
    height, width = matrix.shape
    work = np.concatenate([matrix.astype(np.float64), np.eye(height)], axis=1)
    tol = 1e-9 * max(1.0, float(np.abs(matrix).max(initial=0.0)))
    pivots: list[int] = []
    for column in range(width):
        rank = len(pivots)
        if rank == height:
            break
        below = np.abs(work[rank:, column])
        best = int(np.argmax(below))
        if below[best] <= tol:
            work[rank:, column] = 0.0
            continue
        if best:
            work[[rank, rank + best]] = work[[rank + best, rank]]
        work[rank] /= work[rank, column]
        factors = work[:, column].copy()
        factors[rank] = 0.0
        touched = np.flatnonzero(np.abs(factors) > tol)
        work[touched] -= factors[touched, None] * work[rank][None, :]
        work[:, column] = 0.0
        work[rank, column] = 1.0
        pivots.append(column)
    return work[:, :width], np.array(pivots, dtype=np.intp), work[:, width:]


def _null_space(matrix: FloatArray) -> FloatArray:
    """A basis (columns) of the vectors v with matrix @ v = 0."""
    width = matrix.shape[1]
    if matrix.shape[0] == 0 or width == 0:
        return np.eye(width)
    reduced, pivots, _ = _echelon(matrix)
    free = np.setdiff1d(np.arange(width), pivots)
    basis = np.zeros((width, len(free)))
    basis[free, np.arange(len(free))] = 1.0
    basis[pivots] = -reduced[: len(pivots)][:, free]
    return basis


def _left_null_space(matrix: FloatArray) -> FloatArray:
    """A basis (unit rows) of the vectors y with y @ matrix = 0."""
    if matrix.shape[1] == 0:
        return np.eye(matrix.shape[0])
    _, pivots, transform = _echelon(matrix)
    return _unit_rows(transform[len(pivots) :])


def _unit_rows(matrix: FloatArray) -> FloatArray:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.asarray(matrix / np.where(norms > 0, norms, 1.0), dtype=np.float64)
