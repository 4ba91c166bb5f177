"""Fees for standard dedicated IPs, in exact integer cents.

The rounding rule, stated once: every IP-month charge is rounded to the cent,
**half up**; totals are sums of those rounded charges, as on an invoice. Amounts
are int64 cents; :mod:`planner.model.money` turns them into decimal strings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from planner.model import limits
from planner.model.arrays import Numbers
from planner.model.checks import as_int, require
from planner.model.money import div_half_up

MONTHS_PER_YEAR = 12
MESSAGES_PER_UNIT = 1_000
"""Usage is priced per 1,000 messages."""


def monthly_fee(ips: Numbers, fee: Numbers) -> Any:
    """Monthly fee of ``ips`` IPs held all month at ``fee`` cents per IP-month. [cents]

    >>> int(monthly_fee(3, 2495))
    7485
    """
    n = as_int("ips", ips)
    require("ips", n, (n >= 0) & (n <= limits.MAX_IPS), f"expected 0 to {limits.MAX_IPS:,} IPs")
    f = as_int("fee", fee)
    require("fee", f, (f >= 0) & (f <= limits.MAX_FEE_CENTS),
            f"expected 0 to {limits.MAX_FEE_CENTS:,} cents")  # fmt: skip
    total = n * f  # at most 10**7 x 10**7: no int64 can wrap
    return total if total.ndim else np.int64(total)


def annual_fee(ips: Numbers, fee: Numbers) -> Any:
    """Twelve months of :func:`monthly_fee` at one price. [cents]

    >>> int(annual_fee(10, 2495))
    299400
    """
    return monthly_fee(ips, fee) * MONTHS_PER_YEAR


# ---------------------------------------------------------------------------- proration
#
# A month of D days, an IP leased on day s and relinquished on day r of it (s = 1
# when held from an earlier month, r = D when still held at its end):
#   last day billed  = r ("inclusive", the default) or r - 1 ("exclusive");
#   first day billed = s ("daily", the default) or 1 ("full-month": a lease month
#                      is billed whole);
#   days billed      = max(0, last - first + 1);
#   charge           = fee x days billed / D, rounded half up to the cent;
#   refund           = fee - charge, for an IP relinquished in the month.
# AWS documents the relinquish proration ("by days elapsed") but neither whether the
# relinquish day counts nor how a lease month is billed: both are settings.

DAY_COUNTS = ("inclusive", "exclusive")
LEASE_PRORATIONS = ("daily", "full-month")


def check_choice(field: str, value: str, allowed: tuple[str, ...]) -> str:
    """``value`` if it is one of ``allowed``, else an InputError listing them."""
    if value not in allowed:
        from planner.errors import InputError

        raise InputError(field, value, f"expected one of {', '.join(allowed)}")
    return value


def days_in_month(month: Any) -> Any:
    """Days in each calendar month (``datetime64[M]``, or 'YYYY-MM' strings).

    >>> days_in_month(np.array(["2026-02", "2028-02", "2026-11", "2026-12"], dtype="datetime64[M]")).tolist()
    [28, 29, 30, 31]
    """
    m = np.asarray(month, dtype="datetime64[M]")
    days = ((m + 1).astype("datetime64[D]") - m.astype("datetime64[D]")).astype(np.int64)
    return days if days.ndim else days[()]


def days_billed(
    days_in_month: Any,
    first_day: Any = 1,
    last_day: Any = None,
    *,
    leased_in_month: Any = False,
    relinquished_in_month: Any = False,
    day_count: str = "inclusive",
    lease_proration: str = "daily",
) -> Any:
    """Days billed in one month for an IP held from ``first_day`` to ``last_day``.

    ``first_day`` is the lease day when ``leased_in_month``, ``last_day`` the
    relinquish day when ``relinquished_in_month`` (default: the month's last day).

    >>> int(days_billed(30, 1, 15, relinquished_in_month=True))
    15
    >>> int(days_billed(30, 1, 15, relinquished_in_month=True, day_count="exclusive"))
    14
    >>> int(days_billed(31, 20, leased_in_month=True))
    12
    """
    check_choice("day_count", day_count, DAY_COUNTS)
    check_choice("lease_proration", lease_proration, LEASE_PRORATIONS)
    d = np.asarray(days_in_month, dtype=np.int64)
    leased = np.asarray(leased_in_month, dtype=bool)
    gone = np.asarray(relinquished_in_month, dtype=bool)
    first = np.where(leased, np.asarray(first_day, dtype=np.int64), 1)
    if lease_proration == "full-month":
        first = np.ones_like(first)
    last = d if last_day is None else np.where(gone, np.asarray(last_day, dtype=np.int64), d)
    if day_count == "exclusive":
        last = np.where(gone, last - 1, last)
    billed = np.clip(last - first + 1, 0, d)
    return billed if billed.ndim else billed[()]


def prorated_charge(fee: Any, days: Any, days_in_month: Any) -> Any:
    """``fee x days / days_in_month`` rounded half up to the cent, per IP. [cents]

    >>> int(prorated_charge(2495, 15, 30)), int(prorated_charge(2495, 10, 29))
    (1248, 860)
    """
    fee_arr = as_int("fee", fee)
    require("fee", fee_arr, (fee_arr >= 0) & (fee_arr <= limits.MAX_FEE_CENTS),
            f"expected 0 to {limits.MAX_FEE_CENTS:,} cents")  # fmt: skip
    return div_half_up(fee_arr * np.asarray(days, dtype=np.int64), days_in_month)


# ------------------------------------------------------------------- managed usage


def tiered_cents(
    volume: int, tiers: list[tuple[int, int, int]], what: str
) -> list[tuple[int, int, int, int, int]]:
    """Each tier's (from, to, messages, cents per 1,000, charge in cents) for ``volume``
    messages: every tier marginal (its messages at its price), each line rounded half up.
    A volume above the last tier is an error naming ``what`` is priced.

    >>> [t[-1] for t in tiered_cents(20_000_000, [(0, 10**7, 16), (10**7, 10**8, 14)], "mail")]
    [160000, 140000]
    """
    if volume > tiers[-1][1]:
        from planner.errors import InputError

        raise InputError(
            "monthly_volume",
            volume,
            f"the price book publishes {what} up to {tiers[-1][1]:,} messages a month; "
            "add a tier above it to your own price book (--prices)",
        )
    out = []
    for start, end, cents in tiers:
        messages = max(0, min(volume, end) - start)
        out.append(
            (start, end, messages, cents, int(div_half_up(messages * cents, MESSAGES_PER_UNIT)))
        )
    return out


def managed_fee_cents(
    volume: int, base: int, tiers: list[tuple[int, int, int]]
) -> tuple[int, list[tuple[int, int, int, int, int]]]:
    """Managed IPs' monthly fee [cents] for ``volume`` messages, and each tier's
    (from, to, messages, cents per 1,000, charge in cents).

    >>> managed_fee_cents(20_000_000, 1500, [(0, 10**7, 8), (10**7, 5 * 10**7, 4)])[0]
    121500
    """
    charged = tiered_cents(volume, tiers, "managed usage")
    return base + sum(c[-1] for c in charged), charged
