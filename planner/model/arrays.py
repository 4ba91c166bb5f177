"""The array types ipcost's functions take and return, named once for every layer."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""Rates, shares and other measures: float64."""
IntArray = npt.NDArray[np.int64]
"""Counts, day numbers and cents: int64."""

Numbers: TypeAlias = "npt.ArrayLike | Decimal | Fraction"
"""A number or many: a scalar (int, float, Decimal, an exact Fraction, or decimal text as
typed), a list, a numpy array or a pandas column. The vectorised functions answer in
kind: a scalar for a scalar, an array for an array."""
DateLike: TypeAlias = "dt.date | str"
"""A day, as a date or ISO text (``"2026-12-01"``)."""
