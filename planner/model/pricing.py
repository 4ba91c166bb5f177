"""What SES charges for mail and for managed dedicated IPs, under each pricing plan.

The rules, each made once (a second function pricing the same thing drifts: managed IPs
once read 1,215.00 in one line of a report and 1,200.00 in another):

- :func:`priced_sku`: a plan's own price row for a SKU where the book has one
  (``pro:managed-ip-base``), else the a la carte one (``managed-ip-base``);
- :func:`mail_cents`: outbound mail for a month's volume, the plan's marginal tiers or
  the a la carte price per 1,000, rounded half up per tier (or per line);
- :func:`managed_cents`: managed dedicated IPs, the plan's base fee plus its usage tiers,
  each tier rounded half up.

They read a price book through :class:`Prices` (``fee_cents``, ``tiers`` and the rows'
SKUs), which :class:`planner.model.pricebook.PriceBook` is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from planner.model.fees import MESSAGES_PER_UNIT, managed_fee_cents, tiered_cents
from planner.model.money import div_half_up

#: The plan that is no plan: SES priced a la carte (GetAccount's NONE).
A_LA_CARTE = "none"


class _Row(Protocol):
    sku: str
    tier_from: int | None


class Prices(Protocol):
    """What the pricing rules read of a price book."""

    def __iter__(self) -> Iterator[Any]: ...

    def fee_cents(self, sku: str, regions: Any, days: Any) -> npt.NDArray[np.int64]: ...

    def tiers(self, sku: str, region: str, day: dt.date) -> list[tuple[int, int, int]]: ...


def plan_name(plan: str) -> str:
    """A plan as a person reads it: ``a la carte`` for no plan, else its name."""
    return "a la carte" if plan == A_LA_CARTE else plan


def priced_sku(book: Prices, plan: str, sku: str) -> str:
    """A plan's own price book row for ``sku`` where it has one, else the a la carte one."""
    own = f"{plan}:{sku}"
    return own if any(p.sku == own for p in book) else sku


def _tiered(book: Prices, sku: str) -> bool:
    return any(p.sku == sku and p.tier_from is not None for p in book)


def mail_cents(book: Prices, region: str, day: dt.date, plan: str, volume: int) -> int:
    """Outbound mail for ``volume`` messages in a month [cents]: the plan's marginal tiers,
    or a la carte per 1,000 messages, rounded half up."""
    sku = priced_sku(book, plan, "outbound-email")
    if _tiered(book, sku):
        return sum(t[-1] for t in tiered_cents(volume, book.tiers(sku, region, day), f"{sku} mail"))
    per_1000 = int(book.fee_cents(sku, region, np.datetime64(day, "D")))
    return int(div_half_up(volume * per_1000, MESSAGES_PER_UNIT))


@dataclass(frozen=True)
class Managed:
    """Managed dedicated IPs for a month under one plan [cents]."""

    base: int
    tiers: tuple[tuple[int, int, int, int, int], ...]
    """Each usage tier charged: (from, to, messages in it, cents per 1,000, charge)."""
    rates: tuple[tuple[int, int, int], ...]
    """The usage tiers in force: (from, to, cents per 1,000), to price other volumes."""

    @property
    def total(self) -> int:
        return self.base + sum(t[-1] for t in self.tiers)


def managed_cents(book: Prices, region: str, day: dt.date, plan: str, volume: int) -> Managed:
    """Managed dedicated IPs for ``volume`` messages under ``plan``: its base fee (0 where
    the plan includes the subscription) plus its usage tiers, each rounded half up. A
    volume above the last tier the book prices is a PriceNotFoundError naming it."""
    when = np.datetime64(day, "D")
    base = int(book.fee_cents(priced_sku(book, plan, "managed-ip-base"), region, when))
    rates = book.tiers(priced_sku(book, plan, "managed-ip-usage"), region, day)
    _, charged = managed_fee_cents(volume, base, rates)
    return Managed(base, tuple(tuple(t) for t in charged), tuple(tuple(r) for r in rates))  # type: ignore[misc]


def managed_curve(managed: Managed, volumes: Sequence[int]) -> list[int]:
    """The same plan's managed fee [cents] at other ``volumes`` (for a picture or a
    break-even), from the tiers already looked up."""
    return [int(managed_fee_cents(int(v), managed.base, list(managed.rates))[0]) for v in volumes]
