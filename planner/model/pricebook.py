"""The effective-dated price book and its rules: the price of a SKU in a Region on a day,
the usage tiers in force, and what every book must hold, checked when it is made.

:class:`PriceBook` is the value the price book's readers
(:func:`planner.files.tables.load_prices`, :func:`planner.files.pricelist.read_price_list`)
build; a book that breaks a rule is refused at construction, so a lookup never meets a gap.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from planner.errors import DataFileError, PriceNotFoundError, UnknownNameError
from planner.model import limits
from planner.model.money import format_cents

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Price:
    """One row of the effective-dated price book."""

    sku: str
    region: str
    """A Region name, or ``*`` for every Region without a row of its own."""
    unit: str
    price_cents: int
    currency: str
    effective_from: dt.date
    effective_to: dt.date | None
    """The last day the price is in force (inclusive); ``None`` while it still is."""
    tier_from: int | None
    tier_to: int | None
    source: str

    @property
    def price(self) -> str:
        return format_cents(self.price_cents)

    def in_force(self, day: dt.date) -> bool:
        return self.effective_from <= day and (
            self.effective_to is None or day <= self.effective_to
        )


PRICE_COLUMNS = (
    "sku",
    "region",
    "unit",
    "price",
    "currency",
    "effective_from",
    "effective_to",
    "tier_from",
    "tier_to",
    "source",
)

_NO_END = np.datetime64("9999-12-31", "D")


class PriceBook:
    """An effective-dated price book.

    The price of a SKU in a Region on a day is the row for that Region in force on
    that day, or else the ``*`` row in force. A month is priced at the row in force
    on its first day (see :meth:`fee_cents`).
    """

    def __init__(
        self, prices: Iterable[Price], label: str = "prices", lines: Sequence[int] | None = None
    ) -> None:
        self.prices = tuple(prices)
        self.label = label
        check_prices(self.prices, label, lines)  # a book is whole from the start
        currencies = {p.currency for p in self.prices}
        if len(currencies) > 1:
            raise DataFileError(
                label, f"mixes currencies ({', '.join(sorted(currencies))}); use one"
            )
        self.currency = currencies.pop() if currencies else "USD"

    def __iter__(self) -> Iterator[Price]:
        return iter(self.prices)

    def skus(self) -> list[str]:
        return sorted({p.sku for p in self.prices})

    def fee_cents(
        self,
        sku: str,
        regions: Sequence[str] | npt.ArrayLike,
        days: Sequence[dt.date] | npt.ArrayLike,
    ) -> npt.NDArray[np.int64]:
        """Price in cents of ``sku`` for each (region, day) pair, vectorised.

        ``regions`` and ``days`` broadcast against each other; ``days`` are dates
        or ``datetime64[D]``. A pair with no price in force is a
        :class:`~planner.errors.PriceNotFoundError` naming the first such pair.
        """
        rows = [p for p in self.prices if p.sku == sku and p.tier_from is None]
        if not rows:
            raise UnknownNameError("sku", sku, self.skus())
        region_arr, day_arr = np.broadcast_arrays(
            np.asarray(regions, dtype=object), np.asarray(days, dtype="datetime64[D]")
        )
        out = np.full(region_arr.shape, -1, dtype=np.int64)
        # "*" rows first, then Region rows overwrite them where they apply.
        for row in sorted(rows, key=lambda p: p.region != "*"):
            start = np.datetime64(row.effective_from, "D")
            end = _NO_END if row.effective_to is None else np.datetime64(row.effective_to, "D")
            mask = (day_arr >= start) & (day_arr <= end)
            if row.region != "*":
                mask &= region_arr == row.region
            out[mask] = row.price_cents
        missing = np.flatnonzero(out.ravel() < 0)
        if missing.size:
            i = int(missing[0])
            region = region_arr.ravel()[i]
            day = day_arr.ravel()[i]
            spans = ", ".join(
                f"{p.effective_from} to {p.effective_to or 'open'}"
                for p in rows
                if p.region in ("*", region)
            )
            raise PriceNotFoundError(
                f"price: no {sku} price for {region} on {day} in {self.label}"
                + (f" (it has {spans})" if spans else "")
            )
        return out

    def tiers(self, sku: str, region: str, day: dt.date) -> list[tuple[int, int, int]]:
        """Usage tiers of ``sku`` in force for ``region`` on ``day``: (from, to, cents per
        unit) in order, the Region's own rows if it has any, else the ``*`` rows."""
        rows = [
            p for p in self.prices if p.sku == sku and p.tier_from is not None and p.in_force(day)
        ]
        if not rows:
            raise PriceNotFoundError(f"price: no {sku} tiers in force on {day} in {self.label}")
        own = [p for p in rows if p.region == region] or [p for p in rows if p.region == "*"]
        if not own:
            raise PriceNotFoundError(f"price: no {sku} tiers for {region} on {day} in {self.label}")
        # Whole from 0, without a gap or an overlap: checked when the book was made.
        tiers = sorted((p.tier_from or 0, p.tier_to or limits.MAX_TIER, p.price_cents) for p in own)
        return tiers

    def to_frame(self) -> pd.DataFrame:
        """The book's rows, prices as decimal text (``price``), as the CSV has them."""
        import pandas as pd

        names = [f.name for f in fields(Price)]
        frame = pd.DataFrame([vars(p) for p in self.prices], columns=names)
        frame.insert(3, "price", [p.price for p in self.prices])
        return frame.drop(columns=["price_cents"])


#: The unit each kind of SKU is priced in (a plan's SKUs, ``pro:outbound-email``, by the
#: part after the colon): a price in another unit would be read as this one.
SKU_UNITS = {
    "dedicated-ip": "IP-month",
    "managed-ip-base": "account-Region-month",
    "plan-fee": "account-Region-month",
    "managed-ip-usage": "1000 messages",
    "outbound-email": "1000 recipients",
}


def check_prices(prices: Sequence[Price], label: str, lines: Sequence[int] | None = None) -> None:
    """What every price book must hold, checked in time linear in its rows (after one
    sort): each SKU priced in its unit (:data:`SKU_UNITS`); one row per SKU, Region and
    tier in force on any day; a SKU's tiers in force together start at 0 and meet without
    a gap or an overlap. An error names the row's line when ``lines`` are given."""

    def where(i: int) -> int | None:
        return None if lines is None else lines[i]

    for i, p in enumerate(prices):
        unit = SKU_UNITS.get(p.sku.rpartition(":")[2])
        if unit is not None and p.unit != unit:
            raise DataFileError(label, f"{p.sku} for {p.region} is priced per {p.unit!r}; "
                                f"expected per {unit!r} (convert the price)", where(i))  # fmt: skip
    order = sorted(range(len(prices)), key=lambda i: (
        prices[i].sku, prices[i].region, prices[i].tier_from or -1, prices[i].effective_from))  # fmt: skip
    for i, j in itertools.pairwise(order):
        a, b = prices[i], prices[j]
        if (a.sku, a.region, a.tier_from) == (b.sku, b.region, b.tier_from) and (
            a.effective_to is None or b.effective_from <= a.effective_to
        ):
            raise DataFileError(label, f"{b.sku} for {b.region} from {b.effective_from} "
                                f"overlaps the row from {a.effective_from}; end one with "
                                "effective_to", where(j))  # fmt: skip
    _check_tier_runs(prices, label, where)


def _check_tier_runs(
    prices: Sequence[Price], label: str, where: Callable[[int], int | None]
) -> None:
    """Tiers that start on the same day form one schedule: from 0, each where the last
    ended."""
    runs: dict[tuple[str, str, dt.date], list[int]] = {}
    for i, p in enumerate(prices):
        if p.tier_from is not None:
            runs.setdefault((p.sku, p.region, p.effective_from), []).append(i)
    for (sku, region, day), members in runs.items():
        members.sort(key=lambda i: prices[i].tier_from or 0)
        first = prices[members[0]]
        if first.tier_from != 0:
            raise DataFileError(label, f"{sku} tiers for {region} from {day} start at "
                                f"{first.tier_from}, not 0", where(members[0]))  # fmt: skip
        for i, j in itertools.pairwise(members):
            end, begin = prices[i].tier_to, prices[j].tier_from
            if end is None or begin != end:
                what = "overlap" if end is None or (begin or 0) < end else "leave a gap"
                raise DataFileError(label, f"{sku} tiers for {region} from {day} {what} at "
                                    f"{begin}", where(j))  # fmt: skip
