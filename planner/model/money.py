"""Exact money: integer cents in the core, exact decimal amounts everywhere else.

The model computes in ``int``/``numpy.int64`` cents. Results hold money as
:class:`~decimal.Decimal` amounts in currency units (:func:`amount`: 2495 cents is
``Decimal('24.95')``) and DataFrames as the exact ``money`` dtype
(:func:`money_array`), whose cells are the same ``Decimal`` amounts; renderers turn
them into text. A price enters as a decimal string (``"24.95"``); no binary float
ever takes part in a sum or a rounding. The one rounding rule, used for every prorated IP-month charge, is
**half up to the cent**: ``div_half_up(num, den)`` is ``floor(num / den + 1/2)``
in exact integer arithmetic.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, SupportsInt

import numpy as np

from planner.errors import InputError
from planner.model.arrays import IntArray, Numbers


def parse_cents(text: str, field: str = "price") -> int:
    """Parse a decimal string of a money amount into whole cents.

    >>> parse_cents("24.95")
    2495
    >>> parse_cents("15")
    1500
    """
    try:
        amount = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        raise InputError(field, text, "expected a decimal amount such as 24.95") from None
    if not amount.is_finite() or amount < 0:
        raise InputError(field, text, "expected a decimal amount of 0 or more")
    cents = amount * 100
    if cents != cents.to_integral_value():
        raise InputError(field, text, "expected at most two decimal places (whole cents)")
    return int(cents)


def format_cents(cents: SupportsInt) -> str:
    """Format integer cents as a decimal string with two places.

    >>> format_cents(2495), format_cents(-1247), format_cents(5)
    ('24.95', '-12.47', '0.05')
    """
    if isinstance(cents, Decimal | float):
        raise TypeError(f"format_cents takes integer cents, not {type(cents).__name__}")
    value = int(cents)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{whole}.{part:02d}"


def amount(cents: SupportsInt) -> Decimal:
    """Integer cents as an exact amount in currency units, the type of every money value in
    results (and of each cell of a money column).

    >>> amount(2495), amount(-1247), amount(0)
    (Decimal('24.95'), Decimal('-12.47'), Decimal('0.00'))
    """
    if isinstance(cents, Decimal | float):
        raise TypeError(f"amount takes integer cents, not {type(cents).__name__}")
    return Decimal(int(cents)).scaleb(-2)


def cents(value: Decimal) -> int:
    """An exact money amount back in integer cents (the inverse of :func:`amount`).

    >>> cents(amount(2495))
    2495
    """
    scaled = Decimal(value).scaleb(2)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{value} is not a whole number of cents")
    return int(scaled)


def div_half_up_fraction(x: Fraction) -> int:
    """A non-negative Fraction to the nearest whole number, half up, exactly however large
    (the scalar case of :func:`div_half_up` beyond int64).

    >>> div_half_up_fraction(Fraction(5, 2)), div_half_up_fraction(Fraction(7, 3))
    (3, 2)
    """
    return int((x.numerator * 2 + x.denominator) // (2 * x.denominator))


def div_half_up(num: Numbers, den: Numbers) -> Any:
    """``num / den`` rounded half up to an integer, exactly, elementwise.

    Both arguments are integers (scalars or int64 arrays); ``num >= 0`` and
    ``den > 0``. 24.95 USD for 15 of 30 days is ``div_half_up(2495 * 15, 30)``,
    which is 1248 cents (12.475 rounds up), where a binary float gives 12.47.

    >>> int(div_half_up(2495 * 15, 30))
    1248
    >>> div_half_up(np.array([1, 2, 3]), 2)
    array([1, 1, 2])
    """
    num = np.asarray(num, dtype=np.int64)
    den = np.asarray(den, dtype=np.int64)
    result = (2 * num + den) // (2 * den)
    return result if result.ndim else np.int64(result)


# ------------------------------------------------------------------------------ frames
#
# In DataFrames money is ipcost's ``money`` dtype (planner.model.money_column): int64 cents
# underneath, each cell the same ``Decimal`` amount results hold, shown as 349.30 and
# summed, grouped and accumulated exactly (``df.charge.sum()`` is
# ``Decimal('8150.84')``). Turning cents into the column and back copies memory and
# never rounds. pandas is imported only when a frame is made.


def money_dtype() -> Any:
    """The pandas dtype of money columns, ``"money"`` (see :mod:`planner.model.money_column`)."""
    from planner.model.money_column import MoneyDtype

    return MoneyDtype()


def money_frame(records: Any, money: Any) -> Any:
    """Rows (mappings) as a DataFrame, the ``money`` columns (exact amounts or their decimal
    texts, as results' ``to_dict`` give them; None where there is none) in the money dtype.

    >>> money_frame([{"pool": "a", "fee": "24.95"}, {"pool": "b", "fee": None}], ["fee"]).fee.tolist()
    [Decimal('24.95'), <NA>]
    """
    import pandas as pd

    frame = pd.DataFrame(list(records))
    for key in money:
        if key in frame.columns:
            values = [None if v is None else Decimal(v) for v in frame[key]]
            frame[key] = pd.Series(values, index=frame.index, dtype=object).astype(money_dtype())
    return frame


def money_array(cents: Numbers) -> Any:
    """Integer cents as a pandas money array (see :func:`money_dtype`), exactly.

    >>> money_array([2495, -1247, 5]).tolist()
    [Decimal('24.95'), Decimal('-12.47'), Decimal('0.05')]
    """
    from planner.model.money_column import MoneyArray

    return MoneyArray.from_cents(cents)


def cents_of(values: Any) -> IntArray:
    """Cents (int64) of a money column or array, exactly; the inverse of :func:`money_array`.

    Also takes integer cents as they are, so plots and writers accept either.

    >>> cents_of(money_array([2495, -1247])).tolist()
    [2495, -1247]
    """
    array = getattr(values, "array", values)
    if type(array).__name__ == "MoneyArray":
        return array.cents()  # type: ignore[no-any-return]
    return np.asarray(values, dtype=np.int64)
