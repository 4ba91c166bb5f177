"""Fees for standard dedicated IPs, in exact integer cents.

The rounding rule, stated once: every IP-month charge is rounded to the cent,
**half up**; totals are sums of those rounded charges, as on an invoice. Amounts
are int64 cents; :mod:`planner.money` turns them into decimal strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planner._checks import as_int, require

MONTHS_PER_YEAR = 12


def monthly_fee(ips: Any, fee: Any) -> Any:
    """Monthly fee of ``ips`` IPs held all month at ``fee`` cents per IP-month. [cents]

    >>> int(monthly_fee(3, 2495))
    7485
    """
    n = as_int("ips", ips)
    require("ips", n, n >= 0, "expected 0 or more IPs")
    f = as_int("fee", fee)
    require("fee", f, f >= 0, "expected 0 or more cents")
    total = n * f
    return total if total.ndim else np.int64(total)


def annual_fee(ips: Any, fee: Any) -> Any:
    """Twelve months of :func:`monthly_fee` at one price. [cents]

    >>> int(annual_fee(10, 2495))
    299400
    """
    return monthly_fee(ips, fee) * MONTHS_PER_YEAR
