"""The array types ipcost's functions take and return, named once for every layer."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
"""Rates, shares and other measures: float64."""
IntArray = npt.NDArray[np.int64]
"""Counts, day numbers and cents: int64."""
