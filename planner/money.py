"""Exact money: integer cents in the core, decimal strings at the edges.

Amounts are ``int`` or ``numpy.int64`` cents. A price enters as a decimal string
(``"24.95"``) and leaves as one; no binary float ever takes part in a sum or a
rounding. The one rounding rule, used for every prorated IP-month charge, is
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
    value = int(cents)
    sign = "-" if value < 0 else ""
    whole, part = divmod(abs(value), 100)
    return f"{sign}{whole}.{part:02d}"


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
