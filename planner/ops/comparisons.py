"""``compare``: standard dedicated IPs against managed dedicated IPs for a monthly volume.

Standard IPs cost a fee per IP per month, whatever they send. Managed IPs cost a base
fee per account and Region a month plus usage per 1,000 messages, in tiers
(``planner/data/prices.csv``: ``managed-ip-base`` and ``managed-ip-usage``). Usage is
charged tier by tier, each tier's charge rounded half up to the cent; no price is
published above the last tier, so a volume beyond it is an error unless your price
book (``--prices``) adds the tier.

The standard fleet is the ``ips`` given, or sized from the volume through the one
sizing call: an average day of the month (``monthly_volume x 12 / 365``) times the
peak factor. The break-even volume is the least monthly volume at which managed IPs
cost at least as much as that standard fleet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np

from planner.errors import InputError
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.files.values import SIZING_SETTINGS
from planner.model import limits
from planner.model.checks import as_float, as_int, require
from planner.model.fees import managed_fee_cents, monthly_fee
from planner.model.money import amount
from planner.scenario.scenario import Scenario
from planner.scenario.settings import Assumption, Settings, size

AVERAGE_DAYS_PER_MONTH = Fraction(365, 12)


@dataclass(frozen=True)
class Tier:
    """One usage tier as charged: messages in it, price per 1,000 and the charge."""

    tier_from: int
    tier_to: int
    messages: int
    price: Decimal
    charge: Decimal


@dataclass(frozen=True)
class Comparison:
    """The result of :func:`compare`; money as exact amounts."""

    region: str
    currency: str
    price_date: dt.date
    monthly_volume: int
    ips: int
    ips_from: str
    """``given``, or how the fleet was sized."""
    fee_per_ip: Decimal
    standard_fee: Decimal
    managed_base: Decimal
    managed_tiers: tuple[Tier, ...]
    managed_fee: Decimal
    break_even_volume: int | None
    """Least monthly volume at which managed costs at least the standard fleet; None if
    managed stays cheaper up to the last published tier."""
    assumptions: tuple[Assumption, ...]

    @property
    def cheaper(self) -> str:
        if self.standard_fee == self.managed_fee:
            return "same"
        return "standard" if self.standard_fee < self.managed_fee else "managed"

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost compare --format json``."""
        return {
            "region": self.region,
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "monthly_volume": self.monthly_volume,
            "standard": {
                "ips": self.ips,
                "fee_per_ip": str(self.fee_per_ip),
                "monthly_fee": str(self.standard_fee),
            },
            "managed": {
                "base_fee": str(self.managed_base),
                "usage": [
                    {
                        "tier_from": t.tier_from,
                        "tier_to": t.tier_to,
                        "messages": t.messages,
                        "price_per_1000": str(t.price),
                        "charge": str(t.charge),
                    }
                    for t in self.managed_tiers
                ],
                "monthly_fee": str(self.managed_fee),
            },
            "cheaper": self.cheaper,
            "break_even_volume": self.break_even_volume,
        }


@dataclass(frozen=True)
class Comparisons:
    """:func:`compare` of several Regions, each with its own volume, and their total."""

    regions: tuple[Comparison, ...]

    @property
    def standard_fee(self) -> Decimal:
        return sum((c.standard_fee for c in self.regions), amount(0))

    @property
    def managed_fee(self) -> Decimal:
        return sum((c.managed_fee for c in self.regions), amount(0))

    def to_dict(self) -> dict[str, Any]:
        """``ipcost compare --format json`` with more than one ``--region``."""
        return {
            "regions": [c.to_dict() for c in self.regions],
            "total": {"standard_monthly_fee": str(self.standard_fee),
                      "managed_monthly_fee": str(self.managed_fee),
                      "currency": self.regions[0].currency},
        }  # fmt: skip


def _break_even(standard: int, base: int, tiers: list[tuple[int, int, int]]) -> int | None:
    """Least volume whose managed fee reaches ``standard`` cents (the fee never falls)."""
    low, high = 0, tiers[-1][1]
    if managed_fee_cents(high, base, tiers)[0] < standard:
        return None
    while low < high:
        middle = (low + high) // 2
        if managed_fee_cents(middle, base, tiers)[0] >= standard:
            high = middle
        else:
            low = middle + 1
    return low


def compare(
    region: str | Sequence[str] = "us-east-1",
    *,
    monthly_volume: Any,
    ips: Any = None,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    scenario: Scenario | None = None,
    **settings: Any,
) -> Comparison | Comparisons:
    """The monthly cost of standard IPs against managed IPs for ``monthly_volume`` messages.

    With several Regions (a list), each is paired with its own volume (and IP count, if
    given): the result is :class:`Comparisons`, each Region priced with its own managed
    base fee and tiers, and their total.

    Examples
    --------
    >>> c = compare(monthly_volume=20_000_000, ips=4, date="2027-01-01")
    >>> c.managed_fee, c.standard_fee, c.cheaper, c.break_even_volume
    (Decimal('1215.00'), Decimal('99.80'), 'standard', 1059938)
    """
    scenario = Scenario.given_or_built(
        scenario, settings, allowed=SIZING_SETTINGS, function="compare", prices=prices,
        regions_file=regions_file, date=date,
    )  # fmt: skip
    if isinstance(region, str):
        return _compare(scenario, region, monthly_volume, ips)
    names, volumes = list(region), _paired("monthly_volume", monthly_volume, len(region))
    counts = [None] * len(names) if ips is None else _paired("ips", ips, len(names))
    seen = [scenario.catalog[n].region for n in names]
    twice = [n for n, r in zip(names, seen, strict=True) if seen.count(r) > 1]
    if twice:
        raise InputError("region", twice[-1], "expected each Region once")
    return Comparisons(tuple(_compare(scenario, n, v, k)
                             for n, v, k in zip(names, volumes, counts, strict=True)))  # fmt: skip


def _paired(field_name: str, values: Any, count: int) -> list[Any]:
    """One value per Region, in the Regions' order: a Region without its own is an error."""
    listed = list(values) if isinstance(values, list | tuple) else [values]
    if len(listed) != count:
        raise InputError(field_name, ", ".join(str(v) for v in listed), f"{len(listed)} values for "
                         f"{count} Regions; expected one per --region, in their order")  # fmt: skip
    return listed


def _compare(scenario: Scenario, region: str, monthly_volume: Any, ips: Any) -> Comparison:
    book, day = scenario.book, scenario.price_date
    volume = _volume(monthly_volume)
    s = scenario.settings(region)
    n, how = _standard_ips(s, volume, ips)
    when = np.datetime64(day, "D")
    fee = int(book.fee_cents(default_value("sku"), s.region, when))
    standard = int(monthly_fee(n, fee))
    base = int(book.fee_cents("managed-ip-base", s.region, when))
    tiers = book.tiers("managed-ip-usage", s.region, day)
    managed, charged = managed_fee_cents(volume, base, tiers)
    return Comparison(
        region=s.region, currency=book.currency, price_date=day, monthly_volume=volume,
        ips=n, ips_from=how, fee_per_ip=amount(fee), standard_fee=amount(standard),
        managed_base=amount(base),
        managed_tiers=tuple(Tier(start, end, messages, amount(cents), amount(charge))
                            for start, end, messages, cents, charge in charged),
        managed_fee=amount(managed), break_even_volume=_break_even(standard, base, tiers),
        assumptions=s.assumptions,
    )  # fmt: skip


def _volume(monthly_volume: Any) -> int:
    """Messages a month: a whole number, 0 or more."""
    volume = as_float("monthly_volume", monthly_volume)
    require("monthly_volume", volume, (volume >= 0) & (volume <= 31 * limits.MAX_DAILY_VOLUME)
            & (volume == volume.round()), "expected a whole number of messages a month, 0 or more")  # fmt: skip
    return int(volume)


def _standard_ips(settings: Settings, volume: int, ips: Any) -> tuple[int, str]:
    """The standard fleet, given or sized for the month's volume as an average day (the
    month over 365/12 days, exactly), and how it came about."""
    if ips is not None:
        return int(size([settings], ips=[int(as_int("ips", ips))]).ips[0]), "given"
    if volume == 0:
        raise InputError(
            "monthly_volume", 0, "expected messages to size standard IPs for, or --ips"
        )
    daily = Fraction(volume) / AVERAGE_DAYS_PER_MONTH
    n = int(size([settings], daily_volume=[daily]).ips[0])
    return n, (f"sized for {float(daily):,.0f} messages a day (the month's volume over 365/12 "
               f"days) x peak factor {settings.peak_factor:g}")  # fmt: skip
