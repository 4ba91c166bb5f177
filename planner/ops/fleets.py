"""``fleet``: the account's current dedicated IPs by pool, from the AWS CLI's output.

A pool's scaling mode comes from its ``get-dedicated-ip-pool`` output; without one, a
pool whose IPs report ``WarmupPercentage`` -1 is managed and any other standard.
Standard pools cost their IPs x the dedicated-IP fee in force on the price date.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from planner.errors import DataFileError
from planner.files.aws import DedicatedIp, read_aws
from planner.files.tables import (
    PathLike,
    PriceBook,
    RegionCatalog,
    default_value,
)
from planner.model.fees import monthly_fee
from planner.model.money import amount, money_frame
from planner.scenario.scenario import Scenario


@dataclass(frozen=True)
class FleetPool:
    pool: str
    scaling: str
    scaling_from: str
    """``get-dedicated-ip-pool``, or how it was inferred when no pool file was given."""
    ips: int
    warming: tuple[int, ...]
    """The warm-up percentages of the IPs still warming (standard pools)."""
    monthly_fee: Decimal | None
    """Standard pools: IPs x the fee; managed pools are priced by volume (None)."""


@dataclass(frozen=True)
class Fleet:
    """The result of :func:`fleet`: an account's dedicated IPs by pool, and their fees."""

    region: str
    currency: str
    price_date: dt.date
    pools: tuple[FleetPool, ...]
    max_send_rate: float | None

    @property
    def ips(self) -> int:
        return sum(p.ips for p in self.pools)

    @property
    def monthly_fee(self) -> Decimal:
        return sum(
            (p.monthly_fee for p in self.pools if p.monthly_fee is not None), Decimal("0.00")
        )

    def to_frame(self) -> Any:
        """A row per pool (the JSON's ``pools``), with its Region; money in the money dtype."""
        pools = money_frame(self.to_dict()["pools"], ["monthly_fee"])
        return pools.assign(region=self.region)[["region", *pools.columns]]

    def to_dict(self) -> dict[str, Any]:
        """The JSON contract of ``ipcost fleet --format json``."""
        return {
            "region": self.region,
            "currency": self.currency,
            "price_date": self.price_date.isoformat(),
            "pools": [
                {
                    "pool": p.pool,
                    "scaling": p.scaling,
                    "ips": p.ips,
                    "warming": len(p.warming),
                    "warming_percentages": list(p.warming),
                    "monthly_fee": None if p.monthly_fee is None else str(p.monthly_fee),
                }
                for p in self.pools
            ],
            "total": {"ips": self.ips, "monthly_fee": str(self.monthly_fee)},
        }


def fleet(
    files: Sequence[PathLike],
    region: str = "us-east-1",
    *,
    date: dt.date | str | None = None,
    prices: PathLike | PriceBook | None = None,
    regions_file: PathLike | RegionCatalog | None = None,
    scenario: Scenario | None = None,
) -> Fleet:
    """An account's current fleet in ``region`` from AWS CLI output files, by pool.

    A pool's scaling mode comes from its ``get-dedicated-ip-pool`` output; without one,
    a pool whose IPs report ``WarmupPercentage`` -1 is managed and any other standard.
    Standard pools cost their IPs x the dedicated-IP fee in force on ``date``.
    ``scenario``, a built :class:`~planner.Scenario`, stands for ``date`` and the files.

    Examples
    --------
    >>> f = fleet(["data/aws/get-dedicated-ips-1.json", "data/aws/get-dedicated-ips-2.json"],
    ...           date="2027-01-01")
    >>> [(p.pool, p.scaling, p.ips, p.warming) for p in f.pools]  # doctest: +NORMALIZE_WHITESPACE
    [('transactional', 'STANDARD', 5, (40, 15)), ('ses-default-dedicated-pool', 'STANDARD', 2, ()),
     ('marketing', 'MANAGED', 2, ())]
    >>> f.monthly_fee
    Decimal('174.65')
    """
    if scenario is None:
        scenario = Scenario.build(prices=prices, regions_file=regions_file, date=date)
    name, book, day = scenario.catalog[region].region, scenario.book, scenario.price_date
    account = read_aws(files)
    if not account.ips and not account.scaling and not account.pools:
        raise DataFileError(
            ", ".join(account.files), "has no dedicated IPs or pools; expected aws sesv2 "
            "get-dedicated-ips (and get-dedicated-ip-pool) output",
        )  # fmt: skip
    fee = int(book.fee_cents(default_value("sku"), name, np.datetime64(day, "D")))
    by_pool: dict[str, list[DedicatedIp]] = {}  # one pass over the IPs, pools in order
    for ip in account.ips:
        by_pool.setdefault(ip.pool, []).append(ip)
    for pool in [*account.scaling, *account.pools]:
        by_pool.setdefault(pool, [])
    pools = []
    counts = np.array([len(members) for members in by_pool.values()], dtype=np.int64)
    fees = monthly_fee(counts, fee)  # every pool's fee at once, in cents
    for i, (pool, members) in enumerate(by_pool.items()):
        scaling, how = _scaling(pool, members, account.scaling, account.files)
        warming = tuple(ip.warmup_percentage for ip in members if ip.warmup_status == "IN_PROGRESS")
        standard = scaling == "STANDARD"
        pools.append(FleetPool(pool, scaling, how, len(members), warming,
                               amount(int(fees[i])) if standard else None))  # fmt: skip
    return Fleet(name, book.currency, day, tuple(pools), account.max_send_rate)


def _scaling(
    pool: str, members: Sequence[DedicatedIp], modes: Mapping[str, str], files: Sequence[str]
) -> tuple[str, str]:
    """A pool's scaling mode and how it is known. Its IPs must agree with each other and
    with the pool file: a managed IP reports WarmupPercentage -1, a standard one 0-100."""
    managed = sum(ip.warmup_percentage == -1 for ip in members)
    if 0 < managed < len(members):
        raise DataFileError(", ".join(files), f"pool {pool!r} has {managed} IPs reporting "
                            f"WarmupPercentage -1 (managed) beside {len(members) - managed} with "
                            "percentages (standard); expected one scaling mode per pool")  # fmt: skip
    if pool in modes:
        if members and (managed > 0) != (modes[pool] == "MANAGED"):
            raise DataFileError(", ".join(files), f"pool {pool!r} is {modes[pool]} in its "
                                "get-dedicated-ip-pool output, but its IPs report "
                                f"{'-1' if managed else 'percentages'}; expected them to agree")  # fmt: skip
        return modes[pool], "get-dedicated-ip-pool"
    if managed:
        return "MANAGED", "inferred: its IPs report WarmupPercentage -1"
    return "STANDARD", "assumed: no get-dedicated-ip-pool output for it"
