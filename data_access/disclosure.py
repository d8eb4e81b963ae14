"""What public views say about the protection of members' reported figures: the marker of a
withheld cell, the sentence that explains it, and shares computed from published parts.

The figures themselves are made public in one place, data_access.perturbation (through
data_access.outcomes.public_outcome_totals); docs/disclosure.md describes the method.
"""

from __future__ import annotations

from typing import overload

import pandas as pd

SUPPRESSED = "suppressed"


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
