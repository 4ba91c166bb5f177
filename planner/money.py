"""Exact money: integer cents in the core, exact decimal amounts everywhere else.

The model computes in ``int``/``numpy.int64`` cents. Results hold money as
:class:`~decimal.Decimal` amounts in currency units (:func:`amount`: 2495 cents is
``Decimal('24.95')``) and DataFrames as pandas' exact decimal dtype
(:func:`money_array`), whose cells are the same ``Decimal`` amounts; renderers turn
them into text. A price enters as a decimal string (``"24.95"``); no binary float
ever takes part in a sum or a rounding. The one rounding rule, used for every prorated IP-month charge, is
**half up to the cent**: ``div_half_up(num, den)`` is ``floor(num / den + 1/2)``
in exact integer arithmetic.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
import numpy.typing as npt

from planner.errors import InputError

IntArray = npt.NDArray[np.int64]


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


def format_cents(cents: Any) -> str:
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


def amount(cents: Any) -> Decimal:
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


def div_half_up(num: Any, den: Any) -> Any:
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
# In DataFrames money is pandas' exact decimal dtype, ``decimal128(18, 2)`` backed by
# pyarrow: vectorised (no Python object per cell), shown as 349.30, and summed
# exactly (``df.charge.sum()`` is ``Decimal('8150.84')``). Its unscaled integer *is*
# the amount in cents, so turning cents into the column and back copies memory and
# never rounds. pandas and pyarrow are imported only when a frame is made.

MONEY_PRECISION, MONEY_SCALE = 18, 2


def money_dtype() -> Any:
    """The pandas dtype of money columns: ``decimal128(18, 2)[pyarrow]`` (up to 10**16 units)."""
    import pandas as pd
    import pyarrow as pa

    return pd.ArrowDtype(pa.decimal128(MONEY_PRECISION, MONEY_SCALE))


def money_array(cents: Any) -> Any:
    """Integer cents as a pandas money array (see :func:`money_dtype`), exactly.

    >>> money_array([2495, -1247, 5]).tolist()
    [Decimal('24.95'), Decimal('-12.47'), Decimal('0.05')]
    """
    import pandas as pd
    import pyarrow as pa

    c = np.ascontiguousarray(np.asarray(cents, dtype=np.int64).reshape(-1))
    # A decimal128 value is a 16-byte little-endian two's-complement integer.
    words = np.empty((c.size, 2), dtype=np.int64)
    words[:, 0] = c
    words[:, 1] = c >> 63
    arrow = pa.Array.from_buffers(
        pa.decimal128(MONEY_PRECISION, MONEY_SCALE), c.size, [None, pa.py_buffer(words)]
    )
    return pd.array(arrow, dtype=money_dtype())


def cents_of(values: Any) -> IntArray:
    """Cents (int64) of a money column or array, exactly; the inverse of :func:`money_array`.

    Also takes integer cents as they are, so plots and writers accept either.

    >>> cents_of(money_array([2495, -1247])).tolist()
    [2495, -1247]
    """
    import pyarrow as pa

    array = getattr(values, "array", values)
    if not hasattr(array, "__arrow_array__"):
        return np.asarray(values, dtype=np.int64)
    arrow = array.__arrow_array__()
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    parts = []
    for chunk in chunks:
        if not pa.types.is_decimal128(chunk.type) or chunk.type.scale != MONEY_SCALE:
            raise TypeError(f"expected a money column (decimal128 with scale 2), got {chunk.type}")
        if chunk.null_count:
            raise ValueError("a money column has missing values")
        words = np.frombuffer(chunk.buffers()[1], dtype=np.int64).reshape(-1, 2)
        parts.append(words[chunk.offset : chunk.offset + len(chunk), 0])
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
