"""Vectorised input checks: each names the first offending value and what is allowed."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError


def as_float(field: str, values: Any) -> npt.NDArray[np.float64]:
    """``values`` as a float array, or an InputError naming a non-numeric one."""
    try:
        arr = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        for value in np.atleast_1d(np.asarray(values, dtype=object)).ravel():
            try:
                float(value)
            except (TypeError, ValueError):
                raise InputError(field, value, "expected a number") from None
        raise InputError(field, values, "expected numbers") from None
    return arr


#: Whole numbers are read through float64, exact up to 2**53; none of ipcost's
#: limits (planner.model.limits) comes near it, and nothing beyond it is read as a count.
MAX_WHOLE = 2**53


def as_int(field: str, values: Any) -> npt.NDArray[np.int64]:
    """``values`` as an int64 array; a fractional, non-numeric or too large value is an
    InputError (never a number that wrapped around).

    ipcost's one rule for a whole number, wherever one is read: a number as ``float`` reads
    it (``"1000"``, ``" 7 "``, ``"1e3"``, ``"7.0"``, ``"1_000"``) whose value is whole; not
    ``"1,000"``, ``"7.5"`` or a boolean. (:func:`planner.files.typed.whole` and the settings'
    checks in :mod:`planner.files.values` read by the same rule.)
    """
    if isinstance(values, bool) or (isinstance(values, np.ndarray) and values.dtype == bool):
        raise InputError(field, values, "expected a whole number")
    if isinstance(values, int) and abs(values) > MAX_WHOLE:
        raise InputError(field, values, f"expected a whole number of at most {MAX_WHOLE:,}")
    arr = as_float(field, values)
    bad = ~np.isfinite(arr) | (arr != np.floor(arr))
    if bad.any():
        raise InputError(field, _first(arr, bad), "expected a whole number")
    too_large = np.abs(arr) > MAX_WHOLE
    if too_large.any():
        raise InputError(
            field, _first(arr, too_large), f"expected a whole number of at most {MAX_WHOLE:,}"
        )
    return arr.astype(np.int64)


def require(field: str, values: npt.NDArray[Any], ok: npt.NDArray[np.bool_], allowed: str) -> None:
    """Raise an InputError for the first value where ``ok`` is false (NaN fails too)."""
    bad = ~np.asarray(ok, dtype=bool)
    if bad.any():
        raise InputError(field, _first(values, bad), allowed)


def _first(values: npt.NDArray[Any], bad: npt.NDArray[np.bool_]) -> Any:
    values, bad = np.broadcast_arrays(np.asarray(values), bad)
    value = values[bad].ravel()[0]
    if isinstance(value, np.floating):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) <= 2**53 else number
    if isinstance(value, np.integer):
        return int(value)
    return value


#: Dates and months ipcost plans with: far around any real lease, and far enough from
#: the calendar's ends that a date plus a warm-up, a lead time or a budget stays on it.
FIRST_YEAR, LAST_YEAR = 1970, 2999
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_MONTH = re.compile(r"\d{4}-\d{2}")


def as_date(field: str, value: Any) -> dt.date:
    """A calendar date from a date or 'YYYY-MM-DD' (four digits, two and two, nothing
    else), from 1970 to 2999; anything else is an InputError naming the value.

    >>> as_date("date", "2028-02-29")
    datetime.date(2028, 2, 29)
    """
    if isinstance(value, dt.datetime):
        day = value.date()
    elif isinstance(value, dt.date):
        day = value
    else:
        text = str(value).strip()
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise InputError(field, value, "expected a real calendar date, YYYY-MM-DD") from None
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise InputError(field, day.isoformat(), f"expected a date from {FIRST_YEAR}-01-01 to "
                         f"{LAST_YEAR}-12-31")  # fmt: skip
    return day


def as_month(field: str, value: Any) -> np.datetime64:
    """A calendar month (``datetime64[M]``) from 'YYYY-MM' (four digits and two, nothing
    else) or a date, from 1970 to 2999.

    >>> str(as_month("month", "2027-02"))
    '2027-02'
    """
    if isinstance(value, dt.date):
        return np.datetime64(as_date(field, value), "M")
    text = str(value).strip()
    if not _MONTH.fullmatch(text) or not 1 <= int(text[5:]) <= 12:
        raise InputError(field, value, "expected a calendar month, YYYY-MM")
    if not FIRST_YEAR <= int(text[:4]) <= LAST_YEAR:
        raise InputError(field, value, f"expected a month from {FIRST_YEAR}-01 to {LAST_YEAR}-12")
    return np.datetime64(text, "M")


def today_utc() -> dt.date:
    return dt.datetime.now(dt.UTC).date()
