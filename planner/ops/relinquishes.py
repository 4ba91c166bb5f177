"""``relinquish``: what giving IPs back mid-month charges, refunds and saves.

AWS prorates the monthly fee of a relinquished IP "based on the number of days that
have elapsed in the current month" (SES developer guide, "Requesting and
relinquishing dedicated IP addresses"); relinquishing cannot be undone. The
single question and the day-by-day schedule are the same vectorised code: the
question is the schedule's row for one day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import numpy as np

from planner.errors import InputError
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.model import fees, limits
from planner.model.arrays import IntArray
from planner.model.checks import as_date, as_int, as_month, require
from planner.model.money import amount, money_array
from planner.scenario.scenario import Scenario

if TYPE_CHECKING:
    import pandas as pd


def _month_days(day: dt.date) -> tuple[np.datetime64, int]:
    month = np.datetime64(day, "M")
    return month, int(fees.days_in_month(month))


def _charges(
    fee: int, days_in_month: int, days: IntArray, day_count: str
) -> tuple[IntArray, IntArray]:
    """Days billed and charge per IP [cents] for relinquishing on each of ``days``."""
    billed = np.asarray(
        fees.days_billed(days_in_month, 1, days, relinquished_in_month=True, day_count=day_count),
        dtype=np.int64,
    )
    return billed, np.asarray(fees.prorated_charge(fee, billed, days_in_month), dtype=np.int64)


#: The keys of a relinquish's JSON that hold money.
MONEY_KEYS = frozenset({"monthly_fee_per_ip", "charge_per_ip", "refund_per_ip", "charge", "refund",
                        "cost_per_day_of_delay", "monthly_fee_before", "monthly_fee_after"})  # fmt: skip


@dataclass(frozen=True)
class Relinquish:
    """The result of :func:`relinquish`; money as exact amounts (:func:`planner.model.money.amount`)."""

    region: str
    date: dt.date
    count: int
    day_count: str
    days_in_month: int
    days_billed: int
    monthly_fee_per_ip: Decimal
    charge_per_ip: Decimal
    refund_per_ip: Decimal
    cost_per_day_of_delay: Decimal
    """What relinquishing one day later would add, for all ``count`` IPs."""
    currency: str
    held: int | None = None
    next_month_fee: Decimal | None = None
    """The fee per IP in the following month, looked up when waiting a day reaches it
    (a relinquish on the month's last day); otherwise ``None``."""

    @property
    def charge(self) -> Decimal:
        return self.count * self.charge_per_ip

    @property
    def refund(self) -> Decimal:
        return self.count * self.refund_per_ip

    @property
    def monthly_fee_before(self) -> Decimal | None:
        return None if self.held is None else self.held * self.monthly_fee_per_ip

    @property
    def monthly_fee_after(self) -> Decimal | None:
        """Fee of the IPs still held, for a whole month at this month's price."""
        return None if self.held is None else (self.held - self.count) * self.monthly_fee_per_ip

    def to_frame(self) -> Any:
        """The JSON keys as the columns of one row; money in the money dtype."""
        from planner.model.money import money_frame

        return money_frame([self.to_dict()], MONEY_KEYS)

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost relinquish --format json``."""

        def money(value: Decimal | None) -> str | None:
            return None if value is None else str(value)

        return {
            "region": self.region,
            "date": self.date.isoformat(),
            "count": self.count,
            "day_count": self.day_count,
            "days_in_month": self.days_in_month,
            "days_billed": self.days_billed,
            "monthly_fee_per_ip": money(self.monthly_fee_per_ip),
            "charge_per_ip": money(self.charge_per_ip),
            "refund_per_ip": money(self.refund_per_ip),
            "charge": money(self.charge),
            "refund": money(self.refund),
            "cost_per_day_of_delay": money(self.cost_per_day_of_delay),
            "currency": self.currency,
            "held": self.held,
            "monthly_fee_before": money(self.monthly_fee_before),
            "monthly_fee_after": money(self.monthly_fee_after),
            "irreversible": True,
        }


def _scenario(
    scenario: Scenario | None,
    day_count: str | None,
    prices: PathLike | PriceBook | None,
    regions_file: PathLike | RegionCatalog | None,
) -> Scenario:
    """The scenario given, or one built from the day count and the files."""
    if scenario is not None:
        return scenario
    return Scenario.build({"day_count": day_count}, allowed=("day_count",), prices=prices,
                          regions_file=regions_file)  # fmt: skip


def _count(count: Any) -> int:
    """IPs to relinquish: a whole number, 1 to :data:`planner.model.limits.MAX_IPS`."""
    n = as_int("count", count)
    require("count", n, (n >= 1) & (n <= limits.MAX_IPS), f"expected 1 to {limits.MAX_IPS:,} IPs")
    return int(n)


def relinquish(
    region: str,
    count: int,
    date: dt.date | str,
    *,
    day_count: str | None = None,
    held: int | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    scenario: Scenario | None = None,
) -> Relinquish:
    """Charge and refund for relinquishing ``count`` standard IPs in ``region`` on ``date``.

    ``scenario``, a built :class:`~planner.Scenario`, stands for ``day_count`` and the files.

    Examples
    --------
    >>> r = relinquish("us-east-1", 2, "2026-11-15")
    >>> r.charge_per_ip, r.refund_per_ip, r.charge
    (Decimal('12.48'), Decimal('12.47'), Decimal('24.96'))
    """
    day = as_date("date", date)
    n = _count(count)
    scenario = _scenario(scenario, day_count, prices, regions_file)
    day_count = scenario.billing.day_count
    if held is not None:
        h = int(as_int("held", held))
        if not n <= h <= limits.MAX_IPS:
            raise InputError(
                "held", h, f"expected at least the {n} IPs relinquished, at most {limits.MAX_IPS:,}"
            )
    region, book = scenario.catalog[region].region, scenario.book
    month, d = _month_days(day)
    fee = int(book.fee_cents(default_value("sku"), region, month.astype("datetime64[D]")))
    billed, charge = _charges(fee, d, np.array([day.day, day.day + 1]), day_count)
    delay, next_fee = _delay(book, region, day, fee, charge, day_count)
    return Relinquish(
        region=region,
        date=day,
        count=n,
        day_count=day_count,
        days_in_month=d,
        days_billed=int(billed[0]),
        monthly_fee_per_ip=amount(fee),
        charge_per_ip=amount(charge[0]),
        refund_per_ip=amount(fee - int(charge[0])),
        cost_per_day_of_delay=amount(n * delay),
        currency=book.currency,
        held=held,
        next_month_fee=None if next_fee is None else amount(next_fee),
    )


def _delay(
    book: PriceBook, region: str, day: dt.date, fee: int, charge: IntArray, day_count: str
) -> tuple[int, int | None]:
    """What waiting a day costs per IP [cents] (``charge``: relinquishing on ``day`` and
    the day after), and next month's fee when that day is in next month."""
    month, d = _month_days(day)
    if day.day < d:
        return int(charge[1] - charge[0]), None
    # A day later is the 1st of next month: this month whole, plus next month's day 1.
    # Next month's price is looked up only here, so a price book that ends this month
    # still prices every other day.
    next_fee = int(
        book.fee_cents(default_value("sku"), region, (month + 1).astype("datetime64[D]"))
    )
    _, next_charge = _charges(
        next_fee, int(fees.days_in_month(month + 1)), np.array([1]), day_count
    )
    return fee - int(charge[0]) + int(next_charge[0]), next_fee


@dataclass(frozen=True)
class RelinquishDays:
    """The result of :func:`relinquish_schedule`: relinquishing ``count`` IPs on each day of
    ``month``, computed in one vectorised pass (the fee functions over every day at once);
    money in exact cents, as amounts through :meth:`to_frame` and :meth:`to_dict`."""

    region: str
    month: str
    """The calendar month, ``"2026-11"``."""
    count: int
    day_count: str
    fee_cents: int
    """The month's fee per IP [cents]."""
    days_billed: IntArray
    """Days billed per IP for relinquishing on day 1, 2, ... of the month."""
    charge_cents: IntArray
    """The charge per IP [cents] for relinquishing on each day; the refund is the rest."""
    currency: str

    @property
    def monthly_fee_per_ip(self) -> Decimal:
        return amount(self.fee_cents)

    def to_frame(self) -> pd.DataFrame:
        """One row a day: ``region``, ``count``, ``day_count``, ``date``, ``day``,
        ``days_billed``, ``charge_per_ip``, ``refund_per_ip``, ``charge``, ``refund`` (the
        money dtype) and ``currency``."""
        import pandas as pd

        days = np.arange(1, len(self.days_billed) + 1, dtype=np.int64)
        first = np.datetime64(self.month, "M").astype("datetime64[D]")
        charge, n = self.charge_cents, self.count
        return pd.DataFrame({
            "region": self.region, "count": n, "day_count": self.day_count,
            "date": first + (days - 1), "day": days, "days_billed": self.days_billed,
            "charge_per_ip": money_array(charge),
            "refund_per_ip": money_array(self.fee_cents - charge),
            "charge": money_array(n * charge), "refund": money_array(n * (self.fee_cents - charge)),
            "currency": self.currency,
        })  # fmt: skip

    def to_dict(self) -> dict[str, Any]:
        """Strict JSON: the month's facts, and a row a day with money as decimal text."""
        first = dt.date.fromisoformat(f"{self.month}-01")
        fee, n = self.fee_cents, self.count
        return {
            "region": self.region, "month": self.month, "count": n, "day_count": self.day_count,
            "monthly_fee_per_ip": str(self.monthly_fee_per_ip), "currency": self.currency,
            "days": [
                {"date": (first + dt.timedelta(days=i)).isoformat(), "day": i + 1,
                 "days_billed": int(b), "charge_per_ip": str(amount(int(c))),
                 "refund_per_ip": str(amount(fee - int(c))), "charge": str(amount(n * int(c))),
                 "refund": str(amount(n * (fee - int(c))))}
                for i, (b, c) in enumerate(zip(self.days_billed.tolist(),
                                               self.charge_cents.tolist(), strict=True))
            ],
        }  # fmt: skip


def relinquish_schedule(
    region: str,
    month: str | dt.date,
    count: int = 1,
    *,
    day_count: str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    scenario: Scenario | None = None,
) -> RelinquishDays:
    """Charge and refund for relinquishing on each day of ``month``.

    ``.to_frame()`` has a row a day (see :class:`RelinquishDays`);
    :func:`planner.edges.plots.relinquish_days` draws it.
    """
    m = as_month("month", month)
    scenario = _scenario(scenario, day_count, prices, regions_file)
    day_count = scenario.billing.day_count
    n = _count(count)
    region, book = scenario.catalog[region].region, scenario.book
    d = int(fees.days_in_month(m))
    fee = int(book.fee_cents(default_value("sku"), region, m.astype("datetime64[D]")))
    billed, charge = _charges(fee, d, np.arange(1, d + 1, dtype=np.int64), day_count)
    return RelinquishDays(region=region, month=str(m), count=n, day_count=day_count,
                          fee_cents=fee, days_billed=billed, charge_cents=charge,
                          currency=book.currency)  # fmt: skip
